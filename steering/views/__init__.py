"""Steering pages: parse, authorise, call one service or selector, render.
One module per topic; everything is importable from here."""

# === Targets ===

# === Programme tasks ===
from steering.views.programme import (  # noqa: E402, F401
    programme_attachment,
    programme_cycle,
    programme_cycles,
    programme_mine,
    programme_notice,
    programme_notices,
    programme_report,
    programme_review,
    programme_task,
    programme_tasks,
    programme_units,
)

# === SOE assessment ===

# === Cockpit ===

# === Reports ===
