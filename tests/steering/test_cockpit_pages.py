"""The 驾驶舱 page /steering/ and its drill-down lists /steering/drill/<code>/."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import count_cache_reads, login
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.steering.cockpit_world import build_world, official_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(reference_data):
    return build_world()


def test_official_sees_key_figures_charts_and_drill_links(client, world):
    page = login(client, official_user()).get("/steering/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="figure-scenarios"' in html and "已发布场景" in html and "数据截至" in html
    assert "vendor/echarts.min.js" in html and "js/cockpit.js" in html
    for code in ["scenarios-by-district", "contest-funnel", "enquiry-timeliness", "matchmaking", "evaluation-grades"]:
        assert f'data-testid="chart-{code}"' in html and f'data-cockpit-chart="chart-data-{code}"' in html
    assert "/steering/drill/contest-funnel/?key=scored" in html
    assert 'data-testid="attention"' in html and "逾期未整改的问题" in html


def test_filtering_by_district_shows_the_district_and_keeps_it_in_drill_links(client, world):
    yinzhou = world["s1"].district_id
    page = login(client, operator_user()).get(f"/steering/?year=2026&district={yinzhou}")
    html = page.content.decode()
    assert "鄞州区" in html and f"key=scenarios&amp;year=2026&amp;district={yinzhou}" in html


def test_bad_filters_on_the_page_answer_400_with_a_message(client, world):
    page = login(client, official_user()).get("/steering/?year=abc")
    assert page.status_code == 400
    assert "年度无效" in page.content.decode()


def test_drill_down_lists_exactly_the_counted_records_with_links(client, world):
    page = login(client, official_user()).get("/steering/drill/contest-funnel/?key=scored&year=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert "共 2 条记录" in html
    assert world["e1"].title in html and world["e5"].title in html and world["e2"].title not in html
    # An entry's page is closed to officials: the row links to its contest (operators get the entry).
    assert f'href="/entries/{world["e1"].pk}/"' not in html
    assert f'href="/contests/{world["e1"].challenge.contest_id}/"' in html


def test_drill_down_of_a_grouped_chart_uses_the_same_key(client, world):
    page = login(client, official_user()).get("/steering/drill/scenarios-by-stage/?key=none")
    html = page.content.decode()
    assert "共 1 条记录" in html and world["s4"].title in html


@pytest.mark.parametrize(
    "url,status",
    [
        ("/steering/drill/no-such-chart/?key=x", 404),
        ("/steering/drill/key-figures/?key=no-such-figure", 404),
        ("/steering/drill/scenarios-by-district/?key=abc", 404),
        ("/steering/drill/scenarios-by-district/?key=99999999999999999999999", 404),
        ("/steering/drill/key-figures/", 400),
        ("/steering/drill/key-figures/?key=scenarios&district=-3", 400),
    ],
)
def test_hostile_drill_input_never_errors(client, world, url, status):
    assert login(client, operator_user()).get(url).status_code == status


@pytest.mark.parametrize("roles", [["company"], ["publisher"], ["judge"], ["auditor"]])
def test_cockpit_pages_are_404_to_other_roles(client, reference_data, roles):
    login(client, UserFactory(organisation=OrganisationFactory(), roles=roles))
    assert client.get("/steering/").status_code == 404
    assert client.get("/steering/drill/key-figures/?key=scenarios").status_code == 404


def test_nav_item_and_official_home_panel_lead_to_the_cockpit(client, world):
    login(client, official_user())
    page = client.get("/steering/").content.decode()
    assert 'href="/steering/" aria-current="page"' in page
    role_home = client.get(reverse("accounts:role-home", kwargs={"role": "official"})).content.decode()
    assert 'data-testid="cockpit-home-panel"' in role_home and "进入驾驶舱" in role_home
    assert "已发布场景" in role_home and "/steering/drill/key-figures/?key=scenarios" in role_home
    # Award money reads as it does on the 驾驶舱 itself, not as a bare decimal.
    assert "¥900,000.75" in role_home and "900000.75" not in role_home


def _published_scenarios_figure(html: str) -> str:
    card = html[html.index('data-testid="figure-scenarios"') :]
    value = card[card.index('<span class="stat">') + len('<span class="stat">') :]
    return value[: value.index("</span>")]


def test_the_figures_are_rendered_once_and_a_change_shows_on_the_next_visit(client, world):
    """Rendering every chart's table was most of the page's time (issue #20): the figures are
    rendered once per language, filters and data version, and read from the cache after that."""
    from django.test.signals import template_rendered

    from tests.factories.scenarios import ScenarioFactory

    rendered = []

    def count(sender, template, **kwargs):
        if template.name == "steering/_cockpit_figures.html":
            rendered.append(template.name)

    template_rendered.connect(count)
    try:
        login(client, official_user())
        first = client.get("/steering/").content.decode()
        second = client.get("/steering/").content.decode()
        assert len(rendered) == 1
        assert _published_scenarios_figure(second) == _published_scenarios_figure(first)
        ScenarioFactory(status="published")  # a new version of the charts that count scenarios
        third = client.get("/steering/").content.decode()
        assert len(rendered) == 2
        assert int(_published_scenarios_figure(third)) == int(_published_scenarios_figure(first)) + 1
    finally:
        template_rendered.disconnect(count)


def test_a_warm_page_reads_the_cache_once_and_a_renamed_district_shows_at_once(client, world, monkeypatch):
    """The heading and the figures are stored together beside the version of the 驾驶舱's data: a
    warm page reads them in one round trip of the cache (six sequential reads of Redis before issue
    #20). A district renamed bumps that version, so the next visit shows the new name."""

    from accounts.models import District

    login(client, official_user())
    district = District.objects.filter(is_active=True).order_by("sort_order", "id").first()
    client.get("/steering/")  # the heading and the figures stored
    assert "测试新区名" not in client.get(f"/steering/?district={district.pk}").content.decode()
    reads = count_cache_reads(monkeypatch)
    client.get("/steering/")
    assert len([key for key in reads if "cockpit" in str(key)]) == 1
    district.name = "测试新区名"
    district.save()
    page = client.get(f"/steering/?district={district.pk}").content.decode()
    assert page.count("测试新区名") >= 2  # the filter's choice and the title


def test_a_warm_page_reads_its_parts_and_the_menu_in_one_round_trip(client, world, monkeypatch):
    """The menu's entry rides along with the heading and the figures (core.navigation.
    scopes_read_with_menu): one read of the cache for both, not one each (issue #20)."""
    login(client, official_user())
    client.get("/steering/")
    reads = count_cache_reads(monkeypatch)
    assert client.get("/steering/").status_code == 200
    page_reads = [key for key in reads if "cockpit" in str(key) or "nav:" in str(key)]
    assert len(page_reads) == 1
    assert any("nav:" in key for key in page_reads[0]) and any("cockpit:page" in key for key in page_reads[0])


def test_the_menu_read_with_the_page_still_changes_with_a_role(client, world):
    from accounts.services.roles import role_grant

    official = official_user()
    login(client, official)
    assert 'href="/scenarios/review/"' not in client.get("/steering/").content.decode()
    role_grant(actor=UserFactory(roles=["admin"]), user=official, role="operator")
    assert 'href="/scenarios/review/"' in client.get("/steering/").content.decode()
