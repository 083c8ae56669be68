"""Steering pages: parse, authorise, call one service or selector, render.
One module per topic; everything is importable from here."""

# === Targets ===
from steering.views.open_data import targets_csv, targets_json, typical_cases_csv, typical_cases_json  # noqa: F401
from steering.views.targets import (  # noqa: F401
    high_growth_import,
    high_growth_imports,
    high_growth_template,
    target_archive,
    target_create,
    target_detail,
    target_edit,
    target_list,
)

# === Programme tasks ===
# === SOE assessment ===
# === Cockpit ===
from .cockpit import cockpit, cockpit_drill  # noqa: E402, F401

# === Reports ===
