"""/api/v1/scenarios/ without ?scope= is the public catalogue, the same for everyone: its data comes
from the cache (core.api.cached_lists, issue #20) until a model it shows changes. Lists that depend
on who asks (?scope=mine, ?scope=review) are never stored."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services.tokens import api_token_issue
from scenarios.models import NeedItem
from tests.factories.accounts import UserFactory, operator_user
from tests.factories.scenarios import ScenarioFactory, publisher_user

pytestmark = pytest.mark.django_db

LIST = reverse("v1:scenario-list")


def _titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def _company_script() -> APIClient:
    """A company's script, signed in with an API token as in the load journey."""
    _token, key = api_token_issue(actor=UserFactory(roles=["company"]))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_visitor_and_a_companys_script_get_the_stored_list(django_assert_num_queries):
    ScenarioFactory(title="智慧停车管理系统", status="published", needs=["车位检测"])
    ScenarioFactory(title="再生水厂智能加药系统", status="published", needs=["水质监测"])
    # A miss: the count, the rows with their joins, their need items.
    with django_assert_num_queries(3):
        first = APIClient().get(LIST)
    with django_assert_num_queries(0):
        again = APIClient().get(LIST)
    assert _titles(again) == _titles(first) and len(_titles(first)) == 2
    script = _company_script()
    # The token is looked up (and its last use written, once a minute); the list is not read again.
    with django_assert_num_queries(2):
        theirs = script.get(LIST)
    assert _titles(theirs) == _titles(first)
    assert theirs.json()["results"][0]["need_items"] in (["车位检测"], ["水质监测"])


def test_a_search_and_a_page_are_stored_each_under_their_own_address(django_assert_num_queries):
    ScenarioFactory(title="智慧停车管理系统", status="published")
    ScenarioFactory(title="再生水厂智能加药系统", status="published")
    addresses = [{"q": "停车"}, {"q": "加药"}, {"page_size": 1}, {"page_size": 1, "page": 2}]
    answers = [_titles(APIClient().get(LIST, params)) for params in addresses]
    assert answers[:2] == [["智慧停车管理系统"], ["再生水厂智能加药系统"]]
    assert sorted(answers[2] + answers[3]) == sorted(["智慧停车管理系统", "再生水厂智能加药系统"])
    with django_assert_num_queries(0):
        assert [_titles(APIClient().get(LIST, params)) for params in addresses] == answers


def test_a_change_to_a_scenario_its_needs_or_its_publisher_shows_on_the_next_request():
    scenario = ScenarioFactory(title="燃气管网监测项目", status="published", needs=["压力传感"])
    assert _titles(APIClient().get(LIST)) == ["燃气管网监测项目"]
    NeedItem.objects.create(scenario=scenario, name="泄漏定位", sort_order=2)
    assert APIClient().get(LIST).json()["results"][0]["need_items"] == ["压力传感", "泄漏定位"]
    scenario.publisher.name = "宁波市燃气集团有限公司"
    scenario.publisher.save()
    assert APIClient().get(LIST).json()["results"][0]["publisher"] == "宁波市燃气集团有限公司"
    ScenarioFactory(title="轨道交通安检改造工程", status="published")
    assert set(_titles(APIClient().get(LIST))) == {"燃气管网监测项目", "轨道交通安检改造工程"}


def test_an_organisations_own_drafts_never_reach_another_at_the_same_address(django_assert_num_queries):
    ScenarioFactory(title="已发布的场景", status="published")
    mine = ScenarioFactory(title="甲单位的草稿", status="draft")
    theirs = ScenarioFactory(title="乙单位的草稿", status="draft")
    first, second = APIClient(), APIClient()
    first.force_authenticate(publisher_user(mine.publisher))
    second.force_authenticate(publisher_user(theirs.publisher))
    assert _titles(first.get(LIST, {"scope": "mine"})) == ["甲单位的草稿"]
    assert _titles(second.get(LIST, {"scope": "mine"})) == ["乙单位的草稿"]
    assert "甲单位的草稿" not in _titles(first.get(LIST)) and "乙单位的草稿" not in _titles(second.get(LIST))


def test_the_operators_review_queue_is_never_stored_for_others():
    ScenarioFactory(title="已发布的场景", status="published")
    ScenarioFactory(title="待审核的场景", status="submitted")
    operator = APIClient()
    operator.force_authenticate(operator_user())
    assert _titles(operator.get(LIST, {"scope": "review"})) == ["待审核的场景"]
    company = APIClient()
    company.force_authenticate(UserFactory(roles=["company"]))
    assert _titles(company.get(LIST, {"scope": "review"})) == ["已发布的场景"]  # not an operator: the catalogue
    assert _titles(operator.get(LIST, {"scope": "review"})) == ["待审核的场景"]


def test_the_browsable_apis_page_is_rendered_with_its_page_links_every_time():
    ScenarioFactory(title="智慧停车管理系统", status="published")
    ScenarioFactory(title="再生水厂智能加药系统", status="published")
    pages = []
    for _attempt in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = APIClient().get(LIST, {"format": "api", "page_size": 1}, HTTP_ACCEPT="text/html")
        assert response.status_code == 200 and len(queries.captured_queries) > 0
        pages.append(response.content.decode())
    assert 'class="pagination"' in pages[1]
