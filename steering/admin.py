"""steering admin.py, one section per topic."""

# === Targets ===
# Read-only: targets, snapshots and the 高成长性 list change only through the audited services.
from django.contrib import admin  # noqa: E402

from core.admin import ReadOnlyAdmin  # noqa: E402
from steering.models import HighGrowthImport, HighGrowthListing, Target, TargetSnapshot  # noqa: E402


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["title", "metric", "district", "target_value", "deadline", "is_archived"]
    list_filter = ["metric", "is_archived"]
    list_select_related = ["district"]


@admin.register(TargetSnapshot)
class TargetSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["metric", "district", "day", "value", "rule_version"]
    list_filter = ["metric", "district"]
    list_select_related = ["district"]
    date_hierarchy = "day"


@admin.register(HighGrowthListing)
class HighGrowthListingAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "listed_on", "delisted_on", "source"]
    search_fields = ["organisation__name", "organisation__credit_code"]
    list_select_related = ["organisation", "source"]


@admin.register(HighGrowthImport)
class HighGrowthImportAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "uploaded_by", "uploaded_at", "state", "applied_by", "applied_at"]
    list_select_related = ["uploaded_by", "applied_by"]
    exclude = ["file"]


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
from django.contrib import admin  # noqa: E402

from core.admin import ReadOnlyAdmin, ReadOnlyInline  # noqa: E402
from steering.models import AssessmentItem, AssessmentScheme, ProductUse  # noqa: E402


class AssessmentItemInline(ReadOnlyInline):
    model = AssessmentItem
    fields = ["subject", "code", "label", "points", "cap"]


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(ReadOnlyAdmin):
    """Schemes change on the operators' page (audited); here they are only read."""

    list_display = ["year", "filed_at", "updated_at"]
    inlines = [AssessmentItemInline]


@admin.register(ProductUse)
class ProductUseAdmin(ReadOnlyAdmin):
    list_display = ["contract_number", "organisation", "entry", "amount", "used_on", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["organisation", "entry"]


# === Cockpit ===

# === Reports ===
