"""The scenario catalogue in the admin of the 系统管理员 role (see core.admin for who gets in).

All read-only: scenarios move through their workflow by services (scenarios.services, audited);
domains and demonstration zones are reference data too, but operators maintain them on their own
pages through domain_save / zone_save, which audit each change, and institutes their instruments
through instrument_save — so none of it is edited here.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from scenarios.models import (
    DemonstrationZone,
    Domain,
    InstrumentRequest,
    LabInstrument,
    NeedItem,
    Scenario,
    ScenarioAttachment,
    ScenarioStatusChange,
)


@admin.register(Domain)
class DomainAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "parent", "sort_order", "is_active"]
    list_filter = ["is_active", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "code", "name_en"]


@admin.register(DemonstrationZone)
class DemonstrationZoneAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "district", "focus"]
    list_filter = ["kind", "district"]
    list_select_related = ["district"]
    search_fields = ["name", "focus"]


@admin.register(LabInstrument)
class LabInstrumentAdmin(ReadOnlyAdmin):
    list_display = ["name", "model_number", "institute", "category", "is_open"]
    list_filter = ["is_open", "category"]
    list_select_related = ["institute"]
    search_fields = ["name", "model_number", "institute__name"]


class NeedItemInline(ReadOnlyInline):
    model = NeedItem
    fields = ["name", "detail"]


class AttachmentInline(ReadOnlyInline):
    model = ScenarioAttachment
    fields = ["original_name", "kind", "size", "uploaded_by", "uploaded_at"]
    select_related = ["uploaded_by"]


class StatusChangeInline(ReadOnlyInline):
    model = ScenarioStatusChange
    fields = ["created_at", "action", "from_status", "to_status", "actor", "reason"]
    select_related = ["actor"]


class InstrumentRequestInline(ReadOnlyInline):
    model = InstrumentRequest
    fields = ["instrument", "purpose", "status", "requested_by", "answer", "answered_at"]
    select_related = ["instrument__institute", "requested_by"]


class DomainFilter(admin.SimpleListFilter):
    """The domain fields, each with its category in one query (a domain's name shows its category)."""

    title = _("场景领域")
    parameter_name = "domain"

    def lookups(self, request, model_admin):
        return [
            (domain.pk, str(domain)) for domain in Domain.objects.filter(parent__isnull=False).select_related("parent")
        ]

    def queryset(self, request, queryset):
        return queryset.filter(domain_id=self.value()) if self.value() else queryset


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdmin):
    list_display = ["title", "publisher", "domain", "status", "track", "district", "is_flagship", "published_at"]
    list_filter = ["status", "track", "stage", "is_flagship", "district", DomainFilter]
    list_select_related = ["publisher", "domain__parent", "district"]
    search_fields = ["title", "publisher__name", "publisher__credit_code"]
    date_hierarchy = "published_at"
    inlines = [NeedItemInline, AttachmentInline, InstrumentRequestInline, StatusChangeInline]
