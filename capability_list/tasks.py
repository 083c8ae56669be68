"""Celery tasks of capability_list: thin, each calls a service or the matching engine.

The edition workbook and the Excel import run as job kinds instead (capability_list/jobs.py),
so that their progress shows on the job page.
"""

from celery import shared_task

from capability_list.services import enquiries_check_overdue


@shared_task(name="capability_list.enquiries_check_overdue")
def enquiries_check_overdue_task() -> dict:
    return enquiries_check_overdue()


@shared_task(name="capability_list.rematch_scenario")
def rematch_scenario_task(scenario_id: int) -> int:
    from capability_list.matching.engine import rematch_scenario

    return rematch_scenario(scenario_id)


@shared_task(name="capability_list.rematch_entry")
def rematch_entry_task(entry_id: int) -> int:
    from capability_list.matching.engine import rematch_entry

    return rematch_entry(entry_id)


@shared_task(name="capability_list.rebuild_matches")
def rebuild_matches_task() -> dict:
    """Nightly: refit the vocabulary and rebuild every match (a running rebuild makes this a no-op)."""
    from capability_list.matching.engine import RebuildRunning, rebuild

    try:
        model = rebuild()
    except RebuildRunning:
        return {"skipped": "a rebuild is already running"}
    return {"version": model.pk, "pairs": model.pairs, "stats": model.stats}
