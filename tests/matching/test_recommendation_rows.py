"""推荐场景's rows are rendered once per company and address and kept in the cache (issue #20): a
later visit reads them from there, another company never gets them, and every change a member of
the company would notice shows on the next visit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from capability_list.models import CapabilityEntry
from matching import services
from matching.engine.rebuild import rebuild
from matching.engine.rematch import rematch_entry, rematch_scenario
from matching.models import Match
from scenarios.models import Scenario
from tests.conftest import count_cache_reads
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.capability_list import EntryFactory
from tests.factories.matching import match_for
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db
URL = reverse("matching:recommendations")


@pytest.fixture
def company_page(client):
    """A company member signed in, one entry recommended one scenario, the page visited once."""
    company = OrganisationFactory(kind="company", name="宁波甬视智能科技有限公司")
    user = UserFactory(organisation=company, roles=["company"])
    entry = EntryFactory(company=company, status="listed", name="路侧高位视频车位检测系统")
    match = match_for(ScenarioFactory(status="published", title="老城区智慧停车改造"), entry)
    client.force_login(user)
    assert "老城区智慧停车改造" in _page(client)
    return match


def _page(client, url=URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_visit_reads_the_rows_from_the_cache(client, company_page):
    with CaptureQueriesContext(connection) as captured:
        page = _page(client)
    assert "老城区智慧停车改造" in page and "路侧高位视频车位检测系统" in page
    assert not [query for query in captured.captured_queries if '"matching_match"' in query["sql"]]
    # no scenario on the page has a call to action (they were stored with the rows): none asked for
    assert not [query for query in captured.captured_queries if '"contests_challenge"' in query["sql"]]


def test_the_answer_form_of_cached_rows_carries_the_readers_own_token(client, company_page):
    client.handler.enforce_csrf_checks = True
    page = _page(client)
    assert "@@" not in page
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(URL, {"csrfmiddlewaretoken": token, "match": company_page.pk, "decision": "accepted"})
    assert response.status_code == 302
    assert "已接受" in _page(client)


def test_another_company_never_gets_the_rows(client, company_page):
    other = OrganisationFactory(kind="company")
    match_for(ScenarioFactory(status="published", title="港区集装箱识别"), EntryFactory(company=other, status="listed"))
    client.force_login(UserFactory(organisation=other, roles=["company"]))
    page = _page(client)
    assert "港区集装箱识别" in page and "老城区智慧停车改造" not in page


def test_each_page_of_the_list_is_stored_apart(client, company_page):
    for number in range(25):
        match_for(ScenarioFactory(status="published", title=f"场景{number:02d}"), company_page.entry, score=50.0)
    CapabilityEntry.objects.get(pk=company_page.entry_id).save()  # the rematch's part: the rows go stale
    first, second = _page(client), _page(client, URL + "?page=2")
    assert first.count('data-testid="recommendation-row"') == 20
    assert second.count('data-testid="recommendation-row"') == 6 and "第 2 / 2 页" in second


def test_a_scenario_renamed_shows_at_once(client, company_page):
    scenario = company_page.scenario
    scenario.title = "老城区智慧停车改造（二期）"
    scenario.save()
    assert "老城区智慧停车改造（二期）" in _page(client)


def test_a_publisher_renamed_shows_at_once(client, company_page):
    publisher = company_page.scenario.publisher
    publisher.name = "宁波城投停车管理有限公司"
    publisher.save()
    assert "宁波城投停车管理有限公司" in _page(client)


def test_an_entry_renamed_or_deleted_shows_at_once(client, company_page):
    entry = CapabilityEntry.objects.get(pk=company_page.entry_id)
    entry.name = "高位视频车位检测系统 V2"
    entry.save()
    assert "高位视频车位检测系统 V2" in _page(client)
    entry.delete()
    assert "老城区智慧停车改造" not in _page(client)


def test_either_sides_answer_shows_at_once(client, company_page):
    services.match_answer(actor=company_page.scenario.created_by, match=company_page, decision="accepted")
    assert "对方已接受" in _page(client)
    member = UserFactory(organisation=company_page.entry.company, roles=["company"])
    services.match_answer(actor=member, match=company_page, decision="declined", reason="budget")
    assert "不接受</span> <span" in _page(client)


def test_a_rematch_of_the_entry_shows_its_matches_at_once(client, company_page, monkeypatch):
    from matching.engine import store

    monkeypatch.setattr(store, "active_model", lambda: object())
    # Unlisted without a signal (as the rematch finds it): the rematch drops its matches.
    CapabilityEntry.objects.filter(pk=company_page.entry_id).update(status="draft")
    assert rematch_entry(company_page.entry_id) == 0
    assert not Match.objects.exists()
    assert "老城区智慧停车改造" not in _page(client)


def test_a_rematch_of_the_scenario_shows_at_once(client, company_page, monkeypatch):
    from matching.engine import rematch, store

    monkeypatch.setattr(store, "active_model", lambda: object())
    monkeypatch.setattr(rematch, "_scored_for_scenario", lambda model, scenario_id, pool: [])
    Scenario.objects.filter(pk=company_page.scenario_id).update(status="closed")  # no signal
    rematch_scenario(company_page.scenario_id)
    assert not Match.objects.exists()
    assert "老城区智慧停车改造" not in _page(client)


def test_a_rebuild_shows_at_once(client, company_page):
    Scenario.objects.filter(pk=company_page.scenario_id).update(status="closed")  # no signal
    rebuild()  # the closed scenario's match is deleted by a raw statement
    assert not Match.objects.filter(scenario_id=company_page.scenario_id).exists()
    assert "老城区智慧停车改造" not in _page(client)


def test_a_warm_page_reads_its_rows_and_the_menu_in_one_round_trip(client, company_page, monkeypatch):
    """The menu's entry rides along with the stored rows (core.navigation.scopes_read_with_menu)."""
    reads = count_cache_reads(monkeypatch)
    _page(client)
    page_reads = [key for key in reads if "recommendation-rows" in str(key) or "nav:" in str(key)]
    assert len(page_reads) == 1
    assert any("nav:" in key for key in page_reads[0]) and any("recommendation-rows" in key for key in page_reads[0])
