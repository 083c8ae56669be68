"""The entrant is told at every step of its entry, by the service that performs the step, once per
outcome, in the reader's language, with a link to the entry."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from contests import services
from contests.choices import Round
from contests.models import ContestEntry
from contests.services.notices import rankings_announce_due
from contests.tasks import rankings_announce_task
from core.models import Notification
from tests.contests.conftest import move_to, rounds_starting
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def titles(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


def told(user, text: str) -> int:
    return Notification.objects.filter(recipient=user, title__contains=text).count()


@pytest.fixture
def consortium(challenge):
    """A lead with a colleague of the company role, a colleague without it, and a confirmed
    consortium member, in 揭榜报名."""
    move_to(challenge.contest, "registration")
    lead_org = OrganisationFactory(name="宁波甬视智能科技有限公司")
    lead = UserFactory(organisation=lead_org, roles=["company"])
    colleague = UserFactory(organisation=lead_org, roles=["company"])
    no_role = UserFactory(organisation=lead_org, roles=[])
    member = UserFactory(organisation=OrganisationFactory(name="余姚光电智造有限公司"), roles=["company"])
    entry = services.entry_create(
        actor=lead, challenge=challenge, title="车位检测方案", summary="视频车位检测。", members=[member.organisation]
    )
    services.consortium_respond(actor=member, membership=entry.members.get(), accept=True)
    return entry, lead, colleague, no_role, member


def test_submitting_sends_a_receipt_to_the_lead_and_members_with_the_company_role_only(consortium):
    entry, lead, colleague, no_role, member = consortium
    services.entry_submit(actor=lead, entry=entry, commitment_accepted=True)
    for user in (lead, colleague, member):
        assert told(user, "已收到揭榜方案：车位检测方案") == 1
    assert told(no_role, "已收到揭榜方案") == 0
    receipt = Notification.objects.get(recipient=lead, title__startswith="已收到揭榜方案")
    assert receipt.link == reverse("contests:entry-detail", args=[entry.pk])
    assert "信用承诺已签署" in receipt.body


def test_the_eligibility_result_says_why_and_is_not_told_twice(consortium, contest_operator):
    entry, lead, _colleague, _no_role, member = consortium
    services.entry_submit(actor=lead, entry=entry, commitment_accepted=True)
    move_to(entry.challenge.contest, "eligibility")
    services.entry_review_eligibility(actor=contest_operator, entry=entry, eligible=False, reason="缺少检测报告")
    services.entry_review_eligibility(actor=contest_operator, entry=entry, eligible=False, reason="缺少检测报告")
    refusal = Notification.objects.filter(recipient=lead, title="资格审查未通过：车位检测方案")
    assert refusal.count() == 1 and refusal.get().body == "审查意见：缺少检测报告"
    assert told(member, "资格审查未通过") == 1
    services.entry_review_eligibility(actor=contest_operator, entry=entry, eligible=True)
    assert told(lead, "资格审查通过：车位检测方案") == 1


def test_messages_are_shown_in_the_readers_language(consortium):
    entry, lead, *_ = consortium
    services.entry_submit(actor=lead, entry=entry, commitment_accepted=True)
    receipt = Notification.objects.get(recipient=lead, title__startswith="已收到揭榜方案")
    assert receipt.title_message["text"] == "已收到揭榜方案：%(title)s"
    with translation.override("en"):
        # An untranslated msgid falls back to the source; what matters is that it is rendered now.
        assert "车位检测方案" in receipt.title_shown


def test_scoring_complete_and_the_published_rank_are_told_once_whatever_the_recomputes(scored, contest_operator):
    challenge, entries, _judges = scored
    lead = entries[0].lead.members.get()
    assert told(lead, "评分已完成") == 1  # the last sheet completed the panel (task run on commit)
    assert told(lead, "公示排名") == 0  # not before 公示
    services.ranking_recompute(challenge, trigger="manual")
    assert told(lead, "评分已完成") == 1
    move_to(challenge.contest, "notice")
    rankings_announce_due()
    assert told(lead, "公示排名：方案1 第 2 名") == 1
    ranked = Notification.objects.get(recipient=lead, title__startswith="公示排名")
    assert "共 3 个方案参与排名" in ranked.body and "总分 84.00" in ranked.body
    # Re-runs: the beat task again, the operator's recompute, the system's recompute.
    rankings_announce_task()
    services.ranking_recompute_by_operator(actor=contest_operator, challenge=challenge, reason="核对")
    services.ranking_recompute(challenge, trigger="manual")
    for entry in entries:
        assert told(entry.lead.members.get(), "公示排名") == 1
        assert told(entry.lead.members.get(), "评分已完成") == 1


def test_bringing_the_notice_forward_tells_the_rank(scored, contest_operator):
    challenge, entries, _judges = scored
    contest = challenge.contest
    lead = entries[2].lead.members.get()
    services.contest_reschedule(
        actor=contest_operator, contest=contest, rounds=rounds_starting(Round.NOTICE), reason="提前公示"
    )
    assert told(lead, "公示排名：方案3 第 1 名") == 1
    contest.refresh_from_db()
    services.contest_reschedule(
        actor=contest_operator, contest=contest, rounds=rounds_starting(Round.NOTICE), reason="再次调整"
    )
    assert told(lead, "公示排名") == 1


def test_an_award_is_told_with_its_amount_and_again_only_when_it_changes(results, contest_operator):
    challenge, entries = results
    entry = ContestEntry.objects.get(pk=entries[2].pk)
    lead = entry.lead.members.get()
    services.award_decide(actor=contest_operator, entry=entry, amount="500000")
    services.award_decide(actor=contest_operator, entry=entry, amount="500000")
    award = Notification.objects.filter(recipient=lead, title="获得奖励：方案3")
    assert award.count() == 1 and "¥500,000.00" in award.get().body
    services.award_decide(actor=contest_operator, entry=entry, amount="600000")
    assert told(lead, "奖励金额已调整：方案3") == 1


def test_a_proposed_agreement_is_told_to_the_lead_only(results, contest_operator):
    challenge, entries = results
    entry = ContestEntry.objects.get(pk=entries[2].pk)
    lead = entry.lead.members.get()
    services.award_decide(actor=contest_operator, entry=entry, amount="500000")
    terms = dict(
        actor=contest_operator,
        entry=entry,
        mode="joint",
        title="智慧停车联合攻关任务书",
        objectives="车位检测准确率 ≥ 98%。",
        starts_on=date(2026, 7, 1),
        ends_on=date(2027, 6, 30),
        milestones={"design": date(2026, 9, 1), "onsite_test": date(2027, 1, 15), "verification": date(2027, 6, 1)},
    )
    services.agreement_save(**terms)
    services.agreement_save(**terms)
    proposed = Notification.objects.filter(recipient=lead, title="合作协议待查看：方案3")
    assert proposed.count() == 1 and "智慧停车联合攻关任务书" in proposed.get().body
    assert proposed.get().link == reverse("contests:entry-detail", args=[entry.pk])
    services.agreement_save(**terms | {"ends_on": date(2027, 7, 31)})
    assert told(lead, "合作协议已修改：方案3") == 1
    assert not any("合作协议" in title for title in titles(challenge.scenario.created_by))


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_tells_the_published_rank_outside_any_transaction(scored):
    """Celery runs the task with no transaction open: it must open its own for the row locks (on
    PostgreSQL select_for_update outside one is an error; CI runs this there)."""
    challenge, entries, _judges = scored
    move_to(challenge.contest, "notice")
    assert rankings_announce_task() == len(entries)
    assert told(entries[0].lead.members.get(), "公示排名") == 1
