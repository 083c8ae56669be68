"""After the contest: each winner's cooperation with the 发榜方 (direct procurement, or joint
development under a 联合攻关任务书 signed by 市科技局, 发榜方 and 揭榜方, with milestones and
progress reports), and the policy benefits the winner receives."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from contests.choices import BenefitKind, CooperationMode, InsuredKind, MilestoneKind
from contests.models import ContestEntry, CooperationAgreement, Milestone, PolicyBenefit, ProgressReport
from contests.money import parse_money
from contests.permissions import can_report_progress, require_contest_manager
from contests.services.notices import Step, entry_step_notify
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services import audit_record, snapshot

AGREEMENT_FIELDS = ["mode", "title", "objectives", "contract_amount", "starts_on", "ends_on", "signed_on"]


def _require_winner(entry: ContestEntry) -> None:
    if not hasattr(entry, "award"):
        raise DomainError(_("只有获奖方案可以登记合作与政策支持。"), code="not_winner")


@transaction.atomic
def agreement_save(
    *,
    actor: User,
    entry: ContestEntry,
    mode: str,
    title: str = "",
    objectives: str = "",
    contract_amount=None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    signed_on: date | None = None,
    milestones: dict[str, date] | None = None,
) -> CooperationAgreement:
    """Record the cooperation mode; for joint development, the 任务书 and its three milestones.

    Side effects: the agreement created or updated, its milestones' due dates set; an audit record;
    the lead's company users told (again only when the terms change)."""
    require_contest_manager(actor)
    _require_winner(entry)
    if mode not in CooperationMode.values:
        raise DomainError(_("请选择合作方式。"), code="mode")
    amount = (
        parse_money(
            contract_amount, field=_("合同金额"), column=CooperationAgreement._meta.get_field("contract_amount")
        )
        if str(contract_amount or "").strip()
        else None
    )
    if amount is not None and amount <= 0:
        raise DomainError(_("合同金额应大于 0。"), code="amount")
    if starts_on and ends_on and ends_on <= starts_on:
        raise DomainError(_("结束日期应晚于开始日期。"), code="dates")
    milestones = {kind: due for kind, due in (milestones or {}).items() if due}
    if mode == CooperationMode.JOINT:
        if not (title or "").strip() or not (objectives or "").strip():
            raise DomainError(_("联合攻关须填写任务书名称和攻关目标。"), code="task_book")
        if not starts_on or not ends_on:
            raise DomainError(_("联合攻关须填写开始和结束日期。"), code="dates")
        missing = [str(label) for kind, label in MilestoneKind.choices if kind not in milestones]
        if missing:
            raise DomainError(
                _("请填写各节点的计划完成日期：%(missing)s。") % {"missing": "、".join(missing)}, code="milestones"
            )
        dues = [milestones[kind] for kind in MilestoneKind.values]
        if dues != sorted(dues) or dues[0] < starts_on or dues[-1] > ends_on:
            raise DomainError(
                _("节点日期应在任务书期限内，并按方案设计 → 现场测试 → 验证评价的顺序。"), code="milestones"
            )
    agreement = CooperationAgreement.objects.select_for_update().filter(entry=entry).first()
    before = snapshot(agreement, AGREEMENT_FIELDS) if agreement else None
    if agreement is None:
        agreement = CooperationAgreement(entry=entry, recorded_by=actor)
    agreement.mode, agreement.title, agreement.objectives = (
        mode,
        (title or "").strip()[:100],
        (objectives or "").strip()[:3000],
    )
    agreement.contract_amount, agreement.starts_on, agreement.ends_on, agreement.signed_on = (
        amount,
        starts_on,
        ends_on,
        signed_on,
    )
    agreement.save()
    if mode == CooperationMode.JOINT:
        for kind, due in milestones.items():
            Milestone.objects.update_or_create(agreement=agreement, kind=kind, defaults={"due_on": due})
    audit_record(
        actor=actor,
        action="agreement.save",
        target=agreement,
        before=before,
        after=snapshot(agreement, AGREEMENT_FIELDS) | {"milestones": {k: v.isoformat() for k, v in milestones.items()}},
    )
    _agreement_told(entry, agreement, milestones, changed=before is not None)
    return agreement


def _agreement_told(entry: ContestEntry, agreement: CooperationAgreement, milestones: dict, *, changed: bool) -> None:
    """The lead (the 揭榜方 party of the 任务书; consortium members are not parties) is told the
    cooperation proposed to it, and told again only when its terms change."""
    terms = snapshot(agreement, AGREEMENT_FIELDS) | {"milestones": {k: v.isoformat() for k, v in milestones.items()}}
    if agreement.mode == CooperationMode.JOINT:
        body = Message(
            gettext_noop(
                "联合攻关任务书“%(book)s”（%(starts)s 至 %(ends)s）已登记，节点：方案设计、现场测试、验证评价。"
                "请在合作页面查看任务书，并按节点报送进展。"
            ),
            book=agreement.title,
            starts=agreement.starts_on.isoformat(),
            ends=agreement.ends_on.isoformat(),
        )
    else:
        body = Message(gettext_noop("合作方式为直接采购，请与发榜方对接采购事宜。"))
    entry_step_notify(
        entry=entry,
        step=Step.AGREEMENT,
        content=terms,
        title=Message(
            gettext_noop("合作协议已修改：%(title)s") if changed else gettext_noop("合作协议待查看：%(title)s"),
            title=entry.title,
        ),
        body=body,
        members=False,
    )


@transaction.atomic
def milestone_complete(*, actor: User, milestone: Milestone, completed_on: date, note: str = "") -> Milestone:
    """An operator records when a milestone was actually completed. Side effects: an audit record."""
    require_contest_manager(actor)
    if completed_on is None:
        raise DomainError(_("请填写实际完成日期。"), code="date")
    before = snapshot(milestone, ["completed_on", "note"])
    milestone.completed_on, milestone.note = completed_on, (note or "").strip()[:300]
    milestone.save()
    audit_record(
        actor=actor,
        action="agreement.milestone",
        target=milestone.agreement,
        before=before,
        after=snapshot(milestone, ["kind", "completed_on", "note"]),
    )
    return milestone


@transaction.atomic
def progress_report_add(
    *, actor: User, agreement: CooperationAgreement, text: str, milestone: Milestone | None = None
) -> ProgressReport:
    """揭榜方, 发榜方 or an operator reports progress on a joint development. Side effects: an audit record."""
    if not can_report_progress(actor, agreement):
        raise PermissionDenied(_("只有任务书各方可以报送进展。"))
    if agreement.mode != CooperationMode.JOINT:
        raise DomainError(_("直接采购方式无需报送攻关进展。"), code="mode")
    text = (text or "").strip()
    if len(text) < 10 or len(text) > 3000:
        raise DomainError(_("进展情况应为 10–3000 字。"), code="text")
    if milestone is not None and milestone.agreement_id != agreement.pk:
        raise DomainError(_("所选节点不属于该任务书。"), code="milestone")
    report = ProgressReport.objects.create(agreement=agreement, milestone=milestone, text=text, submitted_by=actor)
    audit_record(
        actor=actor,
        action="agreement.progress_report",
        target=agreement,
        after={"report": report.pk, "milestone": milestone.kind if milestone else None},
    )
    return report


@transaction.atomic
def benefit_record(
    *,
    actor: User,
    entry: ContestEntry,
    kind: str,
    year: int,
    insured_kind: str = "",
    premium=None,
    subsidy_percent=None,
    reference: str = "",
    note: str = "",
) -> PolicyBenefit:
    """Record a policy benefit for a winner. An insurance subsidy needs its kind (首台套/首批次/
    首版次), the premium and the subsidised share; the subsidy is computed, half-up to the fen.

    Side effects: the benefit; an audit record."""
    require_contest_manager(actor)
    _require_winner(entry)
    if kind not in BenefitKind.values:
        raise DomainError(_("请选择政策类型。"), code="kind")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError(_("请填写年度。"), code="year") from None
    if not 2000 <= year <= 2100:
        raise DomainError(_("年度应在 2000–2100 之间。"), code="year")
    values = {"insured_kind": "", "premium": None, "subsidy_percent": None, "subsidy_amount": None}
    if kind == BenefitKind.INSURANCE:
        if insured_kind not in InsuredKind.values:
            raise DomainError(_("请选择保险类别（首台套、首批次或首版次）。"), code="insured_kind")
        premium_value = (
            parse_money(premium, field=_("保费"), column=PolicyBenefit._meta.get_field("premium"))
            if str(premium or "").strip()
            else None
        )
        share = (
            parse_money(subsidy_percent, field=_("补贴比例"), column=PolicyBenefit._meta.get_field("subsidy_percent"))
            if str(subsidy_percent or "").strip()
            else None
        )
        if premium_value is None or premium_value <= 0:
            raise DomainError(_("请填写大于 0 的保费。"), code="premium")
        if share is None or not Decimal(0) < share <= Decimal(100):
            raise DomainError(_("补贴比例应在 0–100% 之间。"), code="share")
        subsidy = (premium_value * share / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        values = {
            "insured_kind": insured_kind,
            "premium": premium_value,
            "subsidy_percent": share,
            "subsidy_amount": subsidy,
        }
    if PolicyBenefit.objects.filter(entry=entry, kind=kind, year=year).exists():
        raise DomainError(_("该方案本年度已登记此项政策支持。"), code="duplicate")
    benefit = PolicyBenefit.objects.create(
        entry=entry,
        kind=kind,
        year=year,
        reference=(reference or "").strip()[:100],
        note=(note or "").strip()[:300],
        recorded_by=actor,
        **values,
    )
    audit_record(
        actor=actor,
        action="benefit.record",
        target=entry,
        after={"kind": kind, "year": year, **{k: v for k, v in values.items() if v not in (None, "")}},
    )
    return benefit
