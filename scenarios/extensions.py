"""Links other apps add to a scenario's page (e.g. capability_list's "ask the publisher"), and
calls to action they add wherever scenarios are listed (contests' "我要揭榜"), so that scenarios
never imports the apps built on it."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DetailLink:
    label: str
    url: Callable  # (scenario) -> str
    visible: Callable  # (user, scenario) -> bool


_LINKS: list[DetailLink] = []


def register_detail_link(label, *, url, visible) -> None:
    _LINKS.append(DetailLink(label=label, url=url, visible=visible))


def detail_links(user, scenario) -> list[dict]:
    return [{"label": link.label, "url": link.url(scenario)} for link in _LINKS if link.visible(user, scenario)]


# (user, scenario ids) -> {scenario id: [{"label", "url", "note", "kind", "testid", ...}]}: one
# call for many scenarios, so a list asks each app once, whatever its length.
_CALLS: list[Callable] = []


def register_scenario_calls(calls: Callable) -> None:
    if calls not in _CALLS:
        _CALLS.append(calls)


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
