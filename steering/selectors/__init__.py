"""Every read of steering used by pages, the API and other apps, scoped to the user.
One module per topic; everything is importable from here."""

# === Targets ===
# === Programme tasks ===
from steering.selectors.programme import (  # noqa: E402, F401
    attachment_visible_to,
    attention_reports,
    cycles_list,
    lamp_matrix,
    lamp_rules,
    notice_detail,
    notices_visible_to,
    open_supervision_notices,
    operator_work_counts,
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

# === Cockpit ===
# === Reports ===
from steering.selectors.reports import (  # noqa: E402, F401
    monthly_cycle_of,
    monthly_cycles,
    monthly_report_build,
    monthly_report_builds,
    monthly_report_data,
    monthly_target_rows,
    other_workbooks,
)
from steering.selectors.targets import (  # noqa: F401
    counted_records,
    high_growth_imports,
    latest_snapshots_city,
    metric_url,
    planned_value,
    snapshot_value,
    target_cards,
    target_current,
    target_series,
    targets_all,
)

# === SOE assessment ===
from .assessment import (  # noqa: E402,F401
    ITEM_DEFINITIONS,
    ITEM_LABELS,
    agreements_to_record,
    company_credit,
    company_item_records,
    current_year,
    item_score,
    product_use_queue,
    product_uses_verified,
    product_uses_visible_to,
    scheme_item_of,
    scheme_items,
    scheme_of,
    scheme_years,
    shortlisted_entries,
    soe_item_records,
    soe_scorecard,
    usable_entries,
    using_organisations,
    valid_year,
)
