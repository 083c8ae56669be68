"""统筹调度's models, one module per topic; everything is importable from here."""

# === Targets ===

# === Programme tasks ===
from steering.models.programme import (  # noqa: E402, F401
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

# === SOE assessment ===

# === Reports ===
