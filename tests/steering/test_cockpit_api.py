"""The chart endpoints /api/v1/cockpit/<code>/: who may read them, bad filters, a fixed number of
aggregate queries whatever the data, the versioned cache (a hit costs no query; a change invalidates)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from steering import cockpit
from tests.conftest import count_cache_reads
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.scenarios import ScenarioFactory, district
from tests.steering.cockpit_world import build_world, official_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_official_reads_a_chart_as_an_echarts_dataset_with_meta(reference_data):
    build_world()
    response = api(official_user()).get("/api/v1/cockpit/contest-funnel/?year=2026")
    assert response.status_code == 200
    body = response.json()
    assert body["dataset"]["dimensions"] == ["key", "name", "value"]
    assert ["scored", "已评分", 2] in body["dataset"]["source"]
    meta = body["meta"]
    assert meta["title"] == "场景大赛漏斗" and "资格审查通过" in meta["definition"] and meta["as_of"]
    assert meta["items"]["award-money"]["unit"] == "元"
    assert meta["items"]["scored"]["drill_url"] == "/steering/drill/contest-funnel/?key=scored&year=2026"


@pytest.mark.parametrize("roles", [["company"], ["publisher"], ["judge"], ["auditor"]])
def test_other_roles_and_anonymous_visitors_are_refused(reference_data, roles):
    user = UserFactory(organisation=OrganisationFactory(), roles=roles)
    assert api(user).get("/api/v1/cockpit/key-figures/").status_code == 404
    assert api().get("/api/v1/cockpit/key-figures/").status_code in (401, 403)


def test_operator_reads_every_chart_and_an_unknown_chart_is_404(reference_data):
    client = api(operator_user())
    for chart in cockpit.charts_in_order():
        assert client.get(f"/api/v1/cockpit/{chart.code}/").status_code == 200
    assert client.get("/api/v1/cockpit/no-such-chart/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=1999",
        "year=99999999999999999999",
        "year=-1",
        "district=0",
        "district=x",
        "district=2147483647",
        "year=2026.5",
        "district=１",
    ],
)
def test_bad_filters_answer_400_in_chinese(reference_data, query):
    response = api(operator_user()).get(f"/api/v1/cockpit/key-figures/?{query}")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "无效" in detail or "没有这个区县" in detail


def _add_scenarios(count):
    haishu = district("haishu")
    for index in range(count):
        ScenarioFactory(title=f"海曙区第{index}个智慧社区应用场景", status="published", district=haishu)


@pytest.mark.parametrize("code", sorted(cockpit.CHARTS))
def test_each_chart_answers_in_the_same_number_of_queries_with_little_and_much_data(reference_data, code):
    filters = cockpit.Filters()
    cockpit.district_options()  # cached once: the count below is the chart's own aggregate queries
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as little:
        cockpit.CHARTS[code].payload(filters)
    build_world()
    _add_scenarios(5)
    cockpit.district_options()
    with CaptureQueriesContext(connection) as much:
        payload = cockpit.CHARTS[code].payload(filters)
    # A figures chart runs one aggregate query per figure; a grouped chart one GROUP BY query; the
    # programme's charts as many as their fixed_queries() says (the SOE summary: as many as its year's
    # scheme has items, the same for little and much data).
    chart = cockpit.CHARTS[code]
    expected = chart.fixed_queries()
    assert len(little) == len(much)
    assert expected is None or len(much) == expected
    assert payload["dataset"]["source"]


def test_a_cached_chart_answers_with_no_query_and_a_change_invalidates_it(reference_data, django_assert_num_queries):
    world = build_world()
    filters = cockpit.Filters(year=2026)
    first = cockpit.chart_payload("scenarios-by-status", filters)
    cockpit.district_options()  # the district list is cached too (bumped when a district changes)
    with django_assert_num_queries(0):
        again = cockpit.chart_payload("scenarios-by-status", filters)
        cockpit.parse_filters({"year": "2026", "district": str(world["s1"].district_id)})
    assert again == first
    published = dict((key, value) for key, _name, value in first["dataset"]["source"])["published"]

    ScenarioFactory(title="新发布的慈城古县城智慧文旅应用场景", status="published")  # post_save bumps the version
    with django_assert_num_queries(1):  # recomputed: one GROUP BY
        fresh = cockpit.chart_payload("scenarios-by-status", filters)
    assert dict((key, value) for key, _name, value in fresh["dataset"]["source"])["published"] == published + 1


def test_the_page_reads_every_chart_in_one_cache_round_trip_and_sees_each_change(
    reference_data, django_assert_num_queries, monkeypatch
):
    """chart_payloads (the 驾驶舱 page) gives what chart_payload gives each chart, with one read of all
    the versions and payloads together (each payload is stored beside its chart's version); a change
    recomputes the charts reading it."""
    build_world()
    filters = cockpit.Filters(year=2026)
    codes = [chart.code for chart in cockpit.charts_in_order()]
    cold = cockpit.chart_payloads(codes, filters)
    assert cold == [cockpit.chart_payload(code, filters) for code in codes]
    reads = count_cache_reads(monkeypatch)
    with django_assert_num_queries(0):
        assert cockpit.chart_payloads(codes, filters) == cold
    assert len(reads) == 1
    monkeypatch.undo()

    ScenarioFactory(title="新发布的慈城古县城智慧文旅应用场景", status="published")
    fresh = dict(zip(codes, cockpit.chart_payloads(codes, filters)))
    published = dict((key, value) for key, _name, value in fresh["scenarios-by-status"]["dataset"]["source"])
    before = dict((key, value) for key, _name, value in cold[codes.index("scenarios-by-status")]["dataset"]["source"])
    assert published["published"] == before["published"] + 1
    assert fresh["enquiry-timeliness"] == cold[codes.index("enquiry-timeliness")]  # not reading scenarios


def test_a_deleted_record_invalidates_the_charts_reading_it(reference_data):
    world = build_world()
    before = cockpit.chart_payload("matchmaking", cockpit.Filters())
    world["ce3"].matches.all().delete()
    after = cockpit.chart_payload("matchmaking", cockpit.Filters())
    assert before["dataset"]["source"][0][2] == 3 and after["dataset"]["source"][0][2] == 2


def test_the_endpoint_serves_the_cache_without_touching_the_data(reference_data, django_assert_num_queries):
    build_world()
    client = api(operator_user())
    assert client.get("/api/v1/cockpit/key-figures/?year=2026").status_code == 200
    with django_assert_num_queries(0):  # force_authenticate: no session lookup; the payload from the cache
        response = client.get("/api/v1/cockpit/key-figures/?year=2026")
    assert response.status_code == 200


def test_a_warm_chart_endpoint_reads_the_cache_once_and_a_district_filter_once_more(reference_data, monkeypatch):
    """The chart's version and payload come back in one round trip of the cache (they took two, each a
    wait on Redis, issue #20); a district filter checks the district list in one more."""
    world = build_world()
    client = api(operator_user())
    in_district = f"/api/v1/cockpit/scenarios-by-status/?district={world['s1'].district_id}"
    for url in ("/api/v1/cockpit/scenarios-by-status/", in_district):
        assert client.get(url).status_code == 200
    reads = count_cache_reads(monkeypatch)
    assert client.get("/api/v1/cockpit/scenarios-by-status/").status_code == 200
    assert len([key for key in reads if "cockpit" in str(key)]) == 1
    reads.clear()
    assert client.get(in_district).status_code == 200
    assert len([key for key in reads if "cockpit" in str(key)]) == 2


def test_a_chart_read_in_english_first_is_still_chinese_for_the_next_chinese_reader(reference_data):
    """Labels are cached per language: the first reader's language must not become everyone's."""
    build_world()
    official = official_user()
    english = api(official)
    english.cookies["django_language"] = "en"
    source = english.get("/api/v1/cockpit/scenarios-by-domain/?year=2026").json()["dataset"]["source"]
    names = {row[1] for row in source}
    assert names and not any("\u4e00" <= character <= "\u9fff" for name in names for character in name)
    chinese = api(official).get("/api/v1/cockpit/scenarios-by-domain/?year=2026").json()["dataset"]["source"]
    assert {row[0] for row in chinese} == {row[0] for row in source}
    assert all(any("\u4e00" <= character <= "\u9fff" for character in row[1]) for row in chinese)
