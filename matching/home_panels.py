"""What matching adds to a company's home page: the best few of its 推荐场景."""

from matching import selectors

SHOWN = 3


def company_panel(request) -> dict:
    """The company's strongest recommendations (one query; the full list is 推荐场景)."""
    best = selectors.scenarios_for_company(request.user).order_by("-score", "scenario_id", "entry_id")
    return {"matches": list(best.select_related("scenario__publisher", "entry")[:SHOWN])}
