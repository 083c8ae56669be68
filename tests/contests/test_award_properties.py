"""Hypothesis over award amounts (#18): any string, Decimal, float or exponent, against the
challenge's cap (≤ ¥1,000,000) and what is left of the contest's budget. An amount in yuan with at
most two decimals, above 0 and within both limits, is decided and stored exactly; anything else is
refused with a Chinese message and writes nothing — through the service and the API."""

import math
from decimal import Decimal, InvalidOperation

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from contests import services
from contests.models import Award
from core.errors import DomainError
from tests.fuzzing import watch_writes
from tests.refusals import CHINESE, assert_refused_in_chinese

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

PROPERTY = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CAP = Decimal("800000")  # the challenge of tests/contests/conftest.py
PLAIN = st.decimals(min_value=Decimal("0.01"), max_value=CAP, places=2)
AMOUNT = st.one_of(
    PLAIN,
    PLAIN.map(str),
    PLAIN.map(lambda amount: f"{amount:,}"),
    st.text(max_size=14),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats(),
    st.integers(),
    st.sampled_from(["1e30", "1e6", "8e5", "1E+5", "-0", "0.00", "800000.001", "1,000,000", "１００", "1_000", ""]),
)
BUDGET_LEFT = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("2000000"), places=2)


def number_named(value) -> Decimal | None:
    """The number a value names, if it names one at all."""
    try:
        return Decimal(repr(value) if isinstance(value, float) else str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None


@pytest.fixture
def award_world(results, contest_operator):
    challenge, entries = results
    return challenge.contest, entries[2], contest_operator


def check_outcome(value, left: Decimal, contest, decide) -> None:
    """With `left` of the budget unspent, `decide()` either stores exactly the number named, within
    cap and budget, or refuses in Chinese and writes nothing; every plain amount within the limits
    is accepted."""
    with transaction.atomic():
        contest.award_budget = left
        contest.save(update_fields=["award_budget"])
        with watch_writes() as writes:
            award, message = decide()
        named = number_named(value)
        if award is None:
            assert message and CHINESE.search(message), message
            assert not writes, str(writes)
            within = named is not None and named.is_finite() and 0 < named <= min(CAP, left)
            assert not (isinstance(value, Decimal) and within and named == named.quantize(Decimal("0.01"))), value
        else:
            assert award.amount == named and 0 < award.amount <= min(CAP, left), (value, award.amount)
            assert Award.objects.get(pk=award.pk).amount == named
        transaction.set_rollback(True)


@PROPERTY
@given(value=AMOUNT, left=BUDGET_LEFT)
def test_the_service_decides_exactly_the_amount_within_cap_and_budget_or_refuses_in_chinese(award_world, value, left):
    contest, entry, operator = award_world

    def decide():
        try:
            return services.award_decide(actor=operator, entry=entry, amount=value), ""
        except DomainError as refusal:
            return None, refusal.message

    check_outcome(value, left, contest, decide)


@PROPERTY
@given(value=AMOUNT, left=BUDGET_LEFT)
@example(value=float("inf"), left=Decimal("1000")).via("the CI run of 2026-12-07 drew it")
@example(value=float("nan"), left=Decimal("1000"))
def test_the_api_decides_exactly_the_amount_or_answers_a_chinese_400(award_world, value, left):
    contest, entry, operator = award_world
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(operator)
    # JSON has no NaN or Infinity, and the test client refuses to encode them: such a float goes as
    # the text a careless client would send ("inf", "nan").
    non_finite = isinstance(value, float) and not math.isfinite(value)
    sent = str(value) if isinstance(value, Decimal) or non_finite else value

    def decide():
        response = api.post("/api/v1/awards/", {"entry": entry.pk, "amount": sent}, format="json")
        if response.status_code in (200, 201):
            return Award.objects.get(pk=response.json()["id"]), ""
        return None, " ".join(assert_refused_in_chinese(response, status=400))

    check_outcome(value, left, contest, decide)
