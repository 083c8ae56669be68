"""Opening a contest, choosing its eligibility rules, and its score sheet (rubric)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contests.choices import ROUND_ORDER, Dimension, Round
from contests.eligibility import RULE_KINDS
from contests.models import ROUND_FIELDS, Contest, Criterion, EligibilityRule
from contests.money import parse_money
from contests.permissions import require_contest_manager
from contests.services.notices import contest_rankings_announce
from core.errors import DomainError
from core.services import audit_record

# The default score sheet (DESIGN.md, from the policy's wording): dimension, criterion, points.
DEFAULT_RUBRIC = [
    (Dimension.BUSINESS, "场景需求理解", 15),
    (Dimension.TECHNICAL, "整体技术解决方案", 25),
    (Dimension.TECHNICAL, "方案可实施性", 20),
    (Dimension.BUSINESS, "结果评价/预期成效", 15),
    (Dimension.TECHNICAL, "首创性", 15),
    (Dimension.TECHNICAL, "先进性", 10),
]


def _round_starts_in_order(rounds: dict) -> list:
    """The start of every round, in the rounds' order; refused unless each is given and they increase."""
    starts = [rounds.get(round_name) for round_name in ROUND_ORDER]
    if any(start is None for start in starts):
        raise DomainError(_("请填写每个阶段的开始时间。"), code="rounds")
    if any(later <= earlier for earlier, later in zip(starts, starts[1:])):
        raise DomainError(
            _("各阶段的开始时间须依次递增：发榜 → 揭榜报名 → 资格审查 → 路演评审 → 复议 → 公示 → 结果发布。"),
            code="rounds",
        )
    return starts


@transaction.atomic
def contest_create(
    *,
    actor: User,
    name: str,
    year: int,
    award_budget,
    rounds: dict,
    entries_per_company: int = 3,
    description: str = "",
) -> Contest:
    """An operator opens a contest with its round dates, and the default score sheet.

    Side effects: the contest and its default criteria; an audit record."""
    require_contest_manager(actor)
    budget = parse_money(award_budget, field=_("奖励预算"), column=Contest._meta.get_field("award_budget"))
    if budget <= 0:
        raise DomainError(_("奖励预算应大于 0。"), code="budget")
    if not 1 <= int(entries_per_company) <= 20:
        raise DomainError(_("每家企业限报数应在 1–20 之间。"), code="limit")
    starts = _round_starts_in_order(rounds)
    contest = Contest.objects.create(
        name=name,
        year=year,
        award_budget=budget,
        entries_per_company=entries_per_company,
        description=description,
        created_by=actor,
        **{ROUND_FIELDS[round_name]: start for round_name, start in zip(ROUND_ORDER, starts)},
    )
    Criterion.objects.bulk_create(
        [
            Criterion(contest=contest, dimension=dimension, name=name_, max_points=points, position=index)
            for index, (dimension, name_, points) in enumerate(DEFAULT_RUBRIC)
        ]
    )
    audit_record(
        actor=actor,
        action="contest.create",
        target=contest,
        after={"name": name, "budget": budget, "rounds": {r: s for r, s in zip(ROUND_ORDER, starts)}},
    )
    return contest


@transaction.atomic
def contest_reschedule(*, actor: User, contest: Contest, rounds: dict, reason: str) -> Contest:
    """An operator changes the round start times (bringing a round forward, or putting one off).

    The rounds stay in order, and a round that has begun stays begun: eligibility decisions, signed
    score sheets and the frozen rubric rest on it, so no start time moves from the past into the
    future. At the boundary: a start at or before now has begun (it may move only within the past);
    a start after now may be put off, or brought forward — into the past too, and the round then
    begins at once (tests/contests/test_reschedule.py holds both sides of each edge).
    Side effects: the new dates and an audit record with the old and new dates and the reason;
    when 公示 is thereby open, the entrants told their published rank (once).
    """
    require_contest_manager(actor)
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写调整日程的原因。"), code="reason_required")
    starts = _round_starts_in_order(rounds)
    now = timezone.now()
    for round_name, start in zip(ROUND_ORDER, starts):
        if contest.round_start(round_name) <= now < start:
            raise DomainError(
                _("“%(round)s”阶段已经开始，不能把开始时间改到将来。") % {"round": Round(round_name).label},
                code="round_begun",
            )
    before = {round_name: contest.round_start(round_name) for round_name in ROUND_ORDER}
    for round_name, start in zip(ROUND_ORDER, starts):
        setattr(contest, ROUND_FIELDS[round_name], start)
    contest.save(update_fields=list(ROUND_FIELDS.values()))
    audit_record(
        actor=actor,
        action="contest.reschedule",
        target=contest,
        before={"rounds": before},
        after={"rounds": dict(zip(ROUND_ORDER, starts))},
        reason=reason[:500],
    )
    if contest.is_at_or_after(Round.NOTICE):  # 公示 brought forward: the ranking is published now
        contest_rankings_announce(contest)
    return contest


@transaction.atomic
def eligibility_rules_set(*, actor: User, contest: Contest, kinds: list[str]) -> list[str]:
    """Choose the contest's eligibility conditions from the closed list (no size or market rules),
    until 揭榜报名 opens. Side effects: the contest's rules replaced; an audit record."""
    require_contest_manager(actor)
    unknown = [kind for kind in kinds if kind not in RULE_KINDS]
    if unknown:
        raise DomainError(
            _("不支持的资格条件：%(kinds)s。资格条件不得涉及企业规模或市场业绩。") % {"kinds": "、".join(unknown)},
            code="rule_kind",
        )
    if contest.is_at_or_after(Round.REGISTRATION):
        raise DomainError(_("揭榜报名开始后不能修改资格条件。"), code="frozen")
    before = sorted(contest.eligibility_rules.values_list("kind", flat=True))
    contest.eligibility_rules.all().delete()
    EligibilityRule.objects.bulk_create([EligibilityRule(contest=contest, kind=kind) for kind in sorted(set(kinds))])
    audit_record(
        actor=actor,
        action="contest.eligibility_rules",
        target=contest,
        before={"rules": before},
        after={"rules": sorted(set(kinds))},
    )
    return sorted(set(kinds))


@transaction.atomic
def rubric_update(*, actor: User, contest: Contest, criteria: list[dict]) -> list[Criterion]:
    """Replace the score sheet. Maxima must be whole points summing to exactly 100, with both
    技术 and 商务 present; once 路演评审 has begun the sheet is frozen.

    Side effects: the contest's criteria replaced; an audit record with the sheet before and after."""
    require_contest_manager(actor)
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
        rows.append(
            Criterion(
                contest=contest,
                dimension=dimension,
                name=name,
                max_points=points,
                position=index,
                description=str(criterion.get("description") or "")[:300],
            )
        )
    total = sum(row.max_points for row in rows)
    if total != 100:
        raise DomainError(_("各评分项分值合计应为 100，当前为 %(total)d。") % {"total": total}, code="total")
    if {row.dimension for row in rows} != set(Dimension.values):
        raise DomainError(_("评分表须同时包含技术和商务两个维度。"), code="dimensions")
    before = list(contest.criteria.values("dimension", "name", "max_points"))
    contest.criteria.all().delete()
    created = Criterion.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="contest.rubric_update",
        target=contest,
        before={"criteria": before},
        after={"criteria": [{"dimension": r.dimension, "name": r.name, "max_points": r.max_points} for r in rows]},
    )
    return created
