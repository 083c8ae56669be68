"""The 发榜方 follows its challenge after publishing it: /challenges/<id>/follow/ shows what the
contest has reached — how many entries came in, then the qualified entries and the running order,
the published ranking, the awards and the cooperation agreements — to the publisher role of the
scenario's organisation, operators and officials only."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contests import services
from contests.models import RankingSnapshot
from tests.contests.conftest import make_eligible_entries, move_to
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.scenarios import publisher_user

pytestmark = pytest.mark.django_db


def follow_url(challenge) -> str:
    return reverse("contests:challenge-follow", args=[challenge.pk])


def page_text(client, user, challenge) -> str:
    client.force_login(user)
    response = client.get(follow_url(challenge))
    assert response.status_code == 200
    return response.content.decode()


def rows(text: str, testid: str) -> list[str]:
    """The table rows marked with data-testid, as text (one string per row)."""
    return [part.split("</tr>")[0] for part in text.split(f'data-testid="{testid}"')[1:]]


@pytest.fixture
def publisher(challenge):
    return challenge.scenario.created_by


def test_the_publisher_operators_and_officials_follow_a_challenge_and_nobody_else(client, challenge, publisher):
    colleague_without_role = UserFactory(organisation=challenge.scenario.publisher, roles=["company"])
    other_publisher = publisher_user(organisation=OrganisationFactory(kind="soe", name="宁波另一国资集团"))
    company = UserFactory(roles=["company"])
    for user, status in [
        (publisher, 200),
        (UserFactory(roles=["operator"]), 200),
        (UserFactory(roles=["official"]), 200),
        (colleague_without_role, 404),
        (other_publisher, 404),
        (company, 404),
    ]:
        client.force_login(user)
        assert client.get(follow_url(challenge)).status_code == status, user
    client.logout()
    assert client.get(follow_url(challenge)).status_code == 302  # to the sign-in page
    client.force_login(publisher)
    assert client.get(reverse("contests:challenge-follow", args=[challenge.pk + 999])).status_code == 404


def test_during_review_the_publisher_sees_how_many_entries_came_in_but_not_which(
    client, challenge, publisher, contest_operator
):
    entries = make_eligible_entries(challenge, contest_operator, 2)  # the contest is in 资格审查
    text = page_text(client, publisher, challenge)
    assert "已收到 2 个揭榜方案" in text
    assert entries[0].title not in text and entries[0].lead.name not in text


def test_after_eligibility_the_publisher_sees_qualified_entries_with_consortium_and_running_order(
    client, challenge, publisher, contest_operator
):
    move_to(challenge.contest, "registration")
    lead = UserFactory(organisation=OrganisationFactory(name="宁波甬视智能科技有限公司"), roles=["company"])
    partner = UserFactory(organisation=OrganisationFactory(name="宁波海智物联网技术有限公司"), roles=["company"])
    refused = UserFactory(organisation=OrganisationFactory(name="宁波落选科技有限公司"), roles=["company"])
    entry = services.entry_create(
        actor=lead,
        challenge=challenge,
        title="双模停车方案",
        summary="高位视频加地磁。",
        members=[partner.organisation],
    )
    services.consortium_respond(actor=partner, membership=entry.members.get(), accept=True)
    entry = services.entry_submit(actor=lead, entry=entry, commitment_accepted=True)
    other = services.entry_create(actor=refused, challenge=challenge, title="落选方案", summary="不符合要求。")
    other = services.entry_submit(actor=refused, entry=other, commitment_accepted=True)
    move_to(challenge.contest, "eligibility")
    services.entry_review_eligibility(actor=contest_operator, entry=entry, eligible=True)
    services.entry_review_eligibility(actor=contest_operator, entry=other, eligible=False, reason="资质不符")
    services.running_order_draw(
        actor=contest_operator, challenge=challenge, first_slot_at=timezone.now() + timedelta(days=1), room="2 号厅"
    )
    before = page_text(client, publisher, challenge)
    assert "双模停车方案" not in before  # still 资格审查: the decisions are not shown yet

    move_to(challenge.contest, "roadshow")
    text = page_text(client, publisher, challenge)
    assert "双模停车方案" in text and "宁波甬视智能科技有限公司" in text and "宁波海智物联网技术有限公司" in text
    assert "落选方案" not in text and "宁波落选科技有限公司" not in text
    assert 'data-testid="follow-slot"' in text and "2 号厅" in text
    assert "排名在公示阶段发布" in text


def test_the_ranking_shows_from_notice_on_from_the_stored_snapshot(client, scored, monkeypatch):
    challenge, entries, _judges = scored
    publisher = challenge.scenario.created_by
    assert "排名在公示阶段发布" in page_text(client, publisher, challenge)
    move_to(challenge.contest, "notice")
    snapshots = RankingSnapshot.objects.count()

    def no_recompute(*args, **kwargs):
        raise AssertionError("the follow page recomputed the ranking")

    monkeypatch.setattr("contests.ranking.compute_ranking", no_recompute)
    monkeypatch.setattr("contests.services.results.ranking_recompute", no_recompute)
    text = page_text(client, publisher, challenge)
    assert RankingSnapshot.objects.count() == snapshots
    ranks = rows(text, "follow-rank")
    assert len(ranks) == 3
    assert "方案3" in ranks[0] and "90.00" in ranks[0]  # the fixture's ranking: 方案3 first with 90.00


def test_results_show_awards_and_agreements_with_milestone_states(client, results, contest_operator):
    challenge, entries = results
    publisher = challenge.scenario.created_by
    award = services.award_decide(actor=contest_operator, entry=entries[2], amount="800000", note="第一名")
    today = timezone.localdate()
    services.agreement_save(
        actor=contest_operator,
        entry=award.entry,
        mode="joint",
        title="智慧停车联合攻关任务书",
        objectives="完成方案设计、现场测试与验证评价。",
        contract_amount="1500000",
        starts_on=today - timedelta(days=100),
        ends_on=today + timedelta(days=200),
        signed_on=today - timedelta(days=101),
        milestones={
            "design": today - timedelta(days=50),
            "onsite_test": today - timedelta(days=10),
            "verification": today + timedelta(days=100),
        },
    )
    design = award.entry.agreement.milestones.get(kind="design")
    services.milestone_complete(actor=contest_operator, milestone=design, completed_on=today - timedelta(days=52))

    text = page_text(client, publisher, challenge)
    assert "¥800,000.00" in text and "第一名" in text
    assert "智慧停车联合攻关任务书" in text and "¥1,500,000.00" in text
    assert reverse("contests:cooperation", args=[award.entry.pk]) in text
    states = rows(text, "follow-milestone")
    assert len(states) == 3
    assert "已完成" in states[0] and "已逾期" in states[1] and "进行中" in states[2]
    # The publisher opens the agreement page it links to.
    assert client.get(reverse("contests:cooperation", args=[award.entry.pk])).status_code == 200


def test_an_official_sees_the_agreement_without_a_link_it_could_not_open(client, results, contest_operator):
    challenge, entries = results
    award = services.award_decide(actor=contest_operator, entry=entries[2], amount="800000")
    services.agreement_save(actor=contest_operator, entry=award.entry, mode="procurement", contract_amount="900000")
    text = page_text(client, UserFactory(roles=["official"]), challenge)
    assert "¥900,000.00" in text
    assert reverse("contests:cooperation", args=[award.entry.pk]) not in text


@pytest.mark.parametrize("count", [1, 4])
def test_the_page_answers_in_fixed_queries_whatever_the_number_of_entries(
    client, challenge, contest_operator, count, django_assert_num_queries
):
    entries = make_eligible_entries(challenge, contest_operator, count)
    services.running_order_draw(actor=contest_operator, challenge=challenge, first_slot_at=timezone.now())
    move_to(challenge.contest, "results")
    for entry in entries:
        services.entry_record_credit_check(actor=contest_operator, entry=entry, passed=True)
    # A snapshot with every entry ranked, as the scoring would have stored it.
    RankingSnapshot.objects.create(
        challenge=challenge,
        method="trimmed_mean",
        parameters={},
        inputs={},
        inputs_sha256="0" * 64,
        trigger="test",
        results={
            "entries": [
                {
                    "entry": entry.pk,
                    "rank": position,
                    "title": entry.title,
                    "lead": entry.lead.name,
                    "score": "80.00",
                    "technical": "50.00",
                    "business": "30.00",
                    "complete": True,
                }
                for position, entry in enumerate(entries, start=1)
            ],
            "judges": [],
        },
    )
    for entry in entries:
        services.award_decide(actor=contest_operator, entry=entry, amount="100000")
        services.agreement_save(
            actor=contest_operator,
            entry=entry,
            mode="joint",
            title=f"任务书{entry.pk}",
            objectives="攻关目标",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
            milestones={"design": date(2026, 3, 1), "onsite_test": date(2026, 6, 1), "verification": date(2026, 9, 1)},
        )
    client.force_login(challenge.scenario.created_by)
    # session, user (with roles and unread count); the challenge; the entries with lead, award and agreement; their
    # consortium members; the agreements' milestones; the running order; the ranking snapshot;
    # and the page frame (the navigation's check for evaluation subjects).
    with django_assert_num_queries(9):
        response = client.get(follow_url(challenge))
    assert response.content.decode().count('data-testid="follow-award"') == count


def test_the_publishers_home_lists_its_challenges_with_a_link_to_follow(client, challenge, publisher):
    other = publisher_user(organisation=OrganisationFactory(kind="soe", name="宁波另一国资集团"))
    client.force_login(publisher)
    page = client.get(reverse("accounts:role-home", args=["publisher"])).content.decode()
    assert f'href="{follow_url(challenge)}"' in page and challenge.title in page
    client.force_login(other)
    page = client.get(reverse("accounts:role-home", args=["publisher"])).content.decode()
    assert follow_url(challenge) not in page and "本单位尚未发榜" in page


def test_the_scenario_page_and_the_contest_page_link_the_follow_page_for_those_who_may_follow(
    client, challenge, publisher
):
    company = UserFactory(roles=["company"])
    scenario_url = reverse("scenarios:detail", args=[challenge.scenario_id])
    contest_url = reverse("contests:detail", args=[challenge.contest_id])
    client.force_login(publisher)
    assert follow_url(challenge) in client.get(scenario_url).content.decode()
    assert follow_url(challenge) in client.get(contest_url).content.decode()
    assert follow_url(challenge) in client.get(reverse("contests:open-challenges")).content.decode()
    client.force_login(company)
    assert follow_url(challenge) not in client.get(scenario_url).content.decode()
    assert follow_url(challenge) not in client.get(contest_url).content.decode()
