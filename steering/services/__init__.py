"""Every write of steering, one module per topic. Import from here:
`from steering.services import report_submit`."""

# === Targets ===
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

# === Programme tasks ===
# === SOE assessment ===
from .assessment import (  # noqa: E402,F401
    assessment_item_update,
    assessment_scheme_create,
    assessment_scheme_file,
    product_use_from_agreement,
    product_use_record,
    product_use_verify,
)

# === Reports ===
