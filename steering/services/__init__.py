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

# === Reports ===
