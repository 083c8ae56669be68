"""The header of every page (templates/includes/_topbar.html: brand, menu, language switch, the
person's links), rendered once per process for each menu and kept.

Rendering it was most of what a signed-in page costs around its own content (issue #20: the 驾驶舱
spent a third of its 3.4 ms in the header). Its HTML depends only on what the menu shows (which
items, which one is the page being shown: core.navigation, read fresh on every request), the
language, whether someone is signed in, and the URL configuration and script prefix its links
are reversed with — all part of the memo's key, none of it stored data, so nothing can make a kept
header stale while the process runs (the menu's items are registered at start-up). What is the
person's own is a placeholder in the kept HTML, put in on every request: the CSRF token, this
page's address (the language switch returns to it), the unread count and the person's name.

`kept_partial` keeps other parts of the frame the same way: a section's tabs, whose HTML depends
only on the page being shown (who may see them is asked by the template around, every request).
"""

import re
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.navigation import nav_links, nav_menu_of

_PLACEHOLDER = re.compile(r"@@topbar-(csrf|next|unread|name)@@")
# Menus (one per set of roles, more with the items a predicate shows) × the item being shown ×
# languages: a few hundred at most; the bound only keeps a process from growing without end.
_MEMO_SIZE = 1024


def topbar(request, unread_notifications: int = 0, csrf_token=None) -> SafeString:
    """The header for this request: the kept HTML for its menu, with the person's own values.
    `csrf_token`: the template's (one masked token for the whole page)."""
    user = getattr(request, "user", None) or AnonymousUser()
    urls, current = nav_menu_of(request)
    html = _rendered(urls, current, user.is_authenticated, *_rendered_under())
    # The page's own token when it has one (masking another costs as much as the rest of this).
    values = {"csrf": str(csrf_token or get_token(request)), "next": escape(request.get_full_path())}
    if user.is_authenticated:
        values["unread"] = (
            format_html(' <span class="badge" data-testid="unread-count">{}</span>', unread_notifications)
            if unread_notifications
            else ""
        )
        values["name"] = escape(user.display_name or user.username)
    # One pass: a value that happens to look like a placeholder (a name, an address) stays as it is.
    return mark_safe(_PLACEHOLDER.sub(lambda placeholder: values[placeholder.group(1)], html))  # noqa: S308  # nosec B308 B703 — our own template's output and escaped values


def _rendered_under() -> tuple[str, object, str]:
    """What a kept part's HTML depends on besides its own values, in the memos' keys: the language,
    the URL configuration and the script prefix its links are reversed with."""
    return get_language(), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


@lru_cache(maxsize=_MEMO_SIZE)
def _rendered(urls, current, signed_in: bool, language: str, urlconf, script_prefix: str) -> str:
    # The language, URL configuration and script prefix are in force while this renders: the key
    # holds them so that each combination is rendered under its own.
    return render_to_string(
        "includes/_topbar.html",
        {
            "portal_name": settings.PORTAL_NAME,
            "nav_items": nav_links(urls, current),
            "signed_in": signed_in,
            "csrf_token": "@@topbar-csrf@@",
            "next": "@@topbar-next@@",
            "unread_badge": "@@topbar-unread@@",
            "person_name": "@@topbar-name@@",
        },
    )


def kept_partial(template_name: str, **values) -> SafeString:
    """The partial rendered with `values` (strings, numbers, None), once per process for each set
    of them and language, and kept. Only for a partial that shows links and labels and nothing of
    the person or the data: its HTML must follow from `values` alone."""
    key = tuple(sorted(values.items()))
    return mark_safe(_partial_rendered(template_name, key, *_rendered_under()))  # noqa: S308  # nosec B308 B703 — our own template's output


@lru_cache(maxsize=_MEMO_SIZE)
def _partial_rendered(template_name: str, values: tuple, language: str, urlconf, script_prefix: str) -> str:
    return render_to_string(template_name, dict(values))
