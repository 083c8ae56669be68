"""What scenarios adds to the publisher's and the operator's home pages."""

from scenarios import selectors


def publisher_panel(request) -> dict:
    return selectors.publisher_scenario_counts(request.user.organisation_id)


def operator_panel(request) -> dict:
    return {"waiting": selectors.review_waiting_count()}
