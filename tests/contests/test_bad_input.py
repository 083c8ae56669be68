"""Amounts that do not fit where they are stored, and positions that are not numbers, on the
contests' pages and API: refused in Chinese with nothing stored, never a 500 (#18).

An award of ¥1e30 was refused already; an amount below that but beyond its column's max_digits
(a contract of ¥9,999,999,999,999 in a DecimalField(14, 2)) passed the check and failed the
insert on PostgreSQL (a 500; SQLite stored it).
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from contests import services
from contests.models import Award, CooperationAgreement, PolicyBenefit
from tests.refusals import assert_refused_in_chinese, database_state

pytestmark = pytest.mark.django_db

BEYOND_ANY_COLUMN = "9999999999999"  # below the old bound of 1e13, beyond every money column
HUGE_ID = 10**30


@pytest.fixture
def winner(results, contest_operator):
    """The challenge after 公示 with ¥500,000 awarded to its first-ranked entry."""
    challenge, entries = results
    services.award_decide(actor=contest_operator, entry=entries[2], amount="500000")
    return challenge, entries[2]


@pytest.fixture
def api(contest_operator):
    client = APIClient()
    client.force_authenticate(contest_operator)
    return client


def _refused(response, before, *, status=None):
    texts = assert_refused_in_chinese(response, status=status)
    assert database_state() == before
    return texts


@pytest.mark.parametrize("amount", ["1e30", BEYOND_ANY_COLUMN, "-1e30", "NaN"])
def test_an_award_amount_that_cannot_be_stored_is_refused_on_the_page(client, results, contest_operator, amount):
    challenge, entries = results
    client.force_login(contest_operator)
    before = database_state()
    response = client.post(
        reverse("contests:awards", args=[challenge.contest_id]),
        {"entry": entries[2].pk, "amount": amount},
        follow=True,
    )
    _refused(response, before)
    assert not Award.objects.exists()


@pytest.mark.parametrize("amount", ["1e30", BEYOND_ANY_COLUMN, 1e30])
def test_an_award_amount_that_cannot_be_stored_is_a_400_in_the_api(api, results, amount):
    _challenge, entries = results
    before = database_state()
    response = api.post(reverse("v1:award-list"), {"entry": entries[2].pk, "amount": amount}, format="json")
    texts = _refused(response, before, status=400)
    assert any("奖励金额" in text for text in texts)


def test_a_contract_amount_beyond_its_column_is_refused_on_the_page(client, winner, contest_operator):
    _challenge, entry = winner
    client.force_login(contest_operator)
    before = database_state()
    response = client.post(
        reverse("contests:cooperation", args=[entry.pk]),
        {"action": "agreement", "mode": "procurement", "contract_amount": BEYOND_ANY_COLUMN},
    )
    texts = _refused(response, before)
    assert any("合同金额超出范围" in text for text in texts)
    assert not CooperationAgreement.objects.exists()


def test_a_contract_amount_beyond_its_column_is_a_400_in_the_api(api, winner):
    _challenge, entry = winner
    before = database_state()
    response = api.post(
        reverse("v1:agreement-list"),
        {"entry": entry.pk, "mode": "procurement", "contract_amount": BEYOND_ANY_COLUMN},
        format="json",
    )
    assert "合同金额超出范围" in _refused(response, before, status=400)[0]


def test_a_premium_beyond_its_column_is_refused_on_the_page_and_in_the_api(client, api, winner, contest_operator):
    _challenge, entry = winner
    benefit = {"kind": "insurance", "year": 2027, "insured_kind": "first_batch", "subsidy_percent": "30"}
    client.force_login(contest_operator)
    before = database_state()
    page = client.post(
        reverse("contests:cooperation", args=[entry.pk]),
        {"action": "benefit", "premium": "99999999999", **benefit},  # 11 digits: beyond DecimalField(12, 2)
    )
    assert any("保费超出范围" in text for text in _refused(page, before))
    answer = api.post(
        reverse("v1:benefit-list"), {"entry": entry.pk, "premium": BEYOND_ANY_COLUMN, **benefit}, format="json"
    )
    assert "保费超出范围" in _refused(answer, before, status=400)[0]
    assert not PolicyBenefit.objects.exists()


def test_a_contest_budget_beyond_its_column_is_refused(contest_operator, make_contest):
    from core.errors import DomainError

    with pytest.raises(DomainError, match="奖励预算超出范围"):
        make_contest(award_budget=BEYOND_ANY_COLUMN)


def test_a_tie_position_that_is_not_a_plain_number_is_refused_on_the_page(client, results, contest_operator):
    """ "²" passes str.isdigit() but not int(): the form answered a 500."""
    challenge, entries = results
    client.force_login(contest_operator)
    before = database_state()
    response = client.post(
        reverse("contests:ranking", args=[challenge.pk]),
        {
            "action": "tie",
            "entries": [entries[0].pk, entries[1].pk],
            f"position_{entries[0].pk}": "²",
            f"position_{entries[1].pk}": "1",
            "reason": "并列名次由评审委员会确定",
        },
        follow=True,
    )
    assert any("名次先后" in text for text in _refused(response, before))


def test_tie_decision_ids_beyond_64_bits_are_refused_in_the_api(api, results):
    challenge, _entries = results
    before = database_state()
    response = api.post(
        reverse("v1:ranking-tie-decision", args=[challenge.pk]),
        {"order": [HUGE_ID, HUGE_ID + 1], "reason": "并列"},
        format="json",
    )
    _refused(response, before)
