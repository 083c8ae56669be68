"""Celery tasks of matching: thin, each calls the engine (loaded when a task runs, not when the
app starts). An operator's rebuild from the match table is a job kind instead (matching/jobs.py),
so that its progress shows on the job page."""

from celery import shared_task


@shared_task(name="matching.rematch_scenario")
def rematch_scenario_task(scenario_id: int) -> int:
    from matching.engine.rematch import rematch_scenario

    return rematch_scenario(scenario_id)


@shared_task(name="matching.rematch_entry")
def rematch_entry_task(entry_id: int) -> int:
    from matching.engine.rematch import rematch_entry

    return rematch_entry(entry_id)


@shared_task(name="matching.rebuild_matches")
def rebuild_matches_task() -> dict:
    """Nightly: refit the score's weights and affinities on people's answers, then refit the text
    model and rebuild every match (a running rebuild makes this a no-op)."""
    from matching.engine.rebuild import RebuildRunning, rebuild
    from matching.engine.refit import refit

    weights = refit()
    try:
        model = rebuild()
    except RebuildRunning:
        return {"skipped": "a rebuild is already running"}
    refitted = None if weights is None else {"weights": weights.weights, "kept": weights.in_use}
    return {"version": model.pk, "pairs": model.pairs, "stats": model.stats, "refit": refitted}
