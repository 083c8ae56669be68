"""What every app's pages share about refusing: a page a person may not use answers 404."""

from django.http import Http404


class AccessRefused(Http404):
    """A page refused for lack of permission. It answers 404 like a page that does not exist (so
    nothing is revealed), and the audit trail records it as a denial
    (core.middleware.AuditTrailMiddleware) — a plain Http404 (an unknown id) is not recorded."""


def require(allowed: bool) -> None:
    """Pages answer 404 to whoever may not use them: they do not reveal that they exist."""
    if not allowed:
        raise AccessRefused
