"""Every record link of every drill-down list opens for the official or operator who clicks it: the
pages closed to officials (a contest entry, an enquiry, a matchmaking event) give way to a page they
may read (the contest, the scenario) or to no link."""

import pytest
from django.core.cache import cache

from evaluation.models import SubjectResult
from steering import cockpit
from tests.factories.accounts import operator_user
from tests.steering.cockpit_world import build_world, official_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(reference_data):
    world = build_world()
    # The world's results carry no computed tables; give them the (empty) shape the result page reads.
    SubjectResult.objects.update(results={"dimensions": [], "leaves": [], "red_line_hits": []})
    return world


def _drill_links(client):
    """Every record link shown on every drill-down list of the 驾驶舱 (the pages, as the user sees them)."""
    links, unlinked = set(), 0
    for chart in cockpit.charts_in_order():
        payload = cockpit.chart_payload(chart.code, cockpit.Filters())
        for key, _name, _value in payload["dataset"]["source"]:
            try:
                chart.record_kind(key)
            except LookupError:
                continue  # items that drill to their own pages (targets, lamps, SOEs): tested elsewhere
            page = client.get(payload["meta"]["items"][key]["drill_url"])
            assert page.status_code == 200, (chart.code, key)
            for row in page.context["page"].rows:
                if row["url"]:
                    links.add(row["url"])
                else:
                    unlinked += 1
    return links, unlinked


def test_every_record_link_opens_for_a_city_leader(client, world):
    client.force_login(official_user())
    links, unlinked = _drill_links(client)
    assert len(links) > 10
    refused = {url: client.get(url).status_code for url in links}
    assert {url: status for url, status in refused.items() if status != 200} == {}
    # Entries and awards lead to their contest; enquiries (private to their parties) have no link.
    assert f"/entries/{world['e1'].pk}/" not in links and f"/contests/{world['e1'].challenge.contest_id}/" in links
    assert unlinked >= 4  # the four enquiries


def test_every_record_link_opens_for_an_operator_who_gets_the_records_own_pages(client, world):
    client.force_login(operator_user())
    links, unlinked = _drill_links(client)
    assert unlinked == 0
    assert f"/entries/{world['e1'].pk}/" in links
    assert all(client.get(url).status_code == 200 for url in links)
