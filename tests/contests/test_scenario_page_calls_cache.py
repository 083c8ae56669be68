"""The scenario page visitors get from the cache (issue #20) shows a contest's call ("揭榜挂帅") as it
is now: a new challenge or moved contest dates show on the next visit, and a stored page lives no
longer than the next moment at which the call changes by itself (registration opens or closes)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contests import services
from contests.entry_calls import calls_change_at
from core import page_cache
from scenarios.selectors import SCENARIO_PAGES
from tests.contests.conftest import move_to
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db


def _visit(scenario) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(reverse("scenarios:detail", args=[scenario.pk]))
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def _challenge(contest, scenario):
    return services.challenge_create(
        actor=scenario.created_by, contest=contest, scenario=scenario, award_cap="800000", requirements="准确率 ≥ 98%"
    )


def test_a_new_challenge_on_a_stored_page_shows_on_the_next_visit(make_contest):
    scenario = ScenarioFactory(status="published")
    page, _queries = _visit(scenario)
    assert 'data-testid="scenario-challenges"' not in page
    assert _visit(scenario)[1] == 0
    contest = make_contest("challenges", name="2026 宁波场景大赛")
    _challenge(contest, scenario)
    page, queries = _visit(scenario)
    assert queries > 0 and 'data-testid="scenario-challenges"' in page and "2026 宁波场景大赛" in page


def test_moved_contest_dates_show_on_the_next_visit(challenge):
    move_to(challenge.contest, "registration")
    assert "揭榜报名进行中" in _visit(challenge.scenario)[0]
    assert _visit(challenge.scenario)[1] == 0
    move_to(challenge.contest, "roadshow")
    page = _visit(challenge.scenario)[0]
    assert "揭榜报名已于" in page and "揭榜报名进行中" not in page


def test_a_page_is_stored_no_longer_than_the_next_moment_its_call_changes(challenge, monkeypatch):
    contest = challenge.contest
    contest.registration_open_at = timezone.now() + timedelta(seconds=90)
    contest.save()
    timeouts = []
    store = page_cache.cache.set

    def set_and_note(key, value, timeout=None, **kwargs):
        if key.startswith(f"page:{SCENARIO_PAGES}:"):
            timeouts.append(timeout)
        return store(key, value, timeout, **kwargs)

    monkeypatch.setattr(page_cache.cache, "set", set_and_note)
    assert "揭榜报名将于" in _visit(challenge.scenario)[0]
    assert len(timeouts) == 1 and 0 < timeouts[0] <= 90
    other = ScenarioFactory(status="published")  # no contest: the usual lifetime
    _visit(other)
    assert timeouts[1] == page_cache.CACHE_TTL


def test_the_next_moment_follows_the_contests_rounds(challenge):
    contest = move_to(challenge.contest, "challenges")
    assert calls_change_at([challenge.scenario_id]) == contest.registration_open_at
    contest = move_to(contest, "registration")
    assert calls_change_at([challenge.scenario_id]) == contest.eligibility_open_at
    contest = move_to(contest, "notice")
    assert calls_change_at([challenge.scenario_id]) == contest.results_open_at
    move_to(contest, "results")
    assert calls_change_at([challenge.scenario_id]) is None
    assert calls_change_at([ScenarioFactory(status="published").pk]) is None
