"""What a score sheet accepts (#18): a full-width digit ('９') was taken as a score, and a sheet could
carry 10,000 lines repeating one criterion. Both are refused with a Chinese message, on the page
and in the API, and nothing is saved."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from contests.models import ScoreSheet
from contests.sheets import parse_points
from core.errors import DomainError
from tests.contests.conftest import full_sheet

pytestmark = pytest.mark.django_db

HALF_WIDTH = "请用半角数字填写"


class Criterion:
    name = "首创性"
    max_points = 15


@pytest.mark.parametrize("text", ["９", "１２.５", "1２", "١٢", "1e1", "1_0", "NaN", "很好"])
def test_only_ascii_digits_are_points(text):
    with pytest.raises(DomainError, match=HALF_WIDTH):
        parse_points(text, Criterion())


@pytest.mark.parametrize(("text", "points"), [("9", "9.0"), (" 12.5 ", "12.5"), ("0", "0.0"), (".5", "0.5")])
def test_ascii_points_still_read(text, points):
    assert str(parse_points(text, Criterion())) == points


def _page_post(client, entry, data):
    return client.post(reverse("contests:score-sheet", args=[entry.pk]), {**data, "action": "submit"})


def test_the_sheet_page_refuses_a_full_width_digit(client, roadshow):
    challenge, entries, judges = roadshow
    client.force_login(judges[1])
    points = {f"points_{key}": value for key, value in full_sheet(challenge.contest, {"先进性": "９"}).items()}
    response = _page_post(client, entries[0], points)
    assert response.status_code == 400 and "“先进性”的得分应为数字，请用半角数字填写" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_the_sheet_page_refuses_a_criterion_posted_twice(client, roadshow):
    challenge, entries, judges = roadshow
    client.force_login(judges[1])
    points = {f"points_{key}": value for key, value in full_sheet(challenge.contest).items()}
    first = next(iter(full_sheet(challenge.contest)))
    response = _page_post(client, entries[0], {**points, f"points_{first}": ["3", "9"]})
    assert response.status_code == 400
    assert f"同一评分项填写了多次（编号 {first}），每项只能填写一次。" in response.content.decode()
    assert not ScoreSheet.objects.exists()


@pytest.fixture
def judge_api(roadshow):
    challenge, entries, judges = roadshow
    api = APIClient()
    api.force_authenticate(judges[1])
    return api


def _api_post(api, entry, lines):
    return api.post(reverse("v1:score-sheet-list"), {"entry": entry.pk, "scores": lines, "submit": True}, format="json")


def test_the_api_refuses_a_full_width_digit(judge_api, roadshow):
    challenge, entries, judges = roadshow
    lines = [
        {"criterion": key, "points": value} for key, value in full_sheet(challenge.contest, {"首创性": "９"}).items()
    ]
    response = _api_post(judge_api, entries[0], lines)
    assert response.status_code == 400 and "“首创性”的得分应为数字，请用半角数字填写" in response.json()["detail"]
    assert not ScoreSheet.objects.exists()


def test_the_api_refuses_a_criterion_repeated(judge_api, roadshow):
    challenge, entries, judges = roadshow
    lines = [{"criterion": key, "points": value} for key, value in full_sheet(challenge.contest).items()]
    response = _api_post(judge_api, entries[0], lines + lines[:2])
    assert response.status_code == 400
    ids = "、".join(str(line["criterion"]) for line in lines[:2])
    assert response.json()["scores"] == [f"同一评分项填写了多次（编号 {ids}），每项只能填写一次。"]
    assert not ScoreSheet.objects.exists()


def test_the_api_refuses_ten_thousand_lines_before_reading_them(judge_api, roadshow, django_assert_num_queries):
    challenge, entries, judges = roadshow
    line = {"criterion": next(iter(full_sheet(challenge.contest))), "points": "10"}
    with django_assert_num_queries(0):  # refused before any criterion, entry or sheet is looked up
        response = _api_post(judge_api, entries[0], [line] * 10_000)
    assert response.status_code == 400
    assert response.json()["scores"] == {"non_field_errors": ["评分项不能超过 100 项。"]}
    assert not ScoreSheet.objects.exists()


@pytest.mark.parametrize("text", ["-0", "-0.0", "+0", "-.0"])
def test_a_negative_zero_is_zero_points(text):
    """Decimal("-0") passed the bounds and was signed as "-0.0" though the database keeps 0 (found by
    tests/contests/test_score_properties.py)."""
    assert str(parse_points(text, Criterion())) == "0.0"
