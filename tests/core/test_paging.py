"""The API's paginator: a long list's total counted once a minute, a short one on every request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core import paging
from core.paging import LargeCountCachedPaginator
from scenarios.models import Scenario
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db


def counts_run(run) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        result = run()
    return result, sum("COUNT(" in query["sql"] for query in captured.captured_queries)


def test_a_long_list_is_counted_once_then_read_from_the_cache(monkeypatch):
    monkeypatch.setattr(paging, "LARGE_COUNT", 3)
    ScenarioFactory.create_batch(4, status="published")
    queryset = Scenario.objects.filter(status="published").order_by("id")
    first, counted = counts_run(lambda: LargeCountCachedPaginator(queryset, 2).count)
    assert (first, counted) == (4, 1)
    ScenarioFactory(status="published")
    again, counted = counts_run(lambda: LargeCountCachedPaginator(queryset, 2).count)
    assert (again, counted) == (4, 0)  # within the minute: the stored total
    # Another filter is another list, counted for itself.
    other, counted = counts_run(lambda: LargeCountCachedPaginator(queryset.filter(stage="planned"), 2).count)
    assert (other, counted) == (0, 1)


def test_the_same_rows_read_with_their_joins_or_in_another_order_share_the_stored_total(monkeypatch):
    # The key is the SQL of the list's ids: compiling the rows' select with every joined column, only
    # to make the key, cost more than the count itself (issue #20).
    monkeypatch.setattr(paging, "LARGE_COUNT", 3)
    ScenarioFactory.create_batch(4, status="published")
    published = Scenario.objects.filter(status="published")
    assert counts_run(lambda: LargeCountCachedPaginator(published.order_by("id"), 2).count) == (4, 1)
    joined = published.select_related("publisher", "domain").defer("search_text").order_by("-published_at")
    assert counts_run(lambda: LargeCountCachedPaginator(joined, 2).count) == (4, 0)


def test_a_short_list_is_counted_on_every_request(monkeypatch):
    monkeypatch.setattr(paging, "LARGE_COUNT", 10)
    ScenarioFactory.create_batch(2, status="published")
    queryset = Scenario.objects.filter(status="published").order_by("id")
    assert counts_run(lambda: LargeCountCachedPaginator(queryset, 2).count) == (2, 1)
    ScenarioFactory(status="published")
    assert counts_run(lambda: LargeCountCachedPaginator(queryset, 2).count) == (3, 1)
    assert counts_run(lambda: LargeCountCachedPaginator(Scenario.objects.none(), 2).count) == (0, 0)


def test_the_api_list_counts_a_long_list_once(monkeypatch):
    monkeypatch.setattr(paging, "LARGE_COUNT", 3)
    ScenarioFactory.create_batch(4, status="published")
    client = APIClient()
    answer, counted = counts_run(lambda: client.get("/api/v1/scenarios/?page_size=2"))
    assert (answer.status_code, answer.json()["count"], counted) == (200, 4, 1)
    with CaptureQueriesContext(connection) as captured:
        answer = client.get("/api/v1/scenarios/?page_size=2&page=2")
    # The page's rows and their need items; the total from the cache.
    assert len(captured.captured_queries) == 2, [query["sql"][:80] for query in captured.captured_queries]
    assert answer.json()["count"] == 4 and len(answer.json()["results"]) == 2
    # A filtered list below the threshold is counted exactly.
    answer, counted = counts_run(lambda: client.get("/api/v1/scenarios/?stage=planned"))
    assert (answer.json()["count"], counted) == (0, 1)
