"""典型案例 and their replication (复制推广): proposal from a closed round by the nomination rule,
the operator's decision, the subject's supplement, replications recorded by other organisations
and verified by an operator.

Keyword-only, atomic; refusals raise DomainError (or PermissionDenied) with a Chinese message.
"""

import os
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.choices import Role
from accounts.models import User
from accounts.permissions import acts_for
from accounts.selectors import operators_active
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services import audit_record, notify, snapshot
from core.uploads import check_upload
from evaluation.choices import CaseDecision, CaseStatus, ReplicationKind, ReplicationStatus, SubjectRole
from evaluation.models import CaseNominationRule, EvaluationRound, Replication, Subject, SubjectResult, TypicalCase
from evaluation.permissions import (
    may_decide_cases,
    may_record_replication,
    works_for,
    works_for_case_subject,
)
from evaluation.selectors import benefit_dimension_names
from scenarios.choices import EDITABLE_STATUSES

CASE_AUDIT_FIELDS = ["status", "title", "problem", "solution", "supplier", "outcomes", "decision_reason"]
REPLICATION_AUDIT_FIELDS = ["status", "kind", "adopter", "scenario", "description", "evidence_name", "decision_reason"]
CASE_DECISIONS = {
    CaseDecision.APPROVE: CaseStatus.APPROVED,
    CaseDecision.MORE_INFO: CaseStatus.MORE_INFO,
    CaseDecision.DISMISS: CaseStatus.DISMISSED,
}


# ---- nomination -------------------------------------------------------------------------------


def nomination_rule() -> CaseNominationRule:
    """The newest rule, or the default one (total ≥ 85, 效益 ≥ 80 % of its weight, no red line)."""
    return (
        CaseNominationRule.objects.select_related("created_by").order_by("-created_at", "-id").first()
        or CaseNominationRule()
    )


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (ArithmeticError, TypeError, ValueError):
        return None


RULE_AUDIT_FIELDS = ["min_total", "benefit_dimension", "min_benefit_share", "exclude_red_line"]


def _in_steps(value: Decimal | None, low: Decimal, high: Decimal, step: Decimal, *, low_open=False) -> bool:
    """A finite number within [low, high] (or (low, high]) that is a whole number of steps."""
    if value is None or not value.is_finite():
        return False
    if value < low or value > high or (low_open and value == low):
        return False
    return value == value.quantize(step)


@transaction.atomic
def nomination_rule_change(
    *,
    actor: User,
    min_total,
    benefit_dimension: str,
    min_benefit_share,
    exclude_red_line: bool,
    reason: str,
) -> CaseNominationRule:
    """An operator changes the typical-case nomination rule: a new row, which is in force from now
    on (nomination_rule() reads the newest); the older rows stay as its history. Cases proposed
    before keep the values they were proposed by (TypicalCase.rule).

    Refused with a Chinese message: anyone but an operator; a minimum total outside 0–100 or with
    more than two decimals; a benefit share outside (0, 1] or finer than 1 %; a dimension name that
    is blank, longer than 20 characters or not a first-tier indicator of a published framework;
    no reason; no change at all.

    Side effects: the CaseNominationRule row; an audit record with the old and the new values and
    the reason."""
    if not may_decide_cases(actor):
        raise PermissionDenied(_("只有运营管理人员可以修改典型案例推荐规则。"))
    total = _decimal(min_total)
    if not _in_steps(total, Decimal("0"), Decimal("100"), Decimal("0.01")):
        raise DomainError(_("最低总分须为 0 到 100 之间的数，最多两位小数。"), code="min_total")
    share = _decimal(min_benefit_share)
    if not _in_steps(share, Decimal("0"), Decimal("1"), Decimal("0.01"), low_open=True):
        raise DomainError(_("效益得分占其权重的比例须在 1% 到 100% 之间，以 1% 为单位。"), code="min_benefit_share")
    dimension = (benefit_dimension or "").strip()
    if not dimension or len(dimension) > 20:
        raise DomainError(_("请填写效益维度的名称（不超过 20 个字）。"), code="benefit_dimension")
    names = benefit_dimension_names()
    if names and dimension not in names:
        raise DomainError(
            _("“%(name)s”不是已发布指标体系的一级指标；可选：%(names)s。")
            % {"name": dimension, "names": "、".join(names)},
            code="benefit_dimension",
        )
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise DomainError(_("请填写修改理由（不超过 500 个字）。"), code="reason")
    current = nomination_rule()
    rule = CaseNominationRule(
        min_total=total.quantize(Decimal("0.01")),
        benefit_dimension=dimension,
        min_benefit_share=share.quantize(Decimal("0.01")),
        exclude_red_line=bool(exclude_red_line),
        created_by=actor,
    )
    if (
        Decimal(current.min_total) == rule.min_total
        and current.benefit_dimension == rule.benefit_dimension
        and Decimal(current.min_benefit_share) == rule.min_benefit_share
        and current.exclude_red_line == rule.exclude_red_line
    ):
        raise DomainError(_("推荐规则没有变化。"), code="unchanged")
    rule.save()
    audit_record(
        actor=actor,
        action="evaluation.nomination_rule.change",
        target=rule,
        before=snapshot(current, RULE_AUDIT_FIELDS),
        after=snapshot(rule, RULE_AUDIT_FIELDS),
        reason=reason,
    )
    return rule


def nomination_figures(rule: CaseNominationRule, result: SubjectResult) -> dict:
    """The rule's values and the result's figures it reads, and whether the result meets it:
    total ≥ min_total; the dimension named benefit_dimension scores ≥ min_benefit_share × its
    weight; no red-line hit when exclude_red_line. A result without that dimension does not meet it."""
    data = result.results or {}
    total = result.total if result.total is not None else _decimal(data.get("total"))
    red_line_hits = list(data.get("red_line_hits") or [])
    red_line = bool(result.red_line_hit or red_line_hits)
    dimension = next(
        (item for item in data.get("dimensions") or [] if str(item.get("name")) == rule.benefit_dimension), None
    )
    benefit_score = _decimal(dimension.get("score")) if dimension else None
    benefit_weight = _decimal(dimension.get("weight")) if dimension else None
    benefit_needed = (
        (Decimal(rule.min_benefit_share) * benefit_weight).quantize(Decimal("0.01"))
        if benefit_weight is not None
        else None
    )
    meets = (
        total is not None
        and total >= Decimal(rule.min_total)
        and benefit_score is not None
        and benefit_needed is not None
        and benefit_score >= Decimal(rule.min_benefit_share) * benefit_weight
        and not (rule.exclude_red_line and red_line)
    )
    return {
        "rule_id": rule.pk,
        "min_total": str(Decimal(rule.min_total).quantize(Decimal("0.01"))),
        "benefit_dimension": rule.benefit_dimension,
        "min_benefit_share": str(Decimal(rule.min_benefit_share).quantize(Decimal("0.01"))),
        "exclude_red_line": rule.exclude_red_line,
        "result_id": result.pk,
        "total": str(total) if total is not None else None,
        "grade": result.grade or data.get("grade", ""),
        "benefit_score": str(benefit_score) if benefit_score is not None else None,
        "benefit_weight": str(benefit_weight) if benefit_weight is not None else None,
        "benefit_needed": str(benefit_needed) if benefit_needed is not None else None,
        "red_line_hits": red_line_hits,
        "meets": meets,
    }


def _prefill(subject: Subject) -> dict:
    scenario = subject.scenario
    supplier = next(
        (link.organisation for link in subject.subject_organisations.all() if link.role == SubjectRole.SUPPLIER), None
    )
    return {
        "title": (scenario.title if scenario else subject.title)[:100],
        "problem": (scenario.need_description if scenario else "")[:3000],
        "supplier": supplier,
    }


@transaction.atomic
def cases_propose(*, round: EvaluationRound, actor: User | None = None) -> list[TypicalCase]:  # noqa: A002
    """Propose as typical cases the subjects of a closed round whose published result meets the
    newest nomination rule. Idempotent: a subject already proposed (in any status) is left alone.
    Called when a round closes (actor None: the system) or by an operator's button.

    Side effects: TypicalCase rows (status proposed) with the rule's values and the figures in
    `rule`, title, problem and supplier prefilled from the scenario; an audit record per case;
    a message to the operators when any case was proposed. Returns the new cases."""
    if actor is not None and not may_decide_cases(actor):
        raise PermissionDenied(_("只有运营管理人员可以推荐典型案例。"))
    if not round.is_closed:
        raise DomainError(_("评估轮次结束后才能推荐典型案例。"), code="round_not_closed")
    rule = nomination_rule()
    results = (
        SubjectResult.objects.filter(subject__round=round, is_published=True, subject__typical_case__isnull=True)
        .select_related("subject__scenario")
        .prefetch_related("subject__subject_organisations__organisation")
        .order_by("subject_id")
    )
    proposed = []
    for result in results:
        figures = nomination_figures(rule, result)
        if not figures["meets"]:
            continue
        case = TypicalCase.objects.create(subject=result.subject, rule=figures, **_prefill(result.subject))
        audit_record(
            actor=actor, action="evaluation.case.propose", target=case, after=snapshot(case, CASE_AUDIT_FIELDS)
        )
        proposed.append(case)
    if proposed:
        notify(
            recipients=operators_active(),
            title=Message(gettext_noop("%(round)s：推荐典型案例 %(n)d 个，待审定"), round=round.title, n=len(proposed)),
            # the queue showing exactly these cases (those of this round)
            link=f"{reverse('evaluation:case-queue')}?{urlencode({'round': round.pk})}",
        )
    return proposed


# ---- the case ---------------------------------------------------------------------------------


def _subject_users(case: TypicalCase):
    organisation_ids = [link.organisation_id for link in case.subject.subject_organisations.all()]
    return User.objects.filter(organisation_id__in=organisation_ids, is_active=True)


def _locked_case(case: TypicalCase) -> TypicalCase:
    return TypicalCase.objects.select_for_update(of=("self",)).select_related("subject").get(pk=case.pk)


@transaction.atomic
def case_edit(
    *,
    actor: User,
    case: TypicalCase,
    title: str,
    problem: str = "",
    solution: str = "",
    supplier=None,
    outcomes: str = "",
) -> TypicalCase:
    """Edit a case's text: operators at any time before it is dismissed; a working user of the
    subject's organisations while the operator asks for more (status more_info), who then sends it
    back with case_resubmit.

    Side effects: the case saved; an audit record with before and after."""
    case = _locked_case(case)
    if may_decide_cases(actor):
        if case.status == CaseStatus.DISMISSED:
            raise DomainError(_("未入选的案例不能修改。"), code="case_dismissed")
    elif works_for_case_subject(actor, case):
        if case.status != CaseStatus.MORE_INFO:
            raise DomainError(_("只有在要求补充材料时才能修改案例。"), code="case_not_editable")
    else:
        raise PermissionDenied(_("您无权修改该案例。"))
    title = (title or "").strip()
    if not title:
        raise DomainError(_("请填写案例名称。"), code="title_required")
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.title = title[:100]
    case.problem = (problem or "").strip()[:3000]
    case.solution = (solution or "").strip()[:3000]
    case.outcomes = (outcomes or "").strip()[:3000]
    case.supplier = supplier
    case.save()
    audit_record(
        actor=actor, action="evaluation.case.edit", target=case, before=before, after=snapshot(case, CASE_AUDIT_FIELDS)
    )
    return case


@transaction.atomic
def case_resubmit(*, actor: User, case: TypicalCase) -> TypicalCase:
    """The subject's organisation has supplemented a case asked for more: it goes back to proposed.

    Side effects: status proposed; an audit record; a message to the operators."""
    case = _locked_case(case)
    if not works_for_case_subject(actor, case):
        raise PermissionDenied(_("您无权提交该案例的补充材料。"))
    if case.status != CaseStatus.MORE_INFO:
        raise DomainError(_("该案例没有要求补充材料。"), code="case_not_more_info")
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.status = CaseStatus.PROPOSED
    case.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="evaluation.case.resubmit",
        target=case,
        before=before,
        after=snapshot(case, CASE_AUDIT_FIELDS),
    )
    notify(
        recipients=operators_active(),
        title=Message(gettext_noop("典型案例“%(title)s”已补充材料，待审定"), title=case.title),
        link=reverse("evaluation:case-detail", args=[case.pk]),  # the case itself, where it is decided
    )
    return case


@transaction.atomic
def case_decide(*, actor: User, case: TypicalCase, decision: str, reason: str) -> TypicalCase:
    """An operator decides a proposed case (or one asked for more): approve (the public page shows
    it), more_info (the subject's organisation supplements it) or dismiss; a reason is required.

    Side effects: status, reason, decider and time saved; an audit record; a message to the users
    of the subject's organisations."""
    if not may_decide_cases(actor):
        raise PermissionDenied(_("只有运营管理人员可以审定典型案例。"))
    if decision not in CASE_DECISIONS:
        raise DomainError(_("请选择审定结果：入选、补充材料或不入选。"), code="decision_invalid")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写审定理由。"), code="reason_required")
    case = _locked_case(case)
    if case.status not in (CaseStatus.PROPOSED, CaseStatus.MORE_INFO):
        raise DomainError(
            _("该案例已是“%(status)s”，不能再审定。") % {"status": case.get_status_display()}, code="case_decided"
        )
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.status = CASE_DECISIONS[decision]
    case.decision_reason = reason[:500]
    case.decided_by = actor
    case.decided_at = timezone.now()
    case.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="evaluation.case.decide",
        target=case,
        before=before,
        after=snapshot(case, CASE_AUDIT_FIELDS),
        reason=reason,
    )
    titles = {
        CaseStatus.APPROVED: gettext_noop("“%(title)s”入选典型案例"),
        CaseStatus.MORE_INFO: gettext_noop("典型案例“%(title)s”需补充材料"),
        CaseStatus.DISMISSED: gettext_noop("“%(title)s”未入选典型案例"),
    }
    notify(
        recipients=_subject_users(case),
        title=Message(titles[case.status], title=case.title),
        body=reason,
        link=reverse("evaluation:case-detail", args=[case.pk])
        if case.status == CaseStatus.APPROVED
        else reverse("evaluation:case-supplement", args=[case.pk]),
    )
    return case


# ---- replications -----------------------------------------------------------------------------


def _link_scenario(*, actor: User, case: TypicalCase, scenario) -> None:
    """A replication as a new scenario: it must be the adopter's, and its `replication_of` the
    case's scenario. When that is blank and the scenario can still be edited (draft or returned),
    set it through the scenarios app's own service; otherwise the adopter must set it first."""
    source = case.subject.scenario
    if source is None:
        raise DomainError(_("该案例不对应具体场景，请以“推广应用”方式登记。"), code="case_without_scenario")
    if scenario is None:
        raise DomainError(_("请选择复制形成的新场景。"), code="scenario_required")
    if not acts_for(actor, scenario.publisher_id, Role.PUBLISHER):
        raise DomainError(_("只能登记本单位发布的场景。"), code="scenario_not_own")
    if scenario.pk == source.pk:
        raise DomainError(_("不能以案例本身的场景登记复制推广。"), code="scenario_is_source")
    if scenario.replication_of_id == source.pk:
        return
    if scenario.replication_of_id is None and scenario.status in EDITABLE_STATUSES:
        from scenarios.services import scenario_update

        scenario_update(actor=actor, scenario=scenario, data={"replication_of": source})
        return
    raise DomainError(
        _("场景“%(title)s”的“复制推广自”不是本案例的场景，请先修改该场景。") % {"title": scenario.title},
        code="scenario_not_linked",
    )


@transaction.atomic
def replication_record(
    *,
    actor: User,
    case: TypicalCase,
    kind: str,
    scenario=None,
    description: str = "",
    evidence=None,
) -> Replication:
    """A working user (publisher, company, association or official) of an organisation other than
    the case's own records that the organisation adopted an approved case: as a new scenario
    linked by `replication_of` (set here through the scenarios service when still blank on an
    editable scenario), or as a described adoption with an evidence file (core.uploads.check_upload).

    Side effects: a Replication (pending); possibly the scenario's replication_of; an audit record;
    a message to the operators."""
    case = TypicalCase.objects.select_related("subject__scenario").get(pk=case.pk)
    if case.status != CaseStatus.APPROVED:
        raise DomainError(_("只有已入选的典型案例可以登记复制推广。"), code="case_not_approved")
    if not works_for(actor, actor.organisation_id if actor.is_authenticated else None):
        raise PermissionDenied(_("只有机构的发榜方、企业、协会或部门用户可以登记复制推广。"))
    if not may_record_replication(actor, case):
        raise DomainError(_("案例本单位不能登记自己的复制推广。"), code="adopter_is_case_owner")
    description = (description or "").strip()
    if kind == ReplicationKind.SCENARIO:
        _link_scenario(actor=actor, case=case, scenario=scenario)
        if Replication.objects.filter(case=case, scenario=scenario).exclude(status=ReplicationStatus.REJECTED).exists():
            raise DomainError(_("该场景已登记过复制推广。"), code="replication_duplicate")
        description = description or _("复制为新场景：%(title)s") % {"title": scenario.title}
        evidence_kind = None
    elif kind == ReplicationKind.ADOPTION:
        scenario = None
        if not description:
            raise DomainError(_("请填写推广应用情况。"), code="description_required")
        if evidence is None:
            raise DomainError(_("请上传佐证材料。"), code="evidence_required")
        evidence_kind = check_upload(evidence)
    else:
        raise DomainError(_("请选择复制推广方式。"), code="kind_invalid")
    replication = Replication(
        case=case,
        adopter_id=actor.organisation_id,
        kind=kind,
        scenario=scenario,
        description=description[:3000],
        recorded_by=actor,
    )
    if evidence_kind:
        replication.evidence_name = os.path.basename(evidence.name)[:200]
        replication.evidence.save(f"replication.{evidence_kind}", evidence, save=False)
    replication.save()
    audit_record(
        actor=actor,
        action="evaluation.replication.record",
        target=replication,
        after=snapshot(replication, REPLICATION_AUDIT_FIELDS),
    )
    notify(
        recipients=operators_active(),
        title=Message(gettext_noop("典型案例“%(title)s”有新的复制推广待核实"), title=case.title),
        body=Message(gettext_noop("推广应用单位：%(adopter)s"), adopter=replication.adopter.name),
        # a replication has no page of its own: the queue showing this case's replications
        link=f"{reverse('evaluation:replication-queue')}?{urlencode({'case': case.pk})}",
    )
    return replication


@transaction.atomic
def replication_verify(*, actor: User, replication: Replication, approve: bool, reason: str = "") -> Replication:
    """An operator verifies a pending replication (it is then counted, see
    evaluation.selectors.replications_counted) or rejects it with a reason.

    Side effects: status, verifier, time and reason saved; an audit record; a message to the
    adopter's users."""
    if not may_decide_cases(actor):
        raise PermissionDenied(_("只有运营管理人员可以核实复制推广。"))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise DomainError(_("不予通过时请填写理由。"), code="reason_required")
    replication = Replication.objects.select_for_update(of=("self",)).select_related("case").get(pk=replication.pk)
    if replication.status != ReplicationStatus.PENDING:
        raise DomainError(_("该复制推广已核实过。"), code="replication_decided")
    before = snapshot(replication, REPLICATION_AUDIT_FIELDS)
    replication.status = ReplicationStatus.VERIFIED if approve else ReplicationStatus.REJECTED
    replication.verified_by = actor
    replication.verified_at = timezone.now()
    replication.decision_reason = reason[:500]
    replication.save(update_fields=["status", "verified_by", "verified_at", "decision_reason"])
    audit_record(
        actor=actor,
        action="evaluation.replication.verify",
        target=replication,
        before=before,
        after=snapshot(replication, REPLICATION_AUDIT_FIELDS),
        reason=reason,
    )
    notify(
        recipients=User.objects.filter(organisation_id=replication.adopter_id, is_active=True),
        title=Message(
            gettext_noop("复制推广已核实：%(title)s") if approve else gettext_noop("复制推广未通过核实：%(title)s"),
            title=replication.case.title,
        ),
        body=reason,
        link=reverse("evaluation:case-detail", args=[replication.case_id]),
    )
    return replication
