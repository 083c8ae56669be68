"""统筹调度's models, one module per topic; everything is importable from here."""

# === Targets ===
# === SOE assessment ===
from .assessment import AssessmentItem, AssessmentScheme, ProductUse  # noqa: F401, I001

# === Programme tasks ===
from .programme import (  # noqa: F401
    LampRule,
    ProgrammeTask,
    ProgrammeUnit,
    ReportAttachment,
    ReportingCycle,
    ReportingSettings,
    SupervisionNotice,
    TaskMilestone,
    TaskUnit,
    UnitReport,
    UnitReportVersion,
)
from .targets import HighGrowthImport, HighGrowthListing, Target, TargetPlanPoint, TargetSnapshot  # noqa: F401

# === Reports ===
from .reports import DispatchReport  # noqa: F401, E402
