"""推荐场景 at city scale: a page costs the same queries whatever its length, and its list query
joins only the tables the page shows (an eight-table join cost PostgreSQL 10–35 ms of planning
for 1 ms of work on the load benchmark's data)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.capability_list import EntryFactory
from tests.factories.matching import match_for
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db


def _company_with_matches(count: int):
    company = OrganisationFactory(kind="company", name="宁波甬视智能科技有限公司")
    user = UserFactory(organisation=company, roles=["company"])
    entry = EntryFactory(company=company, status="listed", name="路侧高位视频车位检测系统")
    for number in range(count):
        match_for(ScenarioFactory(status="published", title=f"智慧停车场景{number}"), entry, score=90.0 - number)
    return user


def _recommendation_queries(client, user) -> list[str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("matching:recommendations")).content.decode()
    assert "智慧停车场景0" in page
    return [query["sql"] for query in captured.captured_queries]


def test_the_recommendations_page_costs_the_same_queries_for_two_or_six_rows(client):
    few = _recommendation_queries(client, _company_with_matches(2))
    many = _recommendation_queries(client, _company_with_matches(6))
    # the session and the user (with roles and unread count), the count and the page's matches, the
    # contests' calls to action for the page's scenarios and the next moment they change (how long
    # the rows may be stored), the menu's evaluation items: seven, for any length (the first visit:
    # the next ones read the rows from the cache, test_recommendation_rows)
    assert len(many) == len(few) == 7


def test_the_recommendations_list_joins_only_what_the_page_shows(client):
    queries = _recommendation_queries(client, _company_with_matches(2))
    (rows,) = [sql for sql in queries if sql.startswith('SELECT "matching_match"."id"')]
    # match ⋈ entry (the company filter), scenario, its publisher and district
    assert rows.count(" JOIN ") == 4
