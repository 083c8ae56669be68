"""Links other apps add to a scenario's page (e.g. capability_list's "ask the publisher"),
so that scenarios never imports the apps built on it."""

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
