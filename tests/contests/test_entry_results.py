"""From the entry's page the company reaches its outcome: the published rank and the 公示, the
award, and the cooperation page — each only once it exists, and only for those who may open it."""

from datetime import date

import pytest
from django.urls import reverse

from contests import services
from contests.choices import MembershipStatus
from contests.models import ConsortiumMember, ContestEntry
from tests.contests.conftest import move_to
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _entry_page(client, user, entry) -> str:
    client.force_login(user)
    response = client.get(reverse("contests:entry-detail", args=[entry.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_before_the_notice_the_page_says_when_the_ranking_is_published_and_shows_no_score(client, scored):
    challenge, entries, _judges = scored
    page = _entry_page(client, entries[0].lead.members.get(), entries[0])
    assert "排名在公示期" in page
    assert "84.00" not in page and reverse("contests:notice", args=[challenge.contest_id]) not in page


def test_from_the_notice_on_the_page_shows_the_rank_and_links_to_the_notice(client, scored):
    challenge, entries, _judges = scored
    move_to(challenge.contest, "notice")
    page = _entry_page(client, entries[0].lead.members.get(), entries[0])
    assert "第 2 名（共 3 个方案），总分 84.00" in page
    assert f"{reverse('contests:notice', args=[challenge.contest_id])}#challenge-{challenge.pk}" in page
    notice = client.get(reverse("contests:notice", args=[challenge.contest_id])).content.decode()
    assert f'id="challenge-{challenge.pk}"' in notice


def test_the_award_and_the_agreement_link_to_the_cooperation_page_for_the_lead_only(client, results, contest_operator):
    challenge, entries = results
    entry = ContestEntry.objects.get(pk=entries[2].pk)
    lead = entry.lead.members.get()
    member = UserFactory(organisation=OrganisationFactory(name="余姚光电智造有限公司"), roles=["company"])
    ConsortiumMember.objects.create(entry=entry, organisation=member.organisation, status=MembershipStatus.CONFIRMED)
    cooperation = reverse("contests:cooperation", args=[entry.pk])
    assert cooperation not in _entry_page(client, lead, entry)  # no award yet
    services.award_decide(actor=contest_operator, entry=entry, amount="500000")
    page = _entry_page(client, lead, entry)
    assert "¥500,000.00" in page and cooperation in page and "尚未登记合作方式" in page
    services.agreement_save(
        actor=contest_operator,
        entry=entry,
        mode="joint",
        title="智慧停车联合攻关任务书",
        objectives="车位检测准确率 ≥ 98%。",
        starts_on=date(2026, 7, 1),
        ends_on=date(2027, 6, 30),
        milestones={"design": date(2026, 9, 1), "onsite_test": date(2027, 1, 15), "verification": date(2027, 6, 1)},
    )
    page = _entry_page(client, lead, entry)
    assert "联合攻关：智慧停车联合攻关任务书" in page and "查看任务书并报送进展" in page
    member_page = _entry_page(client, member, entry)
    assert "¥500,000.00" in member_page and cooperation not in member_page
    assert client.get(cooperation).status_code == 404


def test_an_ineligible_entry_shows_no_results(client, challenge, contest_operator):
    move_to(challenge.contest, "registration")
    lead = UserFactory(organisation=OrganisationFactory(name="宁波新材锐科材料有限公司"), roles=["company"])
    entry = services.entry_create(actor=lead, challenge=challenge, title="新材料方案", summary="方案摘要。")
    services.entry_submit(actor=lead, entry=entry, commitment_accepted=True)
    move_to(challenge.contest, "eligibility")
    services.entry_review_eligibility(actor=contest_operator, entry=entry, eligible=False, reason="缺少检测报告")
    assert 'data-testid="entry-results"' not in _entry_page(client, lead, entry)
