"""What evaluation adds to the operator's home page: typical cases waiting for a decision."""

from evaluation import selectors


def operator_panel(request) -> dict:
    return {"cases_waiting": selectors.case_queue().count()}
