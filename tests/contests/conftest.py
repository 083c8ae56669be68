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
    return {round_name: now + timedelta(days=position - index) - timedelta(hours=1) for position, round_name in enumerate(ROUND_ORDER)}


@pytest.fixture
def contest_operator():
    return operator_user()


@pytest.fixture
def make_contest(contest_operator):
    def make(current="challenges", **kwargs):
        return services.contest_create(
            actor=contest_operator, name=kwargs.pop("name", "2026 宁波场景大赛"), year=2026, award_budget=kwargs.pop("award_budget", "5000000"),
            rounds=rounds_starting(current), **kwargs,
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
    return services.challenge_create(actor=scenario.created_by, contest=contest, scenario=scenario, award_cap="800000", requirements="车位检测准确率 ≥ 98%")


@pytest.fixture
def entrant():
    return UserFactory(organisation=OrganisationFactory(name="宁波甬视智能科技有限公司"), roles=["company"])


@pytest.fixture
def judge():
    return UserFactory(organisation=OrganisationFactory(kind="institute", name="宁波大学"), roles=["judge"])
