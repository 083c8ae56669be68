"""Whole pages for visitors who are not signed in, served from the cache until what they show changes.

The anonymous catalogue is read far more often than it is written: rendering it costs its queries
and templates every time, serving the stored page a cache read. A view decorated with
`@cached_for_visitors(scope)` is rendered once per address (path and query string), language and
version of its scope, then served from the cache to every visitor who has neither a session nor a
pending message (a signed-in person, or anyone with a session, gets the page rendered for them).

The scope's version is bumped when a model it shows is saved or deleted (post_save/post_delete of
the models registered with `register_page_scope`), at once and again when the transaction commits —
so that a page rendered by another request from the data before the commit and stored under the
new version is superseded. Bulk writes send no signal: their service calls `pages_changed(scope)`.
CACHE_TTL is the safety net behind the bump.

A page that changes by itself when a moment passes (a contest's registration opens or closes: the
scenario page's call to enter) names that moment through `fresh_until`: it is stored no longer.

A part of a page that is the same for everyone who may see it — the catalogue's filters and rows,
whoever is signed in — is stored the same way by `cached_part` (per address, language and version
of its scope), so that a signed-in person's page renders only what is theirs around it; the data of
an API answer that is the same for everyone who may ask (the public lists) by `cached_value`.

The CSRF token in a stored page (the language switch, htmx's header) is a placeholder, replaced by
a token of the visitor's own on every answer: a page from the cache never carries another visitor's.
"""

import hashlib
import math
import re
import time
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

CACHE_TTL = 300  # seconds
TOKEN_PLACEHOLDER = "@@portal-csrf-token@@"
# Where a page carries the CSRF token: hidden form fields and htmx's header attribute.
_RENDERED_TOKENS = re.compile(r'(?:name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]+)"')

_SCOPES: dict[str, set[str]] = {}


def register_page_scope(scope: str, *labels: str) -> None:
    """The pages of `scope` show records of these models ("app.Model"): a change to any of them
    makes the scope's stored pages stale."""
    _SCOPES.setdefault(scope, set()).update(labels)
    for label in labels:
        model = apps.get_model(label)
        post_save.connect(_model_changed, sender=model, dispatch_uid=f"page-cache-save-{label}")
        post_delete.connect(_model_changed, sender=model, dispatch_uid=f"page-cache-delete-{label}")


def _scopes_showing(label: str) -> list[str]:
    return [scope for scope, labels in _SCOPES.items() if label in labels]


def _version_key(scope: str) -> str:
    return f"page:version:{scope}"


def _bump(scopes) -> None:
    if scopes:
        stamp = time.time_ns()
        cache.set_many({_version_key(scope): stamp for scope in scopes}, timeout=None)


def pages_changed(*scopes: str) -> None:
    """The stored pages of these scopes are stale: now, and again once the current transaction
    commits (outside a transaction, the second bump follows at once)."""
    _bump(scopes)
    transaction.on_commit(lambda: _bump(scopes))


# Fields no stored page or value shows. Every sign-in writes the person's last_login alone; were
# that a change, each sign-in would empty the scopes that show people (the capability review
# queue's authors, the API's token copies) for everyone.
FIELDS_NO_PAGE_SHOWS = frozenset({"last_login"})


def _model_changed(sender, update_fields=None, **kwargs):
    if update_fields and update_fields <= FIELDS_NO_PAGE_SHOWS:
        return
    pages_changed(*_scopes_showing(sender._meta.label))


def _cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    # A session may carry messages or a half-finished sign-in; a message cookie a notice to show.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def scope_version(scope: str) -> int:
    """The scope's current version: part of the key of everything stored for it."""
    return cache.get(_version_key(scope)) or 0


def _key(scope: str, request, address: str = "") -> str:
    version = scope_version(scope)
    address = hashlib.sha256((address or request.get_full_path()).encode()).hexdigest()
    return f"page:{scope}:{get_language()}:{version}:{address}"


def seconds_until(moment) -> int:
    """The cache timeout that ends at `moment` (None: CACHE_TTL); 0 or less when it has passed."""
    if moment is None:
        return CACHE_TTL
    return min(CACHE_TTL, math.floor((moment - timezone.now()).total_seconds()))


def cached_for_visitors(scope: str, *, fresh_until=None):
    """Serve the view's page from the cache to visitors who are not signed in (see the module).
    `fresh_until(request, *args, **kwargs)`, when given, returns the moment the page changes without
    a write (None: no such moment); a page is stored no longer than that."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            key = _key(scope, request)
            stored = cache.get(key)
            if stored is not None:
                content_type, body = stored
                return HttpResponse(body.replace(TOKEN_PLACEHOLDER, get_token(request)), content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                seconds = seconds_until(fresh_until(request, *args, **kwargs) if fresh_until else None)
                if seconds > 0:
                    body = _RENDERED_TOKENS.sub(
                        lambda match: match.group(0).replace(match.group(1), TOKEN_PLACEHOLDER),
                        response.content.decode(response.charset),
                    )
                    cache.set(key, (response["Content-Type"], body), seconds)
            return response

        return wrapper

    return decorator


def cached_part(scope: str, request, name: str, render, *, read=None) -> SafeString:
    """The HTML `render()` returns, stored per address and language with the version of the scope
    it was rendered at, and read from the cache by every later request — the version and the part in
    one round trip (scope_read). For a part that holds nothing personal: no CSRF token, no name, no
    link that depends on who is asking. `read`, when given, reads in place of scopes_read
    (core.navigation.scopes_read_with_menu: the person's menu in the same round trip)."""
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    key = f"part:{name}:{scope}:{get_language()}:{address}"
    html, version = (read or scopes_read)({key: scope})[key]
    if html is NOT_STORED:
        html = str(render())
        scope_store(key, version, html)
    return mark_safe(html)  # noqa: S308  # nosec B308 B703 — our own template's output, escaped when rendered


NOT_STORED = object()


def scope_read(scope: str, key: str):
    """(what is stored under `key` for the scope's current version — NOT_STORED when nothing is, or
    only for an older version —, that current version), in one round trip to the cache: the version
    is kept inside the stored value, not in its key, so both are read together."""
    return scopes_read({key: scope})[key]


def scopes_read(wanted: dict[str, str | tuple[str, ...]]) -> dict[str, tuple]:
    """scope_read for several keys, all in one round trip: {key: (value or NOT_STORED, version)}.
    Each key names its scope, or a tuple of scopes for a value that several show (a company's
    推荐场景 rows show its own records, everyone's scenarios and the contests' calls): its version is
    then the tuple of theirs, and the value is NOT_STORED once any of them has changed."""
    scopes = {scope for wanted_scopes in wanted.values() for scope in _as_tuple(wanted_scopes)}
    version_keys = {scope: _version_key(scope) for scope in scopes}
    found = cache.get_many([*version_keys.values(), *wanted])
    answers = {}
    for key, wanted_scopes in wanted.items():
        versions = tuple(found.get(version_keys[scope]) or 0 for scope in _as_tuple(wanted_scopes))
        version = versions if isinstance(wanted_scopes, tuple) else versions[0]
        stored = found.get(key)
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == version:
            answers[key] = (stored[1], version)
        else:
            answers[key] = (NOT_STORED, version)
    return answers


def _as_tuple(scopes: str | tuple[str, ...]) -> tuple[str, ...]:
    return scopes if isinstance(scopes, tuple) else (scopes,)


def scope_store(key: str, version, value, timeout: int = CACHE_TTL) -> None:
    """Store `value` for the scope's `version` as read by scope_read *before* the value was computed:
    a change committed meanwhile has bumped the version, so the value is never served."""
    cache.set(key, (version, value), timeout)


def scopes_store(values: dict[str, tuple], timeout: int = CACHE_TTL) -> None:
    """scope_store for several keys in one round trip: {key: (version read by scopes_read, value)}."""
    if values:
        cache.set_many(values, timeout)


def cached_value(scope: str, request, name: str, compute, *, keep=None):
    """What `compute()` returns (anything the cache can pickle), stored per address — scheme and host
    included, as an API answer's links carry them —, language and version of the scope. For data
    that is the same for everyone who may ask for this address: the caller decides who that is, and
    `keep(value)`, when given, whether this value is (a public record is; someone's draft is not).
    The version and the value are read in one round trip (scope_read)."""
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    key = f"value:{name}:{scope}:{get_language()}:{address}"
    value, version = scope_read(scope, key)
    if value is NOT_STORED:
        value = compute()
        if keep is None or keep(value):
            scope_store(key, version, value)
    return value
