"""Every write for 场景大赛 up to the start of scoring. Keyword-only, atomic; refusals raise DomainError."""

import hashlib
import random
import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from accounts.models import Organisation, User
from accounts.permissions import organisation_may_enter_contests
from core.services import audit_record, notify, snapshot
from contests.choices import ROUND_ORDER, Dimension, EntryStatus, MembershipStatus, Round
from contests.conflicts import conflicts
from contests.eligibility import RULE_KINDS, unmet_conditions
from contests.models import (
    AWARD_CAP_LIMIT,
    ROUND_FIELDS,
    Challenge,
    ConsortiumMember,
    Contest,
    ContestEntry,
    Criterion,
    EntryAttachment,
    JudgeProfile,
    EligibilityRule,
    JudgeRelationship,
    PanelMembership,
    Recusal,
    RecusalCommitment,
    RoadshowSlot,
    RunningOrderDraw,
)

CREDIT_COMMITMENT = (
    "本单位承诺：所提交的揭榜材料真实、准确、完整，不存在弄虚作假、侵犯他人知识产权等行为；"
    "如有违反，愿意承担相应责任并接受信用惩戒。"
)
RECUSAL_COMMITMENT = (
    "本人承诺：与参赛单位存在任职、持股、近三年合作或其他可能影响公正评审的关系时，主动申请回避；"
    "严格保守评审秘密，独立、客观、公正地评分。"
)
# The default score sheet (DESIGN.md, from the policy's wording): dimension, criterion, points.
DEFAULT_RUBRIC = [
    (Dimension.BUSINESS, "场景需求理解", 15),
    (Dimension.TECHNICAL, "整体技术解决方案", 25),
    (Dimension.TECHNICAL, "方案可实施性", 20),
    (Dimension.BUSINESS, "结果评价/预期成效", 15),
    (Dimension.TECHNICAL, "首创性", 15),
    (Dimension.TECHNICAL, "先进性", 10),
]


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def require_round(contest: Contest, round_name: str, action: str, now=None) -> None:
    """Refuse an action outside its round, saying when it opens or when it closed."""
    now = now or timezone.now()
    start, end = contest.round_start(round_name), contest.round_end(round_name)
    label = dict(Round.choices)[round_name]
    if now < start:
        raise DomainError(_("“%(action)s”在%(round)s阶段进行，将于 %(start)s 开始。") % {"action": action, "round": label, "start": _local(start)}, code="round_not_open")
    if end is not None and now >= end:
        raise DomainError(_("“%(action)s”已于 %(end)s 截止（%(round)s阶段已结束）。") % {"action": action, "round": label, "end": _local(end)}, code="round_closed")


def _require_operator(actor) -> None:
    if not actor.has_role("operator"):
        raise PermissionDenied(_("只有运营管理人员可以执行此操作。"))


def parse_money(value, *, field: str) -> Decimal:
    """Exact yuan with at most two decimals; never a float."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        raise DomainError(_("%(field)s应为金额数字。") % {"field": field}, code="money") from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("%(field)s最多保留两位小数。") % {"field": field}, code="money")
    return amount.quantize(Decimal("0.01"))


# ---- contests, rules, rubric -----------------------------------------------------------------

@transaction.atomic
def contest_create(*, actor: User, name: str, year: int, award_budget, rounds: dict, entries_per_company: int = 3, description: str = "") -> Contest:
    """An operator opens a contest with its round dates, and the default score sheet."""
    _require_operator(actor)
    budget = parse_money(award_budget, field=_("奖励预算"))
    if budget <= 0:
        raise DomainError(_("奖励预算应大于 0。"), code="budget")
    if not 1 <= int(entries_per_company) <= 20:
        raise DomainError(_("每家企业限报数应在 1–20 之间。"), code="limit")
    starts = [rounds.get(round_name) for round_name in ROUND_ORDER]
    if any(start is None for start in starts):
        raise DomainError(_("请填写每个阶段的开始时间。"), code="rounds")
    if any(later <= earlier for earlier, later in zip(starts, starts[1:])):
        raise DomainError(_("各阶段的开始时间须依次递增：发榜 → 揭榜报名 → 资格审查 → 路演评审 → 复议 → 公示 → 结果发布。"), code="rounds")
    contest = Contest.objects.create(
        name=name, year=year, award_budget=budget, entries_per_company=entries_per_company, description=description, created_by=actor,
        **{ROUND_FIELDS[round_name]: start for round_name, start in zip(ROUND_ORDER, starts)},
    )
    Criterion.objects.bulk_create(
        [Criterion(contest=contest, dimension=dimension, name=name_, max_points=points, position=index) for index, (dimension, name_, points) in enumerate(DEFAULT_RUBRIC)]
    )
    audit_record(actor=actor, action="contest.create", target=contest, after={"name": name, "budget": budget, "rounds": {r: s for r, s in zip(ROUND_ORDER, starts)}})
    return contest


@transaction.atomic
def contest_reschedule(*, actor: User, contest: Contest, rounds: dict, reason: str) -> Contest:
    """An operator changes the round start times (bringing a round forward, or putting one off).

    The rounds stay in order, and a round that has begun stays begun: eligibility decisions, signed
    score sheets and the frozen rubric rest on it, so no start time moves from the past into the
    future. Side effects: the new dates and an audit record with the old and new dates and the reason.
    """
    _require_operator(actor)
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写调整日程的原因。"), code="reason_required")
    starts = [rounds.get(round_name) for round_name in ROUND_ORDER]
    if any(start is None for start in starts):
        raise DomainError(_("请填写每个阶段的开始时间。"), code="rounds")
    if any(later <= earlier for earlier, later in zip(starts, starts[1:])):
        raise DomainError(_("各阶段的开始时间须依次递增：发榜 → 揭榜报名 → 资格审查 → 路演评审 → 复议 → 公示 → 结果发布。"), code="rounds")
    now = timezone.now()
    for round_name, start in zip(ROUND_ORDER, starts):
        if contest.round_start(round_name) <= now < start:
            raise DomainError(_("“%(round)s”阶段已经开始，不能把开始时间改到将来。") % {"round": Round(round_name).label}, code="round_begun")
    before = {round_name: contest.round_start(round_name) for round_name in ROUND_ORDER}
    for round_name, start in zip(ROUND_ORDER, starts):
        setattr(contest, ROUND_FIELDS[round_name], start)
    contest.save(update_fields=list(ROUND_FIELDS.values()))
    audit_record(actor=actor, action="contest.reschedule", target=contest, before={"rounds": before}, after={"rounds": dict(zip(ROUND_ORDER, starts))}, reason=reason[:500])
    return contest


@transaction.atomic
def eligibility_rules_set(*, actor: User, contest: Contest, kinds: list[str]) -> list[str]:
    """Choose the contest's eligibility conditions from the closed list (no size or market rules)."""
    _require_operator(actor)
    unknown = [kind for kind in kinds if kind not in RULE_KINDS]
    if unknown:
        raise DomainError(_("不支持的资格条件：%(kinds)s。资格条件不得涉及企业规模或市场业绩。") % {"kinds": "、".join(unknown)}, code="rule_kind")
    if contest.is_at_or_after(Round.REGISTRATION):
        raise DomainError(_("揭榜报名开始后不能修改资格条件。"), code="frozen")
    before = sorted(contest.eligibility_rules.values_list("kind", flat=True))
    contest.eligibility_rules.all().delete()
    EligibilityRule.objects.bulk_create([EligibilityRule(contest=contest, kind=kind) for kind in sorted(set(kinds))])
    audit_record(actor=actor, action="contest.eligibility_rules", target=contest, before={"rules": before}, after={"rules": sorted(set(kinds))})
    return sorted(set(kinds))


@transaction.atomic
def rubric_update(*, actor: User, contest: Contest, criteria: list[dict]) -> list[Criterion]:
    """Replace the score sheet. Maxima must be whole points summing to exactly 100, with both
    技术 and 商务 present; once 路演评审 has begun the sheet is frozen."""
    _require_operator(actor)
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.is_at_or_after(Round.ROADSHOW):
        raise DomainError(_("路演评审已开始，评分表已锁定，不能修改。"), code="rubric_frozen")
    rows, names = [], set()
    for index, criterion in enumerate(criteria, start=1):
        name = str(criterion.get("name") or "").strip()
        dimension = criterion.get("dimension")
        try:
            points = int(criterion.get("max_points"))
        except (TypeError, ValueError):
            raise DomainError(_("第 %(n)d 项的分值应为整数。") % {"n": index}, code="points") from None
        if not name or len(name) > 50:
            raise DomainError(_("第 %(n)d 项缺少名称或名称过长。") % {"n": index}, code="name")
        if name in names:
            raise DomainError(_("评分项“%(name)s”重复。") % {"name": name}, code="duplicate")
        if dimension not in Dimension.values:
            raise DomainError(_("第 %(n)d 项的维度应为技术或商务。") % {"n": index}, code="dimension")
        if not 1 <= points <= 100:
            raise DomainError(_("第 %(n)d 项的分值应在 1–100 之间。") % {"n": index}, code="points")
        names.add(name)
        rows.append(Criterion(contest=contest, dimension=dimension, name=name, max_points=points, position=index, description=str(criterion.get("description") or "")[:300]))
    total = sum(row.max_points for row in rows)
    if total != 100:
        raise DomainError(_("各评分项分值合计应为 100，当前为 %(total)d。") % {"total": total}, code="total")
    if {row.dimension for row in rows} != set(Dimension.values):
        raise DomainError(_("评分表须同时包含技术和商务两个维度。"), code="dimensions")
    before = list(contest.criteria.values("dimension", "name", "max_points"))
    contest.criteria.all().delete()
    created = Criterion.objects.bulk_create(rows)
    audit_record(actor=actor, action="contest.rubric_update", target=contest, before={"criteria": before}, after={"criteria": [{"dimension": r.dimension, "name": r.name, "max_points": r.max_points} for r in rows]})
    return created


# ---- challenges --------------------------------------------------------------------------------

@transaction.atomic
def challenge_create(*, actor: User, contest: Contest, scenario, award_cap, requirements: str, title: str = "", drafters: list[User] | None = None) -> Challenge:
    """A publisher puts its published scenario into the contest as a 榜单 during 发榜."""
    from scenarios.permissions import is_publisher_of
    from scenarios.services import scenario_transition

    if not is_publisher_of(actor, scenario):
        raise PermissionDenied(_("只有场景的发榜单位可以发榜。"))
    require_round(contest, Round.CHALLENGES, _("发榜"))
    if scenario.status != "published":
        raise DomainError(_("只有已发布、尚未进入大赛的场景可以发榜。"), code="scenario_state")
    cap = parse_money(award_cap, field=_("奖励上限"))
    if cap <= 0 or cap > AWARD_CAP_LIMIT:
        raise DomainError(_("奖励上限应大于 0 且不超过 100 万元（¥1,000,000）。"), code="award_cap")
    if cap > contest.award_budget:
        raise DomainError(_("奖励上限不能超过大赛奖励预算。"), code="award_cap")
    requirements = (requirements or "").strip()
    if not requirements:
        raise DomainError(_("请填写揭榜要求。"), code="requirements")
    try:
        with transaction.atomic():
            challenge = Challenge.objects.create(
                contest=contest, scenario=scenario, title=(title or scenario.title)[:100], requirements=requirements[:3000], award_cap=cap, created_by=actor
            )
    except IntegrityError:
        raise DomainError(_("该场景已在本届大赛中发榜。"), code="duplicate") from None
    challenge.drafters.set(drafters or [actor])
    scenario_transition(actor=actor, scenario=scenario, action="enter_contest")
    audit_record(actor=actor, action="challenge.create", target=challenge, after={"contest": contest.pk, "scenario": scenario.pk, "award_cap": cap})
    return challenge


# ---- entries and consortia ---------------------------------------------------------------------

def _is_lead_member(actor, entry) -> bool:
    return actor.has_role("company") and actor.organisation_id == entry.lead_id


@transaction.atomic
def entry_create(*, actor: User, challenge: Challenge, title: str, summary: str, members: list[Organisation] | None = None) -> ContestEntry:
    """A company (the lead) starts an entry, inviting consortium members to confirm."""
    if not (actor.has_role("company") and actor.organisation_id):
        raise PermissionDenied(_("只有企业用户可以揭榜。"))
    lead = actor.organisation
    require_round(challenge.contest, Round.REGISTRATION, _("揭榜报名"))
    if not organisation_may_enter_contests(lead):
        raise DomainError(_("贵单位尚未通过机构认证，认证通过后方可揭榜。"), code="not_verified")
    count = ContestEntry.objects.filter(challenge__contest=challenge.contest, lead=lead).exclude(status=EntryStatus.WITHDRAWN).count()
    if count >= challenge.contest.entries_per_company:
        raise DomainError(_("本届大赛每家企业最多揭榜 %(limit)d 个榜单。") % {"limit": challenge.contest.entries_per_company}, code="limit")
    title, summary = (title or "").strip(), (summary or "").strip()
    if not title or not summary:
        raise DomainError(_("请填写方案名称和方案摘要。"), code="required")
    members = [member for member in (members or []) if member.pk != lead.pk]
    if any(member.kind not in ("company", "institute") for member in members):
        raise DomainError(_("联合体成员应为企业或高校/科研院所。"), code="member_kind")
    if len(members) > 10:
        raise DomainError(_("联合体成员最多 10 家。"), code="members")
    try:
        with transaction.atomic():
            entry = ContestEntry.objects.create(challenge=challenge, lead=lead, created_by=actor, title=title[:100], summary=summary[:5000])
    except IntegrityError:
        raise DomainError(_("贵单位已揭榜该榜单。"), code="duplicate") from None
    ConsortiumMember.objects.bulk_create([ConsortiumMember(entry=entry, organisation=member) for member in {m.pk: m for m in members}.values()])
    audit_record(actor=actor, action="entry.create", target=entry, after={"challenge": challenge.pk, "members": [m.pk for m in members]})
    for member in members:
        notify(
            recipients=User.objects.filter(organisation=member, is_active=True),
            title=_("%(lead)s 邀请贵单位组成联合体揭榜“%(challenge)s”") % {"lead": lead.name, "challenge": challenge.title},
            body=_("请确认是否加入联合体。"),
            link=reverse("contests:entry-detail", args=[entry.pk]),
        )
    return entry


@transaction.atomic
def consortium_respond(*, actor: User, membership: ConsortiumMember, accept: bool) -> ConsortiumMember:
    """A member organisation confirms (or declines) its place in the consortium."""
    membership = ConsortiumMember.objects.select_for_update().select_related("entry__challenge__contest", "entry__lead").get(pk=membership.pk)
    if actor.organisation_id != membership.organisation_id:
        raise PermissionDenied(_("只有被邀请单位可以确认。"))
    if membership.status != MembershipStatus.INVITED:
        raise DomainError(_("已答复过该邀请。"), code="answered")
    require_round(membership.entry.challenge.contest, Round.REGISTRATION, _("确认联合体"))
    membership.status = MembershipStatus.CONFIRMED if accept else MembershipStatus.DECLINED
    membership.responded_by, membership.responded_at = actor, timezone.now()
    membership.save()
    audit_record(actor=actor, action="entry.consortium_confirm" if accept else "entry.consortium_decline", target=membership.entry, after={"organisation": membership.organisation_id})
    notify(
        recipients=User.objects.filter(organisation_id=membership.entry.lead_id, is_active=True),
        title=_("%(organisation)s %(answer)s加入联合体") % {"organisation": actor.organisation.name, "answer": _("已确认") if accept else _("拒绝")},
        link=reverse("contests:entry-detail", args=[membership.entry_id]),
    )
    return membership


@transaction.atomic
def entry_submit(*, actor: User, entry: ContestEntry, commitment_accepted: bool) -> ContestEntry:
    """The lead submits before the deadline, signing the 信用承诺 (time and a hash of its text)."""
    entry = ContestEntry.objects.select_for_update().select_related("challenge__contest", "lead").get(pk=entry.pk)
    if not _is_lead_member(actor, entry):
        raise PermissionDenied(_("只有牵头单位可以提交。"))
    require_round(entry.challenge.contest, Round.REGISTRATION, _("提交揭榜方案"))
    if entry.status not in (EntryStatus.DRAFT,):
        raise DomainError(_("方案已提交。"), code="state")
    if not commitment_accepted:
        raise DomainError(_("提交前须签署信用承诺。"), code="commitment")
    pending = entry.members.exclude(status=MembershipStatus.CONFIRMED).exclude(status=MembershipStatus.DECLINED)
    if pending.exists():
        raise DomainError(_("还有联合体成员尚未确认：%(names)s。") % {"names": "、".join(pending.values_list("organisation__name", flat=True))}, code="members_pending")
    now = timezone.now()
    entry.commitment_signed_at = now
    entry.commitment_sha256 = hashlib.sha256(f"{CREDIT_COMMITMENT}|{entry.pk}|{entry.lead.credit_code}|{now.isoformat()}".encode()).hexdigest()
    entry.status, entry.submitted_at = EntryStatus.SUBMITTED, now
    entry.save()
    audit_record(actor=actor, action="entry.submit", target=entry, before={"status": "draft"}, after={"status": "submitted", "commitment_sha256": entry.commitment_sha256})
    return entry


@transaction.atomic
def entry_review_eligibility(*, actor: User, entry: ContestEntry, eligible: bool, reason: str = "") -> ContestEntry:
    """资格审查: an operator passes the entry or refuses it with a reason, during the round."""
    _require_operator(actor)
    entry = ContestEntry.objects.select_for_update().select_related("challenge__contest", "lead").get(pk=entry.pk)
    require_round(entry.challenge.contest, Round.ELIGIBILITY, _("资格审查"))
    if entry.status not in (EntryStatus.SUBMITTED, EntryStatus.ELIGIBLE, EntryStatus.INELIGIBLE):
        raise DomainError(_("只有已提交的方案可以审查。"), code="state")
    reason = (reason or "").strip()
    if eligible:
        unmet = unmet_conditions(entry)
        if unmet:
            raise DomainError(_("不满足资格条件：%(reasons)s") % {"reasons": "".join(unmet)}, code="unmet")
    elif not reason:
        raise DomainError(_("请填写资格审查不通过的原因。"), code="reason_required")
    before = snapshot(entry, ["status", "eligibility_note"])
    entry.status = EntryStatus.ELIGIBLE if eligible else EntryStatus.INELIGIBLE
    entry.eligibility_note, entry.eligibility_reviewed_by = reason[:500], actor
    entry.save(update_fields=["status", "eligibility_note", "eligibility_reviewed_by"])
    audit_record(actor=actor, action="entry.eligibility", target=entry, before=before, after=snapshot(entry, ["status", "eligibility_note"]), reason=reason)
    notify(
        recipients=User.objects.filter(organisation_id=entry.lead_id, is_active=True),
        title=_("资格审查结果：%(title)s（%(status)s）") % {"title": entry.title, "status": entry.get_status_display()},
        body=reason,
        link=reverse("contests:entry-detail", args=[entry.pk]),
    )
    return entry


@transaction.atomic
def entry_record_credit_check(*, actor: User, entry: ContestEntry, passed: bool, note: str = "") -> ContestEntry:
    """信用核查: record the result of the credit verification (needed before any award)."""
    _require_operator(actor)
    entry = ContestEntry.objects.select_for_update().get(pk=entry.pk)
    before = snapshot(entry, ["credit_check", "credit_check_note"])
    entry.credit_check, entry.credit_check_note = ("passed" if passed else "failed"), (note or "").strip()[:500]
    entry.save(update_fields=["credit_check", "credit_check_note"])
    audit_record(actor=actor, action="entry.credit_check", target=entry, before=before, after=snapshot(entry, ["credit_check", "credit_check_note"]))
    return entry


# ---- judges, panels, conflicts -----------------------------------------------------------------

@transaction.atomic
def relationship_declare(*, actor: User, judge: User, organisation: Organisation, kind: str, ended_year: int | None = None, note: str = "") -> JudgeRelationship:
    """A judge (or an operator for them) declares a relationship with an organisation."""
    if actor.pk != judge.pk:
        _require_operator(actor)
    if not judge.has_role("judge"):
        raise DomainError(_("该用户不是评审专家。"), code="not_judge")
    if kind not in ("employment", "shareholding", "collaboration"):
        raise DomainError(_("关系应为任职、持股或合作。"), code="kind")
    if ended_year is not None and not 1950 <= int(ended_year) <= timezone.localdate().year:
        raise DomainError(_("结束年份不合理。"), code="year")
    relationship = JudgeRelationship.objects.create(judge=judge, organisation=organisation, kind=kind, ended_year=ended_year, note=(note or "")[:200])
    audit_record(actor=actor, action="judge.declare_relationship", target=judge, after={"organisation": organisation.pk, "kind": kind, "ended_year": ended_year})
    return relationship


def challenge_conflicts(judge: User, challenge: Challenge) -> list[str]:
    """Conflicts that bar a judge from the whole panel, before any entry exists: with the
    publisher, or as one of the challenge's drafters (the same rules as contests.conflicts)."""
    publisher_only = ContestEntry(challenge=challenge, lead_id=challenge.scenario.publisher_id)  # unsaved; only its parties count
    return conflicts(judge, publisher_only, members=[])


@transaction.atomic
def panel_assign(*, actor: User, challenge: Challenge, judge: User, is_chair: bool = False) -> PanelMembership:
    """Put a judge on a challenge's panel, refusing any conflict with the publisher or an entrant."""
    _require_operator(actor)
    if not judge.has_role("judge"):
        raise DomainError(_("该用户不是评审专家。"), code="not_judge")
    if challenge.contest.is_at_or_after(Round.REVIEW):
        raise DomainError(_("复议阶段开始后不能调整评审组。"), code="frozen")
    reasons = challenge_conflicts(judge, challenge)
    for entry in challenge.entries.exclude(status=EntryStatus.WITHDRAWN).select_related("challenge__scenario").prefetch_related("members"):
        reasons += [f"{entry.title}：{reason}" for reason in conflicts(judge, entry)]
    if reasons:
        raise DomainError(_("存在利益冲突，不能分配：%(reasons)s") % {"reasons": "".join(reasons)}, code="conflict")
    if is_chair:
        PanelMembership.objects.filter(challenge=challenge, is_chair=True).update(is_chair=False)
    try:
        with transaction.atomic():
            membership = PanelMembership.objects.create(challenge=challenge, judge=judge, is_chair=is_chair, assigned_by=actor)
    except IntegrityError:
        raise DomainError(_("该专家已在评审组中。"), code="duplicate") from None
    audit_record(actor=actor, action="panel.assign", target=challenge, after={"judge": judge.pk, "is_chair": is_chair})
    notify(recipients=[judge], title=_("您被邀请评审榜单“%(title)s”") % {"title": challenge.title}, body=_("查看方案前请先签署回避承诺。"), link=reverse("accounts:home"))
    return membership


def suggest_judges(challenge: Challenge, *, limit: int = 10) -> list[tuple[User, int, int]]:
    """Judges without conflicts, best first: most fields shared with the scenario, then least busy.

    Returns (judge, shared fields, panels this contest)."""
    scenario = challenge.scenario
    words = {item.name for item in scenario.need_items.all()} | {scenario.domain.name if scenario.domain_id else ""}
    text = " ".join([scenario.title, scenario.need_description, *words])
    on_panel = set(challenge.panel.values_list("judge_id", flat=True))
    judges = (
        User.objects.filter(role_assignments__role="judge", is_active=True)
        .exclude(pk__in=on_panel)
        .select_related("judge_profile", "organisation")
        .annotate(workload=Count("panel_memberships", filter=Q(panel_memberships__challenge__contest=challenge.contest), distinct=True))
    )
    ranked = []
    for judge in judges:
        if challenge_conflicts(judge, challenge):
            continue
        if any(conflicts(judge, entry) for entry in challenge.entries.exclude(status=EntryStatus.WITHDRAWN).prefetch_related("members")):
            continue
        fields = getattr(getattr(judge, "judge_profile", None), "fields", []) or []
        shared = sum(1 for field in fields if field and field in text)
        ranked.append((judge, shared, judge.workload))
    ranked.sort(key=lambda row: (-row[1], row[2], row[0].pk))
    return ranked[:limit]


@transaction.atomic
def recusal_commitment_sign(*, actor: User, contest: Contest) -> RecusalCommitment:
    """A judge signs the 回避承诺 for a contest; entries are shown only after this."""
    if not actor.has_role("judge"):
        raise PermissionDenied(_("只有评审专家需要签署回避承诺。"))
    commitment, created = RecusalCommitment.objects.get_or_create(
        judge=actor, contest=contest, defaults={"text_sha256": hashlib.sha256(f"{RECUSAL_COMMITMENT}|{actor.pk}|{contest.pk}".encode()).hexdigest()}
    )
    if created:
        audit_record(actor=actor, action="judge.sign_recusal_commitment", target=contest, after={"sha256": commitment.text_sha256})
    return commitment


@transaction.atomic
def recuse(*, actor: User, entry: ContestEntry, reason: str) -> Recusal:
    """A judge who discovers a conflict steps back from the entry; the recusal is kept."""
    if not PanelMembership.objects.filter(challenge_id=entry.challenge_id, judge=actor).exists():
        raise PermissionDenied(_("您不是该榜单的评审专家。"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请说明回避原因。"), code="reason_required")
    recusal, created = Recusal.objects.get_or_create(judge=actor, entry=entry, defaults={"reason": reason[:300]})
    if created:
        audit_record(actor=actor, action="judge.recuse", target=entry, after={"reason": recusal.reason})
    return recusal


# ---- roadshow ------------------------------------------------------------------------------------

@transaction.atomic
def running_order_draw(*, actor: User, challenge: Challenge, first_slot_at, minutes_per_slot: int = 20, room: str = "") -> RunningOrderDraw:
    """Draw the roadshow running order by lot (the seed is kept, so the draw can be replayed)."""
    _require_operator(actor)
    if hasattr(challenge, "running_order_draw"):
        raise DomainError(_("出场顺序已抽签，不能重抽。"), code="drawn")
    if challenge.contest.is_at_or_after(Round.ROADSHOW):
        raise DomainError(_("路演评审已开始，不能再抽签。"), code="round_closed")
    entries = list(challenge.entries.filter(status=EntryStatus.ELIGIBLE).order_by("pk").values_list("pk", flat=True))
    if not entries:
        raise DomainError(_("还没有通过资格审查的方案。"), code="no_entries")
    if not 5 <= int(minutes_per_slot) <= 120:
        raise DomainError(_("每个方案的路演时长应在 5–120 分钟之间。"), code="minutes")
    seed = secrets.token_hex(16)
    order = list(entries)
    random.Random(seed).shuffle(order)
    draw = RunningOrderDraw.objects.create(challenge=challenge, seed=seed, order=order, drawn_by=actor)
    RoadshowSlot.objects.bulk_create(
        [
            RoadshowSlot(entry_id=entry_id, position=position, starts_at=first_slot_at + timedelta(minutes=minutes_per_slot * (position - 1)), room=(room or "")[:50])
            for position, entry_id in enumerate(order, start=1)
        ]
    )
    audit_record(actor=actor, action="roadshow.draw", target=challenge, after={"seed": seed, "order": order})
    return draw


def replay_draw(draw: RunningOrderDraw) -> list[int]:
    """Recompute a draw from its seed (anyone can check it was not arranged)."""
    order = sorted(draw.order)
    random.Random(draw.seed).shuffle(order)
    return order



@transaction.atomic
def entry_attachment_add(*, actor: User, entry: ContestEntry, uploaded_file) -> EntryAttachment:
    """The lead attaches solution documents while the entry is a draft (size and content checked)."""
    from core.uploads import check_upload

    if not _is_lead_member(actor, entry):
        raise PermissionDenied(_("只有牵头单位可以上传附件。"))
    if entry.status != EntryStatus.DRAFT:
        raise DomainError(_("方案提交后不能再修改附件。"), code="state")
    require_round(entry.challenge.contest, Round.REGISTRATION, _("上传揭榜附件"))
    if entry.attachments.count() >= 10:
        raise DomainError(_("每个方案最多 10 个附件。"), code="too_many_files")
    kind = check_upload(uploaded_file)
    attachment = EntryAttachment(entry=entry, original_name=uploaded_file.name[:200], size=uploaded_file.size, kind=kind, uploaded_by=actor)
    attachment.file.save(f"entry-{entry.pk}.{kind}", uploaded_file, save=False)
    attachment.save()
    audit_record(actor=actor, action="entry.attachment_add", target=entry, after={"attachment": attachment.original_name, "size": attachment.size})
    return attachment


@transaction.atomic
def judge_profile_save(*, actor: User, judge: User, title: str = "", fields: list[str] | None = None, affiliation_credit_code: str = "") -> JudgeProfile:
    """A judge (or an operator for them) keeps the expert profile: title, fields, employer's code."""
    from accounts.validators import validate_credit_code

    if actor.pk != judge.pk:
        _require_operator(actor)
    if not judge.has_role("judge"):
        raise DomainError(_("该用户不是评审专家。"), code="not_judge")
    words = [word.strip() for word in (fields or []) if word and word.strip()]
    if len(words) > 10 or any(len(word) > 20 for word in words):
        raise DomainError(_("专业领域最多 10 个，每个不超过 20 个字。"), code="fields")
    code = (affiliation_credit_code or "").strip()
    if code:
        try:
            validate_credit_code(code)
        except ValidationError as error:
            raise DomainError(error.messages[0], code="credit_code") from None
    profile, _created = JudgeProfile.objects.get_or_create(user=judge)
    before = {"title": profile.title, "fields": profile.fields, "affiliation_credit_code": profile.affiliation_credit_code}
    profile.title, profile.fields, profile.affiliation_credit_code = (title or "").strip()[:50], list(dict.fromkeys(words)), code
    profile.save()
    audit_record(actor=actor, action="judge.profile", target=judge, before=before, after={"title": profile.title, "fields": profile.fields, "affiliation_credit_code": code})
    return profile
