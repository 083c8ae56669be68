from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from contests import services
from contests.models import Challenge, ContestEntry, Criterion, RoadshowSlot
from core.errors import DomainError, PermissionDenied
from tests.contests.conftest import move_to
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db


def test_contest_has_rounds_and_the_default_rubric(make_contest):
    contest = make_contest("registration")
    assert contest.current_round() == "registration"
    assert sum(Criterion.objects.filter(contest=contest).values_list("max_points", flat=True)) == 100
    assert set(Criterion.objects.filter(contest=contest).values_list("name", flat=True)) >= {
        "场景需求理解",
        "首创性",
        "先进性",
    }


def test_rounds_must_be_in_order(contest_operator):
    now = timezone.now()
    rounds = {
        name: now + timedelta(days=day)
        for day, name in enumerate(
            ["challenges", "registration", "eligibility", "roadshow", "review", "notice", "results"]
        )
    }
    rounds["review"] = rounds["roadshow"] - timedelta(hours=1)
    with pytest.raises(DomainError, match="依次递增"):
        services.contest_create(actor=contest_operator, name="x", year=2026, award_budget="100", rounds=rounds)


def test_publisher_puts_a_published_scenario_into_the_contest(challenge):
    challenge.scenario.refresh_from_db()
    assert challenge.scenario.status == "in_contest" and challenge.award_cap == Decimal("800000.00")
    assert list(challenge.drafters.all()) == [challenge.created_by]


@pytest.mark.parametrize(
    ("cap", "message"),
    [
        ("1000000.01", "不超过 100 万元"),
        ("0", "应大于 0"),
        ("-5", "应大于 0"),
        ("12.345", "两位小数"),
        ("十万", "金额数字"),
    ],
)
def test_award_cap_over_one_million_or_malformed_is_refused(make_contest, cap, message):
    contest = make_contest("challenges")
    scenario = ScenarioFactory(status="published")
    with pytest.raises(DomainError, match=message):
        services.challenge_create(
            actor=scenario.created_by, contest=contest, scenario=scenario, award_cap=cap, requirements="要求"
        )
    assert not Challenge.objects.exists()


def test_award_cap_is_a_database_constraint_too(challenge):
    with pytest.raises(IntegrityError), transaction.atomic():
        Challenge.objects.filter(pk=challenge.pk).update(award_cap=Decimal("1000000.01"))


def test_acting_outside_the_round_says_when_it_opens_or_closed(make_contest):
    contest = make_contest("registration")
    scenario = ScenarioFactory(status="published")
    with pytest.raises(DomainError, match="已于 .* 截止"):
        services.challenge_create(
            actor=scenario.created_by, contest=contest, scenario=scenario, award_cap="1000", requirements="要求"
        )
    early = make_contest("challenges", name="下一届")
    entrant = UserFactory(organisation=OrganisationFactory(), roles=["company"])
    challenge = services.challenge_create(
        actor=scenario.created_by, contest=early, scenario=scenario, award_cap="1000", requirements="要求"
    )
    with pytest.raises(DomainError, match="将于 .* 开始"):
        services.entry_create(actor=entrant, challenge=challenge, title="方案", summary="摘要")


def test_consortium_entry_needs_every_member_to_confirm_and_a_signed_commitment(challenge, entrant):
    move_to(challenge.contest, "registration")
    member_org = OrganisationFactory(kind="institute", name="中国科学院宁波材料所")
    member_user = UserFactory(organisation=member_org, roles=["publisher"])
    entry = services.entry_create(
        actor=entrant, challenge=challenge, title="视频桩方案", summary="高位视频 + 地磁", members=[member_org]
    )
    with pytest.raises(DomainError, match="尚未确认"):
        services.entry_submit(actor=entrant, entry=entry, commitment_accepted=True)
    with pytest.raises(PermissionDenied):
        services.consortium_respond(actor=entrant, membership=entry.members.get(), accept=True)
    services.consortium_respond(actor=member_user, membership=entry.members.get(), accept=True)
    with pytest.raises(DomainError, match="信用承诺"):
        services.entry_submit(actor=entrant, entry=entry, commitment_accepted=False)
    entry = services.entry_submit(actor=entrant, entry=entry, commitment_accepted=True)
    assert entry.status == "submitted" and len(entry.commitment_sha256) == 64 and entry.commitment_signed_at is not None


def test_an_entry_after_the_deadline_is_refused(challenge, entrant):
    move_to(challenge.contest, "registration")
    entry = services.entry_create(actor=entrant, challenge=challenge, title="方案", summary="摘要")
    move_to(challenge.contest, "eligibility")
    with pytest.raises(DomainError, match="已于 .* 截止"):
        services.entry_submit(actor=entrant, entry=entry, commitment_accepted=True)
    assert ContestEntry.objects.get(pk=entry.pk).status == "draft"


def test_unverified_companies_and_the_entry_limit(make_contest, entrant):
    contest = make_contest("challenges", entries_per_company=1)
    challenges = []
    for _ in range(2):
        scenario = ScenarioFactory(status="published")
        challenges.append(
            services.challenge_create(
                actor=scenario.created_by, contest=contest, scenario=scenario, award_cap="1000", requirements="要求"
            )
        )
    move_to(contest, "registration")
    services.entry_create(actor=entrant, challenge=challenges[0], title="一", summary="一")
    with pytest.raises(DomainError, match="最多揭榜 1 个"):
        services.entry_create(actor=entrant, challenge=challenges[1], title="二", summary="二")
    pending = UserFactory(organisation=OrganisationFactory(verification_status="pending"), roles=["company"])
    with pytest.raises(DomainError, match="尚未通过机构认证"):
        services.entry_create(actor=pending, challenge=challenges[1], title="三", summary="三")


def test_eligibility_review_with_reasons_and_the_rule_editor_offers_no_size_rule(challenge, entrant, contest_operator):
    with pytest.raises(DomainError, match="不得涉及企业规模或市场业绩"):
        services.eligibility_rules_set(actor=contest_operator, contest=challenge.contest, kinds=["min_employees"])
    services.eligibility_rules_set(actor=contest_operator, contest=challenge.contest, kinds=["registered_district"])
    move_to(challenge.contest, "registration")
    entry = services.entry_submit(
        actor=entrant,
        entry=services.entry_create(actor=entrant, challenge=challenge, title="方案", summary="摘要"),
        commitment_accepted=True,
    )
    move_to(challenge.contest, "eligibility")
    with pytest.raises(DomainError, match="请填写资格审查不通过的原因"):
        services.entry_review_eligibility(actor=contest_operator, entry=entry, eligible=False)
    entry = services.entry_review_eligibility(actor=contest_operator, entry=entry, eligible=True)
    assert entry.status == "eligible"
    entry = services.entry_record_credit_check(
        actor=contest_operator, entry=entry, passed=True, note="信用中国无不良记录"
    )
    assert entry.credit_check == "passed"


def test_rubric_must_sum_to_100_and_freezes_when_scoring_opens(make_contest, contest_operator):
    contest = make_contest("registration")
    sheet = [
        {"dimension": "technical", "name": "技术方案", "max_points": 60},
        {"dimension": "business", "name": "商务方案", "max_points": 30},
    ]
    with pytest.raises(DomainError, match="合计应为 100，当前为 90"):
        services.rubric_update(actor=contest_operator, contest=contest, criteria=sheet)
    sheet[1]["max_points"] = 40
    services.rubric_update(actor=contest_operator, contest=contest, criteria=sheet)
    assert list(contest.criteria.values_list("name", "max_points")) == [("技术方案", 60), ("商务方案", 40)]
    move_to(contest, "roadshow")
    with pytest.raises(DomainError, match="评分表已锁定"):
        services.rubric_update(actor=contest_operator, contest=contest, criteria=sheet)


def test_running_order_is_drawn_by_lot_and_can_be_replayed(challenge, contest_operator):
    move_to(challenge.contest, "registration")
    entries = []
    for number in range(4):
        company = UserFactory(organisation=OrganisationFactory(), roles=["company"])
        entries.append(
            services.entry_submit(
                actor=company,
                entry=services.entry_create(actor=company, challenge=challenge, title=f"方案{number}", summary="摘要"),
                commitment_accepted=True,
            )
        )
    move_to(challenge.contest, "eligibility")
    for entry in entries:
        services.entry_review_eligibility(actor=contest_operator, entry=entry, eligible=True)
    start = timezone.now() + timedelta(days=3)
    draw = services.running_order_draw(
        actor=contest_operator, challenge=challenge, first_slot_at=start, minutes_per_slot=20, room="第一会议室"
    )
    assert sorted(draw.order) == sorted(entry.pk for entry in entries)
    assert services.replay_draw(draw) == draw.order
    second = RoadshowSlot.objects.get(entry_id=draw.order[1])
    assert second.position == 2 and second.starts_at == start + timedelta(minutes=20) and second.room == "第一会议室"
    with pytest.raises(DomainError, match="不能重抽"):
        services.running_order_draw(actor=contest_operator, challenge=challenge, first_slot_at=start)


def test_a_refused_scenario_transition_leaves_no_challenge(make_contest, monkeypatch):
    """challenge_create is both steps or neither: the 榜单 and the scenario entering the contest."""
    from contests.services import challenges

    def refuse(**kwargs):
        raise DomainError("场景状态不允许进入大赛。")

    contest = make_contest("challenges")
    scenario = ScenarioFactory(status="published")
    monkeypatch.setattr(challenges, "scenario_enter_contest", refuse)
    with pytest.raises(DomainError, match="不允许进入大赛"):
        services.challenge_create(
            actor=scenario.created_by, contest=contest, scenario=scenario, award_cap="1000", requirements="要求"
        )
    scenario.refresh_from_db()
    assert not Challenge.objects.exists() and scenario.status == "published"
