"""Links other apps add to a scenario's page (e.g. capability_list's "ask the publisher"), and
calls to action they add wherever scenarios are listed (contests' "我要揭榜"), so that scenarios
never imports the apps built on it.

A scenario's page as visitors see it is kept in the cache (core.page_cache, scope
scenarios.selectors.SCENARIO_PAGES) until a model it shows changes: what an app adds to the page
names the models it reads in `shows`, and calls that change by themselves when a moment passes (a
contest's registration opens) name that moment through `changes_at`.

Which scenarios get a call does not depend on the reader (only what the call says does): a list kept
in the cache (matching's 推荐场景) stores which of its scenarios have calls — stale when a model the
calls read changes (scope SCENARIO_CALLS) or at scenario_calls_change_at — and asks only for those."""

from collections.abc import Callable
from dataclasses import dataclass

from core.page_cache import register_page_scope
from scenarios.selectors import SCENARIO_PAGES


@dataclass(frozen=True)
class DetailLink:
    label: str
    url: Callable  # (scenario) -> str
    visible: Callable  # (user, scenario) -> bool


_LINKS: list[DetailLink] = []


def register_detail_link(label, *, url, visible, shows: tuple[str, ...] = ()) -> None:
    """`shows`: the models ("app.Model") that `visible` and `url` read, besides the scenario."""
    _LINKS.append(DetailLink(label=label, url=url, visible=visible))
    register_page_scope(SCENARIO_PAGES, *shows)


def detail_links(user, scenario) -> list[dict]:
    return [{"label": link.label, "url": link.url(scenario)} for link in _LINKS if link.visible(user, scenario)]


# (user, scenario ids) -> {scenario id: [{"label", "url", "note", "kind", "testid", ...}]}: one
# call for many scenarios, so a list asks each app once, whatever its length.
SCENARIO_CALLS = "scenario-calls"
_CALLS: list[Callable] = []
# (scenario ids) -> the next moment the calls for them change without a write, or None.
_CHANGES: list[Callable] = []


def register_scenario_calls(
    calls: Callable, *, shows: tuple[str, ...] = (), changes_at: Callable | None = None
) -> None:
    """`shows`: the models the calls read; `changes_at(scenario ids)`: when they next change by themselves."""
    if calls not in _CALLS:
        _CALLS.append(calls)
    if changes_at is not None and changes_at not in _CHANGES:
        _CHANGES.append(changes_at)
    register_page_scope(SCENARIO_PAGES, *shows)
    register_page_scope(SCENARIO_CALLS, *shows)


def scenario_calls(user, scenario_ids) -> dict[int, list[dict]]:
    """{scenario id: the calls to action other apps offer the reader for it}."""
    scenario_ids = list(scenario_ids)
    merged: dict[int, list[dict]] = {}
    if not scenario_ids:
        return merged
    for calls in _CALLS:
        for scenario_id, items in calls(user, scenario_ids).items():
            merged.setdefault(scenario_id, []).extend(items)
    return merged


def scenario_calls_change_at(scenario_ids):
    """The first moment at which the calls offered for these scenarios change by themselves (None: none foreseen)."""
    scenario_ids = list(scenario_ids)
    moments = [moment for changes_at in _CHANGES if (moment := changes_at(scenario_ids)) is not None]
    return min(moments, default=None)
