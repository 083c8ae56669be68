"""Every 驾驶舱 chart's figures, hand-counted from tests/steering/cockpit_world.py, with and without
filters; and every item's figure equals its drill-down list."""

import pytest
from django.core.cache import cache

from steering import cockpit
from tests.steering.cockpit_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(reference_data):
    return build_world()


def figures(code, **filters):
    payload = cockpit.chart_payload(code, cockpit.Filters(**filters))
    return {key: value for key, _name, value in payload["dataset"]["source"]}


def test_key_figures_count_the_records_by_hand(world):
    # 4 published scenarios (the draft is not), 2 challenges, 4 submitted entries (the draft is not),
    # ¥600,000.50 + ¥300,000.25 awarded, 3 listed entries, 1 enquiry answered by 23:00 on its due day.
    assert figures("key-figures") == {
        "scenarios": 4,
        "challenges": 2,
        "entries": 4,
        "award-money": "900000.75",
        "capability-entries": 3,
        "enquiries-on-time": 1,
    }


def test_key_figures_follow_year_and_district(world):
    yinzhou = world["s1"].district_id
    assert figures("key-figures", year=2025)["scenarios"] == 1
    by_district = figures("key-figures", year=2026, district=yinzhou)
    assert by_district["scenarios"] == 2  # s1, s2 (s4 is 2025)
    assert by_district["challenges"] == 1
    assert by_district["entries"] == 3
    assert by_district["award-money"] == "600000.50"
    assert by_district["capability-entries"] == 2


def test_scenarios_by_district_show_every_district_as_a_tile_with_zeros(world):
    tiles = figures("scenarios-by-district")
    assert tiles[str(world["s1"].district_id)] == 3
    assert tiles[str(world["s3"].district_id)] == 1
    assert sum(tiles.values()) == 4 and len(tiles) >= 10 and 0 in tiles.values()


def test_scenarios_by_stage_status_and_domain(world):
    assert figures("scenarios-by-stage") == {"under_construction": 2, "planned": 1, "none": 1}
    status = figures("scenarios-by-status")
    assert status["published"] == 2 and status["in_contest"] == 1 and status["demonstrated"] == 1
    assert status["closed"] == 0
    assert figures("scenarios-by-domain") == {str(world["transport"].parent_id): 4}


def test_contest_funnel(world):
    assert figures("contest-funnel") == {
        "challenges": 2,
        "entries": 4,
        "qualified": 3,
        "scored": 2,  # e2's sheet is a draft
        "winners": 2,
        "agreements": 1,
        "award-money": "900000.75",
    }
    assert figures("contest-funnel", year=2025)["entries"] == 0


def test_capability_entries_by_industry_and_credential(world):
    assert sum(figures("capability-by-industry").values()) == 3
    assert figures("capability-by-credential") == {"first_set": 1, "first_batch": 0, "first_version": 1, "none": 2}


def test_enquiries_against_the_deadline_and_satisfaction(world):
    assert figures("enquiry-timeliness") == {"on_time": 1, "late": 1, "open": 1, "overdue": 1}
    assert figures("enquiry-timeliness", district=world["s3"].district_id) == {
        "on_time": 0,
        "late": 0,
        "open": 1,
        "overdue": 0,
    }
    assert figures("enquiry-satisfaction") == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}


def test_matches_that_became_meetings_and_contracts(world):
    assert figures("matchmaking") == {
        "recommended": 3,
        "met": 2,
        "contracted": 1,
        "agenda": 2,
        "agenda-contract": 1,
    }


def test_evaluation_grades_count_published_results_of_closed_rounds(world):
    assert figures("evaluation-grades") == {"enterprise|优": 1, "enterprise|良": 1}


def test_attention_lists_tolerance_ending_and_overdue_findings(world):
    assert figures("attention") == {
        "reports-attention": 0,
        "notices-open": 0,
        "tolerance-ending": 1,
        "findings-overdue": 1,
    }
    by_district = figures("attention", district=world["s1"].district_id)
    assert by_district == {"reports-attention": 0, "notices-open": 0, "tolerance-ending": 0, "findings-overdue": 1}


@pytest.mark.parametrize(
    "filters", [{}, {"year": 2026}, {"district": "yinzhou"}, {"year": 2025, "district": "yinzhou"}]
)
def test_every_figure_equals_its_drill_down_list(world, filters):
    if "district" in filters:
        filters = {**filters, "district": world["s1"].district_id}
    checked = 0
    for chart in cockpit.charts_in_order():
        payload = cockpit.chart_payload(chart.code, cockpit.Filters(**filters))
        for key, _name, value in payload["dataset"]["source"]:
            assert chart.item_value(cockpit.Filters(**filters), key) == value, (chart.code, key)
            checked += 1
    assert checked > 40
