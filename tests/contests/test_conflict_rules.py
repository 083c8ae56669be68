"""Each conflict rule firing and not firing at its boundary, by both ways of asking (conflicts()
for one judge and entry, conflicted_pairs() / panel_barred_judges() for a whole panel): they must
agree, so every case asks all three."""

import pytest
from django.utils import timezone

from contests import services
from contests.choices import EntryStatus
from contests.conflicts import (
    COLLABORATION_YEARS,
    challenge_conflicts,
    conflicted_pairs,
    conflicts,
    panel_barred_judges,
    parties,
)
from contests.models import ConsortiumMember, ContestEntry, JudgeProfile, JudgeRelationship
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def entry(challenge):
    lead = OrganisationFactory(name="宁波揭榜科技有限公司")
    entry = ContestEntry.objects.create(
        challenge=challenge,
        lead=lead,
        created_by=UserFactory(organisation=lead, roles=["company"]),
        title="方案",
        summary="摘要",
        status=EntryStatus.ELIGIBLE,
    )
    ConsortiumMember.objects.create(entry=entry, organisation=OrganisationFactory(name="宁波成员甲"), status="accepted")
    ConsortiumMember.objects.create(entry=entry, organisation=OrganisationFactory(name="宁波成员乙"), status="declined")
    return entry


def _member(entry, status):
    return entry.members.get(status=status).organisation


def _judge(**profile):
    judge = UserFactory(organisation=OrganisationFactory(kind="institute"), roles=["judge"])
    if profile:
        JudgeProfile.objects.create(user=judge, **profile)
    return judge


def _declared(organisation, kind, ended_year=None):
    judge = _judge()
    JudgeRelationship.objects.create(judge=judge, organisation=organisation, kind=kind, ended_year=ended_year)
    return judge


def _verdicts(judge, entry) -> tuple[bool, bool, bool]:
    """(conflicts(), conflicted_pairs(), panel_barred_judges()) for the judge and the entry."""
    return (
        bool(conflicts(judge, entry)),
        (judge.pk, entry.pk) in conflicted_pairs(entry.challenge, [judge], [entry]),
        judge.pk in panel_barred_judges(entry.challenge, [judge]),
    )


FIRES = (True, True, True)
SILENT = (False, False, False)


@pytest.mark.parametrize("kind", ["collaboration", "employment"])
def test_a_relationship_ended_three_years_ago_still_conflicts_and_four_years_ago_not(entry, kind):
    """Rule: collaboration and employment count within COLLABORATION_YEARS (3) of this year."""
    assert COLLABORATION_YEARS == 3
    assert _verdicts(_declared(entry.lead, kind, THIS_YEAR - 3), entry) == FIRES
    assert _verdicts(_declared(entry.lead, kind, THIS_YEAR - 4), entry) == SILENT
    assert _verdicts(_declared(entry.lead, kind, None), entry) == FIRES  # still going on


def test_a_shareholding_conflicts_however_long_ago_it_ended(entry):
    """Rule: a declared shareholding is a conflict whatever its end year."""
    assert _verdicts(_declared(entry.lead, "shareholding", THIS_YEAR - 30), entry) == FIRES


def test_a_relationship_with_an_unrelated_organisation_is_no_conflict(entry):
    """Rule: only relationships with a party of the entry count."""
    assert _verdicts(_declared(OrganisationFactory(), "employment"), entry) == SILENT


def test_a_member_who_declined_is_not_a_party_and_one_who_accepted_is(entry):
    """Rule: the consortium's parties are its members, except those who declined."""
    accepted, declined = _member(entry, "accepted"), _member(entry, "declined")
    assert set(parties(entry)) == {entry.lead_id, accepted.pk, entry.challenge.scenario.publisher_id}
    assert _verdicts(_declared(accepted, "employment"), entry) == FIRES
    assert _verdicts(_declared(declined, "employment"), entry) == SILENT
    colleague = UserFactory(organisation=declined, roles=["judge"])
    assert _verdicts(colleague, entry) == SILENT


def test_the_same_organisation_as_the_publisher_bars_the_whole_panel(entry):
    """Rule: a judge of the publisher's organisation conflicts with every entry and the challenge."""
    judge = UserFactory(organisation=entry.challenge.scenario.publisher, roles=["judge"])
    assert _verdicts(judge, entry) == FIRES
    assert challenge_conflicts(judge, entry.challenge)


def test_the_declared_employers_credit_code_conflicts_and_another_code_does_not(entry):
    """Rule: a judge whose declared affiliation has a party's credit code conflicts."""
    assert _verdicts(_judge(affiliation_credit_code=entry.lead.credit_code), entry) == FIRES
    assert _verdicts(_judge(affiliation_credit_code=OrganisationFactory().credit_code), entry) == SILENT
    assert _verdicts(_judge(affiliation_credit_code=""), entry) == SILENT


def test_a_drafter_conflicts_with_every_entry_and_an_outsider_with_none(entry):
    """Rule: having drafted the challenge bars the judge; an unrelated judge is free."""
    drafter, outsider = _judge(), _judge()
    entry.challenge.drafters.add(drafter)
    assert _verdicts(drafter, entry) == FIRES
    assert _verdicts(outsider, entry) == SILENT
    assert challenge_conflicts(drafter, entry.challenge) and not challenge_conflicts(outsider, entry.challenge)


def test_the_reasons_name_the_role_of_the_party(entry):
    """Rule: each reason says with whom (揭榜单位, 联合体成员, 发榜方) and why."""
    judge = UserFactory(organisation=entry.lead, roles=["judge"])
    JudgeRelationship.objects.create(judge=judge, organisation=_member(entry, "accepted"), kind="shareholding")
    JudgeProfile.objects.create(user=judge, affiliation_credit_code=entry.challenge.scenario.publisher.credit_code)
    assert conflicts(judge, entry) == [
        "与揭榜单位属同一单位。",
        "工作单位信用代码与发榜方相同。",
        "申报了与联合体成员的持股关系。",
    ]


def test_a_withdrawn_entry_no_longer_bars_a_judge_from_the_panel(entry):
    """Rule: panel_barred_judges counts the parties of entries not withdrawn."""
    judge = UserFactory(organisation=entry.lead, roles=["judge"])
    assert judge.pk in panel_barred_judges(entry.challenge, [judge])
    ContestEntry.objects.filter(pk=entry.pk).update(status=EntryStatus.WITHDRAWN)
    assert judge.pk not in panel_barred_judges(entry.challenge, [judge])


def test_pairs_name_only_the_conflicted_entry(entry):
    """Rule: a conflict with one entrant bars the pair, not the judge's other entries."""
    other = ContestEntry.objects.create(
        challenge=entry.challenge,
        lead=OrganisationFactory(),
        created_by=entry.created_by,
        title="另一方案",
        summary="摘要",
        status=EntryStatus.ELIGIBLE,
    )
    judge = UserFactory(organisation=entry.lead, roles=["judge"])
    assert conflicted_pairs(entry.challenge, [judge], [entry, other]) == {(judge.pk, entry.pk)}
    assert conflicts(judge, other) == []


def test_a_consortium_member_of_an_entry_not_asked_about_conflicts_with_nothing(entry):
    """Rule: conflicted_pairs weighs the parties of the entries it is given, and only theirs."""
    other = ContestEntry.objects.create(
        challenge=entry.challenge,
        lead=OrganisationFactory(),
        created_by=entry.created_by,
        title="另一方案",
        summary="摘要",
        status=EntryStatus.ELIGIBLE,
    )
    member = OrganisationFactory(name="宁波另一成员")
    ConsortiumMember.objects.create(entry=other, organisation=member, status="accepted")
    judge = _declared(member, "employment")
    assert conflicted_pairs(entry.challenge, [judge], [entry]) == set()
    assert conflicted_pairs(entry.challenge, [judge], [entry, other]) == {(judge.pk, other.pk)}


def test_an_entrant_of_another_challenge_does_not_bar_a_judge_from_this_panel(entry):
    """Rule: panel_barred_judges weighs the entries of this challenge only."""
    scenario = ScenarioFactory(status="published", title="另一个榜单的场景")
    another = services.challenge_create(
        actor=scenario.created_by,
        contest=entry.challenge.contest,
        scenario=scenario,
        award_cap="100000",
        requirements="要求",
    )
    elsewhere = ContestEntry.objects.create(
        challenge=another,
        lead=OrganisationFactory(name="别的榜单的揭榜单位"),
        created_by=entry.created_by,
        title="别处的方案",
        summary="摘要",
        status=EntryStatus.ELIGIBLE,
    )
    judge = UserFactory(organisation=elsewhere.lead, roles=["judge"])
    assert judge.pk not in panel_barred_judges(entry.challenge, [judge])
    assert judge.pk in panel_barred_judges(elsewhere.challenge, [judge])
