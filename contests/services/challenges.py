"""Putting a scenario into a contest as a 榜单."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from contests.choices import Round
from contests.models import AWARD_CAP_LIMIT, Challenge, Contest
from contests.money import parse_money
from contests.rounds import require_round
from core.errors import DomainError, PermissionDenied
from core.services import audit_record
from scenarios.permissions import is_publisher_of
from scenarios.services import scenario_enter_contest


@transaction.atomic
def challenge_create(
    *,
    actor: User,
    contest: Contest,
    scenario,
    award_cap,
    requirements: str,
    title: str = "",
    drafters: list[User] | None = None,
) -> Challenge:
    """A publisher puts its published scenario into the contest as a 榜单 during 发榜.

    Two steps, both or neither: the challenge is created (its drafters default to the publisher
    user), then the scenario moves to 进入场景大赛 through scenarios.services.scenario_enter_contest
    (with that service's own side effects). A refused transition undoes the challenge.
    Side effects: an audit record for the challenge."""
    if not is_publisher_of(actor, scenario):
        raise PermissionDenied(_("只有场景的发榜单位可以发榜。"))
    require_round(contest, Round.CHALLENGES, _("发榜"))
    if scenario.status != "published":
        raise DomainError(_("只有已发布、尚未进入大赛的场景可以发榜。"), code="scenario_state")
    cap = parse_money(award_cap, field=_("奖励上限"), column=Challenge._meta.get_field("award_cap"))
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
                contest=contest,
                scenario=scenario,
                title=(title or scenario.title)[:100],
                requirements=requirements[:3000],
                award_cap=cap,
                created_by=actor,
            )
    except IntegrityError:
        raise DomainError(_("该场景已在本届大赛中发榜。"), code="duplicate") from None
    challenge.drafters.set(drafters or [actor])
    scenario_enter_contest(actor=actor, scenario=scenario)
    audit_record(
        actor=actor,
        action="challenge.create",
        target=challenge,
        after={"contest": contest.pk, "scenario": scenario.pk, "award_cap": cap},
    )
    return challenge
