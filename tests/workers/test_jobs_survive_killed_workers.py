"""A worker killed in the middle of 50 jobs (#18): first one pool process (SIGKILL), then the whole
worker with its pool (SIGKILL to its process group), then a new worker is started. Every job ends
done, its side effect applied exactly once and its completion recorded once.

What brings each job back: the killed pool process's message is put back by Celery (acks late,
reject on worker lost) and run again at once, its runner lock having died with the process; the
jobs of the killed worker stay 'running' with their messages unacknowledged, until the beat job
(core.jobs_requeue_stuck, called here as beat would call it) sees them past the time limit with no
live runner and queues them again. Every duplicate message this makes (the beat job also requeues
the jobs still waiting in the queue) must do nothing.
"""

import os
import signal
import time

import pytest
from django.db import connection

from core.models import AuditRecord, Job
from core.services import job_create, jobs_requeue_stuck
from tests.factories.accounts import operator_user
from tests.workers.probe_jobs import CREATE_TABLES, DROP_TABLES, FLAKY_KIND, PROBE_KIND

pytestmark = pytest.mark.worker
JOBS = 50
# Seconds: the task time limit of the worker and of this process, where the beat job reads it to
# call a running job stuck (the least config.env allows; production's is 30 minutes).
TIME_LIMIT = 10
WORKER = {
    "pool": "prefork",
    "concurrency": 2,
    "include": ("tests.workers.probe_jobs",),
    "environment": {"CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT)},
    "as_in_production": True,
}


@pytest.fixture
def probe_tables():
    with connection.cursor() as cursor:
        for statement in CREATE_TABLES:
            cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        for statement in DROP_TABLES:
            cursor.execute(statement)


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _job_inside_its_writes(pids: set[int] | None = None) -> tuple[int, int] | None:
    """A job (id, worker process id) that started between 0.1 and 0.25 s ago: past its 0.05 s
    before the writes, inside the 0.25 s it holds its writes' transaction open."""
    rows = _rows(
        "SELECT s.job_id, s.pid FROM worker_probe_start s JOIN core_job j ON j.id = s.job_id "
        "WHERE j.state = 'running' AND clock_timestamp() - s.at BETWEEN interval '0.1 s' AND interval '0.25 s' "
        "ORDER BY s.id DESC"
    )
    return next(((job_id, pid) for job_id, pid in rows if pids is None or pid in pids), None)


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    pytest.fail(f"{what} within {seconds} s: {_states()}")


def _states() -> dict:
    return {state: Job.objects.filter(state=state).count() for state in ("pending", "running", "succeeded", "failed")}


def _succeeded() -> int:
    return Job.objects.filter(state="succeeded").count()


def test_fifty_jobs_complete_exactly_once_through_a_killed_pool_process_and_a_killed_worker(
    celery_workers, probe_tables, settings
):
    settings.CELERY_TASK_TIME_LIMIT, settings.CELERY_TASK_SOFT_TIME_LIMIT = TIME_LIMIT, TIME_LIMIT - 5
    worker = celery_workers.start(**WORKER)
    operator = operator_user()
    jobs = [job_create(actor=operator, kind=PROBE_KIND, params={"before": 0.05, "hold": 0.25}) for _ in range(JOBS)]
    job_ids = {job.pk for job in jobs}

    # 1. One pool process killed inside a job's writes transaction; the worker replaces it.
    _wait_for(lambda: _succeeded() >= 5, 60, "5 jobs done")
    killed_job, killed_pid = _wait_for(_job_inside_its_writes, 30, "a job inside its writes")
    assert killed_pid != worker.pid  # a pool process, not the worker itself
    os.kill(killed_pid, signal.SIGKILL)

    # 2. Later, the whole worker and its pool at once, as when the machine loses it.
    _wait_for(lambda: _succeeded() >= 25, 60, "25 jobs done")
    _wait_for(_job_inside_its_writes, 30, "a job inside its writes")
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    interrupted = set(Job.objects.filter(state="running").values_list("pk", flat=True))
    assert interrupted, "the worker was killed with no job running"
    done_before_restart = _succeeded()
    assert done_before_restart < JOBS

    # 3. A new worker; the beat job every second, as beat would every few minutes.
    celery_workers.start(**WORKER)
    deadline = time.monotonic() + 120
    while _succeeded() < JOBS and time.monotonic() < deadline:
        assert not Job.objects.filter(state="failed").exists(), list(
            Job.objects.filter(state="failed").values("pk", "error")
        )
        jobs_requeue_stuck()
        time.sleep(1)
    time.sleep(2)  # any duplicate message still in flight has been taken by now

    states = dict(Job.objects.filter(pk__in=job_ids).values_list("pk", "state"))
    assert set(states.values()) == {"succeeded"}, _states()
    # The side effect: one row per job, applied once (a second application would read 2).
    effects = dict(_rows("SELECT job_id, applied FROM worker_probe_effect"))
    assert set(effects) == job_ids and set(effects.values()) == {1}
    # Each job completed once: one success record each, its writes marked once.
    succeeded = list(AuditRecord.objects.filter(action="job.succeed").values_list("object_id", flat=True))
    assert sorted(succeeded) == sorted(str(pk) for pk in job_ids)
    assert not Job.objects.filter(pk__in=job_ids, writes_done_at__isnull=True).exists()

    # The kills did interrupt work that was then run again: the pool process's job, and the jobs
    # the whole worker was running (the first among them if its message was still queued), each
    # started again and done once; every other job was started once, whatever duplicates it got.
    attempts = dict(Job.objects.filter(pk__in=job_ids).values_list("pk", "attempts"))
    rerun = interrupted | {killed_job}
    assert all(attempts[pk] >= 2 for pk in rerun), {pk: attempts[pk] for pk in rerun}
    assert {pk: count for pk, count in attempts.items() if pk not in rerun and count != 1} == {}
    starts = dict(_rows("SELECT job_id, count(*) FROM worker_probe_start GROUP BY job_id"))
    assert starts[killed_job] >= 2
    assert all(starts[pk] <= attempts[pk] for pk in job_ids)  # no run the Job record does not know of
    # The killed pool process's message came back (acks late, reject on worker lost) …
    logs = "".join(process.log_path.read_text() for process in celery_workers.processes)
    assert f"job {killed_job}: message redelivered" in logs
    # … and the beat job queued again what the whole worker was running.
    requeued = set(AuditRecord.objects.filter(action="job.requeue").values_list("object_id", flat=True))
    assert {str(pk) for pk in interrupted - {killed_job}} <= requeued


def test_a_job_meeting_a_transient_error_is_retried_by_the_worker_after_a_backoff(celery_workers, probe_tables):
    celery_workers.start(include=("tests.workers.probe_jobs",), as_in_production=True)
    job = job_create(actor=operator_user(), kind=FLAKY_KIND)
    job = _wait_for(lambda: Job.objects.filter(pk=job.pk, state__in=["succeeded", "failed"]).first(), 60, "job done")
    assert job.state == "succeeded" and job.attempts == 1  # the transient failure is not counted as a start
    assert _rows("SELECT applied FROM worker_probe_effect WHERE job_id = %s", [job.pk]) == [(1,)]
    assert _rows("SELECT count(*) FROM worker_probe_start WHERE job_id = %s", [job.pk]) == [(2,)]
    log = celery_workers.processes[0].log_path.read_text()
    # Retried through Redis after its backoff (received twice), not at once in the same process.
    assert log.count("Task core.job_run[") >= 3 and log.count(" received") == 2, log
    assert "retry: Retry in" in log and "server closed the connection unexpectedly" in log
