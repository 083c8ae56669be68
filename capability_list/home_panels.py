"""What capability_list adds to the operator's home page: entries waiting for review."""

from capability_list import selectors


def operator_panel(request) -> dict:
    return {"waiting": selectors.review_queue().count()}
