"""steering admin.py, one section per topic."""

# === Targets ===

# === Programme tasks ===

# === SOE assessment ===
from django.contrib import admin  # noqa: E402

from steering.models import AssessmentItem, AssessmentScheme, ProductUse  # noqa: E402


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: schemes and uses change through the audited services (the portal's pages)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssessmentItemInline(admin.TabularInline):
    model = AssessmentItem
    fields = ["subject", "code", "label", "points", "cap"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(_ReadOnlyAdmin):
    list_display = ["year", "filed_at", "updated_at"]
    inlines = [AssessmentItemInline]


@admin.register(ProductUse)
class ProductUseAdmin(_ReadOnlyAdmin):
    list_display = ["contract_number", "organisation", "entry", "amount", "used_on", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["organisation", "entry"]


# === Cockpit ===

# === Reports ===
