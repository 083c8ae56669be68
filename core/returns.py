"""Going back to the list a person came from, with its search and filters.

A queue links each item as `item/?back=<the queue's path and query>`; the item's forms post the
same `back`, and after the action the person lands on the queue as they left it. Only a path on
this site is followed (never another host), else the given default."""

from django.utils.http import url_has_allowed_host_and_scheme


def back_url(request, default: str) -> str:
    """The `back` the request carries (GET or POST) when it is a path on this site, else `default`."""
    back = request.POST.get("back") or request.GET.get("back") or ""
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return default
