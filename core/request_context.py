"""Where the current request came from, for audit records written deep inside services.

Services take the actor explicitly; the client address is cross-cutting, so the middleware puts
it in a context variable that audit_record reads. Celery tasks leave it empty.
"""

import ipaddress
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None = None
    user_agent: str = ""
    method: str = ""
    path: str = ""


# RequestOrigin is a frozen dataclass: the shared default cannot be mutated.
_current_origin: ContextVar[RequestOrigin] = ContextVar("current_origin", default=RequestOrigin())  # noqa: B039


def current_origin() -> RequestOrigin:
    return _current_origin.get()


def set_origin(origin: RequestOrigin):
    return _current_origin.set(origin)


def reset_origin(token) -> None:
    _current_origin.reset(token)


def _valid_address(text: str) -> str | None:
    try:
        return ipaddress.ip_address(text.strip()).compressed
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR (the peer), unless the portal is configured to sit behind
    trusted reverse proxies (settings.PORTAL_TRUSTED_PROXY_HEADER, PORTAL_TRUSTED_PROXY_COUNT).

    Then the header is read from the right: each trusted proxy appends the address it received
    the request from, so the COUNT-th entry from the right was written by the outermost trusted
    proxy and names the real client. Entries further left were sent by the client and may be
    forged; they are never used. A header with fewer entries than proxies, or an entry that is
    not an address, means the request did not come through the proxies as configured: the peer
    address is kept. Unconfigured, X-Forwarded-For and the like are ignored entirely."""
    peer = request.META.get("REMOTE_ADDR") or None
    header = getattr(settings, "PORTAL_TRUSTED_PROXY_HEADER", "")
    count = getattr(settings, "PORTAL_TRUSTED_PROXY_COUNT", 1)
    if not header or count < 1:
        return peer
    value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    entries = [entry for entry in (part.strip() for part in value.split(",")) if entry]
    if len(entries) < count:
        return peer
    return _valid_address(entries[-count]) or peer


def origin_from_request(request) -> RequestOrigin:
    # The user agent and path are whatever the client sent: a NUL in them would fail the audit
    # record's insert on PostgreSQL, so it is dropped.
    return RequestOrigin(
        ip_address=client_address(request),
        user_agent=(request.META.get("HTTP_USER_AGENT") or "").replace("\x00", "")[:300],
        method=request.method or "",
        path=request.path.replace("\x00", "")[:300],
    )


# Whether the current request has already written the audit record of the file it sends (a view
# that audits its own export or download names the object); the middleware records the rest.
_download_audited: ContextVar[list | None] = ContextVar("download_audited", default=None)


def begin_download_tracking():
    return _download_audited.set([False])


def end_download_tracking(token) -> None:
    _download_audited.reset(token)


def note_download_audited() -> None:
    holder = _download_audited.get()
    if holder is not None:
        holder[0] = True


def download_audited() -> bool:
    holder = _download_audited.get()
    return bool(holder and holder[0])
