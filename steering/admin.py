"""steering admin.py, one section per topic."""

# === Targets ===

# === Programme tasks ===
# Read-only: units, tasks, cycles, reports, rules and 督办单 change only through steering.services,
# which check each step and audit it.
from django.contrib import admin  # noqa: E402

from core.admin import ReadOnlyAdmin  # noqa: E402
from steering.models import (  # noqa: E402
    LampRule,
    ProgrammeTask,
    ProgrammeUnit,
    ReportingCycle,
    SupervisionNotice,
    UnitReport,
    UnitReportVersion,
)


@admin.register(ProgrammeUnit)
class ProgrammeUnitAdmin(ReadOnlyAdmin):
    list_display = ["short_name", "full_name", "organisation", "district"]
    list_select_related = ["organisation", "district"]
    search_fields = ["short_name", "full_name"]


@admin.register(ProgrammeTask)
class ProgrammeTaskAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "progress_method", "starts_on", "ends_on"]


@admin.register(ReportingCycle)
class ReportingCycleAdmin(ReadOnlyAdmin):
    list_display = ["label", "kind", "opens_on", "due_on", "status", "closed_at"]
    list_filter = ["kind", "status"]


@admin.register(UnitReport)
class UnitReportAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "task", "unit", "role", "status", "lamp"]
    list_filter = ["status", "lamp"]
    list_select_related = ["cycle", "task", "unit"]


@admin.register(UnitReportVersion)
class UnitReportVersionAdmin(ReadOnlyAdmin):
    list_display = ["report", "number", "percentage", "submitted_at", "decision", "decided_at"]
    list_select_related = ["report__cycle", "report__task", "report__unit"]


@admin.register(LampRule)
class LampRuleAdmin(ReadOnlyAdmin):
    list_display = ["order", "kind", "colour", "label", "active"]


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(ReadOnlyAdmin):
    list_display = ["unit", "report", "response_due_on", "status", "issued_at", "closed_at"]
    list_filter = ["status"]
    list_select_related = ["unit", "report__cycle", "report__task", "report__unit"]


# === SOE assessment ===

# === Cockpit ===

# === Reports ===
