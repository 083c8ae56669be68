import pytest
from django.urls import reverse

from contests.models import EligibilityRule

pytestmark = pytest.mark.django_db


def test_public_pages_list_contests_and_open_challenges(client, challenge):
    page = client.get(reverse("contests:list")).content.decode()
    assert challenge.contest.name in page and "发榜" in page
    page = client.get(reverse("contests:detail", args=[challenge.contest.pk])).content.decode()
    assert "智慧停车管理系统" in page and "¥800,000.00" in page and "场景需求理解" in page
    assert 'data-testid="eligibility-rules"' not in page


def test_operator_rule_editor_explains_the_policy_and_offers_no_size_rule(client, challenge, contest_operator):
    client.force_login(contest_operator)
    page = client.get(reverse("contests:detail", args=[challenge.contest.pk])).content.decode()
    assert "不得仅以企业规模、市场业绩等为由限制参与资格" in page
    assert "规模" not in page.split('data-testid="eligibility-rules"')[1].split("policy-note")[1].split("</p>", 1)[1]
    client.post(reverse("contests:eligibility-rules", args=[challenge.contest.pk]), {"kinds": ["listed_capability"]})
    assert list(EligibilityRule.objects.values_list("kind", flat=True)) == ["listed_capability"]
    response = client.post(
        reverse("contests:eligibility-rules", args=[challenge.contest.pk]), {"kinds": ["annual_revenue"]}, follow=True
    )
    assert "不得涉及企业规模或市场业绩" in response.content.decode()
    assert list(EligibilityRule.objects.values_list("kind", flat=True)) == ["listed_capability"]


def test_entry_pages_are_private_and_panel_pages_are_for_operators(client, challenge, entrant):
    from contests import services
    from tests.contests.conftest import move_to
    from tests.factories.accounts import OrganisationFactory, UserFactory

    move_to(challenge.contest, "registration")
    entry = services.entry_create(actor=entrant, challenge=challenge, title="方案", summary="摘要")
    client.force_login(UserFactory(organisation=OrganisationFactory(), roles=["company"]))
    assert client.get(reverse("contests:entry-detail", args=[entry.pk])).status_code == 404
    assert (
        client.post(
            reverse("contests:entry-detail", args=[entry.pk]), {"action": "submit", "credit_commitment": "on"}
        ).status_code
        == 404
    )
    assert client.get(reverse("contests:panel", args=[challenge.pk])).status_code == 404
    client.force_login(entrant)
    page = client.get(reverse("contests:entry-detail", args=[entry.pk])).content.decode()
    assert "信用承诺" in page and "本单位承诺" in page


def test_unknown_consortium_member_code_is_a_form_error(client, challenge, entrant):
    from tests.contests.conftest import move_to

    move_to(challenge.contest, "registration")
    client.force_login(entrant)
    response = client.post(
        reverse("contests:entry-create", args=[challenge.pk]),
        {"title": "方案", "summary": "摘要", "member_codes": "91330212MA2AXXXXXJ"},
    )
    assert response.status_code == 200 and "未找到这些信用代码对应的单位" in response.content.decode()


def test_judge_page_shows_entries_only_after_signing_and_recusal_hides_them(
    client, challenge, entrant, contest_operator, judge
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from contests import services
    from contests.models import Recusal
    from tests.contests.conftest import move_to

    move_to(challenge.contest, "registration")
    entry = services.entry_create(actor=entrant, challenge=challenge, title="视频桩方案", summary="摘要")
    client.force_login(entrant)
    client.post(
        reverse("contests:entry-attachment", args=[entry.pk]),
        {"file": SimpleUploadedFile("方案.pdf", b"%PDF-1.7 demo")},
    )
    client.post(
        reverse("contests:entry-attachment", args=[entry.pk]), {"file": SimpleUploadedFile("病毒.pdf", b"MZ\x90")}
    )
    assert list(entry.attachments.values_list("original_name", flat=True)) == ["方案.pdf"]
    services.entry_submit(actor=entrant, entry=entry, commitment_accepted=True)
    move_to(challenge.contest, "eligibility")
    services.entry_review_eligibility(actor=contest_operator, entry=entry, eligible=True)
    services.panel_assign(actor=contest_operator, challenge=challenge, judge=judge, is_chair=True)

    client.force_login(judge)
    page = client.get(reverse("contests:judge-home")).content.decode()
    assert "签署回避承诺" in page and "视频桩方案" not in page
    client.post(reverse("contests:judge-home"), {"contest": challenge.contest.pk, "action": "sign"})
    page = client.get(reverse("contests:judge-home")).content.decode()
    assert "视频桩方案" in page and "方案.pdf" in page
    attachment = entry.attachments.get()
    assert client.get(reverse("contests:entry-attachment-download", args=[entry.pk, attachment.pk])).status_code == 200
    client.post(
        reverse("contests:judge-home"),
        {"contest": challenge.contest.pk, "action": "recuse", "entry": entry.pk, "reason": "曾指导该企业"},
    )
    assert Recusal.objects.filter(judge=judge, entry=entry).exists()
    page = client.get(reverse("contests:judge-home")).content.decode()
    assert "已回避：视频桩方案" in page and 'data-testid="judge-entries"' not in page
    assert client.get(reverse("contests:entry-attachment-download", args=[entry.pk, attachment.pk])).status_code == 404


def test_operator_draws_the_running_order_on_the_panel_page(client, challenge, entrant, contest_operator):
    from contests import services
    from contests.models import RoadshowSlot
    from tests.contests.conftest import move_to

    move_to(challenge.contest, "registration")
    entry = services.entry_submit(
        actor=entrant,
        entry=services.entry_create(actor=entrant, challenge=challenge, title="方案", summary="摘要"),
        commitment_accepted=True,
    )
    move_to(challenge.contest, "eligibility")
    services.entry_review_eligibility(actor=contest_operator, entry=entry, eligible=True)
    client.force_login(contest_operator)
    client.post(reverse("contests:running-order", args=[challenge.pk]), {"first_slot_at": "bad", "minutes": "20"})
    assert not RoadshowSlot.objects.exists()
    client.post(
        reverse("contests:running-order", args=[challenge.pk]),
        {"first_slot_at": "2026-12-20T09:00", "minutes": "20", "room": "第一会议室"},
    )
    page = client.get(reverse("contests:panel", args=[challenge.pk])).content.decode()
    assert "随机种子" in page and "第一会议室" in page


def test_judge_keeps_a_profile_and_declares_a_relationship_that_blocks_assignment(
    client, challenge, judge, contest_operator
):
    from contests import services
    from core.errors import DomainError

    client.force_login(judge)
    client.post(
        reverse("contests:judge-profile"),
        {"form": "profile", "title": "教授", "fields_text": "智慧停车、机器视觉", "affiliation_credit_code": ""},
    )
    judge.refresh_from_db()
    assert judge.judge_profile.fields == ["智慧停车", "机器视觉"]
    response = client.post(
        reverse("contests:judge-profile"),
        {"form": "profile", "fields_text": "", "affiliation_credit_code": "91330212MA2AXXXXX0"},
        follow=True,
    )
    assert "校验位不正确" in response.content.decode()
    publisher = challenge.scenario.publisher
    client.post(
        reverse("contests:judge-profile"),
        {
            "form": "relationship",
            "organisation_code": publisher.credit_code,
            "kind": "collaboration",
            "ended_year": "2025",
        },
    )
    assert judge.declared_relationships.get().organisation == publisher
    import pytest

    with pytest.raises(DomainError, match="利益冲突"):
        services.panel_assign(actor=contest_operator, challenge=challenge, judge=judge)


def test_operator_edits_the_rubric_on_its_page_until_scoring_opens(client, challenge, contest_operator):
    from tests.contests.conftest import move_to

    client.force_login(contest_operator)
    url = reverse("contests:rubric", args=[challenge.contest.pk])
    data = {
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-dimension": "technical",
        "criteria-0-name": "技术方案",
        "criteria-0-max_points": "60",
        "criteria-1-dimension": "business",
        "criteria-1-name": "商务方案",
        "criteria-1-max_points": "30",
    }
    response = client.post(url, data, follow=True)
    assert "合计应为 100，当前为 90" in response.content.decode()
    data["criteria-1-max_points"] = "40"
    client.post(url, data)
    assert list(challenge.contest.criteria.values_list("name", flat=True)) == ["技术方案", "商务方案"]
    move_to(challenge.contest, "roadshow")
    assert "评分表已锁定" in client.get(url).content.decode()


def test_open_challenges_page_lists_only_challenges_still_taking_entries(client, challenge):
    from tests.contests.conftest import move_to

    assert "智慧停车管理系统" in client.get(reverse("contests:open-challenges")).content.decode()
    move_to(challenge.contest, "eligibility")
    assert "目前没有正在揭榜的榜单" in client.get(reverse("contests:open-challenges")).content.decode()


def test_bad_posted_values_give_a_message_not_a_server_error(client, challenge, contest_operator, judge):
    from contests import services
    from tests.contests.conftest import move_to

    services.panel_assign(actor=contest_operator, challenge=challenge, judge=judge)
    client.force_login(judge)
    response = client.post(reverse("contests:judge-home"), {"contest": "abc", "action": "sign"}, follow=True)
    assert response.status_code == 200 and '<li class="error">' in response.content.decode()
    response = client.post(
        reverse("contests:judge-home"), {"contest": challenge.contest.pk, "action": "recuse", "entry": "x"}
    )
    assert response.status_code == 302
    move_to(challenge.contest, "notice")
    client.force_login(contest_operator)
    for data in (
        {"action": "answer", "objection": "abc", "answer": "答复"},
        {"challenge": "abc", "text": "异议内容至少十个字以上。"},
    ):
        assert client.post(reverse("contests:notice", args=[challenge.contest.pk]), data).status_code == 302
    assert (
        client.post(
            reverse("contests:awards", args=[challenge.contest.pk]), {"entry": "abc", "amount": "100"}
        ).status_code
        == 302
    )
    response = client.post(
        reverse("contests:running-order", args=[challenge.pk]),
        {"first_slot_at": "2026-12-20T09:00", "minutes": "二十"},
        follow=True,
    )
    assert "请填写第一位的开始时间和每个方案的路演时长。" in response.content.decode()


def test_a_judge_on_two_panels_of_one_contest_signs_once(client, challenge, contest_operator, judge):
    from contests import services
    from contests.models import RecusalCommitment
    from tests.factories.scenarios import ScenarioFactory

    scenario = ScenarioFactory(status="published", title="园区能耗监测")
    second = services.challenge_create(
        actor=scenario.created_by,
        contest=challenge.contest,
        scenario=scenario,
        award_cap="500000",
        requirements="能耗数据分钟级采集",
    )
    services.panel_assign(actor=contest_operator, challenge=challenge, judge=judge)
    services.panel_assign(actor=contest_operator, challenge=second, judge=judge)
    client.force_login(judge)
    assert client.get(reverse("contests:judge-home")).content.decode().count('data-testid="judge-contest"') == 1
    response = client.post(
        reverse("contests:judge-home"), {"contest": challenge.contest.pk, "action": "sign"}, follow=True
    )
    assert response.status_code == 200 and "已签署回避承诺" in response.content.decode()
    assert RecusalCommitment.objects.filter(judge=judge, contest=challenge.contest).count() == 1
