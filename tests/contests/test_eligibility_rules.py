"""Each eligibility condition refusing on its own (contests.eligibility.unmet_conditions), the two
that every contest applies whatever its rules say, and the entry that meets them all."""

import pytest
from django.utils import timezone

from contests.eligibility import ALWAYS, RULE_KINDS, unmet_conditions
from contests.models import ContestEntry, EligibilityRule
from tests.factories.accounts import OrganisationFactory
from tests.factories.capability_list import EntryFactory

pytestmark = pytest.mark.django_db


def _entry(challenge, *, verified=True, district=True, listed=True, committed=True):
    """An entry (unsaved: only its lead, challenge and commitment count) meeting every condition
    except those switched off."""
    lead = OrganisationFactory(verification_status="verified" if verified else "pending")
    if not district:
        # The column is required today, so only an organisation in memory can lack one; the rule
        # stays for records made before it was.
        lead.district_id = None
    if listed:
        EntryFactory(company=lead, status="listed")
    else:
        EntryFactory(company=lead, status="draft")  # not yet listed: does not count
    return ContestEntry(
        challenge=challenge, lead=lead, title="方案", commitment_signed_at=timezone.now() if committed else None
    )


def _rules(challenge, *kinds):
    for kind in kinds:
        EligibilityRule.objects.create(contest=challenge.contest, kind=kind)


def test_an_entry_meeting_every_rule_has_no_unmet_condition(challenge):
    """Rule: every condition met → nothing to refuse, whichever rules the contest sets."""
    _rules(challenge, *RULE_KINDS)
    assert unmet_conditions(_entry(challenge)) == []


@pytest.mark.parametrize(
    "kind, failing, reason",
    [
        ("verified_organisation", {"verified": False}, "揭榜单位尚未通过机构认证。"),
        ("registered_district", {"district": False}, "揭榜单位未登记所在区域。"),
        ("listed_capability", {"listed": False}, "揭榜单位在能力清单中没有已入库的技术（产品）。"),
        ("credit_commitment", {"committed": False}, "未签署信用承诺。"),
    ],
)
def test_each_condition_refuses_alone(challenge, kind, failing, reason):
    """Rule: each eligibility condition, set by the contest, refuses the entry that fails only it."""
    _rules(challenge, *RULE_KINDS)
    assert unmet_conditions(_entry(challenge, **failing)) == [reason]


@pytest.mark.parametrize(
    "failing, reason",
    [({"verified": False}, "揭榜单位尚未通过机构认证。"), ({"committed": False}, "未签署信用承诺。")],
)
def test_the_always_applied_conditions_hold_in_a_contest_without_rules(challenge, failing, reason):
    """Rule: ALWAYS — organisation verified and credit commitment signed — in every contest."""
    assert set(ALWAYS) == {"verified_organisation", "credit_commitment"}
    assert unmet_conditions(_entry(challenge, **failing)) == [reason]


@pytest.mark.parametrize("failing", [{"district": False}, {"listed": False}])
def test_a_condition_the_contest_did_not_set_is_not_applied(challenge, failing):
    """Rule: registered district and listed capability apply only where the contest sets them."""
    assert unmet_conditions(_entry(challenge, **failing)) == []


def test_every_unmet_condition_is_listed_in_a_fixed_order(challenge):
    """Rule: the refusal names every unmet condition (in the order of the rule codes)."""
    _rules(challenge, *RULE_KINDS)
    entry = _entry(challenge, verified=False, district=False, listed=False, committed=False)
    assert unmet_conditions(entry) == [
        "未签署信用承诺。",
        "揭榜单位在能力清单中没有已入库的技术（产品）。",
        "揭榜单位未登记所在区域。",
        "揭榜单位尚未通过机构认证。",
    ]


def test_a_rule_kind_no_longer_known_is_ignored(challenge):
    """Rule: the list of kinds is closed; a stored kind outside it refuses nothing."""
    _rules(challenge, "headcount")
    assert unmet_conditions(_entry(challenge)) == []


def test_another_companys_listed_entry_does_not_count(challenge):
    """Rule: listed capability means the lead's own entry."""
    _rules(challenge, "listed_capability")
    EntryFactory(company=OrganisationFactory(), status="listed")
    assert unmet_conditions(_entry(challenge, listed=False)) == ["揭榜单位在能力清单中没有已入库的技术（产品）。"]
