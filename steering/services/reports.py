"""The reports centre's writes: freezing a month's report data, asking for a build, running a
failed build again, and what closing a monthly cycle sets going."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services import audit_record
from core.services.jobs import job_create
from steering.choices import CycleKind, FreezeOrigin
from steering.models import DispatchReport, ReportingCycle
from steering.permissions import may_steer
from steering.selectors.reports import MONTHLY_REPORT_JOB, monthly_cycle_of, monthly_report_data, parse_month

logger = logging.getLogger(__name__)


def _require_steerer(actor) -> None:
    if not may_steer(actor):
        raise PermissionDenied(_("只有运营人员和政府部门用户可以生成月度调度报告。"))


@transaction.atomic
def dispatch_report_freeze(*, actor, cycle: ReportingCycle, origin: str = FreezeOrigin.CYCLE_CLOSE) -> DispatchReport:
    """Freeze what the month's report shows (steering.selectors.reports.monthly_report_data) into
    the cycle's DispatchReport. Only a closed monthly cycle is frozen; once frozen it never changes
    (a second call returns the row already there).

    Side effects: the DispatchReport row; an audit record (who, month, how)."""
    cycle = ReportingCycle.objects.select_for_update().get(pk=cycle.pk)
    existing = DispatchReport.objects.filter(cycle=cycle).first()
    if existing is not None:
        return existing
    if cycle.kind != CycleKind.MONTHLY or cycle.month is None:
        raise DomainError(_("只有月度报送期次生成月度调度报告。"), code="not_monthly")
    if cycle.is_open:
        raise DomainError(_("报送期次尚未结束，不能冻结数据。"), code="cycle_open")
    now = timezone.now()
    report = DispatchReport.objects.create(
        cycle=cycle,
        month=cycle.month.replace(day=1),
        frozen_at=now,
        frozen_by=actor if getattr(actor, "pk", None) else None,
        origin=origin,
        data=monthly_report_data(cycle=cycle, now=now),
    )
    audit_record(
        actor=actor,
        action="steering.dispatch_report.freeze",
        target=report,
        after={"month": report.month.strftime("%Y-%m"), "origin": origin, "cycle": cycle.pk},
    )
    return report


def _month_title(month) -> Message:
    return Message(gettext_noop("月度调度报告（%(year)d年%(month)d月）"), year=month.year, month=month.month)


@transaction.atomic
def monthly_report_request(*, actor, month):
    """An operator or official asks for the monthly report of a month ("YYYY-MM" or a date): a
    build job (core.jobs) for a month that has a monthly cycle.

    Side effects: those of core job_create (Job row, audit record, the task queued after commit)."""
    _require_steerer(actor)
    first = month.replace(day=1) if isinstance(month, datetime.date) else parse_month(month)
    if not first:
        raise DomainError(_("请选择要生成报告的月份。"), code="month_invalid")
    if monthly_cycle_of(first) is None:
        raise DomainError(
            _("%(year)d年%(month)d月没有月度报送期次，不能生成月度调度报告。")
            % {"year": first.year, "month": first.month},
            code="no_cycle",
        )
    return job_create(
        actor=actor, kind=MONTHLY_REPORT_JOB, params={"month": first.strftime("%Y-%m")}, title=_month_title(first)
    )


@transaction.atomic
def monthly_report_rerun(*, actor, job):
    """Run a failed build again: a new build of the same month (the failed one stays in the list
    with its error). Side effects: those of monthly_report_request; an audit record naming the
    failed build."""
    _require_steerer(actor)
    if job.kind != MONTHLY_REPORT_JOB:
        raise DomainError(_("该任务不是月度调度报告。"), code="wrong_kind")
    if job.state != "failed":
        raise DomainError(_("只有失败的生成任务可以重新运行。"), code="not_failed")
    new_job = monthly_report_request(actor=actor, month=str(job.params.get("month", "")))
    audit_record(actor=actor, action="steering.monthly_report.rerun", target=new_job, after={"failed_job": job.pk})
    return new_job


def monthly_report_on_cycle_close(*, actor, cycle: ReportingCycle) -> None:
    """Called by programme's cycle_close inside its transaction: for a monthly cycle, freeze the
    month's data as it stands at the close and queue the report's build.

    Never fails the close: the freeze and the job are made in a savepoint and any error is logged
    (a build asked for later freezes the data then); the job is queued only after the commit by
    core.after_commit, and a queue that is down marks the job failed with its reason, which the
    reports centre shows with a button to run it again."""
    if cycle.kind != CycleKind.MONTHLY or cycle.month is None:
        return
    try:
        with transaction.atomic():
            dispatch_report_freeze(actor=actor, cycle=cycle, origin=FreezeOrigin.CYCLE_CLOSE)
            job_create(
                actor=actor,
                kind=MONTHLY_REPORT_JOB,
                params={"month": cycle.month.strftime("%Y-%m")},
                title=_month_title(cycle.month),
            )
    except Exception:  # noqa: BLE001 — the report is a follow-up: it must never undo the close
        logger.exception("monthly report after closing cycle %s failed", cycle.pk)
