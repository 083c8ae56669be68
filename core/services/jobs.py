"""Create and run Job records. The Celery task is a thin wrapper around job_run."""

import datetime
import logging
import time
from contextlib import contextmanager

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser as User  # core knows only the user model Django gives it
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config.celery_app import TRANSIENT_ERRORS
from core.after_commit import queue_after_commit
from core.choices import JobState
from core.errors import DomainError, PermissionDenied
from core.jobs import job_kind
from core.messages import Message, label
from core.models import Job
from core.services.audit import audit_record
from core.services.notifications import notify

logger = logging.getLogger(__name__)


@transaction.atomic
def job_create(*, actor: User, kind: str, params: dict | None = None, title: str | Message = "") -> Job:
    """Record a job and queue it once the transaction commits. Side effects: audit record, task."""
    from core.tasks import job_run_task

    definition = job_kind(kind)
    if definition is None:
        raise DomainError(_("未知的任务类型。"), code="unknown_job")
    if not definition.may_start(actor):
        raise PermissionDenied(_("您无权发起此任务。"))
    title = title or label(definition.title)
    job = Job.objects.create(
        kind=kind,
        title=title.render_in_default_language() if isinstance(title, Message) else title,
        title_message=title.as_json() if isinstance(title, Message) else None,
        params=params or {},
        requested_by=actor,
    )
    audit_record(actor=actor, action="job.create", target=job, after={"kind": kind, "params": job.params})
    queue_after_commit(job_run_task, job.pk, on_failure=lambda: _not_queued(job.pk))
    return job


def _not_queued(job_id: int) -> None:
    """The job was saved but never reached a worker: say so on it, rather than leave it pending
    forever; audited and told to the requester like any failed job."""
    _job_fail(job_id, _("任务未能进入队列（消息队列暂不可用），请稍后重新发起。"), states=(JobState.PENDING,))


def _job_fail(job_id: int, message: str, *, states=(JobState.PENDING, JobState.RUNNING)) -> bool:
    """Mark the job failed with a message for the person, if it is still in one of `states`;
    audited and told to the requester. False when it was not (finished meanwhile)."""
    with transaction.atomic():
        if not Job.objects.filter(pk=job_id, state__in=states).update(
            state=JobState.FAILED, error=message, finished_at=timezone.now()
        ):
            return False
        job = Job.objects.select_related("requested_by").get(pk=job_id)
        audit_record(
            actor=job.requested_by,
            action="job.fail",
            target=job,
            after={"state": job.state, "error": message, "attempts": job.attempts},
        )
        notify(
            recipients=[job.requested_by],
            title=Message(gettext_noop("任务失败：%(title)s"), title=job.title_as_message),
            body=message,
            link=reverse("core:job-detail", args=[job.pk]),
            email=False,
        )
    return True


def job_start_requested(*, actor: User, kind: str, params: dict | None = None) -> Job:
    """A person starts a job directly (POST /api/v1/jobs/), not through the action that owns it.

    Only kinds registered with `request_params` may be started this way, and their parameters are
    checked by it (unknown ones refused), so nobody runs, say, another member's import batch by
    naming its id. Side effects: those of job_create."""
    definition = job_kind(kind)
    if definition is None:
        raise DomainError(_("未知的任务类型。"), code="unknown_job")
    if definition.request_params is None:
        raise DomainError(_("此类任务由相应页面的操作发起，不能直接发起。"), code="not_requestable")
    if not definition.may_start(actor):
        raise PermissionDenied(_("您无权发起此任务。"))
    return job_create(actor=actor, kind=kind, params=definition.request_params(params or {}))


def _report_progress(job_id: int, percent: int, message: str) -> None:
    # A plain UPDATE outside any transaction of the runner, so the job page sees it at once.
    Job.objects.filter(pk=job_id).update(progress=max(0, min(100, int(percent))), progress_message=message[:200])


# ---- running a job: one live runner at a time ------------------------------------------------------
#
# Celery delivers a message at least once: a worker process that dies mid-task puts its message back
# (acks late, reject on worker lost), Redis hands an unacknowledged message out again after its
# visibility timeout, and core.jobs_requeue_stuck sends a stuck job again. So a job's runner holds a
# PostgreSQL advisory lock on the job for as long as it runs. The lock dies with its database
# session, that is with the worker process: a delivery that gets the lock while the job says
# 'running' knows that run's worker is gone and runs it again; one that does not get it leaves the
# job to the live runner. Without PostgreSQL (SQLite: tasks run in-process) only a pending job is
# run; a 'running' one waits for core.jobs_requeue_stuck.

RUNNER_LOCK_NAMESPACE = 7_201_700  # pg advisory lock (namespace, job id); matching uses 7_201_615 and +1
# A worker killed a moment ago may hold its lock until PostgreSQL notices its session is gone.
RUNNER_LOCK_WAIT_SECONDS = 2.0


class JobWritesDone(Exception):
    """The job's writes were committed by an earlier run of it (see job_writes)."""


@contextmanager
def job_writes(job: Job):
    """`transaction.atomic()` for a runner's writes that marks the job, in the same transaction, as
    having written them. A run of the job after its worker died between those writes and the end
    of the run raises JobWritesDone here instead of writing again, and job_run counts the job done.

        with job_writes(job):
            ...every write of the runner...
    """
    with transaction.atomic():
        if not Job.objects.filter(pk=job.pk, writes_done_at__isnull=True).update(writes_done_at=timezone.now()):
            raise JobWritesDone
        yield


def _runner_lock_key(job_id: int) -> list[int]:
    return [RUNNER_LOCK_NAMESPACE, job_id % 2**31]  # the two-int form takes 32-bit keys


def _take_runner_lock(job_id: int, *, wait: float = 0.0) -> bool:
    """The session-level lock of the job's runner; True without PostgreSQL (no other runner there)."""
    if connection.vendor != "postgresql":
        return True
    deadline = time.monotonic() + wait
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", _runner_lock_key(job_id))
            if cursor.fetchone()[0]:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)


def _release_runner_lock(job_id: int) -> None:
    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", _runner_lock_key(job_id))
    except DatabaseError:  # the connection is gone, and the lock with it
        logger.warning("job %s: could not release the runner lock (connection lost)", job_id, exc_info=True)


def _runner_is_alive(job_id: int) -> bool:
    """Inside a transaction: whether a live worker holds the job's runner lock. When none does,
    the lock is taken until the transaction ends, so no worker starts the job meanwhile."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", _runner_lock_key(job_id))
        return not cursor.fetchone()[0]


def _attempts_exhausted_message(attempts: int) -> str:
    return _(
        "任务已启动 %(count)s 次均未完成（处理进程中断或超时），不再自动重试。请稍后重新发起，或联系运营人员。"
    ) % {"count": attempts}


def job_run(*, job_id: int, final: bool = True) -> Job | None:
    """Run a queued job to the end, recording progress, the result file or the error.

    Idempotent, keyed by the Job row: a finished job is left alone; a job another live worker is
    running is left to it; a job whose previous worker died is run again, up to
    PORTAL_JOB_MAX_ATTEMPTS starts, then marked failed and its requester told. A transient error
    (database or Redis briefly away) is raised for the task to retry later, the job put back to
    pending, unless this is the `final` try; any other error marks the job failed.

    The runner is not wrapped in a transaction here, so that its progress reports are visible while
    it runs; a runner that writes data does all its writes in one `job_writes(job)` block of its own
    (after the slow reading and checking), so a failure or a killed worker leaves nothing half-done
    and a run after a killed worker does not write twice.
    """
    if not _take_runner_lock(job_id, wait=RUNNER_LOCK_WAIT_SECONDS):
        logger.info("job %s is being run by a live worker: this delivery leaves it to that worker", job_id)
        return Job.objects.filter(pk=job_id).first()
    try:
        return _job_run_claimed(job_id, final=final)
    finally:
        _release_runner_lock(job_id)


def _job_run_claimed(job_id: int, *, final: bool) -> Job | None:
    job = Job.objects.filter(pk=job_id).select_related("requested_by").first()
    if job is None or job.is_finished:
        return job
    if job.state == JobState.RUNNING and connection.vendor != "postgresql":
        return job  # nothing says whether its runner is alive: core.jobs_requeue_stuck decides, past the time limit
    if job.attempts >= settings.PORTAL_JOB_MAX_ATTEMPTS:
        _job_fail(job.pk, _attempts_exhausted_message(job.attempts))
        return Job.objects.get(pk=job.pk)
    # The claim: only the delivery that moves the row from the state it read runs the job.
    if not Job.objects.filter(pk=job.pk, state=job.state, attempts=job.attempts).update(
        state=JobState.RUNNING,
        started_at=timezone.now(),
        progress=0,
        progress_message="",
        error="",
        attempts=F("attempts") + 1,
    ):
        return Job.objects.filter(pk=job.pk).first()
    job.refresh_from_db()
    definition = job_kind(job.kind)
    try:
        if definition is None:
            raise DomainError(_("未知的任务类型。"))
        result = definition.run(job, lambda percent, message="": _report_progress(job.pk, percent, message))
    except JobWritesDone:
        logger.info("job %s (%s): its writes were committed by an earlier run; counted done", job.pk, job.kind)
        result = None
    except TRANSIENT_ERRORS:
        if final:
            logger.exception("job %s (%s) failed on a transient error, no retry left", job.pk, job.kind)
            _job_fail(job.pk, _("任务执行时数据库或消息队列暂不可用，多次重试仍未成功，请稍后重新发起。"))
            return Job.objects.get(pk=job.pk)
        logger.warning("job %s (%s): transient error, retried later", job.pk, job.kind, exc_info=True)
        # Back to pending for the retry, and this start does not count: the worker did not die.
        Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
            state=JobState.PENDING, attempts=F("attempts") - 1, progress_message=_("暂时出错，稍后自动重试")
        )
        raise
    except SoftTimeLimitExceeded:
        logger.exception("job %s (%s) ran out of time", job.pk, job.kind)
        minutes = max(1, round(settings.CELERY_TASK_TIME_LIMIT / 60))
        _job_fail(
            job.pk,
            _("任务超过时限（约 %(minutes)s 分钟）仍未完成，已停止。请缩小范围后重新发起，或联系运营人员。")
            % {"minutes": minutes},
        )
        return Job.objects.get(pk=job.pk)
    except Exception as error:  # noqa: BLE001 — any failure must be recorded on the job, not lost
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        # A refusal's message is meant for the person; anything else stays in the log.
        message = error.message if isinstance(error, DomainError) else _("任务执行出错，请稍后重试或联系运营人员。")
        _job_fail(job.pk, message, states=(JobState.RUNNING,))
        return Job.objects.get(pk=job.pk)
    with transaction.atomic():
        job = Job.objects.select_for_update().select_related("requested_by").get(pk=job.pk)
        if job.state != JobState.RUNNING:
            return job  # failed meanwhile by someone else: the record says so
        if result is not None:
            file_name, content = result
            job.result_name = file_name
            job.result_file.save(file_name, ContentFile(content), save=False)
        job.state = JobState.SUCCEEDED
        job.progress = 100
        job.progress_message = _("已完成")
        job.finished_at = timezone.now()
        job.save()
        audit_record(
            actor=job.requested_by,
            action="job.succeed",
            target=job,
            after={"state": job.state, "result": job.result_name, "attempts": job.attempts},
        )
        notify(
            recipients=[job.requested_by],
            title=Message(gettext_noop("任务已完成：%(title)s"), title=job.title_as_message),
            link=reverse("core:job-detail", args=[job.pk]),
            email=False,
        )
    return job


# ---- the beat job: jobs stuck past their time limit -------------------------------------------------

REQUEUE_BATCH = 500


def jobs_requeue_stuck(*, now: datetime.datetime | None = None) -> dict:
    """Every few minutes (CELERY_BEAT_SCHEDULE): queue again each job stuck past the task time limit.

    Stuck: 'running' since before the limit with no live runner (its worker died and its message
    is gone, e.g. the whole worker was killed), or 'pending' since it was last queued before the
    limit (its message was lost, e.g. Redis restarted empty). A second message for a job whose first
    one is still queued does nothing (job_run's claim). A job already started
    PORTAL_JOB_MAX_ATTEMPTS times is marked failed with the reason and its requester told.
    Side effects: audit records (job.requeue, job.fail), tasks queued after commit.
    Returns how many jobs were requeued, failed, or left to a live runner.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    stuck = (
        Job.objects.filter(
            Q(state=JobState.RUNNING, started_at__lt=cutoff) | Q(state=JobState.PENDING, queued_at__lt=cutoff)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    outcomes = {"requeued": 0, "failed": 0, "running": 0}
    for job_id in list(stuck):
        outcome = _job_requeue_if_stuck(job_id, cutoff=cutoff, now=now)
        if outcome:
            outcomes[outcome] += 1
    if any(outcomes.values()):
        logger.warning("stuck jobs: %s", outcomes)
    return outcomes


@transaction.atomic
def _job_requeue_if_stuck(job_id: int, *, cutoff: datetime.datetime, now: datetime.datetime) -> str | None:
    from core.tasks import job_run_task

    if _runner_is_alive(job_id):
        return "running"  # a solo-pool worker has no hard time limit: it is still at it
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        return None
    still_stuck = (job.state == JobState.RUNNING and job.started_at and job.started_at < cutoff) or (
        job.state == JobState.PENDING and job.queued_at < cutoff
    )
    if not still_stuck:
        return None
    if job.attempts >= settings.PORTAL_JOB_MAX_ATTEMPTS:
        _job_fail(job.pk, _attempts_exhausted_message(job.attempts))
        return "failed"
    before = job.state
    Job.objects.filter(pk=job.pk).update(
        state=JobState.PENDING, queued_at=now, progress=0, progress_message=_("重新排队")
    )
    audit_record(
        actor=None,
        action="job.requeue",
        target=job,
        before={"state": before, "started_at": job.started_at, "queued_at": job.queued_at},
        after={"state": JobState.PENDING, "attempts": job.attempts},
    )
    queue_after_commit(job_run_task, job.pk, on_failure=lambda: _not_queued(job.pk))
    return "requeued"
