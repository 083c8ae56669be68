"""Panels other apps add to a role's home page, so accounts never imports them.

An app calls register_home_panel(role, template=..., context=fn) in its AppConfig.ready();
fn(request) returns the panel's template context. Panels show in registration order. The role
PUBLIC is the portal's front page, which everyone sees, signed in or not.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: Callable


PUBLIC = "public"
_PANELS: dict[str, list[HomePanel]] = defaultdict(list)


def register_home_panel(role: str, *, template: str, context: Callable) -> None:
    if not any(panel.template == template for panel in _PANELS[role]):
        _PANELS[role].append(HomePanel(template=template, context=context))


def panels_for(role: str, request) -> list[dict]:
    return [{"template": panel.template, "context": panel.context(request)} for panel in _PANELS.get(role, [])]
