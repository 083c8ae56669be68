from datetime import timedelta

import pytest
from django.utils import timezone

from contests import services
from contests.choices import ROUND_ORDER
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord
from tests.contests.conftest import rounds_starting
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_operator_brings_the_next_round_forward_and_it_is_audited(make_contest, contest_operator):
    contest = make_contest("registration")
    services.contest_reschedule(
        actor=contest_operator, contest=contest, rounds=rounds_starting("eligibility"), reason="报名提前截止"
    )
    contest.refresh_from_db()
    assert contest.current_round() == "eligibility"
    record = AuditRecord.objects.get(action="contest.reschedule")
    assert record.reason == "报名提前截止" and set(record.before["rounds"]) == set(ROUND_ORDER) == set(
        record.after["rounds"]
    )


def test_a_round_that_has_begun_cannot_be_put_back_into_the_future(make_contest, contest_operator):
    contest = make_contest("eligibility")
    before = contest.eligibility_open_at
    with pytest.raises(DomainError, match="已经开始"):
        services.contest_reschedule(
            actor=contest_operator, contest=contest, rounds=rounds_starting("registration"), reason="重新开放报名"
        )
    contest.refresh_from_db()
    assert contest.eligibility_open_at == before and contest.current_round() == "eligibility"


def test_rounds_stay_in_order_and_a_reason_is_needed(make_contest, contest_operator):
    contest = make_contest("challenges")
    rounds = rounds_starting("challenges")
    rounds["notice"] = rounds["review"] - timedelta(hours=1)
    with pytest.raises(DomainError, match="依次递增"):
        services.contest_reschedule(actor=contest_operator, contest=contest, rounds=rounds, reason="调整")
    with pytest.raises(DomainError, match="原因"):
        services.contest_reschedule(
            actor=contest_operator, contest=contest, rounds=rounds_starting("challenges"), reason=" "
        )
    assert not AuditRecord.objects.filter(action="contest.reschedule").exists()


def test_only_operators_reschedule(make_contest):
    contest = make_contest("challenges")
    later = {
        name: start + timedelta(days=1)
        for name, start in rounds_starting("challenges").items()
        if start > timezone.now()
    }
    with pytest.raises(PermissionDenied):
        services.contest_reschedule(
            actor=UserFactory(roles=["judge"]),
            contest=contest,
            rounds={**rounds_starting("challenges"), **later},
            reason="推迟",
        )


# ---- the rule at its boundaries, with the clock held still ----------------------------------------
# A start at or before now has begun: it may move only within the past (it stays begun). A start
# after now may be put off, or brought forward — into the past too, and then the round begins at once.

SECOND = timedelta(seconds=1)


@pytest.fixture
def frozen_now(monkeypatch):
    now = timezone.now().replace(microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


@pytest.fixture
def on_the_edge(frozen_now, contest_operator):
    """揭榜报名 began one second ago; 资格审查 begins in one second."""
    starts = {
        "challenges": frozen_now - timedelta(days=2),
        "registration": frozen_now - SECOND,
        "eligibility": frozen_now + SECOND,
        "roadshow": frozen_now + timedelta(days=2),
        "review": frozen_now + timedelta(days=3),
        "notice": frozen_now + timedelta(days=4),
        "results": frozen_now + timedelta(days=5),
    }
    contest = services.contest_create(
        actor=contest_operator, name="边界大赛", year=2026, award_budget="100000", rounds=starts
    )
    return contest, starts


def _reschedule(operator, contest, starts, **moves):
    return services.contest_reschedule(actor=operator, contest=contest, rounds={**starts, **moves}, reason="调整")


def test_a_round_begun_one_second_ago_cannot_move_even_one_second_into_the_future(
    on_the_edge, frozen_now, contest_operator
):
    contest, starts = on_the_edge
    with pytest.raises(DomainError, match="“揭榜报名”阶段已经开始"):
        _reschedule(contest_operator, contest, starts, registration=frozen_now + SECOND / 2)
    contest.refresh_from_db()
    assert contest.registration_open_at == starts["registration"]
    assert not AuditRecord.objects.filter(action="contest.reschedule").exists()


def test_a_round_beginning_exactly_now_has_begun(on_the_edge, frozen_now, contest_operator):
    contest, starts = on_the_edge
    _reschedule(contest_operator, contest, starts, registration=frozen_now)
    with pytest.raises(DomainError, match="已经开始"):
        _reschedule(
            contest_operator, contest, {**starts, "registration": frozen_now}, registration=frozen_now + SECOND / 2
        )


def test_a_round_that_has_begun_may_move_within_the_past(on_the_edge, frozen_now, contest_operator):
    contest, starts = on_the_edge
    _reschedule(contest_operator, contest, starts, registration=frozen_now - timedelta(hours=1))
    contest.refresh_from_db()
    assert contest.registration_open_at == frozen_now - timedelta(hours=1)
    assert contest.current_round() == "registration"


def test_a_round_starting_in_one_second_can_be_put_off(on_the_edge, frozen_now, contest_operator):
    contest, starts = on_the_edge
    _reschedule(contest_operator, contest, starts, eligibility=frozen_now + timedelta(days=1))
    contest.refresh_from_db()
    assert contest.eligibility_open_at == frozen_now + timedelta(days=1)
    assert contest.current_round() == "registration"


def test_a_round_not_yet_begun_can_be_brought_forward_into_the_past_and_begins_at_once(
    on_the_edge, frozen_now, contest_operator
):
    contest, starts = on_the_edge
    _reschedule(contest_operator, contest, starts, eligibility=frozen_now - SECOND / 2)
    contest.refresh_from_db()
    assert contest.current_round() == "eligibility"
    # …and from then on it is a round that has begun: it cannot be put back.
    with pytest.raises(DomainError, match="“资格审查”阶段已经开始"):
        _reschedule(
            contest_operator,
            contest,
            {**starts, "eligibility": contest.eligibility_open_at},
            eligibility=frozen_now + timedelta(days=1),
        )
