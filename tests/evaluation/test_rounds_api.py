# ruff: noqa: F811 — pytest fixtures imported from tests/evaluation/conftest_rounds.py are redefined as arguments
"""/api/v1/evaluation-rounds/ and /api/v1/evaluation-sheets/: the pages' rules (a foreign id is 404)."""

import pytest
from rest_framework.test import APIClient

from evaluation import services
from evaluation.choices import Level
from evaluation.models import EvaluationRound
from tests.evaluation.conftest_rounds import Scene, _reference_data, op, scene  # noqa: F401
from tests.factories import evaluation as ev
from tests.factories.accounts import UserFactory

ROUNDS = "/api/v1/evaluation-rounds/"
SHEETS = "/api/v1/evaluation-sheets/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("count", [1, 5])
def test_operators_list_rounds_with_counts_in_fixed_queries(op, count, django_assert_num_queries):
    framework = ev.framework(Level.CITY)
    for index in range(count):
        ev.evaluation_round(level=Level.CITY, framework=framework, title=f"评估{index}", experts=3, opened_by=op)
    client = api(op)
    # roles, count, the page of rounds with their annotated counts
    with django_assert_num_queries(3):
        response = client.get(ROUNDS)
    assert response.status_code == 200 and response.json()["count"] == count
    assert response.json()["results"][0]["expert_count"] == 3


def test_experts_see_only_their_rounds_and_others_none(scene):
    other = ev.evaluation_round(title="别的轮次", experts=3)
    ids = [row["id"] for row in api(scene.lead).get(ROUNDS).json()["results"]]
    assert ids == [scene.round.pk]
    assert api(scene.lead).get(f"{ROUNDS}{other.pk}/").status_code == 404
    assert api(scene.company_user).get(ROUNDS).json()["count"] == 0


def test_operator_opens_a_round_and_others_cannot(op):
    framework = ev.framework(Level.ENTERPRISE)
    body = {"title": "企业级评估", "level": "enterprise", "year": 2026, "framework": framework.pk}
    assert api(ev.expert()).post(ROUNDS, body, format="json").status_code == 404
    created = api(op).post(ROUNDS, body, format="json")
    assert created.status_code == 201 and EvaluationRound.objects.get().title == "企业级评估"
    refused = api(op).post(ROUNDS, body | {"level": "city"}, format="json")
    assert refused.status_code == 400 and "层级与评估轮次不一致" in refused.json()["detail"]


def _lines(scene, value="8"):
    return [{"indicator": leaf.pk, "points": value, "comment": "良好"} for leaf in scene.leaves()]


def test_expert_saves_and_submits_through_the_api(scene):
    client = api(scene.experts[1])
    bad = client.post(f"{SHEETS}save/", {"subject": scene.subject.pk, "scores": _lines(scene, "8.2")}, format="json")
    assert bad.status_code == 400 and "最小单位为 0.5 分" in bad.json()["detail"]
    saved = client.post(f"{SHEETS}save/", {"subject": scene.subject.pk, "scores": _lines(scene)[:1]}, format="json")
    assert saved.status_code == 200 and saved.json()["status"] == "draft"
    submitted = client.post(f"{SHEETS}submit/", {"subject": scene.subject.pk, "scores": _lines(scene)}, format="json")
    assert submitted.status_code == 200 and len(submitted.json()["content_sha256"]) == 64
    locked = client.post(f"{SHEETS}save/", {"subject": scene.subject.pk, "scores": _lines(scene)}, format="json")
    assert locked.status_code == 400 and "已签名提交" in locked.json()["detail"]


def test_an_expert_never_reads_another_experts_sheet(scene):
    sheet = services.evaluation_sheet_save(
        actor=scene.experts[1], subject=scene.subject, points=scene.full_points("6.5"), submit=True
    )
    other = api(scene.experts[2])
    assert other.get(f"{SHEETS}{sheet.pk}/").status_code == 404
    assert other.get(SHEETS).json()["count"] == 0
    assert "6.5" not in api(scene.lead).get(SHEETS).content.decode()
    own = api(scene.experts[1]).get(f"{SHEETS}{sheet.pk}/").json()
    assert {score["points"] for score in own["scores"]} == {"6.5"}


def test_sheet_list_has_a_fixed_query_count(django_assert_num_queries):
    scene = Scene()
    for index in range(3):
        subject = ev.subject(
            scene.round, title=f"对象{index}", organisations=[(ev.OrganisationFactory(), "responsible")]
        )
        services.evaluation_sheet_save(actor=scene.lead, subject=subject, points=scene.full_points())
    client = api(scene.lead)
    # count, the page of sheets with their subjects, their scores with indicators
    with django_assert_num_queries(3):
        response = client.get(SHEETS)
    assert response.json()["count"] == 3


def test_stranger_cannot_save_a_sheet_and_lead_reopens(scene):
    stranger = UserFactory(roles=["judge"])
    body = {"subject": scene.subject.pk, "scores": _lines(scene)}
    assert api(stranger).post(f"{SHEETS}save/", body, format="json").status_code == 404
    api(scene.experts[1]).post(f"{SHEETS}submit/", body, format="json")
    sheet_id = api(scene.experts[1]).get(SHEETS).json()["results"][0]["id"]
    assert api(scene.experts[2]).post(f"{SHEETS}{sheet_id}/reopen/", {"reason": "x"}, format="json").status_code == 404
    reopened = api(scene.lead).post(f"{SHEETS}{sheet_id}/reopen/", {"reason": "请复核"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "draft"
