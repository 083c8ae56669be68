"""包容期 and 容错 (policy §一(二), §四(二)): the register of a 前瞻性 scenario's tolerance period —
its checkpoints, incidents with the operator's 容错 decision, extension requests, its end — and
the daily reminders.

Keyword-only, atomic; refusals raise DomainError (or PermissionDenied) with a Chinese message.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.choices import Role
from accounts.models import User
from accounts.selectors import operators_active
from core.errors import DomainError, PermissionDenied
from core.messages import Message, choice
from core.services import audit_record, notify, snapshot
from evaluation.choices import ExtensionStatus, ToleranceDecision, ToleranceStatus
from evaluation.models import ToleranceCheckpoint, ToleranceExtension, ToleranceIncident, TolerancePeriod
from evaluation.permissions import is_tolerance_publisher, may_manage_tolerance
from scenarios.choices import Track

PERIOD_AUDIT_FIELDS = ["starts_on", "ends_on", "status", "ended_on", "end_reason"]
INCIDENT_AUDIT_FIELDS = ["occurred_on", "description", "decision", "decision_basis"]
CHECKPOINT_REMINDER_DAYS = 7
END_REMINDER_DAYS = 30


def _publisher_users(period: TolerancePeriod):
    return User.objects.filter(
        organisation_id=period.scenario.publisher_id, is_active=True, role_assignments__role=Role.PUBLISHER
    )


def _link(period: TolerancePeriod) -> str:
    return reverse("evaluation:tolerance-detail", args=[period.pk])


def _locked(period: TolerancePeriod) -> TolerancePeriod:
    return TolerancePeriod.objects.select_for_update(of=("self",)).select_related("scenario").get(pk=period.pk)


def _require_operator(actor) -> None:
    if not may_manage_tolerance(actor):
        raise PermissionDenied(_("只有运营管理人员可以办理该事项。"))


def _require_operator_or_publisher(actor, period) -> None:
    if not (may_manage_tolerance(actor) or is_tolerance_publisher(actor, period)):
        raise PermissionDenied(_("只有场景发榜单位或运营管理人员可以办理该事项。"))


def _require_running(period) -> None:
    if not period.is_running:
        raise DomainError(_("包容期已结束。"), code="period_ended")


@transaction.atomic
def tolerance_period_open(
    *, actor: User, scenario, starts_on: datetime.date | None = None, ends_on: datetime.date | None = None
) -> TolerancePeriod:
    """An operator opens the register of a 前瞻性 scenario's 包容期, by default with the scenario's
    own dates. Refused for a mature-technology scenario, without dates, or when one exists.

    Side effects: a TolerancePeriod (active); an audit record; a message to the publisher's users."""
    _require_operator(actor)
    if scenario.track != Track.FORWARD_LOOKING:
        raise DomainError(_("只有前瞻性/验证性/试验性场景设包容期。"), code="not_forward_looking")
    starts_on = starts_on or scenario.tolerance_start
    ends_on = ends_on or scenario.tolerance_end
    if not starts_on or not ends_on:
        raise DomainError(_("请填写包容期的开始和结束日期。"), code="dates_required")
    if ends_on < starts_on:
        raise DomainError(_("包容期结束日期不能早于开始日期。"), code="dates_invalid")
    if TolerancePeriod.objects.filter(scenario=scenario).exists():
        raise DomainError(_("该场景已登记包容期。"), code="period_exists")
    period = TolerancePeriod.objects.create(
        scenario=scenario, starts_on=starts_on, ends_on=ends_on, original_ends_on=ends_on, created_by=actor
    )
    audit_record(
        actor=actor, action="evaluation.tolerance.open", target=period, after=snapshot(period, PERIOD_AUDIT_FIELDS)
    )
    notify(
        recipients=_publisher_users(period),
        title=Message(gettext_noop("场景“%(title)s”的包容期已登记"), title=scenario.title),
        body=Message(gettext_noop("包容期：%(start)s 至 %(end)s"), start=starts_on, end=ends_on),
        link=_link(period),
    )
    return period


@transaction.atomic
def checkpoint_add(*, actor: User, period: TolerancePeriod, title: str, due_on: datetime.date) -> ToleranceCheckpoint:
    """An operator or the publisher adds a checkpoint (节点) with its date, inside the period.

    Side effects: a ToleranceCheckpoint; an audit record."""
    period = _locked(period)
    _require_operator_or_publisher(actor, period)
    _require_running(period)
    title = (title or "").strip()
    if not title:
        raise DomainError(_("请填写节点名称。"), code="title_required")
    if due_on is None or not (period.starts_on <= due_on <= period.ends_on):
        raise DomainError(_("节点日期须在包容期内。"), code="due_outside_period")
    checkpoint = ToleranceCheckpoint.objects.create(period=period, title=title[:100], due_on=due_on)
    audit_record(
        actor=actor,
        action="evaluation.tolerance.checkpoint_add",
        target=period,
        after={"checkpoint": checkpoint.pk, "title": checkpoint.title, "due_on": due_on},
    )
    return checkpoint


@transaction.atomic
def checkpoint_complete(
    *, actor: User, checkpoint: ToleranceCheckpoint, done_on: datetime.date, note: str = ""
) -> ToleranceCheckpoint:
    """An operator or the publisher records that a checkpoint was reached (not in the future).

    Side effects: done_on and note saved; an audit record."""
    checkpoint = ToleranceCheckpoint.objects.select_for_update(of=("self",)).get(pk=checkpoint.pk)
    period = TolerancePeriod.objects.select_related("scenario").get(pk=checkpoint.period_id)
    _require_operator_or_publisher(actor, period)
    if checkpoint.done_on:
        raise DomainError(_("该节点已完成。"), code="checkpoint_done")
    if done_on is None or done_on > timezone.localdate():
        raise DomainError(_("完成日期不能晚于今天。"), code="done_in_future")
    checkpoint.done_on = done_on
    checkpoint.note = (note or "").strip()[:500]
    checkpoint.save(update_fields=["done_on", "note"])
    audit_record(
        actor=actor,
        action="evaluation.tolerance.checkpoint_complete",
        target=period,
        after={"checkpoint": checkpoint.pk, "done_on": done_on, "note": checkpoint.note},
    )
    return checkpoint


@transaction.atomic
def incident_record(
    *, actor: User, period: TolerancePeriod, occurred_on: datetime.date, description: str
) -> ToleranceIncident:
    """The publisher (or an operator) records an incident — a failed trial, a delay, a loss — that
    occurred inside the period; an operator then decides on 容错.

    Side effects: a ToleranceIncident (undecided); an audit record; a message to the operators."""
    period = _locked(period)
    _require_operator_or_publisher(actor, period)
    description = (description or "").strip()
    if not description:
        raise DomainError(_("请填写事件描述。"), code="description_required")
    last_day = period.ended_on or period.ends_on
    if occurred_on is None or not (period.starts_on <= occurred_on <= last_day):
        raise DomainError(
            _("事件发生日期须在包容期（%(start)s 至 %(end)s）内。") % {"start": period.starts_on, "end": last_day},
            code="occurred_outside_period",
        )
    if occurred_on > timezone.localdate():
        raise DomainError(_("事件发生日期不能晚于今天。"), code="occurred_in_future")
    incident = ToleranceIncident.objects.create(
        period=period, occurred_on=occurred_on, description=description[:1000], recorded_by=actor
    )
    audit_record(
        actor=actor,
        action="evaluation.tolerance.incident_record",
        target=incident,
        after=snapshot(incident, INCIDENT_AUDIT_FIELDS),
    )
    notify(
        recipients=operators_active(),
        title=Message(gettext_noop("场景“%(title)s”包容期内登记了事件，待容错认定"), title=period.scenario.title),
        link=_link(period),
    )
    return incident


@transaction.atomic
def incident_decide(
    *, actor: User, incident: ToleranceIncident, decision: str, basis: str, reason: str = ""
) -> ToleranceIncident:
    """An operator's 容错 decision on an incident: 免责 / 减责 / 不予容错, with its basis. A decision
    already made may be revised only with a reason (both audited).

    Side effects: decision, basis, decider and time saved; an audit record; a message to the
    publisher's users."""
    _require_operator(actor)
    if decision not in ToleranceDecision.values:
        raise DomainError(_("请选择容错认定：免责、减责或不予容错。"), code="decision_invalid")
    basis = (basis or "").strip()
    if not basis:
        raise DomainError(_("请填写认定依据。"), code="basis_required")
    incident = ToleranceIncident.objects.select_for_update(of=("self",)).get(pk=incident.pk)
    period = TolerancePeriod.objects.select_related("scenario").get(pk=incident.period_id)
    revising = bool(incident.decision)
    reason = (reason or "").strip()
    if revising and not reason:
        raise DomainError(_("修改已作出的容错认定须填写理由。"), code="revision_reason_required")
    before = snapshot(incident, INCIDENT_AUDIT_FIELDS)
    incident.decision = decision
    incident.decision_basis = basis[:1000]
    incident.decided_by = actor
    incident.decided_at = timezone.now()
    incident.save(update_fields=["decision", "decision_basis", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="evaluation.tolerance.incident_revise" if revising else "evaluation.tolerance.incident_decide",
        target=incident,
        before=before,
        after=snapshot(incident, INCIDENT_AUDIT_FIELDS),
        reason=reason or basis,
    )
    notify(
        recipients=_publisher_users(period),
        title=Message(
            gettext_noop("场景“%(title)s”的事件容错认定：%(decision)s"),
            title=period.scenario.title,
            decision=choice(incident, "decision"),
        ),
        body=basis,
        link=_link(period),
    )
    return incident


@transaction.atomic
def extension_request(
    *, actor: User, period: TolerancePeriod, requested_until: datetime.date, reason: str
) -> ToleranceExtension:
    """The publisher asks to extend a running period beyond its end date, with a reason; one open
    request at a time.

    Side effects: a ToleranceExtension (requested); an audit record; a message to the operators."""
    period = _locked(period)
    if not is_tolerance_publisher(actor, period):
        raise PermissionDenied(_("只有场景发榜单位可以申请延长包容期。"))
    _require_running(period)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写延期理由。"), code="reason_required")
    if requested_until is None or requested_until <= period.ends_on:
        raise DomainError(
            _("申请延至的日期须晚于当前结束日期 %(end)s。") % {"end": period.ends_on}, code="until_not_after_end"
        )
    if period.extensions.filter(status=ExtensionStatus.REQUESTED).exists():
        raise DomainError(_("已有待审批的延期申请。"), code="extension_pending")
    extension = ToleranceExtension.objects.create(
        period=period, requested_until=requested_until, reason=reason[:1000], requested_by=actor
    )
    audit_record(
        actor=actor,
        action="evaluation.tolerance.extension_request",
        target=period,
        after={"extension": extension.pk, "requested_until": requested_until},
        reason=reason,
    )
    notify(
        recipients=operators_active(),
        title=Message(
            gettext_noop("场景“%(title)s”申请延长包容期至 %(until)s"),
            title=period.scenario.title,
            until=requested_until,
        ),
        body=reason,
        link=_link(period),
    )
    return extension


@transaction.atomic
def extension_decide(
    *, actor: User, extension: ToleranceExtension, approve: bool, reason: str = ""
) -> ToleranceExtension:
    """An operator approves (the end date moves, the period becomes extended and its end reminder
    is sent again for the new date) or declines (reason required) an extension request.

    Side effects: the extension's decision; on approval the period's ends_on, status and
    end_reminded_on; an audit record; a message to the publisher's users."""
    _require_operator(actor)
    extension = ToleranceExtension.objects.select_for_update(of=("self",)).get(pk=extension.pk)
    period = _locked(extension.period)
    reason = (reason or "").strip()
    if extension.status != ExtensionStatus.REQUESTED:
        raise DomainError(_("该延期申请已审批。"), code="extension_decided")
    if not approve and not reason:
        raise DomainError(_("不同意延期时请填写理由。"), code="reason_required")
    if approve:
        _require_running(period)
    before = snapshot(period, PERIOD_AUDIT_FIELDS)
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.DECLINED
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    extension.decision_reason = reason[:500]
    extension.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    if approve:
        period.ends_on = extension.requested_until
        period.status = ToleranceStatus.EXTENDED
        period.end_reminded_on = None
        period.save(update_fields=["ends_on", "status", "end_reminded_on"])
    audit_record(
        actor=actor,
        action="evaluation.tolerance.extension_decide",
        target=period,
        before=before,
        after={**snapshot(period, PERIOD_AUDIT_FIELDS), "extension": extension.pk, "approved": approve},
        reason=reason,
    )
    notify(
        recipients=_publisher_users(period),
        title=Message(
            gettext_noop("包容期延期已同意：%(title)s") if approve else gettext_noop("包容期延期未同意：%(title)s"),
            title=period.scenario.title,
        ),
        body=reason,
        link=_link(period),
    )
    return extension


@transaction.atomic
def tolerance_period_end(*, actor: User, period: TolerancePeriod, early: bool, reason: str = "") -> TolerancePeriod:
    """An operator ends a running period: normally (on or after its end date) or early (with a
    reason). Pending extension requests are declined with it.

    Side effects: status ended / ended_early, ended_on today, the reason; an audit record; a
    message to the publisher's users."""
    _require_operator(actor)
    period = _locked(period)
    _require_running(period)
    reason = (reason or "").strip()
    today = timezone.localdate()
    if early and not reason:
        raise DomainError(_("提前终止包容期须填写理由。"), code="reason_required")
    if not early and today < period.ends_on:
        raise DomainError(
            _("包容期至 %(end)s 结束，此前结束请选择提前终止。") % {"end": period.ends_on}, code="not_yet_ended"
        )
    before = snapshot(period, PERIOD_AUDIT_FIELDS)
    period.status = ToleranceStatus.ENDED_EARLY if early else ToleranceStatus.ENDED
    period.ended_on = min(today, period.ends_on)
    period.end_reason = reason[:500]
    period.save(update_fields=["status", "ended_on", "end_reason"])
    period.extensions.filter(status=ExtensionStatus.REQUESTED).update(
        status=ExtensionStatus.DECLINED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_reason=_("包容期已结束。"),
    )
    audit_record(
        actor=actor,
        action="evaluation.tolerance.end",
        target=period,
        before=before,
        after=snapshot(period, PERIOD_AUDIT_FIELDS),
        reason=reason,
    )
    notify(
        recipients=_publisher_users(period),
        title=Message(
            gettext_noop("场景“%(title)s”的包容期已%(status)s"),
            title=period.scenario.title,
            status=choice(period, "status"),
        ),
        body=reason,
        link=_link(period),
    )
    return period


def tolerance_reminders_send(*, today: datetime.date | None = None) -> dict:
    """The daily reminders (Celery beat), each sent once:
    - a checkpoint of a running period due within 7 days and not done → the publisher's users and
      the operators (ToleranceCheckpoint.reminded_on);
    - a running period ending within 30 days → the same people, once per end date
      (TolerancePeriod.end_reminded_on; an approved extension resets it).
    Each item is marked in its own transaction, so one failure does not resend the others.
    Returns {"checkpoints": n, "periods": n}."""
    today = today or timezone.localdate()
    running = [ToleranceStatus.ACTIVE, ToleranceStatus.EXTENDED]
    operators = list(operators_active())
    sent = {"checkpoints": 0, "periods": 0}
    checkpoints = ToleranceCheckpoint.objects.filter(
        period__status__in=running,
        done_on__isnull=True,
        reminded_on__isnull=True,
        due_on__lte=today + datetime.timedelta(days=CHECKPOINT_REMINDER_DAYS),
    ).values_list("pk", flat=True)
    for pk in list(checkpoints):
        with transaction.atomic():
            checkpoint = (
                ToleranceCheckpoint.objects.select_for_update(of=("self",))
                .select_related("period__scenario")
                .filter(pk=pk, reminded_on__isnull=True)
                .first()
            )
            if checkpoint is None:
                continue
            period = checkpoint.period
            notify(
                recipients=[*_publisher_users(period), *operators],
                title=Message(
                    gettext_noop("包容期节点“%(title)s”将于 %(due)s 到期"),
                    title=checkpoint.title,
                    due=checkpoint.due_on,
                ),
                body=Message(gettext_noop("场景：%(scenario)s"), scenario=period.scenario.title),
                link=_link(period),
            )
            checkpoint.reminded_on = today
            checkpoint.save(update_fields=["reminded_on"])
            sent["checkpoints"] += 1
    periods = TolerancePeriod.objects.filter(
        status__in=running,
        end_reminded_on__isnull=True,
        ends_on__gte=today,
        ends_on__lte=today + datetime.timedelta(days=END_REMINDER_DAYS),
    ).values_list("pk", flat=True)
    for pk in list(periods):
        with transaction.atomic():
            period = (
                TolerancePeriod.objects.select_for_update(of=("self",))
                .select_related("scenario")
                .filter(pk=pk, end_reminded_on__isnull=True)
                .first()
            )
            if period is None:
                continue
            notify(
                recipients=[*_publisher_users(period), *operators],
                title=Message(
                    gettext_noop("场景“%(title)s”的包容期将于 %(end)s 结束"),
                    title=period.scenario.title,
                    end=period.ends_on,
                ),
                link=_link(period),
            )
            period.end_reminded_on = today
            period.save(update_fields=["end_reminded_on"])
            sent["periods"] += 1
    return sent
