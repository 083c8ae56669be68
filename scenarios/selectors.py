"""Every read of scenarios, scoped to the person asking and carrying its joins."""

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.choices import Role
from accounts.permissions import organisation_acted_for
from core.search import filter_contains_all
from scenarios.choices import PUBLIC_STATUSES, ScenarioStatus
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
from scenarios.permissions import INSTRUMENT_MANAGER_ROLE, can_view_scenario, is_operator

# Relevance of a keyword by where it occurs: in the title it says what the scenario is.
TITLE_WEIGHT, NEEDS_WEIGHT, TEXT_WEIGHT = 10, 4, 1
MAX_SEARCH_TERMS = 5


def _with_joins(queryset: QuerySet[Scenario]) -> QuerySet[Scenario]:
    return queryset.select_related("publisher", "domain", "domain__parent", "district").prefetch_related(
        Prefetch("need_items", queryset=NeedItem.objects.only("id", "scenario_id", "name", "sort_order"))
    )


def scenarios_visible_to(user) -> QuerySet[Scenario]:
    """Published scenarios for everyone; plus every scenario for operators; plus, for a publisher,
    its own organisation's (scenarios.permissions.can_view_scenario)."""
    condition = Q(status__in=PUBLIC_STATUSES)
    if is_operator(user):
        return Scenario.objects.all()
    publisher = organisation_acted_for(user, Role.PUBLISHER)
    if publisher is not None:
        condition |= Q(publisher_id=publisher)
    return Scenario.objects.filter(condition)


def scenario_for(user, pk) -> Scenario:
    """Fetch and authorise in one call: a scenario the person may not see is simply not found.

    Joined: what every page of a scenario shows. The zone and the scenario it replicates, which few
    have, are read when the page shows them (no query when unset): PostgreSQL took longer to plan the
    join of eight tables than to run it — 2.5–8 ms against 0.3, on every request (issue #20). Read
    with get(), which orders nothing: first() ordered the one row by the model's ordering, which
    cost about 1 ms a request to compile and plan."""
    try:
        scenario = Scenario.objects.select_related("publisher", "domain", "domain__parent", "district").get(pk=pk)
    except Scenario.DoesNotExist:
        raise Http404 from None
    if not can_view_scenario(user, scenario):
        raise Http404
    return scenario


def search_terms(query: str) -> list[str]:
    return [term for term in (query or "").split() if term][:MAX_SEARCH_TERMS]


def apply_keyword_search(queryset: QuerySet[Scenario], query: str) -> QuerySet[Scenario]:
    """Every term must occur (in title, needs, description or publisher); rank title hits first.

    Chinese has no spaces between words, so a substring match is the right unit: "停车" finds
    "智慧停车管理系统". The matching engine (matching/engine/) does the word-level relevance.
    """
    terms = search_terms(query)
    if not terms:
        return queryset
    score = Value(0, output_field=IntegerField())
    queryset = filter_contains_all(queryset, terms)  # search_text is stored folded (core.search)
    for term in terms:
        score = score + Case(When(title__icontains=term, then=Value(TITLE_WEIGHT)), default=Value(0))
        score = score + Case(When(needs_text__icontains=term, then=Value(NEEDS_WEIGHT)), default=Value(0))
        score = score + Value(TEXT_WEIGHT)
    return queryset.annotate(relevance=score)


# Long texts a list never shows: not fetched for list rows.
LIST_DEFERRED = ("search_text", "needs_text", "need_description")


# The catalogue's pages as visitors see them are kept in the cache (core.page_cache) until one of
# the models they show changes: the scenarios, their needs, the publishers' names, and the domains,
# districts and zones of the rows and of the filters.
CATALOGUE_PAGES = "scenarios.catalogue"
CATALOGUE_SHOWS = (
    "scenarios.Scenario",
    "scenarios.NeedItem",
    "scenarios.Domain",
    "scenarios.DemonstrationZone",
    "accounts.District",
    "accounts.Organisation",
)


# A scenario's page as visitors see it, likewise: the scenario and what it joins, its needs and
# attachments; the apps that add to the page (scenarios.extensions) add the models they read.
SCENARIO_PAGES = "scenarios.detail"
# The operators' review queue: its filters, rows and pagination are the same for every operator,
# rendered once per address and stored until a scenario, publisher, domain or district changes.
REVIEW_QUEUE_PAGES = "scenarios.review-queue"
REVIEW_QUEUE_SHOWS = ("scenarios.Scenario", "scenarios.Domain", "accounts.District", "accounts.Organisation")

SCENARIO_PAGE_SHOWS = (
    "scenarios.Scenario",
    "scenarios.NeedItem",
    "scenarios.ScenarioAttachment",
    "scenarios.Domain",
    "scenarios.DemonstrationZone",
    "accounts.District",
    "accounts.Organisation",
)


def catalogue(user=None) -> QuerySet[Scenario]:
    """The public catalogue: published scenarios (operators see the same list as everyone here)."""
    return _with_joins(Scenario.objects.filter(status__in=PUBLIC_STATUSES)).defer(*LIST_DEFERRED)


def organisation_scenarios(user, status: str | None = None) -> QuerySet[Scenario]:
    """The publisher's organisation's own scenarios in every state (or in one), latest change first
    (nothing for anyone without the publisher role)."""
    publisher = organisation_acted_for(user, Role.PUBLISHER)
    if publisher is None:
        return Scenario.objects.none()
    scenarios = _with_joins(Scenario.objects.filter(publisher_id=publisher)).order_by("-updated_at")
    return scenarios.filter(status=status) if status else scenarios


def export_rows(queryset: QuerySet[Scenario]) -> QuerySet[Scenario]:
    """A catalogue list made ready for the Excel sheet: the joins its columns show, no prefetch."""
    return queryset.prefetch_related(None).select_related("publisher", "domain", "domain__parent", "district")


# What waits for an operator: submitted (to approve) and approved (to publish).
REVIEW_STATUSES = [ScenarioStatus.SUBMITTED, ScenarioStatus.APPROVED]


def review_queue() -> QuerySet[Scenario]:
    return _with_joins(Scenario.objects.filter(status__in=REVIEW_STATUSES)).order_by("submitted_at", "id")


def review_queue_page() -> QuerySet[Scenario]:
    """review_queue as its page lists it: the publisher is the only other table it shows (the need
    items, domain and district were read for every row and never shown, issue #20)."""
    return (
        Scenario.objects.filter(status__in=REVIEW_STATUSES).select_related("publisher").order_by("submitted_at", "id")
    )


def scenarios_for_api(user) -> QuerySet[Scenario]:
    return _with_joins(scenarios_visible_to(user))


def domains_all() -> QuerySet[Domain]:
    return Domain.objects.select_related("parent")


def zones_all() -> QuerySet[DemonstrationZone]:
    return DemonstrationZone.objects.select_related("district")


def instruments_all() -> QuerySet[LabInstrument]:
    return LabInstrument.objects.select_related("institute")


def instruments_open() -> QuerySet[LabInstrument]:
    return instruments_all().filter(is_open=True)


def replication_candidates() -> QuerySet[Scenario]:
    return Scenario.objects.filter(
        status__in=[ScenarioStatus.DEMONSTRATED, ScenarioStatus.CLOSED, ScenarioStatus.IN_IMPLEMENTATION]
    ).only("id", "title")


def need_items_of(scenario: Scenario) -> QuerySet[NeedItem]:
    return scenario.need_items.all()


def need_items_initial(scenario: Scenario | None) -> list[dict]:
    """The editor's rows: name and detail of each need item, in order (none for a new scenario)."""
    return list(scenario.need_items.values("name", "detail")) if scenario else []


def attachments_of(scenario: Scenario) -> QuerySet[ScenarioAttachment]:
    return scenario.attachments.all()


def attachment_of(scenario: Scenario, pk) -> ScenarioAttachment:
    """One attachment of this scenario (404 for another scenario's)."""
    return get_object_or_404(ScenarioAttachment, pk=pk, scenario=scenario)


def timeline_of(scenario: Scenario) -> QuerySet[ScenarioStatusChange]:
    """The workflow steps taken, with who took them."""
    return scenario.status_changes.select_related("actor")


def instrument_requests_of(scenario: Scenario) -> QuerySet[InstrumentRequest]:
    return scenario.instrument_requests.select_related("instrument__institute")


def instrument_request_of(scenario: Scenario, pk) -> InstrumentRequest:
    """One instrument request of this scenario (404 for another scenario's)."""
    return get_object_or_404(InstrumentRequest, pk=pk, scenario=scenario)


def publisher_scenario_counts(organisation_id) -> dict:
    """{drafts, waiting, published} of an organisation's scenarios, for the publisher's home panel."""
    return Scenario.objects.filter(publisher_id=organisation_id).aggregate(
        drafts=Count("id", filter=Q(status=ScenarioStatus.DRAFT)),
        waiting=Count("id", filter=Q(status__in=REVIEW_STATUSES)),
        published=Count("id", filter=Q(status__in=PUBLIC_STATUSES)),
    )


def review_waiting_count() -> int:
    return Scenario.objects.filter(status__in=REVIEW_STATUSES).count()


def instrument_requests_answerable_by(user, scenario) -> list:
    """Open requests on this scenario for instruments of the person's institute (all, for operators;
    at the institute, for the role that manages its instruments)."""
    institute = organisation_acted_for(user, INSTRUMENT_MANAGER_ROLE)
    if not (is_operator(user) or institute is not None):
        return []
    requests = scenario.instrument_requests.filter(status="requested").select_related(
        "instrument__institute", "requested_by"
    )
    if not is_operator(user):
        requests = requests.filter(instrument__institute_id=institute)
    return list(requests)
