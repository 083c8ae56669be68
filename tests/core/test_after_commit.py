"""A failure after commit (the queue, the mail server) never turns a saved action into an error
page: with Redis down, saving a scenario answered 500 though the row was stored and a job stayed
pending forever; with the mail server down, registration answered 500 after creating the
organisation, so the person could never register again."""

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from kombu.exceptions import OperationalError

from accounts.models import Organisation
from core import tasks as core_tasks
from core.choices import JobState
from core.models import Job
from core.services import job_create
from matching import tasks as matching_tasks
from scenarios.models import Scenario
from tests.accounts.test_registration import FORM
from tests.factories.accounts import DistrictFactory
from tests.factories.scenarios import publisher_user
from tests.scenarios.test_editing import _form as scenario_form

pytestmark = pytest.mark.django_db


def _broker_down(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


class RefusingMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server refused the connection")


def test_a_scenario_saved_while_the_broker_is_down_is_saved_and_says_so(
    client, monkeypatch, reference_data, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(matching_tasks.rematch_scenario_task, "delay", _broker_down)
    publisher = publisher_user()
    client.force_login(publisher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("scenarios:create"), scenario_form())
    scenario = Scenario.objects.get()
    assert response.status_code == 302 and response.url == reverse("scenarios:edit", args=[scenario.pk])


def test_a_job_that_cannot_be_queued_is_marked_failed_with_a_reason(
    monkeypatch, operator, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(core_tasks.job_run_task, "delay", _broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_create(actor=operator, kind="accounts.organisation_directory")
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "消息队列暂不可用" in job.error and job.finished_at
    assert Job.objects.count() == 1


def test_registration_with_the_mail_server_down_is_saved(
    client,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "tests.core.test_after_commit.RefusingMailServer"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), {**FORM, "district": DistrictFactory().pk})
    assert response.status_code == 302 and response.url == reverse("accounts:register-done")
    assert Organisation.objects.filter(credit_code=FORM["credit_code"]).exists()
