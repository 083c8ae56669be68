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
