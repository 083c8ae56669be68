"""Inputs that used to answer 500 now get a clear 4xx (or simply match nothing)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from contests.money import parse_money
from core.errors import DomainError

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"


@pytest.fixture
def api(operator):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(operator)
    return client


def test_a_non_numeric_id_in_an_api_path_is_not_found(api):
    for path in ["/api/v1/rankings/abc/", "/api/v1/scenarios/abc/", "/api/v1/awards/1e3/"]:
        assert api.get(path).status_code == 404, path


def test_json_nested_thousands_deep_is_a_bad_request(api):
    response = api.generic("POST", "/api/v1/jobs/", "[" * 5000 + "]" * 5000, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"] == "请求内容嵌套过深，无法解析。"


def test_an_amount_beyond_any_budget_is_refused_in_chinese():
    with pytest.raises(DomainError, match="奖励金额超出范围"):
        parse_money("1e30", field="奖励金额")
    assert str(parse_money("1,000,000", field="奖励金额")) == "1000000.00"


def test_ids_beyond_64_bits_in_filters_match_nothing_or_are_refused(client, api, operator):
    client.force_login(operator)
    assert client.get(reverse("matching:matches"), {"scenario": HUGE}).status_code in (200, 400)
    assert api.get("/api/v1/matches/", {"scenario": HUGE}).status_code == 400
    assert api.get("/api/v1/enquiries/", {"scenario": HUGE}).status_code == 400
    assert api.get("/api/v1/contests/", {"year": HUGE}).status_code == 400


def test_a_page_size_or_page_that_is_not_a_whole_number_is_refused(api):
    """DRF answered the first page at the default size for page_size=true or page= (schemathesis'
    negative requests); a typo should not look like a short list."""
    for query in ({"page_size": "true"}, {"page_size": "0.5"}, {"page_size": "0"}):
        response = api.get("/api/v1/scenarios/", query)
        assert response.status_code == 400 and response.json()["page_size"] == ["每页条数应为正整数（最多 200）。"]
    for query in ({"page": ""}, {"page": "abc"}, {"page": "-1"}):
        assert api.get("/api/v1/scenarios/", query).status_code == 404
    assert api.get("/api/v1/scenarios/", {"page_size": "500", "page": "1"}).status_code == 200
