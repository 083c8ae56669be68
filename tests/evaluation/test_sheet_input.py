# ruff: noqa: F811 — pytest fixtures imported from tests/evaluation/conftest_rounds.py are redefined as arguments
"""What an evaluation sheet accepts (#18, as for contest score sheets): a full-width digit and a
sheet repeating one indicator are refused with a Chinese message, on the page and in the API."""

from django.urls import reverse
from rest_framework.test import APIClient

from evaluation.models import EvaluationSheet
from tests.conftest import login
from tests.evaluation.conftest_rounds import Scene, _reference_data, op, scene  # noqa: F401

SHEETS = "/api/v1/evaluation-sheets/"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _expert_leaves(scene):
    return [leaf for leaf in scene.leaves() if leaf.method == "expert"]


def test_the_api_refuses_a_full_width_digit_and_a_repeated_indicator(scene):
    client = _api(scene.experts[1])
    leaf = _expert_leaves(scene)[0]
    wide = client.post(
        f"{SHEETS}save/",
        {"subject": scene.subject.pk, "scores": [{"indicator": leaf.pk, "points": "８"}]},
        format="json",
    )
    assert wide.status_code == 400 and f"“{leaf.name}”的得分应为数字，请用半角数字填写" in wide.json()["detail"]
    line = {"indicator": leaf.pk, "points": "8"}
    repeated = client.post(f"{SHEETS}save/", {"subject": scene.subject.pk, "scores": [line] * 3}, format="json")
    assert repeated.status_code == 400
    assert repeated.json()["scores"] == [f"同一评分项填写了多次（编号 {leaf.pk}），每项只能填写一次。"]
    many = client.post(f"{SHEETS}save/", {"subject": scene.subject.pk, "scores": [line] * 10_000}, format="json")
    assert many.status_code == 400 and many.json()["scores"] == {"non_field_errors": ["评分项不能超过 1000 项。"]}
    assert not EvaluationSheet.objects.exists()


def test_the_sheet_page_refuses_a_full_width_digit_and_a_repeated_indicator(client, scene):
    leaf = _expert_leaves(scene)[0]
    login(client, scene.experts[1])
    url = reverse("evaluation:sheet", args=[scene.subject.pk])
    wide = client.post(url, {f"points_{leaf.pk}": "８", "action": "save"})
    assert wide.status_code == 400 and "请用半角数字填写" in wide.content.decode()
    repeated = client.post(url, {f"points_{leaf.pk}": ["8", "2"], "action": "save"})
    assert repeated.status_code == 400
    assert f"同一评分项填写了多次（编号 {leaf.pk}），每项只能填写一次。" in repeated.content.decode()
    assert not EvaluationSheet.objects.exists()
