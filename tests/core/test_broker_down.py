"""The real Celery client against a broker that is not there (#18): tasks are not run in-process
(CELERY_TASK_ALWAYS_EAGER off) and CELERY_BROKER_URL points at a port where nothing listens, as
when Redis is down. Saving still answers as saved; a job that could not be queued is marked failed
with a reason, audited and told to its requester; the log records the broker error."""

import logging
import socket

import pytest
from django.urls import reverse

from config.celery_app import app
from core.choices import JobState
from core.models import AuditRecord, Job, Notification
from scenarios.models import Scenario
from tests.factories.scenarios import publisher_user
from tests.scenarios.test_editing import _form as scenario_form

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free once the socket closes: nothing listens there


@pytest.fixture
def broker_down(monkeypatch):
    """The app's broker switched to a dead Redis address for one test, then put back. Celery reads
    CELERY_BROKER_URL from the environment before its own setting (CI sets it), so both change; the
    connection pools made for the dead address are closed and the previous ones put back untouched
    (other tests in this process, a real worker's harness among them, still hold them)."""
    dead = f"redis://127.0.0.1:{_closed_port()}/12"
    previous = app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport_options
    pools = app._pool, app.amqp._producer_pool
    monkeypatch.setenv("CELERY_BROKER_URL", dead)
    app.conf.task_always_eager = False
    app.conf.broker_url = dead
    app.conf.broker_transport_options = {"socket_connect_timeout": 1, "max_retries": 1}
    app._pool, app.amqp._producer_pool = None, None  # no connection made with the old address is reused
    try:
        yield
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport_options = previous
        app._pool, app.amqp._producer_pool = pools


def _broker_errors(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "core.after_commit"]


def test_saving_a_scenario_with_the_broker_down_answers_as_saved(
    client, reference_data, broker_down, caplog, django_capture_on_commit_callbacks
):
    client.force_login(publisher_user())
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("scenarios:create"), scenario_form())
    scenario = Scenario.objects.get()
    assert response.status_code == 302 and response.url == reverse("scenarios:edit", args=[scenario.pk])
    assert any(
        message.startswith("broker unavailable: could not queue matching.rematch_scenario")
        for message in _broker_errors(caplog)
    ), caplog.text


def test_a_job_started_with_the_broker_down_is_marked_failed_and_the_requester_told(
    client, operator, broker_down, caplog, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:operator-organisation-export"))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("core:job-detail", args=[job.pk])
    assert job.state == JobState.FAILED and job.finished_at is not None
    assert job.error == "任务未能进入队列（消息队列暂不可用），请稍后重新发起。"
    assert AuditRecord.objects.filter(action="job.fail", object_id=str(job.pk), actor=operator).exists()
    assert Notification.objects.filter(recipient=operator, title__startswith="任务失败").exists()
    logged = _broker_errors(caplog)
    assert any(message.startswith("broker unavailable: could not queue core.job_run") for message in logged)
    page = client.get(response.url).content.decode()
    assert "消息队列暂不可用" in page
