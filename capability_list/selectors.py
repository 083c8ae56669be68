"""Every read of the capability list, scoped to the person and carrying its joins."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from capability_list.choices import EntryStatus
from capability_list.models import CapabilityEntry, Credential, Industry, StrategicArea
from capability_list.permissions import can_view_entry, is_association_member, is_operator


def _with_joins(queryset: QuerySet[CapabilityEntry]) -> QuerySet[CapabilityEntry]:
    return queryset.select_related("company", "company__district", "industry", "industry__section", "strategic_area", "submitted_via").prefetch_related(
        Prefetch("credentials", queryset=Credential.objects.order_by("kind", "-year"))
    )


def listed_entries() -> QuerySet[CapabilityEntry]:
    """The published list: entries an operator has listed."""
    return _with_joins(CapabilityEntry.objects.filter(status=EntryStatus.LISTED)).defer("search_text")


def entries_managed_by(user) -> QuerySet[CapabilityEntry]:
    """A company's own entries, or those an association filed; everything for operators."""
    if is_operator(user):
        return _with_joins(CapabilityEntry.objects.all())
    if not (user.is_authenticated and user.organisation_id):
        return CapabilityEntry.objects.none()
    condition = Q(company_id=user.organisation_id)
    if is_association_member(user):
        condition |= Q(submitted_via_id=user.organisation_id)
    return _with_joins(CapabilityEntry.objects.filter(condition))


def entries_visible_to(user) -> QuerySet[CapabilityEntry]:
    condition = Q(status=EntryStatus.LISTED)
    if is_operator(user):
        return _with_joins(CapabilityEntry.objects.all())
    if user.is_authenticated and user.organisation_id:
        condition |= Q(company_id=user.organisation_id)
        if is_association_member(user):
            condition |= Q(submitted_via_id=user.organisation_id)
    return _with_joins(CapabilityEntry.objects.filter(condition))


def entry_for(user, pk) -> CapabilityEntry:
    """Fetch and authorise in one call; an entry the person may not see is not found."""
    entry = _with_joins(CapabilityEntry.objects.filter(pk=pk)).first()
    if entry is None or not can_view_entry(user, entry):
        raise Http404
    return entry


def review_queue() -> QuerySet[CapabilityEntry]:
    return _with_joins(CapabilityEntry.objects.filter(status=EntryStatus.SUBMITTED)).order_by("updated_at", "id")


def industry_divisions() -> QuerySet[Industry]:
    return Industry.objects.filter(section__isnull=False).select_related("section")


def industry_sections() -> QuerySet[Industry]:
    return Industry.objects.filter(section__isnull=True)


def strategic_areas() -> QuerySet[StrategicArea]:
    return StrategicArea.objects.all()
