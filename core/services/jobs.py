"""Create and run Job records. The Celery task is a thin wrapper around job_run."""

import logging

from django.contrib.auth.models import AbstractBaseUser as User  # core knows only the user model Django gives it
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

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
    message = _("任务未能进入队列（消息队列暂不可用），请稍后重新发起。")
    with transaction.atomic():
        if not Job.objects.filter(pk=job_id, state=JobState.PENDING).update(
            state=JobState.FAILED, error=message, finished_at=timezone.now()
        ):
            return  # a worker got it after all, or it already finished
        job = Job.objects.select_related("requested_by").get(pk=job_id)
        audit_record(
            actor=job.requested_by,
            action="job.fail",
            target=job,
            after={"state": job.state, "error": message},
        )
        notify(
            recipients=[job.requested_by],
            title=Message(gettext_noop("任务失败：%(title)s"), title=job.title_as_message),
            body=message,
            link=reverse("core:job-detail", args=[job.pk]),
            email=False,
        )


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


def job_run(*, job_id: int) -> Job | None:
    """Run a queued job to the end, recording progress, the result file or the error.

    Idempotent: a job already finished is left alone (a redelivered message does nothing). A job
    found 'running' is run again — that only happens when its worker died. The runner is not
    wrapped in a transaction here, so that its progress reports are visible while it runs; a
    runner that writes data does all its writes in one `transaction.atomic()` block of its own
    (after the slow reading and checking), so a failure or a killed worker leaves nothing half-done.
    """
    job = Job.objects.filter(pk=job_id).select_related("requested_by").first()
    if job is None or job.is_finished:
        return job
    definition = job_kind(job.kind)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, started_at=timezone.now(), progress=0, error="")
    try:
        if definition is None:
            raise DomainError(_("未知的任务类型。"))
        result = definition.run(job, lambda percent, message="": _report_progress(job.pk, percent, message))
    except Exception as error:  # noqa: BLE001 — any failure must be recorded on the job, not lost
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        # A refusal's message is meant for the person; anything else stays in the log.
        message = error.message if isinstance(error, DomainError) else _("任务执行出错，请稍后重试或联系运营人员。")
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, error=message, finished_at=timezone.now())
            job.refresh_from_db()
            audit_record(
                actor=job.requested_by, action="job.fail", target=job, after={"state": job.state, "error": message}
            )
            notify(
                recipients=[job.requested_by],
                title=Message(gettext_noop("任务失败：%(title)s"), title=job.title_as_message),
                body=message,
                link=reverse("core:job-detail", args=[job.pk]),
                email=False,
            )
        return job
    with transaction.atomic():
        job.refresh_from_db()
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
            after={"state": job.state, "result": job.result_name},
        )
        notify(
            recipients=[job.requested_by],
            title=Message(gettext_noop("任务已完成：%(title)s"), title=job.title_as_message),
            link=reverse("core:job-detail", args=[job.pk]),
            email=False,
        )
    return job
