"""统筹调度's models, one module per topic; everything is importable from here."""

# === Targets ===
from steering.models.targets import (  # noqa: F401
    HighGrowthImport,
    HighGrowthListing,
    Target,
    TargetPlanPoint,
    TargetSnapshot,
)

# === Programme tasks ===

# === SOE assessment ===

# === Reports ===
