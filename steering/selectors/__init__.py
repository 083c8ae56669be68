"""Every read of steering used by pages, the API and other apps, scoped to the user.
One module per topic; everything is importable from here."""

# === Targets ===
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

# === Programme tasks ===

# === SOE assessment ===

# === Cockpit ===

# === Reports ===
