"""A judge's score sheet at a roadshow: the conflict rules are asked once per page (twice made it
28 queries on the load benchmark's data)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _sheet_queries(client, judge, entry) -> list[str]:
    client.force_login(judge)
    url = reverse("contests:score-sheet", args=[entry.pk])
    client.get(url)  # the first visit fills what a session keeps (not this page's cost)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200 and "第 2 / 3 个" in response.content.decode()
    return [query["sql"] for query in captured.captured_queries]


def test_the_sheet_checks_the_judges_conflicts_once(client, roadshow):
    challenge, entries, judges = roadshow
    queries = _sheet_queries(client, judges[1], entries[1])
    # Each check of the conflict rules reads the judge's declared relationships once.
    assert sum('FROM "contests_judgerelationship"' in sql for sql in queries) == 1
    assert len(queries) == 15
