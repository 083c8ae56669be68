"""The main menu, filled in by the apps, so base.html holds no role rules and core imports no app.

An app calls, in its AppConfig.ready():

    register_nav_item(_("我的场景"), url="scenarios:mine", order=200, roles=["publisher"])

- label: a gettext_lazy string (translated per request).
- url: the URL name the item links to (no arguments).
- order: the place in the menu, smallest first. Bands: 0–99 public pages; 100–199 everyone signed
  in; 200–399 an organisation's own work; 400–499 operator work; 500–599 auditor, admin and
  shared work; 600 and up everyone signed in again.
- roles: shown to a signed-in person holding any of these roles.
- visible: a predicate on the user, for rules that are not just roles (both must hold when both
  are given). An item with neither is shown to everyone, anonymous visitors included.
- current_for: other URL names on which this item counts as the current page (the item's own URL
  name always does).
- depends_on: the models ("app.Model") that `visible` reads, beyond the person's roles and
  organisation (see below).

nav_menu_of(request) gives the URL names of the items the person may see, in order, and those
that count as the page being shown; nav_links turns them into links (the header marks the current
one aria-current="page"; core.frame renders the header once per menu and keeps it).

Which items a signed-in person sees is stored in the cache per person and organisation (issue #20:
the predicates' queries were half of a signed-in page's time). It is worked out again when any
model the menu reads changes: the models named in `depends_on`, and those an app declares with
`menu_reads()` for the roles every item's `roles` reads — a change bumps the NAV_SCOPE version of
core.page_cache (bulk writes call `pages_changed(NAV_SCOPE)`). The menu only links: every page
checks its own permissions, whatever the menu shows.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from core.fixed_urls import fixed_url
from core.page_cache import NOT_STORED, register_page_scope, scope_read, scope_store, scopes_read


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int
    roles: frozenset[str] = frozenset()
    visible: Callable | None = None
    current_for: frozenset[str] = frozenset()

    def shown_to(self, user) -> bool:
        if self.roles and not (user.is_authenticated and any(user.has_role(role) for role in self.roles)):
            return False
        return self.visible is None or bool(self.visible(user))


@dataclass(frozen=True)
class NavLink:
    label: str
    href: str
    current: bool


_ITEMS: dict[str, NavItem] = {}
NAV_SCOPE = "navigation"
# The request's menu entry as read by scopes_read_with_menu: (its key, (items or NOT_STORED, version)).
_MENU_READ_ATTRIBUTE = "_portal_menu_read"


def signed_in(user) -> bool:
    return user.is_authenticated


def register_nav_item(
    label,
    *,
    url: str,
    order: int,
    roles: Iterable[str] = (),
    visible: Callable | None = None,
    current_for: Iterable[str] = (),
    depends_on: Iterable[str] = (),
) -> None:
    """Add (or, registered again under the same URL name, replace) one menu item."""
    _ITEMS[url] = NavItem(
        label=label, url=url, order=order, roles=frozenset(roles), visible=visible, current_for=frozenset(current_for)
    )
    menu_reads(*depends_on)


def menu_reads(*labels: str) -> None:
    """The menu shown to a person changes when a record of these models ("app.Model") changes."""
    if labels:
        register_page_scope(NAV_SCOPE, *labels)


def _menu_key(user) -> str:
    return f"nav:{user.pk}:{user.organisation_id}"


def scopes_read_with_menu(request, wanted: dict[str, str | tuple[str, ...]]) -> dict[str, tuple]:
    """core.page_cache.scopes_read of a page's stored parts, with the person's menu in the same
    round trip: a page that reads the cache anyway spares its menu a wait on Redis of its own
    (issue #20). The menu's entry is kept on the request for the header, read later in the same
    request; it goes stale as it would have read a few milliseconds later."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return scopes_read(wanted)
    key = _menu_key(user)
    found = scopes_read({**wanted, key: NAV_SCOPE})
    setattr(request, _MENU_READ_ATTRIBUTE, (key, found.pop(key)))
    return found


def _visible_urls(request, user) -> list[str]:
    """The URL names of the items the person sees, in menu order; from the cache when signed in."""
    if not user.is_authenticated:
        return [url for url, item in _ordered_items() if item.shown_to(user)]
    # Stored with the version it was worked out at, both read in one round trip (every signed-in
    # page asks: two sequential reads were two waits on Redis on a busy machine) — or already read
    # with the page's own stored parts (scopes_read_with_menu).
    key = _menu_key(user)
    read_with_page = getattr(request, _MENU_READ_ATTRIBUTE, None)
    urls, version = read_with_page[1] if read_with_page and read_with_page[0] == key else scope_read(NAV_SCOPE, key)
    if urls is NOT_STORED:
        urls = [url for url, item in _ordered_items() if item.shown_to(user)]
        scope_store(key, version, urls)
    return [url for url in urls if url in _ITEMS]


def _ordered_items() -> list[tuple[str, NavItem]]:
    return sorted(_ITEMS.items(), key=lambda pair: (pair[1].order, pair[0]))


def nav_menu_of(request) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the URL names of the items the person sees, in menu order; those of them that count as the
    page being shown): all the menu shows, so that core.frame can key its rendered header by it."""
    user = getattr(request, "user", None) or AnonymousUser()
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else None
    urls = tuple(_visible_urls(request, user))
    current = tuple(url for url in urls if view_name in (url, *_ITEMS[url].current_for))
    return urls, current


def nav_links(urls, current) -> list[NavLink]:
    return [NavLink(label=_ITEMS[url].label, href=fixed_url(url), current=url in current) for url in urls]
