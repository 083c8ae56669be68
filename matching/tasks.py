"""Celery tasks of matching: thin, each calls the engine (loaded when a task runs, not when the
app starts). An operator's rebuild from the match table is a job kind instead (matching/jobs.py),
so that its progress shows on the job page."""

from celery import shared_task


@shared_task(name="matching.rematch_scenario")
def rematch_scenario_task(scenario_id: int) -> int:
    from matching.engine.engine import rematch_scenario

    return rematch_scenario(scenario_id)


@shared_task(name="matching.rematch_entry")
def rematch_entry_task(entry_id: int) -> int:
    from matching.engine.engine import rematch_entry

    return rematch_entry(entry_id)


@shared_task(name="matching.rebuild_matches")
def rebuild_matches_task() -> dict:
    """Nightly: refit the vocabulary and rebuild every match (a running rebuild makes this a no-op)."""
    from matching.engine.engine import RebuildRunning, rebuild

    try:
        model = rebuild()
    except RebuildRunning:
        return {"skipped": "a rebuild is already running"}
    return {"version": model.pk, "pairs": model.pairs, "stats": model.stats}
