"""问题清单: findings of an evaluation, their rectification by the organisation named on them and the
operator's verification, and the daily reminder of overdue ones.

    open ──progress──▶ in_progress ──submit──▶ submitted ──verify──▶ verified
      └─────────────submit──────────────────────▲   └──return──▶ in_progress
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from accounts.permissions import is_operator
from accounts.selectors import operators_active
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services import audit_record, notify
from evaluation.choices import FindingSeverity, FindingStatus
from evaluation.models import Finding, Indicator, Subject
from evaluation.permissions import may_create_finding, may_rectify


def _state(finding: Finding) -> dict:
    return {
        "status": finding.status,
        "rectification": finding.rectification,
        "verified_by": finding.verified_by_id,
    }


def _link(finding: Finding) -> str:
    return reverse("evaluation:finding", args=[finding.pk])


def _organisation_people(finding: Finding):
    return User.objects.filter(organisation_id=finding.organisation_id, is_active=True)


def _operators_and_author(finding: Finding) -> list:
    return [*operators_active(), finding.created_by]


def _lock(finding: Finding) -> Finding:
    return (
        Finding.objects.select_for_update(of=("self",))
        .select_related("subject", "organisation", "created_by")
        .get(pk=finding.pk)
    )


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def finding_create(
    *,
    actor: User,
    subject: Subject,
    severity: str,
    description: str,
    recommendation: str,
    organisation,
    due_date: datetime.date,
    indicator: Indicator | None = None,
) -> Finding:
    """An operator or the round's lead records a finding: severity, description, recommendation,
    the organisation (one of the subject's) that must rectify it by a due date not in the past,
    optionally the indicator it concerns.

    Side effects: the finding; an audit record; a notification to the organisation's people."""
    if not may_create_finding(actor, subject):
        raise PermissionDenied(_("只有运营管理人员或本轮专家组长可以提出问题。"))
    if severity not in FindingSeverity.values:
        raise DomainError(_("请选择问题的严重程度。"), code="severity")
    description, recommendation = (description or "").strip(), (recommendation or "").strip()
    if not description:
        raise DomainError(_("请填写问题描述。"), code="description")
    if not recommendation:
        raise DomainError(_("请填写整改建议。"), code="recommendation")
    if len(description) > 1000 or len(recommendation) > 1000:
        raise DomainError(_("问题描述和整改建议各不能超过 1000 字。"), code="too_long")
    if organisation is None or not subject.subject_organisations.filter(organisation=organisation).exists():
        raise DomainError(_("整改单位须为该评价对象的单位之一。"), code="organisation")
    if due_date is None or due_date < _today():
        raise DomainError(_("整改期限不能早于今天。"), code="due_date")
    if indicator is not None and indicator.framework_id != subject.round.framework_id:
        raise DomainError(_("相关指标不属于本轮评估的指标体系。"), code="indicator")
    finding = Finding.objects.create(
        subject=subject,
        indicator=indicator,
        severity=severity,
        description=description,
        recommendation=recommendation,
        organisation=organisation,
        due_date=due_date,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="evaluation.finding_create",
        target=finding,
        after={
            "subject": subject.pk,
            "severity": severity,
            "organisation": organisation.pk,
            "due_date": due_date,
            "indicator": indicator.pk if indicator else None,
        },
    )
    notify(
        recipients=_organisation_people(finding),
        title=Message(gettext_noop("评估问题待整改：%(subject)s"), subject=subject.title),
        body=Message(
            gettext_noop("%(description)s\n整改期限：%(due)s"), description=description, due=due_date.isoformat()
        ),
        link=_link(finding),
    )
    return finding


def _require_rectifier(actor: User, finding: Finding) -> None:
    if not may_rectify(actor, finding):
        raise PermissionDenied(_("只有整改单位的业务人员可以填报整改情况。"))


@transaction.atomic
def finding_progress(*, actor: User, finding: Finding, note: str) -> Finding:
    """The organisation reports work under way (status in_progress, its rectification note).

    Side effects: the finding; an audit record; a notification to the operators and the author."""
    finding = _lock(finding)
    _require_rectifier(actor, finding)
    if finding.status not in (FindingStatus.OPEN, FindingStatus.IN_PROGRESS):
        raise DomainError(_("该问题已提交核实或已核实，不能再填报进展。"), code="status")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("请填写整改进展。"), code="note_required")
    if len(note) > 3000:
        raise DomainError(_("整改情况不能超过 3000 字。"), code="too_long")
    before = _state(finding)
    finding.status, finding.rectification = FindingStatus.IN_PROGRESS, note
    finding.save(update_fields=["status", "rectification"])
    audit_record(
        actor=actor, action="evaluation.finding_progress", target=finding, before=before, after=_state(finding)
    )
    notify(
        recipients=_operators_and_author(finding),
        title=Message(gettext_noop("问题整改进展：%(subject)s"), subject=finding.subject.title),
        body=note,
        link=_link(finding),
        email=False,
    )
    return finding


@transaction.atomic
def finding_submit(*, actor: User, finding: Finding, rectification: str) -> Finding:
    """The organisation submits its rectification for verification (status submitted).

    Side effects: the finding (rectification, rectified_at); an audit record; a notification to
    the operators and the author."""
    finding = _lock(finding)
    _require_rectifier(actor, finding)
    if finding.status not in (FindingStatus.OPEN, FindingStatus.IN_PROGRESS):
        raise DomainError(_("该问题已提交核实或已核实，不能重复提交。"), code="status")
    rectification = (rectification or "").strip()
    if not rectification:
        raise DomainError(_("请填写整改情况。"), code="rectification_required")
    if len(rectification) > 3000:
        raise DomainError(_("整改情况不能超过 3000 字。"), code="too_long")
    before = _state(finding)
    finding.status, finding.rectification, finding.rectified_at = FindingStatus.SUBMITTED, rectification, timezone.now()
    finding.save(update_fields=["status", "rectification", "rectified_at"])
    audit_record(actor=actor, action="evaluation.finding_submit", target=finding, before=before, after=_state(finding))
    notify(
        recipients=_operators_and_author(finding),
        title=Message(gettext_noop("问题整改待核实：%(subject)s"), subject=finding.subject.title),
        body=rectification,
        link=_link(finding),
    )
    return finding


def _require_operator(actor: User) -> None:
    if not is_operator(actor):
        raise PermissionDenied(_("只有运营管理人员可以核实整改情况。"))


@transaction.atomic
def finding_verify(*, actor: User, finding: Finding) -> Finding:
    """The operator confirms a submitted rectification (status verified).

    Side effects: the finding (verified_by, verified_at); an audit record; a notification to the
    organisation's people."""
    _require_operator(actor)
    finding = _lock(finding)
    if finding.status != FindingStatus.SUBMITTED:
        raise DomainError(_("只有待核实的问题可以核实。"), code="status")
    before = _state(finding)
    finding.status, finding.verified_by, finding.verified_at = FindingStatus.VERIFIED, actor, timezone.now()
    finding.save(update_fields=["status", "verified_by", "verified_at"])
    audit_record(actor=actor, action="evaluation.finding_verify", target=finding, before=before, after=_state(finding))
    notify(
        recipients=_organisation_people(finding),
        title=Message(gettext_noop("问题整改已核实：%(subject)s"), subject=finding.subject.title),
        link=_link(finding),
    )
    return finding


@transaction.atomic
def finding_return(*, actor: User, finding: Finding, reason: str) -> Finding:
    """The operator sends a submitted rectification back (status in_progress), with a reason.

    Side effects: the finding; an audit record with the reason; a notification to the
    organisation's people."""
    _require_operator(actor)
    finding = _lock(finding)
    if finding.status != FindingStatus.SUBMITTED:
        raise DomainError(_("只有待核实的问题可以退回。"), code="status")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写退回原因。"), code="reason_required")
    before = _state(finding)
    finding.status = FindingStatus.IN_PROGRESS
    finding.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="evaluation.finding_return",
        target=finding,
        before=before,
        after=_state(finding),
        reason=reason[:500],
    )
    notify(
        recipients=_organisation_people(finding),
        title=Message(gettext_noop("问题整改被退回：%(subject)s"), subject=finding.subject.title),
        body=Message(gettext_noop("退回原因：%(reason)s"), reason=reason),
        link=_link(finding),
    )
    return finding


def findings_notify_overdue(*, today: datetime.date | None = None) -> int:
    """The daily reminder: each finding past its due date and not verified notifies its
    organisation's people and the operators once per overdue spell (overdue_notified_on records it;
    a new due date after the last reminder starts a new spell). Returns how many were notified.

    Side effects: notifications; overdue_notified_on set; an audit record per finding (system)."""
    today = today or _today()
    sent = 0
    candidates = (
        Finding.objects.filter(due_date__lt=today)
        .exclude(status=FindingStatus.VERIFIED)
        .select_related("subject", "organisation")
        .order_by("id")
    )
    for finding in candidates:
        with transaction.atomic():
            locked = Finding.objects.select_for_update().filter(pk=finding.pk).first()
            if locked is None or locked.status == FindingStatus.VERIFIED:
                continue
            # Reminded on or after the due date means this spell was already reported.
            if locked.overdue_notified_on is not None and locked.overdue_notified_on >= locked.due_date:
                continue
            locked.overdue_notified_on = today
            locked.save(update_fields=["overdue_notified_on"])
            audit_record(
                actor=None,
                action="evaluation.finding_overdue",
                target=locked,
                after={"due_date": locked.due_date, "notified_on": today},
            )
            notify(
                recipients=[*_organisation_people(finding), *operators_active()],
                title=Message(gettext_noop("问题整改已逾期：%(subject)s"), subject=finding.subject.title),
                body=Message(
                    gettext_noop("%(organisation)s 应于 %(due)s 前完成整改：%(description)s"),
                    organisation=finding.organisation.name,
                    due=locked.due_date.isoformat(),
                    description=finding.description,
                ),
                link=_link(finding),
            )
            sent += 1
    return sent
