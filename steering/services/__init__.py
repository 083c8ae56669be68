"""Every write of steering, one module per topic. Import from here:
`from steering.services import report_submit`."""

# === Targets ===
# === Programme tasks ===
from steering.services.programme import (  # noqa: E402, F401
    cycle_close,
    cycle_open_ad_hoc,
    cycle_open_monthly,
    lamp_rule_update,
    lamps_refresh,
    milestone_add,
    milestone_update,
    notice_answer,
    notice_close,
    notice_issue,
    reminders_send,
    report_accept,
    report_attach,
    report_attachment_remove,
    report_return,
    report_save_draft,
    report_submit,
    reporting_settings_update,
    unit_link,
)

# === Reports ===
from steering.services.reports import (  # noqa: E402, F401
    dispatch_report_freeze,
    monthly_report_on_cycle_close,
    monthly_report_request,
    monthly_report_rerun,
)
from steering.services.targets import (  # noqa: F401
    high_growth_import_apply,
    high_growth_import_check,
    high_growth_template_workbook,
    target_archive,
    target_create,
    target_update,
    targets_snapshot_backfill,
    targets_snapshot_take,
)

# === SOE assessment ===
from .assessment import (  # noqa: E402,F401
    assessment_item_update,
    assessment_scheme_create,
    assessment_scheme_file,
    product_use_from_agreement,
    product_use_record,
    product_use_verify,
)
