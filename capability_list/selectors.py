"""Every read of the capability list, scoped to the person and carrying its joins."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from accounts.models import Organisation
from accounts.permissions import organisation_acted_for
from capability_list.choices import OPEN_CHANGE_STATUSES, ChangeStatus, EnquiryStatus, EntryStatus
from capability_list.entry_diff import FieldDiff, entry_diff
from capability_list.models import (
    AgendaItem,
    CapabilityEntry,
    CapabilityEntryRevision,
    Credential,
    CredentialEvidence,
    Edition,
    Enquiry,
    ImportBatch,
    Industry,
    MatchmakingEvent,
    StrategicArea,
)
from capability_list.permissions import (
    ENQUIRY_ROLES,
    can_see_evidence,
    can_view_entry,
    is_operator,
)


def _with_joins(queryset: QuerySet[CapabilityEntry]) -> QuerySet[CapabilityEntry]:
    return queryset.select_related(
        "company", "company__district", "industry", "industry__section", "strategic_area", "submitted_via"
    ).prefetch_related(Prefetch("credentials", queryset=Credential.objects.order_by("kind", "-year")))


# The published list as the API answers it is kept in the cache (core.api.cached_lists) until one of
# the models it shows changes: the entries, their credentials, the companies and associations, and
# the industries, areas and districts of the rows and filters.
LISTED_ENTRIES = "capability_list.listed"
LISTED_ENTRIES_SHOW = (
    "capability_list.CapabilityEntry",
    "capability_list.Credential",
    "capability_list.Industry",
    "capability_list.StrategicArea",
    "accounts.Organisation",
    "accounts.District",
)


# The operators' review queue: its filters, rows, pagination and changes are the same for every
# operator, rendered once per address and stored until anything they show changes (a bulk write
# outside a signalled save's transaction calls pages_changed(REVIEW_QUEUE_PAGES)).
REVIEW_QUEUE_PAGES = "capability_list.review-queue"
REVIEW_QUEUE_SHOWS = (
    "capability_list.CapabilityEntry",
    "capability_list.Credential",
    "capability_list.CredentialEvidence",
    "capability_list.CapabilityEntryRevision",
    "capability_list.Industry",
    "capability_list.StrategicArea",
    "accounts.Organisation",
    "accounts.District",
    "accounts.User",  # the name of who made a change
)


def listed_entries() -> QuerySet[CapabilityEntry]:
    """The published list: entries an operator has listed."""
    return _with_joins(CapabilityEntry.objects.filter(status=EntryStatus.LISTED)).defer("search_text")


def _managed_condition(user) -> Q | None:
    """The entries the person manages (capability_list.permissions.can_manage_entry): the company
    role's own company's, the association role's filed ones; None when neither."""
    condition = None
    company = organisation_acted_for(user, Role.COMPANY)
    if company is not None:
        condition = Q(company_id=company)
    association = organisation_acted_for(user, Role.ASSOCIATION)
    if association is not None:
        condition = (
            Q(submitted_via_id=association) if condition is None else condition | Q(submitted_via_id=association)
        )
    return condition


def entries_managed_by(user) -> QuerySet[CapabilityEntry]:
    """A company's own entries, or those an association filed; everything for operators."""
    if is_operator(user):
        return _with_joins(CapabilityEntry.objects.all())
    condition = _managed_condition(user)
    if condition is None:
        return CapabilityEntry.objects.none()
    return _with_joins(CapabilityEntry.objects.filter(condition))


def _with_api_joins(queryset: QuerySet[CapabilityEntry]) -> QuerySet[CapabilityEntry]:
    """What the API shows of an entry: the pages' joins but the company's district and the industry's
    section, which it does not show — PostgreSQL plans the join of seven tables in 2–5 ms, twice as
    long as five, on every request (issue #20)."""
    return queryset.select_related("company", "industry", "strategic_area", "submitted_via").prefetch_related(
        Prefetch("credentials", queryset=Credential.objects.order_by("kind", "-year"))
    )


def entries_visible_to(user) -> QuerySet[CapabilityEntry]:
    """Listed entries for everyone; plus those the person manages; everything for operators (the API)."""
    if is_operator(user):
        return _with_api_joins(CapabilityEntry.objects.all())
    condition = Q(status=EntryStatus.LISTED)
    managed = _managed_condition(user)
    if managed is not None:
        condition |= managed
    return _with_api_joins(CapabilityEntry.objects.filter(condition))


def entry_for(user, pk) -> CapabilityEntry:
    """Fetch and authorise in one call; an entry the person may not see is not found."""
    entry = _with_joins(CapabilityEntry.objects.filter(pk=pk)).first()
    if entry is None or not can_view_entry(user, entry):
        raise Http404
    return entry


def review_queue() -> QuerySet[CapabilityEntry]:
    """New entries awaiting review, with their credentials' evidence files."""
    return (
        _with_joins(CapabilityEntry.objects.filter(status=EntryStatus.SUBMITTED))
        .prefetch_related("evidence")
        .order_by("updated_at", "id")
    )


def review_queue_page() -> QuerySet[CapabilityEntry]:
    """review_queue as its page lists it: only the joins the page shows (the company and its district,
    the association, the industry). PostgreSQL spent ~10 ms planning the seven-table join of
    review_queue to run it in 1 ms, on every visit (issue #20)."""
    return (
        CapabilityEntry.objects.filter(status=EntryStatus.SUBMITTED)
        .select_related("company", "company__district", "industry", "submitted_via")
        .prefetch_related(Prefetch("credentials", queryset=Credential.objects.order_by("kind", "-year")), "evidence")
        .order_by("updated_at", "id")
    )


def open_change_of(entry: CapabilityEntry) -> CapabilityEntryRevision | None:
    """The entry's change in progress (未提交 / 待审核 / 已退回), if any."""
    return entry.revisions.filter(status__in=OPEN_CHANGE_STATUSES).select_related("created_by").first()


def changes_awaiting_review() -> QuerySet[CapabilityEntryRevision]:
    """Changes to listed entries that operators have to decide, oldest first."""
    return (
        CapabilityEntryRevision.objects.filter(status=ChangeStatus.SUBMITTED)
        .select_related("entry", "entry__company", "created_by")
        .order_by("submitted_at", "id")
    )


def change_for_review(user, pk) -> CapabilityEntryRevision:
    """A change as an operator reviews it (404 for anyone else)."""
    if not is_operator(user):
        raise Http404
    change = CapabilityEntryRevision.objects.select_related("entry", "created_by", "reviewed_by").filter(pk=pk).first()
    if change is None:
        raise Http404
    change.entry = _with_joins(CapabilityEntry.objects.filter(pk=change.entry_id)).get()
    return change


def change_diff(entry: CapabilityEntry, change: CapabilityEntryRevision) -> list[FieldDiff]:
    """The listed version against the change, field by field (two queries: the names of the
    industries and 战新 areas either side refers to)."""
    from capability_list.services import listed_credentials, listed_values

    listed = listed_values(entry)
    industries = {listed["industry"], change.data.get("industry")} - {None}
    areas = {listed["strategic_area"], change.data.get("strategic_area")} - {None}
    names = {
        ("industry", industry.pk): f"{industry.code} {industry.name}"
        for industry in Industry.objects.filter(pk__in=industries)
    }
    names.update({("strategic_area", area.pk): area.name for area in StrategicArea.objects.filter(pk__in=areas)})
    return entry_diff(
        listed=listed,
        proposed=change.data,
        listed_credentials=listed_credentials(entry),
        proposed_credentials=change.credentials,
        names=names,
    )


def evidence_of(entry: CapabilityEntry) -> QuerySet[CredentialEvidence]:
    return entry.evidence.select_related("uploaded_by")


def evidence_for(user, pk) -> CredentialEvidence:
    """One evidence file, for the entry's managers and operators only (404 for anyone else)."""
    evidence = CredentialEvidence.objects.select_related("entry", "entry__company").filter(pk=pk).first()
    if evidence is None or not can_see_evidence(user, evidence.entry):
        raise Http404
    return evidence


def credentials_initial(entry: CapabilityEntry | None) -> list[dict]:
    """The editor's credential rows (none for a new entry)."""
    if entry is None:
        return []
    return [
        {"kind": c.kind, "certificate_number": c.certificate_number, "level": c.level, "year": c.year}
        for c in entry.credentials.all()
    ]


def entries_awaiting_edition() -> QuerySet[CapabilityEntry]:
    """Listed entries that no edition has published yet."""
    return CapabilityEntry.objects.filter(status=EntryStatus.LISTED, editions__isnull=True)


def editions_published() -> QuerySet[Edition]:
    return Edition.objects.filter(state=Edition.State.PUBLISHED).annotate(entry_count=Count("entries"))


def editions_building() -> QuerySet[Edition]:
    """Editions whose workbook is being built (or failed), with their jobs: operators follow them."""
    return Edition.objects.exclude(state=Edition.State.PUBLISHED).select_related("job")


def edition_published(pk) -> Edition:
    return get_object_or_404(Edition, pk=pk, state=Edition.State.PUBLISHED)


def import_batches_of(user) -> QuerySet[ImportBatch]:
    """The files the person uploaded (nobody else's)."""
    return ImportBatch.objects.filter(uploaded_by=user)


def import_batch_for(user, pk) -> ImportBatch:
    return get_object_or_404(import_batches_of(user), pk=pk)


def enquiries_visible_to(user) -> QuerySet[Enquiry]:
    """Asked by one's organisation, or addressed to it, for its enquiry role
    (capability_list.permissions.ENQUIRY_ROLES); all for operators."""
    queryset = Enquiry.objects.select_related("company", "addressee", "scenario", "asked_by")
    if is_operator(user):
        return queryset
    organisation = organisation_acted_for(user, *ENQUIRY_ROLES)
    if organisation is None:
        return queryset.none()
    return queryset.filter(Q(company_id=organisation) | Q(addressee_id=organisation))


def enquiries_in_box(user, box: str) -> QuerySet[Enquiry]:
    """One box of the enquiries page: asked (by one's company), received, overdue, or all."""
    queryset = enquiries_visible_to(user)
    if box == "asked":
        return queryset.filter(company_id=user.organisation_id)
    if box == "received":
        return queryset.filter(addressee_id=user.organisation_id)
    if box == "overdue":
        return queryset.filter(status=EnquiryStatus.OPEN, due_date__lt=timezone.localdate())
    return queryset


def government_department(pk) -> Organisation:
    """A government department an enquiry may be addressed to (404 for anything else)."""
    return get_object_or_404(Organisation, pk=pk, kind=OrganisationKind.GOVERNMENT)


def events_visible_to(user) -> QuerySet[MatchmakingEvent]:
    """Operators see all events; a participant the events where its organisation is on the agenda:
    a publisher for its scenarios, a company user for its entries."""
    queryset = MatchmakingEvent.objects.select_related("host")
    if is_operator(user):
        return queryset
    publisher = organisation_acted_for(user, Role.PUBLISHER)
    company = organisation_acted_for(user, Role.COMPANY)
    if publisher is None and company is None:
        return queryset.none()
    condition = Q(pk__in=[])
    if publisher is not None:
        condition |= Q(agenda__scenario__publisher_id=publisher)
    if company is not None:
        condition |= Q(agenda__entry__company_id=company)
    return queryset.filter(condition).distinct()


def events_listed_for(user) -> QuerySet[MatchmakingEvent]:
    """The events page: the events the person sees, each with its number of pairs."""
    return events_visible_to(user).annotate(pairs=Count("agenda", distinct=True))


def events_upcoming() -> QuerySet[MatchmakingEvent]:
    return MatchmakingEvent.objects.filter(starts_at__gte=timezone.now()).order_by("starts_at")


def agenda_of(event: MatchmakingEvent) -> QuerySet[AgendaItem]:
    return event.agenda.select_related("scenario", "scenario__publisher", "entry", "entry__company")


def agenda_item_of(event: MatchmakingEvent, pk) -> AgendaItem:
    """One pair on this event's agenda (404 for another event's)."""
    return get_object_or_404(AgendaItem, pk=pk, event=event)


def industries_all() -> QuerySet[Industry]:
    return Industry.objects.select_related("section")


def industry_divisions() -> QuerySet[Industry]:
    return Industry.objects.filter(section__isnull=False).select_related("section")


def industry_sections() -> QuerySet[Industry]:
    return Industry.objects.filter(section__isnull=True)


def strategic_areas() -> QuerySet[StrategicArea]:
    return StrategicArea.objects.all()
