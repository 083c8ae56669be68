"""Every read of steering used by pages, the API and other apps, scoped to the user.
One module per topic; everything is importable from here."""

# === Targets ===

# === Programme tasks ===
from steering.selectors.programme import (  # noqa: E402, F401
    attachment_visible_to,
    attention_reports,
    cycles_list,
    lamp_matrix,
    notice_detail,
    notices_visible_to,
    open_supervision_notices,
    report_detail,
    reporting_matrix,
    reporting_settings_current,
    reports_for_unit_user,
    reports_visible_to,
    review_queue,
    task_detail,
    task_progress,
    tasks_overview,
    units_list,
    version_differences,
)

# === SOE assessment ===

# === Cockpit ===

# === Reports ===
