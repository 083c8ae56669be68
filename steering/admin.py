"""steering admin.py, one section per topic."""

# === Targets ===
from django.contrib import admin  # noqa: E402

from steering.models import HighGrowthImport, HighGrowthListing, Target, TargetSnapshot  # noqa: E402


class _ReadOnlyTargetsAdmin(admin.ModelAdmin):
    """Read-only: targets, snapshots and the list change through the audited services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(_ReadOnlyTargetsAdmin):
    list_display = ["title", "metric", "district", "target_value", "deadline", "is_archived"]
    list_filter = ["metric", "is_archived"]


@admin.register(TargetSnapshot)
class TargetSnapshotAdmin(_ReadOnlyTargetsAdmin):
    list_display = ["metric", "district", "day", "value", "rule_version"]
    list_filter = ["metric", "district"]
    date_hierarchy = "day"


@admin.register(HighGrowthListing)
class HighGrowthListingAdmin(_ReadOnlyTargetsAdmin):
    list_display = ["organisation", "listed_on", "delisted_on", "source"]
    search_fields = ["organisation__name", "organisation__credit_code"]
    list_select_related = ["organisation", "source"]


@admin.register(HighGrowthImport)
class HighGrowthImportAdmin(_ReadOnlyTargetsAdmin):
    list_display = ["file_name", "uploaded_by", "uploaded_at", "state", "applied_by", "applied_at"]
    exclude = ["file"]


# === Programme tasks ===

# === SOE assessment ===

# === Cockpit ===

# === Reports ===
