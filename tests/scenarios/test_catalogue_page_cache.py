"""The catalogue as visitors see it comes from the cache (core.page_cache) until what it shows
changes — and never after: each change below shows on the very next visit."""

import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import page_cache
from core.page_cache import TOKEN_PLACEHOLDER
from scenarios import services
from scenarios.models import NeedItem
from scenarios.selectors import CATALOGUE_PAGES
from tests.conftest import count_cache_reads
from tests.factories.accounts import UserFactory
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db

CATALOGUE = "/scenarios/"


def _visit(client, path=CATALOGUE, **params) -> tuple[str, int]:
    """The page's text and how many queries answering it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def test_the_second_visitor_gets_the_stored_page_without_a_query(client):
    ScenarioFactory(title="智慧停车管理系统", status="published")
    first, first_queries = _visit(client, q="停车")
    again, again_queries = _visit(Client(), q="停车")
    assert first_queries > 0 and again_queries == 0
    assert "智慧停车管理系统" in again and "共 1 个场景" in again
    other, other_queries = _visit(Client(), q="水质")  # another address is another page
    assert other_queries > 0 and "智慧停车管理系统" not in other


def test_a_published_scenario_shows_on_the_next_visit(client):
    _visit(client)
    ScenarioFactory(title="再生水厂智能加药系统", status="published")
    page, queries = _visit(Client())
    assert "再生水厂智能加药系统" in page and queries > 0


def test_a_withdrawn_scenario_leaves_the_stored_page(client):
    scenario = ScenarioFactory(title="轨道交通安检改造工程", status="published")
    assert "轨道交通安检改造工程" in _visit(client)[0]
    services.scenario_transition(actor=scenario.created_by, scenario=scenario, action="withdraw", reason="项目取消")
    assert "轨道交通安检改造工程" not in _visit(Client())[0]


def test_a_changed_need_item_and_a_renamed_publisher_show_at_once(client):
    scenario = ScenarioFactory(title="燃气管网监测项目", status="published", needs=["压力传感"])
    assert "压力传感" in _visit(client)[0]
    NeedItem.objects.filter(scenario=scenario).delete()
    NeedItem.objects.create(scenario=scenario, name="泄漏定位", sort_order=1)
    page = _visit(Client())[0]
    assert "泄漏定位" in page and "压力传感" not in page
    scenario.publisher.name = "宁波市燃气集团有限公司"
    scenario.publisher.save()
    assert "宁波市燃气集团有限公司" in _visit(Client())[0]


def test_a_change_committed_while_another_request_rendered_the_old_page_is_not_hidden(
    client, django_capture_on_commit_callbacks
):
    """Another request may read the version bumped inside the transaction, render the data as it
    was before the commit and store that page under the new version: the bump at commit supersedes it."""
    ScenarioFactory(title="港口无人集卡示范项目", status="published")
    before_commit = _visit(client)[0]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ScenarioFactory(title="港口智能理货系统", status="published")
        # the other request's page: the data before the commit, stored under the version bumped now
        key = page_cache._key(CATALOGUE_PAGES, RequestFactory().get(CATALOGUE))
        cache.set(key, ("text/html; charset=utf-8", before_commit), page_cache.CACHE_TTL)
        assert "港口智能理货系统" not in _visit(Client())[0]
    assert "港口智能理货系统" in _visit(Client())[0]


def test_signed_in_people_get_their_own_page_and_it_is_never_stored(client):
    ScenarioFactory(title="智慧养老服务平台", status="published")
    person = UserFactory(roles=["company"], display_name="陈晓峰")
    client.force_login(person)
    page, queries = _visit(client)
    assert queries > 0 and "陈晓峰" in page
    again, queries = _visit(client)
    assert queries > 0
    visitor = _visit(Client())[0]
    assert "陈晓峰" not in visitor and "智慧养老服务平台" in visitor


def test_a_visitor_with_a_session_or_a_message_gets_the_page_rendered(client):
    ScenarioFactory(title="智慧校园安防项目", status="published")
    _visit(client)
    # Rendered for them (the template renders), around the stored filters and rows (no query left).
    with_session = Client()
    with_session.cookies["sessionid"] = "abc"
    assert "scenarios/catalogue.html" in [t.name for t in with_session.get(CATALOGUE).templates]
    with_message = Client()
    with_message.cookies["messages"] = "x"
    assert "scenarios/catalogue.html" in [t.name for t in with_message.get(CATALOGUE).templates]


def test_an_english_reader_does_not_get_the_chinese_page(client):
    ScenarioFactory(title="医疗影像云平台", status="published")
    chinese = _visit(client)[0]
    english_reader = Client()
    english_reader.cookies["django_language"] = "en"
    english, queries = _visit(english_reader)
    assert queries > 0 and english != chinese and 'lang="en"' in english


def test_a_stored_page_carries_each_visitors_own_csrf_token():
    """The language switch posts with the token of the page: a page from the cache must carry one
    that matches the visitor's own cookie."""
    ScenarioFactory(title="城市安全应急指挥平台", status="published")
    first = Client(enforce_csrf_checks=True)
    _visit(first)
    second = Client(enforce_csrf_checks=True)
    page, queries = _visit(second)
    assert queries == 0 and TOKEN_PLACEHOLDER not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', page).group(1)
    assert f'"X-CSRFToken": "{token}"' in page
    switched = second.post(reverse("set_language"), {"language": "en", "next": CATALOGUE, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302


def test_a_signed_in_person_gets_the_stored_rows_and_a_change_on_the_next_visit(client):
    """The filters and rows are the same for everyone: a signed-in person's page renders only the
    frame around the stored part (issue #20), and still sees a change at once."""
    ScenarioFactory(title="智慧停车管理系统", status="published")
    client.force_login(UserFactory(roles=["company"]))
    first, first_queries = _visit(client, q="停车")
    again, again_queries = _visit(client, q="停车")
    other = Client()
    other.force_login(UserFactory(roles=["company"]))
    _visit(other, "/")  # their own menu, worked out once (core.navigation)
    theirs, their_queries = _visit(other, q="停车")
    assert "智慧停车管理系统" in again and "共 1 个场景" in again and "共 1 个场景" in theirs
    # Not read again (six queries): the count, the rows, their need items, and the choices of the
    # filters. (The person's roles and unread count come with the person: accounts.selectors.)
    assert first_queries - again_queries == 6 and their_queries == again_queries
    ScenarioFactory(title="停车场照明改造", status="published")
    changed, _queries = _visit(client, q="停车")
    assert "停车场照明改造" in changed and "共 2 个场景" in changed


def test_a_signed_in_page_reads_its_stored_rows_their_version_and_the_menu_in_one_round_trip(client, monkeypatch):
    """The stored part keeps its version inside (core.page_cache.cached_part) and the menu's entry
    rides along (core.navigation.scopes_read_with_menu): one read of the cache, where there were
    three in a row (the version, the part, the menu)."""
    ScenarioFactory(title="智慧停车管理系统", status="published")
    client.force_login(UserFactory(roles=["company"]))
    _visit(client, q="停车")
    reads = count_cache_reads(monkeypatch)
    page, _queries = _visit(client, q="停车")
    assert "智慧停车管理系统" in page
    page_reads = [key for key in reads if "part:" in str(key) or "nav:" in str(key) or "version" in str(key)]
    assert len(page_reads) == 1
    assert any("part:catalogue" in key for key in page_reads[0]) and any("nav:" in key for key in page_reads[0])
