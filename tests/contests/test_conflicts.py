"""Every conflict rule blocks both the assignment and the judge's access to the entry."""

import pytest
from django.http import Http404
from django.urls import reverse

from contests import selectors, services
from contests.choices import EntryStatus
from contests.conflicts import stake_conflicted_pairs
from contests.models import ConsortiumMember, ContestEntry, JudgeProfile, PanelMembership
from contests.selectors import entries_for_judge, entry_for_judge
from core.errors import DomainError, PermissionDenied
from tests.contests.conftest import move_to
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eligible_entry(challenge, entrant, contest_operator):
    move_to(challenge.contest, "registration")
    partner = OrganisationFactory(kind="company", name="宁波合作伙伴科技有限公司")
    partner_user = UserFactory(organisation=partner, roles=["company"])
    entry = services.entry_create(
        actor=entrant, challenge=challenge, title="视频桩方案", summary="摘要", members=[partner]
    )
    services.consortium_respond(actor=partner_user, membership=entry.members.get(), accept=True)
    entry = services.entry_submit(actor=entrant, entry=entry, commitment_accepted=True)
    move_to(challenge.contest, "eligibility")
    return services.entry_review_eligibility(actor=contest_operator, entry=entry, eligible=True)


def _judge(organisation=None, **profile):
    judge = UserFactory(organisation=organisation or OrganisationFactory(kind="institute"), roles=["judge"])
    if profile:
        JudgeProfile.objects.create(user=judge, **profile)
    return judge


CASES = {
    "same organisation as the entrant": lambda entry: _judge(organisation=entry.lead),
    "same organisation as a consortium member": lambda entry: _judge(organisation=entry.members.get().organisation),
    "same organisation as the publisher": lambda entry: _judge(organisation=entry.challenge.scenario.publisher),
    "affiliation credit code of the entrant": lambda entry: _judge(affiliation_credit_code=entry.lead.credit_code),
    "affiliation credit code of the publisher": lambda entry: _judge(
        affiliation_credit_code=entry.challenge.scenario.publisher.credit_code
    ),
    "declared employment with the entrant": lambda entry: _declared(entry.lead, "employment"),
    "declared shareholding in a consortium member": lambda entry: _declared(
        entry.members.get().organisation, "shareholding", ended_year=2010
    ),
    "collaboration within three years": lambda entry: _declared(entry.lead, "collaboration", ended_year=2025),
    "drafted the challenge": lambda entry: _drafter(entry.challenge),
}


def _declared(organisation, kind, ended_year=None):
    judge = _judge()
    services.relationship_declare(actor=judge, judge=judge, organisation=organisation, kind=kind, ended_year=ended_year)
    return judge


def _drafter(challenge):
    judge = _judge()
    challenge.drafters.add(judge)
    return judge


@pytest.mark.parametrize("case", list(CASES))
def test_each_conflict_blocks_assignment(eligible_entry, contest_operator, case):
    judge = CASES[case](eligible_entry)
    with pytest.raises(DomainError, match="存在利益冲突"):
        services.panel_assign(actor=contest_operator, challenge=eligible_entry.challenge, judge=judge)
    assert not PanelMembership.objects.filter(judge=judge).exists()
    assert judge not in [row[0] for row in selectors.suggest_judges(eligible_entry.challenge)]


def _sheet(client, judge, entry):
    client.force_login(judge)
    return client.get(reverse("contests:score-sheet", args=[entry.pk]))


@pytest.mark.parametrize("case", list(CASES))
def test_each_conflict_found_after_assignment_blocks_access(client, eligible_entry, contest_operator, case):
    judge = CASES[case](eligible_entry)
    # Assigned anyway (e.g. the relationship was declared later): the entry stays hidden.
    PanelMembership.objects.create(challenge=eligible_entry.challenge, judge=judge, assigned_by=contest_operator)
    services.recusal_commitment_sign(actor=judge, contest=eligible_entry.challenge.contest)
    assert entries_for_judge(judge) == []
    with pytest.raises(Exception) as raised:
        entry_for_judge(judge, eligible_entry.pk)
    assert raised.type.__name__ == "Http404"
    assert _sheet(client, judge, eligible_entry).status_code == 404  # the sheet asks the rules its own way


def test_an_old_collaboration_is_not_a_conflict(eligible_entry, contest_operator):
    judge = _declared(eligible_entry.lead, "collaboration", ended_year=2015)
    services.panel_assign(actor=contest_operator, challenge=eligible_entry.challenge, judge=judge)
    services.recusal_commitment_sign(actor=judge, contest=eligible_entry.challenge.contest)
    assert entries_for_judge(judge) == [eligible_entry]


def test_a_judge_sees_entries_only_after_signing_the_recusal_commitment_and_not_after_recusing(
    client, eligible_entry, contest_operator, judge
):
    services.panel_assign(actor=contest_operator, challenge=eligible_entry.challenge, judge=judge, is_chair=True)
    assert entries_for_judge(judge) == []
    assert _sheet(client, judge, eligible_entry).status_code == 404
    services.recusal_commitment_sign(actor=judge, contest=eligible_entry.challenge.contest)
    assert entries_for_judge(judge) == [eligible_entry]
    assert _sheet(client, judge, eligible_entry).status_code == 200
    with pytest.raises(DomainError, match="请说明回避原因"):
        services.recusal_declare(actor=judge, entry=eligible_entry, reason="")
    services.recusal_declare(actor=judge, entry=eligible_entry, reason="发现曾指导该企业项目")
    assert entries_for_judge(judge) == []
    assert _sheet(client, judge, eligible_entry).status_code == 404


def test_unassigned_judges_see_nothing_and_cannot_recuse(client, eligible_entry, judge):
    services.recusal_commitment_sign(actor=judge, contest=eligible_entry.challenge.contest)
    assert entries_for_judge(judge) == []
    assert _sheet(client, judge, eligible_entry).status_code == 404
    with pytest.raises(PermissionDenied):
        services.recusal_declare(actor=judge, entry=eligible_entry, reason="x")


def test_suggestions_prefer_matching_fields_then_light_workload(eligible_entry, contest_operator):
    expert = _judge(fields=["智慧停车", "机器视觉"])
    generalist = _judge(fields=["新材料"])
    suggestions = [row[0] for row in selectors.suggest_judges(eligible_entry.challenge)]
    assert suggestions.index(expert) < suggestions.index(generalist)


def test_the_sheet_names_the_confirmed_members_only_and_a_declined_one_is_no_party(
    client, eligible_entry, contest_operator
):
    """A consortium member that declined is not a party (contests.conflicts.parties): its staff may
    score the entry, and the sheet names only the confirmed members."""
    declined = OrganisationFactory(kind="institute", name="宁波婉拒研究院")
    ConsortiumMember.objects.create(entry=eligible_entry, organisation=declined, status="declined")
    judge = _judge(organisation=declined)
    services.panel_assign(actor=contest_operator, challenge=eligible_entry.challenge, judge=judge)
    services.recusal_commitment_sign(actor=judge, contest=eligible_entry.challenge.contest)
    page = _sheet(client, judge, eligible_entry)
    assert page.status_code == 200
    material = page.content.decode().split('data-testid="entry-material"')[1].split("</section>")[0]
    assert "宁波合作伙伴科技有限公司" in material and "宁波婉拒研究院" not in material
    assert entry_for_judge(judge, eligible_entry.pk) == eligible_entry  # the check of every sheet saved


@pytest.mark.parametrize("pk", ["abc", None, 0, -1, 2**63, 2**70])
def test_the_check_of_every_sheet_saved_finds_no_entry_for_a_bad_id(eligible_entry, contest_operator, judge, pk):
    services.panel_assign(actor=contest_operator, challenge=eligible_entry.challenge, judge=judge)
    services.recusal_commitment_sign(actor=judge, contest=eligible_entry.challenge.contest)
    assert entry_for_judge(judge, str(eligible_entry.pk)) == eligible_entry
    with pytest.raises(Http404):
        entry_for_judge(judge, pk)


def test_an_entry_no_longer_eligible_is_not_on_the_sheet(client, eligible_entry, contest_operator, judge):
    services.panel_assign(actor=contest_operator, challenge=eligible_entry.challenge, judge=judge)
    services.recusal_commitment_sign(actor=judge, contest=eligible_entry.challenge.contest)
    assert _sheet(client, judge, eligible_entry).status_code == 200
    ContestEntry.objects.filter(pk=eligible_entry.pk).update(status=EntryStatus.WITHDRAWN)
    assert _sheet(client, judge, eligible_entry).status_code == 404
    with pytest.raises(Http404):
        entry_for_judge(judge, eligible_entry.pk)  # nor saved: the check of every sheet saved


def test_a_relationship_with_an_organisation_that_is_no_party_is_no_conflict(client, eligible_entry, contest_operator):
    """Only a judge's relationships with a party of the entry count, for one judge as for a panel at
    once."""
    judge = _declared(OrganisationFactory(), "employment")
    services.relationship_declare(
        actor=judge, judge=judge, organisation=OrganisationFactory(), kind="shareholding", ended_year=None
    )
    services.panel_assign(actor=contest_operator, challenge=eligible_entry.challenge, judge=judge)
    services.recusal_commitment_sign(actor=judge, contest=eligible_entry.challenge.contest)
    assert entry_for_judge(judge, eligible_entry.pk) == eligible_entry
    assert _sheet(client, judge, eligible_entry).status_code == 200
    employed = _declared(eligible_entry.lead, "employment")
    stakes = {eligible_entry.pk: {eligible_entry.lead_id}}
    assert stake_conflicted_pairs([judge, employed], stakes) == {(employed.pk, eligible_entry.pk)}
    assert stake_conflicted_pairs([employed], stakes) == {(employed.pk, eligible_entry.pk)}
    assert stake_conflicted_pairs([judge], stakes) == set()
