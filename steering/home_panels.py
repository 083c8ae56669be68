"""What steering adds to the operator's home page: the programme's work waiting for them."""

from steering import selectors


def operator_panel(request) -> dict:
    return selectors.operator_work_counts()
