"""steering admin.py, one section per topic."""

# === Targets ===

# === Programme tasks ===

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
