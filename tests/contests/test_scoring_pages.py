"""The scoring, ranking, live, 公示, awards and cooperation pages: what each person sees."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contests import services
from contests.models import (
    Award,
    CooperationAgreement,
    Objection,
    PolicyBenefit,
    RankingSnapshot,
    Score,
    ScoreSheet,
)
from tests.contests.conftest import full_sheet, make_eligible_entries, move_to
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def _post_sheet(client, entry, contest, points: dict, action="submit"):
    data = {f"points_{criterion_id}": value for criterion_id, value in points.items()}
    data["action"] = action
    return client.post(reverse("contests:score-sheet", args=[entry.pk]), data)


def test_a_judge_scores_on_the_sheet_page_and_it_is_signed(client, roadshow):
    challenge, entries, judges = roadshow
    client.force_login(judges[1])
    page = client.get(reverse("contests:score-sheet", args=[entries[0].pk])).content.decode()
    assert "首创性" in page and 'max="15"' in page and "提交并签名" in page and "第 1 / 3 个" in page

    bad = _post_sheet(client, entries[0], challenge.contest, full_sheet(challenge.contest, {"先进性": "11"}))
    assert bad.status_code == 400 and "“先进性”的得分应在 0–10 分之间。" in bad.content.decode()
    assert 'value="11"' in bad.content.decode()  # what was typed stays on the page
    assert not ScoreSheet.objects.exists()

    response = _post_sheet(client, entries[0], challenge.contest, full_sheet(challenge.contest, {"先进性": "8.5"}))
    assert response.status_code == 302
    page = client.get(reverse("contests:score-sheet", args=[entries[0].pk])).content.decode()
    sheet = ScoreSheet.objects.get()
    assert "已签名提交" in page and sheet.content_sha256 in page and "提交并签名" not in page
    again = _post_sheet(client, entries[0], challenge.contest, full_sheet(challenge.contest, {"先进性": "1"}))
    assert again.status_code == 400 and "已签名提交" in again.content.decode()
    assert Score.objects.get(criterion__name="先进性").points == Decimal("8.5")


def test_my_judging_offers_no_recusal_for_a_signed_sheet(client, roadshow):
    """Rule: a recusal is possible only before the sheet is signed (recusal_declare refuses after)."""
    challenge, entries, judges = roadshow
    client.force_login(judges[1])
    assert _post_sheet(client, entries[0], challenge.contest, full_sheet(challenge.contest)).status_code == 302
    page = client.get(reverse("contests:judge-home")).content.decode()
    rows = {entry.pk: page.split(f'data-testid="score-{entry.pk}"')[1].split("</tr>")[0] for entry in entries}
    assert "查看评分" in rows[entries[0].pk] and 'value="recuse"' not in rows[entries[0].pk]
    assert "评分已签名" in rows[entries[0].pk]
    assert 'value="recuse"' in rows[entries[1].pk] and "查看评分" not in rows[entries[1].pk]
    refused = client.post(
        reverse("contests:judge-home"),
        {"contest": challenge.contest_id, "action": "recuse", "entry": entries[0].pk, "reason": "想撤回"},
        follow=True,
    )
    assert "已提交该方案的评分，不能再申请回避" in refused.content.decode()
    assert not judges[1].recusals.exists()


def test_unassigned_and_conflicted_judges_get_404_on_the_sheet(client, roadshow, contest_operator):
    challenge, entries, judges = roadshow
    client.force_login(UserFactory(roles=["judge"]))
    assert client.get(reverse("contests:score-sheet", args=[entries[0].pk])).status_code == 404
    assert _post_sheet(client, entries[0], challenge.contest, full_sheet(challenge.contest)).status_code == 404
    services.recusal_declare(actor=judges[3], entry=entries[0], reason="与该企业负责人系同学")
    client.force_login(judges[3])
    assert client.get(reverse("contests:score-sheet", args=[entries[0].pk])).status_code == 404
    client.force_login(entries[0].created_by)
    assert client.get(reverse("contests:score-sheet", args=[entries[0].pk])).status_code == 404
    assert not ScoreSheet.objects.exists()


def test_panel_members_see_no_aggregate_until_the_panel_is_complete(
    client, roadshow, django_capture_on_commit_callbacks
):
    challenge, entries, judges = roadshow
    with django_capture_on_commit_callbacks(execute=True):
        for judge in judges:
            for entry in entries[:2]:
                services.sheet_save(
                    actor=judge, entry=entry, points=full_sheet(challenge.contest, {"先进性": "7"}), submit=True
                )
    client.force_login(judges[2])
    page = client.get(reverse("contests:ranking", args=[challenge.pk])).content.decode()
    assert 'data-testid="ranking-hidden"' in page and "97.00" not in page and 'data-testid="ranking"' not in page
    live = client.get(reverse("contests:live", args=[challenge.contest_id])).content.decode()
    assert "97.00" in live and "评分中（0/5）" in live  # done entries are published; the third is still open
    with django_capture_on_commit_callbacks(execute=True):
        for judge in judges:
            services.sheet_save(
                actor=judge, entry=entries[2], points=full_sheet(challenge.contest, {"先进性": "9"}), submit=True
            )
    page = client.get(reverse("contests:ranking", args=[challenge.pk])).content.decode()
    assert 'data-testid="ranking"' in page and "99.00" in page and 'data-testid="judge-leniency"' not in page
    client.force_login(judges[0])  # the chair also sees how lenient each judge was
    assert (
        'data-testid="judge-leniency"' in client.get(reverse("contests:ranking", args=[challenge.pk])).content.decode()
    )
    client.force_login(UserFactory(roles=["judge"]))
    assert client.get(reverse("contests:ranking", args=[challenge.pk])).status_code == 404
    client.force_login(entries[0].created_by)
    assert client.get(reverse("contests:ranking", args=[challenge.pk])).status_code == 404


def test_the_chair_reopens_a_sheet_and_locks_scoring_on_the_ranking_page(client, scored):
    challenge, entries, judges = scored
    sheet = ScoreSheet.objects.get(entry=entries[0], judge=judges[3])
    client.force_login(judges[1])
    client.post(
        reverse("contests:ranking", args=[challenge.pk]), {"action": "reopen", "sheet": sheet.pk, "reason": "请复核"}
    )
    assert ScoreSheet.objects.get(pk=sheet.pk).is_submitted  # not the chair
    client.force_login(judges[0])
    client.post(reverse("contests:ranking", args=[challenge.pk]), {"action": "reopen", "sheet": sheet.pk, "reason": ""})
    assert ScoreSheet.objects.get(pk=sheet.pk).is_submitted
    client.post(
        reverse("contests:ranking", args=[challenge.pk]),
        {"action": "reopen", "sheet": sheet.pk, "reason": "总分与评语不符"},
    )
    assert not ScoreSheet.objects.get(pk=sheet.pk).is_submitted
    client.post(reverse("contests:ranking", args=[challenge.pk]), {"action": "lock"})
    client.force_login(judges[3])
    response = _post_sheet(client, entries[0], challenge.contest, full_sheet(challenge.contest))
    assert response.status_code == 400 and "结束本榜单的评分" in response.content.decode()
    # The reopened sheet is a draft, yet no longer editable once scoring is locked.
    page = client.get(reverse("contests:score-sheet", args=[entries[0].pk])).content.decode()
    assert 'data-testid="save-draft"' not in page and "评审组长已结束本榜单的评分" in page


def test_operator_sees_diagnostics_and_the_notice_page_shows_no_judge_data(client, scored, contest_operator):
    challenge, entries, judges = scored
    client.force_login(contest_operator)
    page = client.get(reverse("contests:ranking", args=[challenge.pk])).content.decode()
    assert "84.00" in page and "极差超过 25 分" in page and judges[0].display_name in page  # entry 3: 60 … 95
    move_to(challenge.contest, "notice")
    client.logout()
    notice = client.get(reverse("contests:notice", args=[challenge.contest_id])).content.decode()
    assert "90.00" in notice and "84.00" in notice and "80.00" in notice
    for judge in judges:
        assert judge.display_name not in notice
    # No judge total leaks (judge 5 gave 99 on entry 1): no standalone 99 or 99.0 in what the page
    # shows (names made by the factories, such as 宁波测试科技有限公司1099, are not numbers on their
    # own; attributes are left out, as an id in a link such as /entries/99/ depends on the database).
    shown = re.sub(r'\s[\w-]+="[^"]*"', "", notice)
    assert not re.findall(r"(?<![\w.])99(?:\.0)?(?![\w.])", shown)
    assert "登录" in notice and "提交异议" not in notice


def test_objections_on_the_notice_page(client, scored, contest_operator):
    challenge, entries, _judges = scored
    move_to(challenge.contest, "notice")
    company = UserFactory(roles=["company"])
    client.force_login(company)
    client.post(
        reverse("contests:notice", args=[challenge.contest_id]),
        {"challenge": challenge.pk, "entry": entries[0].pk, "text": "短"},
    )
    assert not Objection.objects.exists()
    client.post(
        reverse("contests:notice", args=[challenge.contest_id]),
        {"challenge": challenge.pk, "entry": entries[0].pk, "text": "方案1的测试数据与申报材料不一致，请核查。"},
    )
    assert Objection.objects.get().raised_by == company
    assert "方案1的测试数据" in client.get(reverse("contests:notice", args=[challenge.contest_id])).content.decode()
    client.force_login(UserFactory(roles=["company"]))
    assert "方案1的测试数据" not in client.get(reverse("contests:notice", args=[challenge.contest_id])).content.decode()
    client.force_login(contest_operator)
    client.post(
        reverse("contests:notice", args=[challenge.contest_id]),
        {"action": "answer", "objection": Objection.objects.get().pk, "answer": "经核查，数据一致。"},
    )
    assert Objection.objects.get().status == "answered"


def test_operator_decides_awards_on_the_awards_page(client, scored, contest_operator):
    challenge, entries, _judges = scored
    for entry in entries:
        services.entry_record_credit_check(actor=contest_operator, entry=entry, passed=True)
    move_to(challenge.contest, "results")
    client.force_login(entries[0].created_by)
    assert client.get(reverse("contests:awards", args=[challenge.contest_id])).status_code == 404
    client.force_login(contest_operator)
    client.post(reverse("contests:awards", args=[challenge.contest_id]), {"entry": entries[2].pk, "amount": "900000"})
    assert not Award.objects.exists()
    page = client.get(reverse("contests:awards", args=[challenge.contest_id])).content.decode()
    assert "超过该榜单的奖励上限 ¥800,000.00" in page
    client.post(reverse("contests:awards", args=[challenge.contest_id]), {"entry": entries[2].pk, "amount": "800,000"})
    page = client.get(reverse("contests:awards", args=[challenge.contest_id])).content.decode()
    assert Award.objects.get().amount == Decimal("800000.00") and "¥800,000.00" in page
    public = client.get(reverse("contests:notice", args=[challenge.contest_id])).content.decode()
    assert "¥800,000.00" in public and "评审结果" in public


def test_cooperation_page_records_the_task_book_reports_and_benefits(client, scored, contest_operator):

    challenge, entries, _judges = scored
    winner = entries[2]
    services.entry_record_credit_check(actor=contest_operator, entry=winner, passed=True)
    move_to(challenge.contest, "results")
    services.award_decide(actor=contest_operator, entry=winner, amount="500000")
    url = reverse("contests:cooperation", args=[winner.pk])
    client.force_login(entries[0].created_by)
    assert client.get(url).status_code == 404
    assert client.get(reverse("contests:cooperation", args=[entries[0].pk])).status_code == 404

    client.force_login(contest_operator)
    bad = client.post(
        url,
        {
            "action": "agreement",
            "mode": "joint",
            "title": "智慧停车联合攻关",
            "objectives": "识别率≥98%",
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
        },
    )
    assert bad.status_code == 400 and "请填写各节点的计划完成日期" in bad.content.decode()
    assert not CooperationAgreement.objects.exists()
    client.post(
        url,
        {
            "action": "agreement",
            "mode": "joint",
            "title": "智慧停车联合攻关",
            "objectives": "识别率≥98%",
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
            "design_due": "2027-03-31",
            "onsite_test_due": "2027-08-31",
            "verification_due": "2027-12-15",
            "contract_amount": "1,200,000",
        },
    )
    agreement = CooperationAgreement.objects.get()
    assert agreement.milestones.count() == 3 and agreement.contract_amount == Decimal("1200000.00")
    page = client.get(url).content.decode()
    assert "宁波市科学技术局" in page and challenge.scenario.publisher.name in page and winner.lead.name in page

    client.post(
        url,
        {
            "action": "benefit",
            "kind": "insurance",
            "year": "2027",
            "insured_kind": "first_set",
            "premium": "120000",
            "subsidy_percent": "80",
        },
    )
    assert PolicyBenefit.objects.get().subsidy_amount == Decimal("96000.00")
    bad = client.post(
        url,
        {
            "action": "benefit",
            "kind": "insurance",
            "year": "2027",
            "insured_kind": "first_set",
            "premium": "",
            "subsidy_percent": "80",
        },
    )
    assert bad.status_code == 400 and PolicyBenefit.objects.count() == 1

    client.force_login(winner.created_by)
    client.post(
        url,
        {
            "action": "report",
            "text": "已完成方案设计评审，进入设备采购。",
            "milestone": agreement.milestones.get(kind="design").pk,
        },
    )
    assert agreement.progress_reports.count() == 1
    assert client.post(url, {"action": "agreement", "mode": "procurement"}).status_code == 404


def test_contest_pages_use_a_fixed_number_of_queries(client, scored, contest_operator):
    """Adding a challenge with more entries changes no page's query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.scenarios import ScenarioFactory

    challenge, entries, judges = scored
    contest = challenge.contest
    move_to(contest, "results")
    pages = {
        "notice": (None, reverse("contests:notice", args=[contest.pk])),
        "live": (None, reverse("contests:live", args=[contest.pk])),
        "awards": (contest_operator, reverse("contests:awards", args=[contest.pk])),
        "ranking": (contest_operator, reverse("contests:ranking", args=[challenge.pk])),
        "judge-home": (judges[0], reverse("contests:judge-home")),
    }

    def counts():
        found = {}
        for name, (user, url) in pages.items():
            client.logout()
            if user:
                client.force_login(user)
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            found[name] = len(context.captured_queries)
        return found

    before = counts()
    move_to(contest, "challenges")
    scenario = ScenarioFactory(status="published", title="园区能耗监测")
    second = services.challenge_create(
        actor=scenario.created_by,
        contest=contest,
        scenario=scenario,
        award_cap="500000",
        requirements="能耗数据分钟级采集",
    )
    make_eligible_entries(second, contest_operator, 4)
    services.ranking_recompute(second, trigger="test")
    services.ranking_recompute(challenge, trigger="test")
    move_to(contest, "results")
    assert counts() == before


def test_the_ranking_pages_history_costs_the_same_queries_however_many_computations_it_lists(
    client, scored, contest_operator, django_assert_num_queries
):
    """The operator's list of the last ten computations is one query. With the cache shared with
    the workers (Redis, production) recomputations waiting together are one, so a challenge keeps
    few snapshots; each row listed used to cost a query of its own (its challenge id, left out of
    the columns read, was fetched row by row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    challenge = scored[0]
    latest = RankingSnapshot.objects.filter(challenge=challenge).latest("pk")
    RankingSnapshot.objects.filter(challenge=challenge).exclude(pk=latest.pk).delete()
    url = reverse("contests:ranking", args=[challenge.pk])
    client.force_login(contest_operator)
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(url).status_code == 200
    for _ in range(3):
        services.ranking_recompute(challenge, trigger="test")
    with django_assert_num_queries(len(one_row)):
        page = client.get(url).content.decode()
    assert page.count(">test<") == 3


def test_after_scoring_the_chair_sees_no_send_back_or_close_buttons(client, scored):
    challenge, entries, judges = scored
    chair = judges[0]
    client.force_login(chair)
    page = client.get(reverse("contests:ranking", args=[challenge.pk])).content.decode()
    assert 'value="reopen"' in page and 'data-testid="lock-scoring"' in page  # 路演评审: they work
    move_to(challenge.contest, "results")
    page = client.get(reverse("contests:ranking", args=[challenge.pk])).content.decode()
    assert 'value="reopen"' not in page and 'data-testid="lock-scoring"' not in page and 'value="unlock"' not in page
    assert 'data-testid="scoring-closed"' in page


def test_the_judge_reads_the_entry_material_beside_the_criteria(client, roadshow):
    from contests.models import EntryAttachment

    challenge, entries, judges = roadshow
    entry = entries[0]
    attachment = EntryAttachment.objects.create(
        entry=entry,
        file=SimpleUploadedFile("方案书.pdf", b"%PDF-1.4 test"),
        original_name="技术方案书.pdf",
        size=13,
        kind="pdf",
        uploaded_by=UserFactory(),
    )
    client.force_login(judges[1])
    page = client.get(reverse("contests:score-sheet", args=[entry.pk])).content.decode()
    material = page.split('data-testid="entry-material"')[1].split("</section>")[0]
    assert "以成熟产品为基础定制集成。" in material and entry.lead.name in material
    assert "技术方案书.pdf" in material and "车位检测准确率" in material  # the challenge's requirements
    download = reverse("contests:entry-attachment-download", args=[entry.pk, attachment.pk])
    assert download in material
    assert client.get(download).status_code == 200


def test_the_sheet_page_and_judge_home_use_as_many_queries_for_three_entries_as_for_six(client, roadshow):
    """The conflict rules are applied to all the judge's entries at once (issue #20: the sheet page of
    a judge with 200 entries ran two queries per entry)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    challenge, entries, judges = roadshow
    contest_operator = challenge.contest.created_by
    client.force_login(judges[1])
    pages = [reverse("contests:score-sheet", args=[entries[0].pk]), reverse("contests:judge-home")]

    def counts():
        found = []
        for url in pages:
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            found.append(len(context.captured_queries))
        return found

    before = counts()
    more = make_eligible_entries(challenge, contest_operator, 3)
    move_to(challenge.contest, "roadshow")
    page = client.get(pages[0]).content.decode()
    assert "第 1 / 6 个" in page and more
    assert counts() == before
