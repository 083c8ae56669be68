"""What contests adds to home pages: the operator's entries waiting for 资格审查 (and 新建大赛), and a
company's own entries with the challenges now taking entries."""

from contests import operator_selectors, selectors

ENTRIES_SHOWN = 5


def operator_panel(request) -> dict:
    return {"eligibility_waiting": operator_selectors.eligibility_waiting_count()}


def company_panel(request) -> dict:
    """The company's newest entries with their state, and how many challenges take entries now (two queries)."""
    entries = selectors.entries_of_my_organisation(request.user).prefetch_related(None)
    return {"entries": list(entries[:ENTRIES_SHOWN]), "open_challenges": selectors.challenges_taking_entries().count()}


def public_panel(request) -> dict:
    """The challenges taking entries now (one query)."""
    return {"challenges": list(selectors.challenges_taking_entries())}
