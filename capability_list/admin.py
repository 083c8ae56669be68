"""The 能力清单 in the admin of the 系统管理员 role (see core.admin for who gets in).

Entries, editions, imports, enquiries and matchmaking events change only through services
(review, publication, import and answer are checked and audited there): read-only here. The
industry (GB/T 4754-2017) and 战新 (2018) classifications are national standards seeded by data
migrations, and imports look them up by code: read-only too. Holidays and make-up working days
(调休) are the one list maintained here: no page does, the State Council publishes the calendar
every year, and enquiry deadlines count working days by it; each change is audited.

The matches and their fitted models are matching's (matching/admin.py).
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from capability_list.models import (
    AgendaItem,
    CapabilityEntry,
    Credential,
    Edition,
    Enquiry,
    Holiday,
    ImportBatch,
    Industry,
    MatchmakingEvent,
    StrategicArea,
)
from core.admin import ReadOnlyAdmin, ReadOnlyInline, ReferenceDataAdmin


@admin.register(Industry)
class IndustryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "name_en", "section"]
    list_filter = [("section", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["section"]
    search_fields = ["code", "name", "name_en"]


@admin.register(StrategicArea)
class StrategicAreaAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "name_en"]


@admin.register(Holiday)
class HolidayAdmin(ReferenceDataAdmin):
    list_display = ["date", "name", "is_working_day"]
    list_filter = ["is_working_day"]
    search_fields = ["name"]
    date_hierarchy = "date"
    audited_fields = ["date", "name", "is_working_day"]
    deletable = True  # a wrongly entered day is removed; nothing points at it


class CredentialInline(ReadOnlyInline):
    model = Credential
    fields = ["kind", "certificate_number", "level", "year"]


@admin.register(CapabilityEntry)
class CapabilityEntryAdmin(ReadOnlyAdmin):
    list_display = ["name", "company", "kind", "status", "industry", "strategic_area", "submitted_via", "listed_at"]
    list_filter = ["status", "kind", "maturity", "strategic_area", "is_strategic_emerging", "is_independent_innovation"]
    list_select_related = ["company", "industry", "strategic_area", "submitted_via"]
    search_fields = ["name", "company__name", "company__credit_code"]
    date_hierarchy = "listed_at"
    inlines = [CredentialInline]


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "batch", "state", "entry_count", "created_by", "published_at"]
    list_filter = ["state", "year"]
    list_select_related = ["created_by"]
    exclude = ["entries"]  # thousands of names; the count is in the list

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_count=Count("entries"))

    @admin.display(description=_("条目数"), ordering="entry_count")
    def entry_count(self, edition):
        return edition.entry_count


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "original_name",
        "uploaded_by",
        "organisation",
        "state",
        "total_rows",
        "valid_rows",
        "error_rows",
        "imported_count",
        "created_at",
    ]
    list_filter = ["state"]
    list_select_related = ["uploaded_by", "organisation"]
    search_fields = ["original_name", "sha256", "organisation__name"]
    date_hierarchy = "created_at"


@admin.register(Enquiry)
class EnquiryAdmin(ReadOnlyAdmin):
    list_display = [
        "subject",
        "company",
        "addressee",
        "scenario",
        "status",
        "due_date",
        "answered_at",
        "rating",
        "escalated_at",
    ]
    list_filter = ["status", "rating"]
    list_select_related = ["company", "addressee", "scenario"]
    search_fields = ["subject", "company__name", "addressee__name"]
    date_hierarchy = "created_at"


class AgendaItemInline(ReadOnlyInline):
    model = AgendaItem
    fields = ["position", "scenario", "entry", "publisher_attended", "company_attended", "outcome", "note"]
    select_related = ["scenario", "entry"]


@admin.register(MatchmakingEvent)
class MatchmakingEventAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "starts_at", "venue", "host"]
    list_filter = ["kind"]
    list_select_related = ["host"]
    search_fields = ["title", "venue", "host__name"]
    inlines = [AgendaItemInline]
