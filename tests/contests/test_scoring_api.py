"""/api/v1/ for scoring, rankings, 公示, objections, awards and cooperation: the same rules as the pages."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from contests import services
from contests.models import Award, CooperationAgreement, PolicyBenefit, ScoreSheet
from tests.contests.conftest import full_sheet, move_to
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _lines(points: dict) -> list[dict]:
    return [{"criterion": criterion_id, "points": value} for criterion_id, value in points.items()]


def test_a_judge_saves_and_submits_a_sheet_and_sees_only_their_own(api, roadshow):
    challenge, entries, judges = roadshow
    api.force_authenticate(judges[1])
    url = reverse("v1:score-sheet-list")
    bad = api.post(
        url,
        {"entry": entries[0].pk, "scores": _lines(full_sheet(challenge.contest, {"首创性": "15.5"})), "submit": True},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["detail"] == "“首创性”的得分应在 0–15 分之间。"
    assert not ScoreSheet.objects.exists()
    draft = api.post(
        url,
        {"entry": entries[0].pk, "scores": _lines({criterion: "" for criterion in full_sheet(challenge.contest)})},
        format="json",
    )
    assert draft.status_code == 200 and draft.json()["status"] == "draft"
    signed = api.post(
        url,
        {"entry": entries[0].pk, "scores": _lines(full_sheet(challenge.contest, {"首创性": "12.5"})), "submit": True},
        format="json",
    )
    assert signed.status_code == 200 and signed.json()["status"] == "submitted" and signed.json()["total"] == "97.5"
    assert len(signed.json()["content_sha256"]) == 64
    again = api.post(
        url, {"entry": entries[0].pk, "scores": _lines(full_sheet(challenge.contest)), "submit": True}, format="json"
    )
    assert again.status_code == 400 and again.json()["code"] == "sheet_signed"

    api.force_authenticate(judges[2])
    api.post(
        url, {"entry": entries[0].pk, "scores": _lines(full_sheet(challenge.contest)), "submit": True}, format="json"
    )
    mine = api.get(url).json()["results"]
    assert [sheet["judge"] for sheet in mine] == [judges[2].pk]
    other = ScoreSheet.objects.get(judge=judges[1])
    assert api.get(reverse("v1:score-sheet-detail", args=[other.pk])).status_code == 404
    assert (
        api.post(reverse("v1:score-sheet-reopen", args=[other.pk]), {"reason": "请复核"}, format="json").status_code
        == 404
    )  # not the chair

    api.force_authenticate(UserFactory(roles=["judge"]))
    assert (
        api.post(
            url,
            {"entry": entries[0].pk, "scores": _lines(full_sheet(challenge.contest)), "submit": True},
            format="json",
        ).status_code
        == 404
    )

    api.force_authenticate(judges[0])
    reopened = api.post(
        reverse("v1:score-sheet-reopen", args=[other.pk]), {"reason": "首创性评分与评语不一致"}, format="json"
    )
    assert reopened.status_code == 200 and reopened.json() == {"id": other.pk, "status": "draft"}


def test_rankings_hide_scores_from_the_panel_until_complete_and_404_for_others(
    api, roadshow, contest_operator, django_capture_on_commit_callbacks
):

    challenge, entries, judges = roadshow
    with django_capture_on_commit_callbacks(execute=True):
        for judge in judges:
            services.sheet_save(actor=judge, entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    url = reverse("v1:ranking-detail", args=[challenge.pk])
    api.force_authenticate(judges[1])
    body = api.get(url).json()
    assert body["complete"] is False and all(row["score"] is None for row in body["entries"]) and body["judges"] == []
    api.force_authenticate(contest_operator)
    body = api.get(url).json()
    assert {row["entry"]: row["score"] for row in body["entries"]}[entries[0].pk] == "100.00"
    assert body["method"] == "trimmed_mean" and body["parameters"]["rounding"] == "ROUND_HALF_UP"
    api.force_authenticate(entries[0].created_by)
    assert api.get(url).status_code == 404
    api.force_authenticate(judges[1])
    assert api.post(reverse("v1:ranking-lock", args=[challenge.pk])).status_code == 403  # only the chair
    api.force_authenticate(judges[0])
    assert api.post(reverse("v1:ranking-lock", args=[challenge.pk])).json()["locked"] is True


def test_the_public_notice_has_ranks_and_totals_but_no_judge_data(api, scored):
    challenge, entries, judges = scored
    url = reverse("v1:notice-detail", args=[challenge.contest_id])
    assert api.get(url).status_code == 404  # before 公示
    move_to(challenge.contest, "notice")
    body = api.get(url).json()
    rows = body[0]["rows"]
    assert [(row["rank"], row["score"]) for row in rows] == [(1, "90.00"), (2, "84.00"), (3, "80.00")]
    assert set(rows[0]) == {"entry", "rank", "title", "lead", "score", "technical", "business", "award"}


def test_awards_over_the_cap_are_400_and_companies_cannot_decide(api, scored, contest_operator):
    challenge, entries, _judges = scored
    for entry in entries:
        services.entry_record_credit_check(actor=contest_operator, entry=entry, passed=True)
    move_to(challenge.contest, "results")
    url = reverse("v1:award-list")
    api.force_authenticate(entries[0].created_by)
    assert api.post(url, {"entry": entries[2].pk, "amount": "100000"}, format="json").status_code == 404
    assert api.get(url).json()["results"] == []
    api.force_authenticate(contest_operator)
    over = api.post(url, {"entry": entries[2].pk, "amount": "1000000.00"}, format="json")
    assert over.status_code == 400 and "超过该榜单的奖励上限" in over.json()["detail"]
    assert not Award.objects.exists()
    made = api.post(url, {"entry": entries[2].pk, "amount": "800000"}, format="json")
    assert made.status_code == 201 and made.json()["amount"] == "800000.00"
    assert (
        api.get(reverse("v1:notice-detail", args=[challenge.contest_id])).json()[0]["rows"][0]["award"] == "800000.00"
    )


def test_objections_agreements_and_benefits_through_the_api(api, scored, contest_operator):
    challenge, entries, _judges = scored
    move_to(challenge.contest, "notice")
    company = UserFactory(roles=["company"])
    api.force_authenticate(company)
    raised = api.post(
        reverse("v1:objection-list"),
        {"challenge": challenge.pk, "entry": entries[0].pk, "text": "方案1的测试数据与申报不一致，请核查。"},
        format="json",
    )
    assert raised.status_code == 201
    api.force_authenticate(contest_operator)
    answered = api.post(
        reverse("v1:objection-answer", args=[raised.json()["id"]]), {"answer": "已核查，数据一致。"}, format="json"
    )
    assert answered.json()["status"] == "answered"

    services.entry_record_credit_check(actor=contest_operator, entry=entries[2], passed=True)
    move_to(challenge.contest, "results")
    services.award_decide(actor=contest_operator, entry=entries[2], amount="500000")
    agreement = api.post(
        reverse("v1:agreement-list"),
        {
            "entry": entries[2].pk,
            "mode": "joint",
            "title": "联合攻关",
            "objectives": "识别率≥98%",
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
            "milestones": {"design": "2027-03-01", "onsite_test": "2027-07-01", "verification": "2027-12-01"},
        },
        format="json",
    )
    assert agreement.status_code == 201 and len(agreement.json()["milestones"]) == 3
    bad = api.post(
        reverse("v1:benefit-list"),
        {
            "entry": entries[2].pk,
            "kind": "insurance",
            "year": 2027,
            "insured_kind": "first_batch",
            "premium": "50000",
            "subsidy_percent": "120",
        },
        format="json",
    )
    assert bad.status_code == 400 and "补贴比例" in bad.json()["detail"] and not PolicyBenefit.objects.exists()
    good = api.post(
        reverse("v1:benefit-list"),
        {
            "entry": entries[2].pk,
            "kind": "insurance",
            "year": 2027,
            "insured_kind": "first_batch",
            "premium": "50000",
            "subsidy_percent": "33.33",
        },
        format="json",
    )
    assert good.json()["subsidy_amount"] == "16665.00"
    assert (
        api.post(
            reverse("v1:agreement-list"), {"entry": entries[0].pk, "mode": "procurement"}, format="json"
        ).status_code
        == 404
    )  # not a winner

    api.force_authenticate(entries[2].created_by)
    assert [row["id"] for row in api.get(reverse("v1:agreement-list")).json()["results"]] == [agreement.json()["id"]]
    report = api.post(
        reverse("v1:agreement-reports", args=[agreement.json()["id"]]),
        {"text": "完成方案设计并通过专家评审。"},
        format="json",
    )
    assert report.status_code == 201
    api.force_authenticate(entries[0].created_by)
    assert api.get(reverse("v1:agreement-list")).json()["results"] == []
    assert (
        api.post(
            reverse("v1:agreement-reports", args=[agreement.json()["id"]]),
            {"text": "冒充报送的进展内容。"},
            format="json",
        ).status_code
        == 404
    )
    assert CooperationAgreement.objects.get().progress_reports.count() == 1
