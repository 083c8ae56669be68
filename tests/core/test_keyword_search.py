"""The catalogue's and the 能力清单's keyword search (core.search): the rows found are the same on
SQLite and PostgreSQL for Latin terms in either case, full-width letters and Chinese terms of one
to four characters; the stored search text is folded, so no row is uppercased per search.

Run on PostgreSQL too: DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_x pytest …
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capability_list.filters import EntryFilterSet
from capability_list.models import CapabilityEntry
from core.search import folded, refold_search_text
from scenarios.models import Scenario
from scenarios.selectors import apply_keyword_search
from tests.factories.capability_list import EntryFactory
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db

TITLES = [
    "AI 巡检机器人",
    "ai 视觉识别平台",
    "ＡＩ 全角大写平台",
    "ａｉ 全角小写平台",
    "智慧停车管理系统",
    "无人机河道巡查",
    "Iot 水质监测",
]

# term → the titles it finds (written out, not computed by the code under test)
EXPECTED = {
    "AI": {"AI 巡检机器人", "ai 视觉识别平台"},
    "ai": {"AI 巡检机器人", "ai 视觉识别平台"},
    "aI": {"AI 巡检机器人", "ai 视觉识别平台"},
    "ＡＩ": {"ＡＩ 全角大写平台", "ａｉ 全角小写平台"},
    "ａｉ": {"ＡＩ 全角大写平台", "ａｉ 全角小写平台"},
    "IOT": {"Iot 水质监测"},
    "巡": {"AI 巡检机器人", "无人机河道巡查"},
    "巡检": {"AI 巡检机器人"},
    "无人机": {"无人机河道巡查"},
    "智慧停车": {"智慧停车管理系统"},
    "平台 ai": {"ai 视觉识别平台"},
    "停车 巡": set(),
}


@pytest.fixture
def scenarios():
    for title in TITLES:
        ScenarioFactory(title=title, status="published", needs=["现场勘察"], need_description="")


@pytest.fixture
def entries():
    for title in TITLES:
        EntryFactory(name=title, description="面向城市治理。", status="listed")


@pytest.mark.parametrize("term", list(EXPECTED))
def test_the_catalogue_search_finds_the_same_rows_in_any_case_and_width(scenarios, term):
    found = apply_keyword_search(Scenario.objects.all(), term)
    assert {scenario.title for scenario in found} == EXPECTED[term]


@pytest.mark.parametrize("term", list(EXPECTED))
def test_the_capability_list_search_finds_the_same_rows_in_any_case_and_width(entries, term):
    found = EntryFilterSet({"q": term}, queryset=CapabilityEntry.objects.all()).qs
    assert {entry.name for entry in found} == EXPECTED[term]


def test_search_texts_are_stored_folded(scenarios, entries):
    scenario = Scenario.objects.get(title="AI 巡检机器人")
    assert "ai 巡检机器人" in scenario.search_text and "AI" not in scenario.search_text
    assert all(entry.search_text == folded(entry.search_text) for entry in CapabilityEntry.objects.all())


def test_the_search_reads_the_stored_text_as_it_is(scenarios, entries):
    """One query for the rows, and no UPPER() of any row's search text (the per-row work a trigram
    index cannot serve)."""
    with CaptureQueriesContext(connection) as captured:
        assert len(apply_keyword_search(Scenario.objects.all(), "AI")) == 2
        assert len(EntryFilterSet({"q": "AI"}, queryset=CapabilityEntry.objects.all()).qs) == 2
    assert len(captured.captured_queries) == 2
    for query in captured.captured_queries:
        assert 'UPPER("scenarios_scenario"."search_text")' not in query["sql"]
        assert 'UPPER("capability_list_capabilityentry"."search_text")' not in query["sql"]


def test_texts_stored_before_folding_are_folded_by_the_migration_step(scenarios):
    Scenario.objects.filter(title="AI 巡检机器人").update(search_text="AI 巡检机器人 现场勘察")
    refold_search_text(Scenario, batch_size=2)
    assert Scenario.objects.get(title="AI 巡检机器人").search_text == "ai 巡检机器人 现场勘察"
    assert {s.title for s in apply_keyword_search(Scenario.objects.all(), "AI")} == EXPECTED["AI"]


def test_the_postgresql_search_columns_carry_a_trigram_index():
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_indexes"
            " WHERE indexdef LIKE '%%gin_trgm_ops%%' AND indexdef LIKE '%%search_text%%'"
        )
        tables = {row[0] for row in cursor.fetchall()}
    assert tables == {"scenarios_scenario", "capability_list_capabilityentry"}
