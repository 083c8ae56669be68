"""Where the current request came from, for audit records written deep inside services.

Services take the actor explicitly; the client address is cross-cutting, so the middleware puts
it in a context variable that audit_record reads. Celery tasks leave it empty.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None = None
    user_agent: str = ""


# RequestOrigin is a frozen dataclass: the shared default cannot be mutated.
_current_origin: ContextVar[RequestOrigin] = ContextVar("current_origin", default=RequestOrigin())  # noqa: B039


def current_origin() -> RequestOrigin:
    return _current_origin.get()


def set_origin(origin: RequestOrigin):
    return _current_origin.set(origin)


def reset_origin(token) -> None:
    _current_origin.reset(token)


def origin_from_request(request) -> RequestOrigin:
    # REMOTE_ADDR is the peer; behind the production reverse proxy it is set from
    # X-Forwarded-For by the proxy itself (trusting the header here would let clients forge it).
    # The user agent is whatever the client sent: a NUL in it would fail the audit record's insert
    # on PostgreSQL, so it is dropped.
    return RequestOrigin(
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=(request.META.get("HTTP_USER_AGENT") or "").replace("\x00", "")[:300],
    )
