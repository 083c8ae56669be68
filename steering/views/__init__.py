"""Steering pages: parse, authorise, call one service or selector, render.
One module per topic; everything is importable from here."""

# === Targets ===
from steering.views.open_data import targets_csv, targets_json, typical_cases_csv, typical_cases_json  # noqa: F401

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

# === SOE assessment ===
from .assessment import (  # noqa: E402,F401
    assessment_credit,
    assessment_credit_export,
    assessment_records,
    assessment_scheme,
    assessment_scorecard,
    assessment_scorecard_export,
    product_use_create,
    product_use_detail,
    product_use_evidence,
    product_use_from_agreement,
    product_use_list,
    product_use_queue,
)

# === Cockpit ===
from .cockpit import cockpit, cockpit_drill  # noqa: E402, F401

# === Reports ===
from .reports import report_download, reports  # noqa: E402, F401
