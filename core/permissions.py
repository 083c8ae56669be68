"""What every app's pages share about refusing: a page a person may not use answers 404."""

from functools import wraps

from django.http import Http404


class AccessRefused(Http404):
    """A page refused for lack of permission. It answers 404 like a page that does not exist (so
    nothing is revealed), and the audit trail records it as a denial
    (core.middleware.AuditTrailMiddleware) — a plain Http404 (an unknown id) is not recorded."""


def require(allowed: bool) -> None:
    """Pages answer 404 to whoever may not use them: they do not reveal that they exist."""
    if not allowed:
        raise AccessRefused


def post_only(view):
    """For an action address (a form posts to it; it has no page): anything but POST answers 404,
    for everyone. Django's require_POST answers 405 before the view can check who is asking, which
    tells a person who may not use the action that it exists; a 404 tells nobody anything."""

    @wraps(view)
    def post_only_view(request, *args, **kwargs):
        if request.method != "POST":
            raise Http404
        return view(request, *args, **kwargs)

    return post_only_view


def get_only(view):
    """For a page that is only read (no form posts to it): anything but GET or HEAD answers 404, for
    everyone. Django's require_GET answers 405 before the view can check who is asking, which tells
    a person who may not open the page that it exists (the counterpart of post_only)."""

    @wraps(view)
    def get_only_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            raise Http404
        return view(request, *args, **kwargs)

    return get_only_view
