"""What scenarios adds to the front page and to the publisher's and the operator's home pages."""

from scenarios import selectors

LATEST_SHOWN = 5


def publisher_panel(request) -> dict:
    return selectors.publisher_scenario_counts(request.user.organisation_id)


def operator_panel(request) -> dict:
    return {"waiting": selectors.review_waiting_count()}


def public_panel(request) -> dict:
    """The catalogue's size and its newest scenarios (two queries)."""
    published = selectors.catalogue()
    latest = published.prefetch_related(None).order_by("-published_at", "-id")[:LATEST_SHOWN]
    return {"count": published.count(), "latest": list(latest)}
