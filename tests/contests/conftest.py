from datetime import timedelta

import pytest
from django.utils import timezone

from contests import services
from contests.choices import ROUND_ORDER
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.scenarios import ScenarioFactory


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    pass


def rounds_starting(current: str) -> dict:
    """Round start times such that `current` is the round in force now (one day each)."""
    now = timezone.now()
    index = ROUND_ORDER.index(current)
    return {
        round_name: now + timedelta(days=position - index) - timedelta(hours=1)
        for position, round_name in enumerate(ROUND_ORDER)
    }


@pytest.fixture
def contest_operator():
    return operator_user()


@pytest.fixture
def make_contest(contest_operator):
    def make(current="challenges", **kwargs):
        return services.contest_create(
            actor=contest_operator,
            name=kwargs.pop("name", "2026 宁波场景大赛"),
            year=2026,
            award_budget=kwargs.pop("award_budget", "5000000"),
            rounds=rounds_starting(current),
            **kwargs,
        )

    return make


def move_to(contest, current: str):
    """Shift a contest's dates so that `current` is the round in force."""
    from contests.models import ROUND_FIELDS

    for round_name, start in rounds_starting(current).items():
        setattr(contest, ROUND_FIELDS[round_name], start)
    contest.save()
    return contest


@pytest.fixture
def challenge(make_contest):
    contest = make_contest("challenges")
    scenario = ScenarioFactory(status="published", title="智慧停车管理系统")
    return services.challenge_create(
        actor=scenario.created_by,
        contest=contest,
        scenario=scenario,
        award_cap="800000",
        requirements="车位检测准确率 ≥ 98%",
    )


@pytest.fixture
def entrant():
    return UserFactory(organisation=OrganisationFactory(name="宁波甬视智能科技有限公司"), roles=["company"])


@pytest.fixture
def judge():
    return UserFactory(organisation=OrganisationFactory(kind="institute", name="宁波大学"), roles=["judge"])


def make_eligible_entries(challenge, operator, count: int) -> list:
    """`count` eligible entries from different companies (leaves the contest in 资格审查)."""
    entries = []
    move_to(challenge.contest, "registration")
    for number in range(count):
        company = UserFactory(
            organisation=OrganisationFactory(name=f"宁波参赛企业{number + 1}有限公司"), roles=["company"]
        )
        entry = services.entry_create(
            actor=company, challenge=challenge, title=f"方案{number + 1}", summary="以成熟产品为基础定制集成。"
        )
        entries.append(services.entry_submit(actor=company, entry=entry, commitment_accepted=True))
    move_to(challenge.contest, "eligibility")
    return [services.entry_review_eligibility(actor=operator, entry=entry, eligible=True) for entry in entries]


def make_panel(challenge, operator, size: int) -> list:
    """`size` judges on the panel (the first chairs it), each having signed the 回避承诺."""
    judges = []
    for number in range(size):
        judge = UserFactory(
            organisation=OrganisationFactory(kind="institute", name=f"评审单位{number + 1}"),
            roles=["judge"],
            display_name=f"专家{number + 1}",
        )
        services.panel_assign(actor=operator, challenge=challenge, judge=judge, is_chair=number == 0)
        services.recusal_commitment_sign(actor=judge, contest=challenge.contest)
        judges.append(judge)
    return judges


def sheet_points(contest, by_name: dict) -> dict:
    """{criterion id: points} from {criterion name: points}."""
    ids = dict(contest.criteria.values_list("name", "id"))
    return {ids[name]: str(points) for name, points in by_name.items()}


# A full sheet of the default rubric for a given total: spread the points in proportion.
DEFAULT_MAXIMA = {
    "场景需求理解": 15,
    "整体技术解决方案": 25,
    "方案可实施性": 20,
    "结果评价/预期成效": 15,
    "首创性": 15,
    "先进性": 10,
}


def full_sheet(contest, overrides: dict | None = None) -> dict:
    """Every criterion at its maximum unless overridden: {criterion id: points}."""
    return sheet_points(contest, DEFAULT_MAXIMA | (overrides or {}))


def sheet_totalling(contest, total) -> dict:
    """A full sheet summing to `total`: points taken off the criteria in rubric order."""
    from decimal import Decimal

    points = {name: Decimal(maximum) for name, maximum in DEFAULT_MAXIMA.items()}
    missing = Decimal(100) - Decimal(str(total))
    for name in points:
        taken = min(points[name], missing)
        points[name] -= taken
        missing -= taken
    return sheet_points(contest, points)


@pytest.fixture
def roadshow(challenge, contest_operator):
    """A challenge in 路演评审 with three eligible entries and a five-judge panel."""
    entries = make_eligible_entries(challenge, contest_operator, 3)
    judges = make_panel(challenge, contest_operator, 5)
    move_to(challenge.contest, "roadshow")
    return challenge, entries, judges


@pytest.fixture
def scored(roadshow, django_capture_on_commit_callbacks):
    """The roadshow fixture with every sheet submitted: entry totals per judge below; ranks
    entry 3 (90.00), entry 1 (84.00), entry 2 (80.00)."""

    challenge, entries, judges = roadshow
    totals = [[80, 82, 84, 86, 99], [70, 75, 80, 85, 90], [60, 90, 90, 90, 95]]
    with django_capture_on_commit_callbacks(execute=True):
        for entry, entry_totals in zip(entries, totals):
            for judge, total in zip(judges, entry_totals):
                services.sheet_save(
                    actor=judge, entry=entry, points=sheet_totalling(challenge.contest, total), submit=True
                )
    return challenge, entries, judges


@pytest.fixture
def results(scored, contest_operator):
    """The scored challenge after 公示, every entry's 信用核查 passed."""
    challenge, entries, judges = scored
    for entry in entries:
        services.entry_record_credit_check(actor=contest_operator, entry=entry, passed=True)
    move_to(challenge.contest, "results")
    return challenge, entries
