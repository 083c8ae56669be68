"""统筹调度's models, one module per topic; everything is importable from here."""

# === Targets ===

# === Programme tasks ===

# === SOE assessment ===
from .assessment import AssessmentItem, AssessmentScheme, ProductUse  # noqa: E402,F401

# === Reports ===
