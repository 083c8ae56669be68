"""Moved: the scoring writes are in contests.services (scoring, results), the reads in
contests.selectors, the sheet arithmetic in contests.sheets and the scoring rounds in contests.rounds.

Only the old import path is kept, for contests/demo_data.py (which is being moved out of the app);
delete this module with it. New code imports `from contests import services, selectors`."""

from contests.rounds import SCORING_ROUNDS, require_scoring_open
from contests.selectors import expected_judges, latest_snapshot, panel_complete, ranking_inputs, snapshot_verify
from contests.services.results import ranking_recompute, tie_decide
from contests.services.scoring import scoring_lock, scoring_unlock, sheet_reopen, sheet_save
from contests.sheets import HALF, parse_points, sheet_content_sha256

__all__ = [
    "HALF",
    "SCORING_ROUNDS",
    "expected_judges",
    "latest_snapshot",
    "panel_complete",
    "parse_points",
    "ranking_inputs",
    "ranking_recompute",
    "require_scoring_open",
    "scoring_lock",
    "scoring_unlock",
    "sheet_content_sha256",
    "sheet_reopen",
    "sheet_save",
    "snapshot_verify",
    "tie_decide",
]
