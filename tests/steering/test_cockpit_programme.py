"""The programme in the 驾驶舱: 十百千 cards and gauges hand-computed from fixtures, the lines from
the stored snapshots (zeros included), the task × cycle lamp matrix, the completed 需关注 list, the SOE
summary, the department-first panel, the leader's read-only page and the officials' home page."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scenarios.models import ScenarioStatusChange
from scenarios.services import scenario_transition
from steering import cockpit
from steering.models import Target, UnitReport
from steering.selectors.assessment import soe_scorecard
from steering.services import targets_snapshot_take
from steering.services.programme import notice_issue
from tests.factories.accounts import operator_user
from tests.factories.scenarios import ScenarioFactory, district
from tests.factories.steering import (
    approved_case,
    at,
    city_leader,
    listed_company,
    open_cycle,
    report_of,
    unit_reporter,
    verified_replication,
)

pytestmark = pytest.mark.django_db

D1 = datetime.date(2025, 3, 1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _demonstrated(scenario, when):
    ScenarioStatusChange.objects.create(
        scenario=scenario,
        action="mark_demonstrated",
        from_status="in_implementation",
        to_status="demonstrated",
        actor=operator_user(),
    )
    ScenarioStatusChange.objects.filter(scenario=scenario).update(created_at=when)


@pytest.fixture
def world(reference_data):
    """鄞州: a flagship scenario demonstrated on 2025-03-01 and one in 2026 (not counted as of 2025);
    a target of 4 flagship scenarios from 2025-01-01 to 2026-12-31; 2 verified replications (one in
    2025 in 鄞州, one in 2026 in 海曙); 2 listed companies (鄞州 2025, 海曙 2026)."""
    yinzhou, haishu = district("yinzhou"), district("haishu")
    first = ScenarioFactory(
        title="宁波轨道交通 5 号线智慧车站综合运维特色示范场景",
        is_flagship=True,
        status="demonstrated",
        district=yinzhou,
    )
    _demonstrated(first, at(D1))
    second = ScenarioFactory(
        title="鄞州区南部商务区低空经济无人机物流特色示范场景",
        is_flagship=True,
        status="demonstrated",
        district=yinzhou,
    )
    _demonstrated(second, at(datetime.date(2026, 2, 1)))
    Target.objects.create(
        metric="flagship",
        district=yinzhou,
        title="鄞州区特色示范性场景（2025–2026）",
        target_value=4,
        baseline=0,
        starts_on=datetime.date(2025, 1, 1),
        deadline=datetime.date(2026, 12, 31),
    )
    case = approved_case()
    verified_replication(case, listed_company(D1, district=yinzhou), at(datetime.date(2025, 6, 1)))
    verified_replication(
        case, listed_company(datetime.date(2026, 3, 1), district=haishu), at(datetime.date(2026, 6, 1))
    )
    return {"yinzhou": yinzhou, "haishu": haishu, "first": first, "second": second}


def payload(code, **filters):
    return cockpit.chart_payload(code, cockpit.Filters(**filters))


def values(code, **filters):
    return {key: value for key, _name, value in payload(code, **filters)["dataset"]["source"]}


# --------------------------------------------------------------------------------------------- targets


def test_district_target_gauge_as_of_the_end_of_a_past_year_is_computed_by_hand(world):
    data = payload("targets", year=2025, district=world["yinzhou"].pk)
    flagship = data["meta"]["items"]["flagship"]
    assert values("targets", year=2025, district=world["yinzhou"].pk)["flagship"] == 1  # the 2026 one is not yet
    assert flagship["target"] == 4
    assert flagship["planned"] == "2.0"  # 4 × 364 / 729 days = 1.997
    assert flagship["ratio"] == "25.0"  # 1 / 4
    assert flagship["lamp"] == "red"  # (2.0 − 1) / 4 = 25 points behind plan: more than 10
    assert flagship["as_of_day"] == "2025-12-31" and data["meta"]["as_of_day"] == "2025-12-31"
    assert flagship["drill_url"] == f"/steering/targets/flagship/?district={world['yinzhou'].pk}&as_of=2025-12-31"
    assert "口径" in flagship["definition"] and flagship["version"] == 1


def test_target_figures_today_and_without_a_district(world):
    assert values("targets", district=world["yinzhou"].pk)["flagship"] == 2
    city = values("targets")
    assert city["flagship"] == 2 and city["replications"] == 2 and city["high_growth"] == 2
    assert values("targets", year=2025) == {"flagship": 1, "replications": 1, "high_growth": 1}
    assert values("targets", district=world["haishu"].pk) == {"flagship": 0, "replications": 1, "high_growth": 1}


@pytest.mark.parametrize("filters", [{}, {"year": 2025}, {"district": "yinzhou"}, {"year": 2025, "district": "haishu"}])
def test_every_target_figure_equals_the_list_its_drill_down_page_shows(client, world, filters):
    if "district" in filters:
        filters = {**filters, "district": world[filters["district"]].pk}
    client.force_login(city_leader())
    data = payload("targets", **filters)
    for key, _name, value in data["dataset"]["source"]:
        page = client.get(data["meta"]["items"][key]["drill_url"])
        assert page.status_code == 200
        assert page.context["page"].paginator.count == value, key
        assert cockpit.CHARTS["targets"].item_value(cockpit.Filters(**filters), key) == value


def test_marking_a_flagship_scenario_demonstrated_moves_the_cockpit_figure(world):
    before = values("targets")["flagship"]
    scenario = ScenarioFactory(title="宁波栎社机场智慧航站楼特色示范场景", is_flagship=True, status="in_implementation")
    assert values("targets")["flagship"] == before  # not yet demonstrated (and the cache was bumped)
    scenario_transition(actor=operator_user(), scenario=scenario, action="mark_demonstrated")
    assert values("targets")["flagship"] == before + 1  # the status change invalidated the cached chart


def test_lines_show_the_stored_snapshots_with_zeros_against_plan_and_target(world):
    for day in (datetime.date(2025, 2, 28), D1, datetime.date(2025, 3, 2)):
        targets_snapshot_take(day=day)
    yinzhou = world["yinzhou"].pk
    line = payload("target-lines", year=2025, district=yinzhou)["meta"]["items"]["flagship"]
    assert line["days"] == ["2025-02-28", "2025-03-01", "2025-03-02"]
    assert line["values"] == [0, 1, 1]
    assert line["planned"] == [0.3, 0.3, 0.3]  # 4 × 58/729, 59/729, 60/729 days, one decimal
    assert line["target"] == 4
    assert values("target-lines", year=2025, district=yinzhou)["flagship"] == 1
    jiangbei = payload("target-lines", year=2025, district=district("jiangbei").pk)["meta"]["items"]["flagship"]
    assert jiangbei["values"] == [0, 0, 0]  # zeros are stored and shown
    assert cockpit.CHARTS["target-lines"].item_value(cockpit.Filters(year=2025, district=yinzhou), "flagship") == 1


@pytest.mark.parametrize("code", ["targets", "target-lines"])
def test_target_charts_answer_in_a_fixed_number_of_queries_and_then_from_the_cache(world, code):
    chart = cockpit.CHARTS[code]
    with CaptureQueriesContext(connection) as little:
        chart.payload(cockpit.Filters(year=2025))
    for index in range(4):
        scenario = ScenarioFactory(title=f"第{index}个特色示范场景", is_flagship=True, status="demonstrated")
        _demonstrated(scenario, at(D1))
    targets_snapshot_take(day=D1)
    with CaptureQueriesContext(connection) as much:
        chart.payload(cockpit.Filters(year=2025))
    assert len(little) == len(much) == chart.fixed_queries() == 5
    cockpit.chart_payload(code, cockpit.Filters(year=2025))
    with CaptureQueriesContext(connection) as cached:
        cockpit.chart_payload(code, cockpit.Filters(year=2025))
    assert len(cached) == 0


# --------------------------------------------------------------------------------------------- lamps


@pytest.fixture
def cycle(reference_data):
    today = timezone.localdate()
    return open_cycle(due_on=today - datetime.timedelta(days=5), opens_on=today - datetime.timedelta(days=20))


def _lamp(report, colour):
    report.lamp = colour
    report.save(update_fields=["lamp"])


def test_lamp_matrix_cells_are_the_worst_lamp_of_the_task_in_the_cycle(cycle):
    _lamp(report_of(cycle, task_code=1), "red")
    _lamp(UnitReport.objects.filter(cycle=cycle, task__code=2).first(), "yellow")
    year = cycle.opens_on.year
    data = payload("lamp-matrix", year=year)
    assert [c["id"] for c in data["meta"]["cycles"]] == [cycle.pk]
    task_one, task_two = data["meta"]["items"]["1"], data["meta"]["items"]["2"]
    assert task_one["cells"][0]["colour"] == "red" and task_one["cells"][0]["counts"]["red"] == 1
    assert task_two["cells"][0]["colour"] == "yellow"
    assert task_one["cells"][0]["url"] == f"/steering/programme/cycles/{cycle.pk}/"
    assert task_one["drill_url"] == "/steering/programme/tasks/1/"
    assert values("lamp-matrix", year=year)["1"] == 1 and values("lamp-matrix", year=year)["2"] == 0
    assert cockpit.CHARTS["lamp-matrix"].item_value(cockpit.Filters(year=year), "1") == 1
    assert payload("lamp-matrix", year=year - 3)["meta"]["cycles"] == []


def test_lamp_matrix_answers_in_three_queries_with_one_cycle_or_two_and_a_saved_lamp_invalidates_it(cycle):
    chart = cockpit.CHARTS["lamp-matrix"]
    filters = cockpit.Filters(year=cycle.opens_on.year)
    with CaptureQueriesContext(connection) as little:
        chart.payload(filters)
    open_cycle(due_on=cycle.due_on + datetime.timedelta(days=1), opens_on=cycle.opens_on, label="第二个专项调度期次")
    with CaptureQueriesContext(connection) as much:
        chart.payload(filters)
    assert len(little) == len(much) == 3
    cockpit.chart_payload("lamp-matrix", filters)
    _lamp(UnitReport.objects.filter(cycle=cycle, task__code=3).first(), "red")  # post_save bumps the version
    assert cockpit.chart_payload("lamp-matrix", filters)["meta"]["items"]["3"]["cells"][0]["colour"] == "red"


# --------------------------------------------------------------------------------------------- 需关注


def test_attention_counts_overdue_and_red_reports_and_open_notices(client, cycle):
    unfiled = UnitReport.objects.filter(cycle=cycle).count()  # every report of the cycle is unfiled and past due
    assert unfiled > 6
    _lamp(report_of(cycle), "red")  # a 督办单 follows a red lamp
    notice_issue(
        actor=operator_user(),
        report=report_of(cycle),
        reason="本月未按期报送任务一进展，请于 5 个工作日内书面说明。",
        response_due_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    figures = values("attention")
    assert figures["reports-attention"] == unfiled and figures["notices-open"] == 1
    client.force_login(city_leader())
    items = payload("attention")["meta"]["items"]
    page = client.get(items["notices-open"]["drill_url"])
    assert page.status_code == 200 and "本月未按期报送任务一进展" in page.content.decode()
    link = page.context["page"].rows[0]["url"]
    assert client.get(link).status_code == 200
    listing = client.get(items["reports-attention"]["drill_url"])
    assert listing.context["page"].paginator.count == unfiled


def test_a_department_reporter_gets_links_only_to_the_own_units_reports(client, cycle):
    reporter = unit_reporter("市国资委")
    client.force_login(reporter)
    url = payload("attention")["meta"]["items"]["reports-attention"]["drill_url"]
    first = client.get(url)
    rows = list(first.context["page"].rows)
    for number in range(2, first.context["page"].paginator.num_pages + 1):
        rows += client.get(f"{url}&page={number}").context["page"].rows
    assert len(rows) == first.context["page"].paginator.count
    own = UnitReport.objects.filter(cycle=cycle, unit__organisation=reporter.organisation).count()
    assert len([row for row in rows if row["url"]]) == own
    linked = [row["url"] for row in rows if row["url"]]
    assert linked and len(linked) < len(rows)
    assert all(client.get(url).status_code == 200 for url in linked)


# --------------------------------------------------------------------------------------------- SOEs


def test_soe_summary_shows_the_best_totals_of_the_year_and_drills_to_the_scorecard(world):
    year = timezone.localdate().year
    expected = [(str(row["organisation"].pk), f"{row['total']:.2f}") for row in soe_scorecard(year=year)[:10]]
    data = payload("soe-assessment")
    assert [(key, value) for key, _name, value in data["dataset"]["source"]] == expected
    assert all(item["drill_url"] == f"/steering/assessment/?year={year}" for item in data["meta"]["items"].values())
    assert len(expected) >= 2  # the world's publishers are SOEs
    haishu_soe = soe_scorecard(year=year)[0]["organisation"]
    haishu_soe.district = world["haishu"]
    haishu_soe.save()  # post_save of an organisation bumps the chart
    assert list(values("soe-assessment", district=world["haishu"].pk)) == [str(haishu_soe.pk)]


# --------------------------------------------------------------------------------------------- pages


def test_the_cockpit_leads_with_the_department_reporters_own_reports_then_the_targets(client, cycle):
    reporter = unit_reporter("市国资委")
    client.force_login(reporter)
    page = client.get("/steering/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="my-reports"' in html
    assert html.index('data-testid="my-reports"') < html.index('data-testid="target-cards"')
    mine = page.context["my_reports"]
    assert mine and all(report.unit.short_name == "市国资委" for report in mine)
    assert f"/steering/programme/reports/{mine[0].pk}/" in html
    assert "/steering/programme/mine/" in html


def test_the_shared_page_part_carries_nothing_of_the_first_reader(client, cycle):
    """The heading and the figures are stored once for every official; the unit's reports, the name in
    the header and the menu are each reader's own, whoever filled the cache."""
    reporter = unit_reporter("市国资委", display_name="国资委报送员")
    leader = city_leader(display_name="分管副市长")
    for first, second in ((reporter, leader), (leader, reporter)):
        cache.clear()
        pages = {}
        for person in (first, second):
            client.force_login(person)
            pages[person.pk] = client.get("/steering/").content.decode()
        mine, leaders = pages[reporter.pk], pages[leader.pk]
        assert 'data-testid="my-reports"' in mine and "国资委报送员" in mine and "分管副市长" not in mine
        assert 'data-testid="my-reports"' not in leaders and "分管副市长" in leaders and "国资委报送员" not in leaders
        for html in (mine, leaders):
            assert 'data-testid="target-cards"' in html and 'data-testid="cockpit-filters"' in html


def test_a_bulk_write_refreshes_the_stored_page_part(client, cycle, django_capture_on_commit_callbacks):
    """The hourly lamps are written in bulk (no signal): models_changed bumps the page part with the
    charts, so the next visit shows the new colour."""
    from steering.services import lamps_refresh

    UnitReport.objects.filter(cycle=cycle).update(lamp="green", lamp_reasons=[])
    cockpit.models_changed("steering.UnitReport")
    client.force_login(city_leader())
    url = f"/steering/?year={cycle.opens_on.year}"
    assert "lamp-cell-red" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert lamps_refresh(cycle_ids=[cycle.pk]) > 0  # the cycle's due date has passed: red
    assert "lamp-cell-red" in client.get(url).content.decode()


def test_the_page_part_is_stored_per_language(client, cycle):
    client.force_login(city_leader())
    client.cookies["django_language"] = "en"
    english = client.get("/steering/").content.decode()
    assert "All years" in english and "Filter" in english
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get("/steering/").content.decode()
    assert "全部年度" in chinese and "All years" not in chinese


def test_a_warm_page_asks_the_database_only_about_the_person(client, cycle):
    client.force_login(city_leader())
    client.get("/steering/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/steering/").status_code == 200
    # The session, the user (with their roles and unread-message count), their programme units
    # (none): the heading and the figures come from the cache. Named by table, so that a count
    # that ever differs says which read it was (CI runs without -v: a bare count names none).
    read = [
        match.group(1) if (match := re.match(r'SELECT "(\w+)"\.', query["sql"])) else query["sql"][:60]
        for query in queries.captured_queries
    ]
    assert read == ["django_session", "accounts_user", "steering_programmeunit"]


def test_a_city_leader_sees_everything_and_no_action_button(client, world, cycle):
    _lamp(report_of(cycle, task_code=1), "red")
    client.force_login(city_leader())
    page = client.get("/steering/?year=" + str(cycle.opens_on.year))
    assert page.status_code == 200
    html = page.content.decode()
    main = html[html.index("<main") : html.index("</main>")]  # the header's logout form is not the page's
    for testid in ("target-cards", "target-card-flagship", "key-figures", "lamp-matrix", "attention"):
        assert f'data-testid="{testid}"' in html
    assert 'data-testid="chart-target-lines"' in html and 'data-testid="chart-soe-assessment"' in html
    assert 'data-testid="my-reports"' not in html
    assert "lamp-cell-red" in html
    # Read-only: no form that writes, no link to a page that edits or decides.
    assert not re.search(r'method="post"', main, re.IGNORECASE)
    for url in ("/steering/targets/new/", "/steering/programme/review/", "/steering/high-growth/", "/edit/"):
        assert url not in main


def test_the_officials_home_page_leads_with_the_cockpit_panel(client, world, cycle):
    client.force_login(unit_reporter("市国资委"))
    html = client.get("/home/official/").content.decode()
    assert html.index('data-testid="cockpit-home-panel"') < html.index('data-testid="organisation-charts"')
    assert html.count('data-testid="cockpit-home-panel"') == 1
    assert 'data-testid="home-my-reports"' in html and 'data-testid="home-targets"' in html
    assert "特色示范性场景" in html
    client.force_login(city_leader())
    leader = client.get("/home/official/").content.decode()
    assert 'data-testid="home-targets"' in leader and 'data-testid="home-my-reports"' not in leader


def test_the_hourly_lamp_job_refreshes_the_cached_matrix(cycle, django_capture_on_commit_callbacks):
    """lamps_refresh writes in bulk (no signal): it still invalidates the charts that read lamps."""
    from steering.services import lamps_refresh

    filters = cockpit.Filters(year=cycle.opens_on.year)
    UnitReport.objects.filter(cycle=cycle).update(lamp="green", lamp_reasons=[])
    cockpit.models_changed("steering.UnitReport")
    assert cockpit.chart_payload("lamp-matrix", filters)["meta"]["items"]["1"]["cells"][0]["colour"] == "green"
    with django_capture_on_commit_callbacks(execute=True):
        assert lamps_refresh(cycle_ids=[cycle.pk]) > 0  # the cycle's due date has passed: red
    assert cockpit.chart_payload("lamp-matrix", filters)["meta"]["items"]["1"]["cells"][0]["colour"] == "red"
