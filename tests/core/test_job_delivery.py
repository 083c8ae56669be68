"""A job's message may arrive more than once, or after its worker died (#18): each delivery claims
the Job row, a live runner keeps its job, a dead one's job is run again up to
PORTAL_JOB_MAX_ATTEMPTS starts, a runner's writes commit once, transient errors are retried, and
the beat job queues again what is stuck past the time limit. tests/workers/ does it with real
workers killed mid-run; here each case is set up directly."""

import datetime

import psycopg2
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError, connection
from django.utils import timezone

from core.choices import JobState
from core.jobs import register_job
from core.models import AuditRecord, Job, Notification
from core.services import job_run, job_writes, jobs_requeue_stuck
from core.services import jobs as job_services
from tests.conftest import require
from tests.factories.accounts import operator_user

pytestmark = pytest.mark.django_db

RUNS: list[int] = []  # job ids, one per run of a test kind that got to its end
WRITES: list[int] = []  # job ids, one per committed write of "tests.writing"
FAILURES: dict[int, list[Exception]] = {}  # job id → errors its next runs raise, first first


@register_job("tests.counting", title="计数任务", may_start=lambda user: True)
def counting_job(job, report):
    if FAILURES.get(job.pk):
        raise FAILURES[job.pk].pop(0)
    RUNS.append(job.pk)


@register_job("tests.writing", title="写入任务", may_start=lambda user: True)
def writing_job(job, report):
    with job_writes(job):
        WRITES.append(job.pk)  # a list, not a table: rolled back by nothing, so a second write shows
    RUNS.append(job.pk)


@pytest.fixture(autouse=True)
def _fresh_records():
    RUNS.clear()
    WRITES.clear()
    FAILURES.clear()


def _job(kind="tests.counting", **fields) -> Job:
    return Job.objects.create(kind=kind, title="测试任务", requested_by=operator_user(), **fields)


def _ago(seconds: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


LIMIT = 1800  # CELERY_TASK_TIME_LIMIT by default: the time after which a job is stuck


@pytest.fixture(autouse=True)
def _default_time_limit(settings):
    assert settings.CELERY_TASK_TIME_LIMIT == LIMIT


def _told_of_failure(job: Job) -> bool:
    return Notification.objects.filter(recipient=job.requested_by, title__startswith="任务失败").exists()


def test_a_pending_job_is_claimed_run_once_and_counted(settings):
    job = _job()
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts, RUNS) == ("succeeded", 1, [job.pk])


@pytest.mark.parametrize("state", ["succeeded", "failed"])
def test_a_second_delivery_of_a_finished_job_does_nothing(state):
    job = _job(state=state, attempts=1)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts, RUNS) == (state, 1, [])
    assert not AuditRecord.objects.filter(object_id=str(job.pk)).exists()


def test_a_job_started_as_often_as_allowed_is_failed_with_the_reason_and_its_requester_told(settings):
    settings.PORTAL_JOB_MAX_ATTEMPTS = 3
    job = _job(state=JobState.PENDING, attempts=3)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and RUNS == []
    assert job.error.startswith("任务已启动 3 次均未完成")
    assert _told_of_failure(job)
    assert AuditRecord.objects.filter(action="job.fail", object_id=str(job.pk)).exists()


def test_writes_committed_by_an_earlier_run_are_not_written_again():
    job = _job(kind="tests.writing")
    job_run(job_id=job.pk)
    assert WRITES == [job.pk]
    # The worker died after the writes committed, before the job was marked done; it is run again.
    Job.objects.filter(pk=job.pk).update(state=JobState.PENDING, finished_at=None)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "succeeded" and job.attempts == 2
    assert WRITES == [job.pk]  # written once
    assert RUNS == [job.pk]  # the second run stopped at job_writes


def test_a_transient_error_puts_the_job_back_for_a_retry_and_the_last_try_fails_it_in_chinese():
    job = _job()
    FAILURES[job.pk] = [OperationalError("server closed the connection unexpectedly")] * 2
    with pytest.raises(OperationalError):
        job_run(job_id=job.pk, final=False)  # the task retries it later, with backoff
    job.refresh_from_db()
    assert (job.state, job.attempts, job.progress_message) == ("pending", 0, "暂时出错，稍后自动重试")

    job_run(job_id=job.pk, final=True)
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.error == "任务执行时数据库或消息队列暂不可用，多次重试仍未成功，请稍后重新发起。"
    assert "server closed" not in job.error and _told_of_failure(job)


def test_a_retry_after_a_transient_error_runs_the_job():
    job = _job()
    FAILURES[job.pk] = [OperationalError("could not connect to server")]
    with pytest.raises(OperationalError):
        job_run(job_id=job.pk, final=False)
    job_run(job_id=job.pk, final=False)
    job.refresh_from_db()
    assert (job.state, job.attempts, RUNS) == ("succeeded", 1, [job.pk])


def test_a_job_out_of_time_is_failed_with_the_reason(settings):
    job = _job()
    FAILURES[job.pk] = [SoftTimeLimitExceeded()]
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.error == "任务超过时限（约 30 分钟）仍未完成，已停止。请缩小范围后重新发起，或联系运营人员。"
    assert _told_of_failure(job)


# ---- the beat job -------------------------------------------------------------------------------


def test_the_beat_job_queues_again_a_job_running_past_the_time_limit_and_it_runs_to_the_end(
    settings, django_capture_on_commit_callbacks
):
    job = _job(state=JobState.RUNNING, attempts=1, started_at=_ago(LIMIT + 1), queued_at=_ago(LIMIT + 2))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_stuck() == {"requeued": 1, "failed": 0, "running": 0}
    job.refresh_from_db()
    assert (job.state, job.attempts, RUNS) == ("succeeded", 2, [job.pk])
    record = AuditRecord.objects.get(action="job.requeue", object_id=str(job.pk))
    assert record.actor is None and record.before["state"] == "running" and record.after["state"] == "pending"


def test_the_beat_job_queues_again_a_pending_job_whose_message_was_lost(settings, django_capture_on_commit_callbacks):
    job = _job(state=JobState.PENDING, queued_at=_ago(LIMIT + 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_stuck()["requeued"] == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, RUNS) == ("succeeded", 1, [job.pk])


def test_the_beat_job_leaves_jobs_within_the_time_limit_and_finished_ones_alone(
    settings, django_capture_on_commit_callbacks
):
    running = _job(state=JobState.RUNNING, attempts=1, started_at=_ago(LIMIT - 60), queued_at=_ago(LIMIT + 300))
    pending = _job(state=JobState.PENDING, queued_at=_ago(LIMIT - 60))
    done = _job(state=JobState.SUCCEEDED, attempts=1, started_at=_ago(LIMIT * 5), queued_at=_ago(LIMIT * 5))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert jobs_requeue_stuck() == {"requeued": 0, "failed": 0, "running": 0}
    assert callbacks == [] and RUNS == []
    states = dict(Job.objects.values_list("pk", "state"))
    assert states == {running.pk: "running", pending.pk: "pending", done.pk: "succeeded"}


def test_the_beat_job_fails_a_stuck_job_started_as_often_as_allowed_and_tells_its_requester(
    settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_JOB_MAX_ATTEMPTS = 3
    job = _job(state=JobState.RUNNING, attempts=3, started_at=_ago(LIMIT + 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_stuck() == {"requeued": 0, "failed": 1, "running": 0}
    job.refresh_from_db()
    assert job.state == "failed" and job.error.startswith("任务已启动 3 次均未完成") and RUNS == []
    assert _told_of_failure(job)


# ---- a live runner elsewhere (PostgreSQL advisory lock) -----------------------------------------


@pytest.fixture
def other_worker_session():
    """A second database session, as another worker's: it takes a job's runner lock."""
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    database = connection.settings_dict
    session = psycopg2.connect(
        dbname=database["NAME"],
        user=database["USER"],
        password=database["PASSWORD"],
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
    )
    session.autocommit = True
    yield session
    session.close()


@pytest.mark.postgres
def test_a_second_delivery_of_a_job_a_live_worker_runs_leaves_it_to_that_worker(
    other_worker_session, settings, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(job_services, "RUNNER_LOCK_WAIT_SECONDS", 0.2)
    job = _job(state=JobState.RUNNING, attempts=1, started_at=_ago(LIMIT + 100))
    with other_worker_session.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", job_services._runner_lock_key(job.pk))

    job_run(job_id=job.pk)
    with django_capture_on_commit_callbacks(execute=True):
        # Past the time limit, but alive (a solo worker has no hard limit): not queued again.
        assert jobs_requeue_stuck() == {"requeued": 0, "failed": 0, "running": 1}
    job.refresh_from_db()
    assert (job.state, job.attempts, RUNS) == ("running", 1, [])

    other_worker_session.close()  # that worker dies: its lock goes with its session
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts, RUNS) == ("succeeded", 2, [job.pk])
