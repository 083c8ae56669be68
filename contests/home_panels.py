"""What contests adds to the operator's home page: entries waiting for 资格审查, and 新建大赛."""

from contests import operator_selectors


def operator_panel(request) -> dict:
    return {"eligibility_waiting": operator_selectors.eligibility_waiting_count()}
