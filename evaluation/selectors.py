"""Every read of evaluation used by pages, the API and other apps, scoped to the user."""

import datetime
import zoneinfo
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

# === Frameworks (评价指标体系, computed indicator rules) ===


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


# === Typical cases (典型案例) and replications (复制推广) ===


def _published_result_prefetch():
    from evaluation.models import SubjectResult

    return Prefetch(
        "subject__results", queryset=SubjectResult.objects.filter(is_published=True), to_attr="published_results"
    )


def cases_public(*, level: str = "", year=None, domain=None) -> QuerySet:
    """Approved typical cases (the public list), newest decision first, filtered by the round's
    level and year and the scenario's (or the subject's) domain; each with its scenario, supplier,
    round and the number of verified replications."""
    from evaluation.choices import CaseStatus, ReplicationStatus
    from evaluation.models import TypicalCase

    cases = (
        TypicalCase.objects.filter(status=CaseStatus.APPROVED)
        .select_related("subject__round", "subject__scenario__domain__parent", "subject__domain__parent", "supplier")
        .annotate(
            verified_replications=Count(
                "replications", filter=Q(replications__status=ReplicationStatus.VERIFIED), distinct=True
            )
        )
        .order_by("-decided_at", "-id")
    )
    if level:
        cases = cases.filter(subject__round__level=level)
    if year:
        cases = cases.filter(subject__round__year=year)
    if domain:
        cases = cases.filter(Q(subject__scenario__domain=domain) | Q(subject__domain=domain))
    return cases


def cases_visible_to(user) -> QuerySet:
    """Operators: every case; a working user of a subject's organisation: that subject's cases
    in any status; everyone else (anonymous included): approved cases."""
    from evaluation.choices import CaseStatus
    from evaluation.models import TypicalCase
    from evaluation.permissions import WORKING_ROLES, may_decide_cases

    cases = TypicalCase.objects.select_related(
        "subject__round", "subject__scenario__publisher", "subject__domain", "supplier", "decided_by"
    ).prefetch_related("subject__subject_organisations__organisation", _published_result_prefetch())
    if may_decide_cases(user):
        return cases
    visible = Q(status=CaseStatus.APPROVED)
    if user.is_authenticated and user.organisation_id and any(user.has_role(role) for role in WORKING_ROLES):
        visible |= Q(subject__subject_organisations__organisation_id=user.organisation_id)
    return cases.filter(visible).distinct()


def case_queue() -> QuerySet:
    """Operators' decision queue: proposed and asked-for-more cases, oldest proposal first."""
    from evaluation.choices import CaseStatus
    from evaluation.models import TypicalCase

    return (
        TypicalCase.objects.filter(status__in=[CaseStatus.PROPOSED, CaseStatus.MORE_INFO])
        .select_related("subject__round", "subject__scenario", "supplier")
        .order_by("proposed_at", "id")
    )


def case_replications_verified(case) -> QuerySet:
    """The verified replications of a case as its public page lists them (adopter, kind, date)."""
    from evaluation.choices import ReplicationStatus

    return (
        case.replications.filter(status=ReplicationStatus.VERIFIED)
        .select_related("adopter", "scenario")
        .order_by("verified_at", "id")
    )


def replications_visible_to(user) -> QuerySet:
    """Operators: every replication; others: those their own organisation recorded as adopter."""
    from evaluation.models import Replication
    from evaluation.permissions import may_decide_cases

    replications = Replication.objects.select_related("case", "adopter", "scenario", "recorded_by", "verified_by")
    if may_decide_cases(user):
        return replications
    if not (user.is_authenticated and user.organisation_id):
        return replications.none()
    return replications.filter(adopter_id=user.organisation_id)


def replication_queue() -> QuerySet:
    """Operators' verification queue: pending replications, oldest first."""
    from evaluation.choices import ReplicationStatus
    from evaluation.models import Replication

    return (
        Replication.objects.filter(status=ReplicationStatus.PENDING)
        .select_related("case", "adopter", "scenario", "recorded_by")
        .order_by("recorded_at", "id")
    )


def replications_counted(*, year: int | None = None, district=None) -> QuerySet:
    """The replications that count towards the 十百千 "100 复制推广" target. 口径 (counting rule):

    1. only replications an operator has verified (status verified; pending and rejected ones do
       not count), of typical cases that are approved;
    2. one adopting organisation counts once per case: of several verified replications by the
       same adopter of the same case, only the first verified (earliest verified_at, then lowest
       id) is counted — two organisations adopting one case count twice, one organisation adopting
       two cases counts twice;
    3. the year is that of the counted replication's verified_at in Asia/Shanghai (1 January 00:00
       to 31 December 24:00 Beijing time);
    4. the district is the adopting organisation's district (accounts.Organisation.district).

    Returns the counted Replication rows themselves (so the number drills down to its records):
    `.count()` is the figure."""
    from evaluation.choices import CaseStatus, ReplicationStatus
    from evaluation.models import Replication

    verified = Replication.objects.filter(status=ReplicationStatus.VERIFIED, case__status=CaseStatus.APPROVED)
    earlier = verified.filter(case_id=OuterRef("case_id"), adopter_id=OuterRef("adopter_id")).filter(
        Q(verified_at__lt=OuterRef("verified_at")) | Q(verified_at=OuterRef("verified_at"), id__lt=OuterRef("id"))
    )
    counted = verified.filter(~Exists(earlier)).select_related("case", "adopter__district", "scenario")
    if year:
        shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
        start = datetime.datetime(int(year), 1, 1, tzinfo=shanghai)
        end = datetime.datetime(int(year) + 1, 1, 1, tzinfo=shanghai)
        counted = counted.filter(verified_at__gte=start, verified_at__lt=end)
    if district:
        counted = counted.filter(adopter__district_id=getattr(district, "pk", district))
    return counted.order_by("verified_at", "id")


# === Tolerance register (包容期 and 容错) ===


def tolerance_periods_visible_to(user) -> QuerySet:
    """Operators: every period; a publisher-role user: the periods of their organisation's
    scenarios; nobody else. Each with its scenario and publisher, and counts of open checkpoints,
    undecided incidents and pending extension requests."""
    from accounts.choices import Role
    from evaluation.choices import ExtensionStatus
    from evaluation.models import TolerancePeriod
    from evaluation.permissions import may_manage_tolerance

    periods = TolerancePeriod.objects.select_related("scenario__publisher").annotate(
        open_checkpoints=Count("checkpoints", filter=Q(checkpoints__done_on__isnull=True), distinct=True),
        undecided_incidents=Count("incidents", filter=Q(incidents__decision=""), distinct=True),
        pending_extensions=Count("extensions", filter=Q(extensions__status=ExtensionStatus.REQUESTED), distinct=True),
    )
    if may_manage_tolerance(user):
        return periods
    if user.is_authenticated and user.organisation_id and user.has_role(Role.PUBLISHER):
        return periods.filter(scenario__publisher_id=user.organisation_id)
    return periods.none()


def tolerance_register(user, *, status: str = "", ending_within_days: int | None = None) -> QuerySet:
    """The register list: the periods the user sees, filtered by status and by "ends within N days"
    (running periods only), soonest end first."""
    from evaluation.choices import ToleranceStatus

    periods = tolerance_periods_visible_to(user).order_by("ends_on", "id")
    if status:
        periods = periods.filter(status=status)
    if ending_within_days is not None:
        today = timezone.localdate()
        periods = periods.filter(
            status__in=[ToleranceStatus.ACTIVE, ToleranceStatus.EXTENDED],
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=ending_within_days),
        )
    return periods


def tolerance_period_detail(user, pk) -> "TolerancePeriod":  # noqa: F821
    """One period the user sees, with its checkpoints, incidents and extensions (404 otherwise)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        tolerance_periods_visible_to(user).prefetch_related(
            "checkpoints", "incidents__decided_by", "incidents__recorded_by", "extensions__requested_by"
        ),
        pk=pk,
    )


def incident_held_weight(incident) -> Decimal:
    """How much one incident is held against the subject — see incidents_held_against."""
    from evaluation.choices import ToleranceDecision, ToleranceStatus

    period = incident.period
    last_day = period.ended_on if period.status in (ToleranceStatus.ENDED, ToleranceStatus.ENDED_EARLY) else None
    inside = period.starts_on <= incident.occurred_on <= (last_day or period.ends_on)
    if incident.decision == ToleranceDecision.EXEMPT and inside:
        return Decimal("0")
    if incident.decision == ToleranceDecision.REDUCED:
        return Decimal("0.5")
    return Decimal("1")


def incidents_held_against(scenario_ids) -> QuerySet:
    """The incidents of the scenarios' tolerance periods that an evaluation holds against the
    subject, each annotated with `held_weight`. The rule (policy §四(二) 容错):

    - 免责 on an incident that occurred inside the period while it was running (starts_on to
      ends_on, or to ended_on once ended) → not held against the subject (weight 0, left out);
    - 减责 → counts half (weight 0.5);
    - 不予容错, and an incident not yet decided → counts fully (weight 1).

    `sum(incident.held_weight)` is what a process or red-line indicator reads."""
    from evaluation.choices import ToleranceDecision
    from evaluation.models import ToleranceIncident

    last_day = Coalesce("period__ended_on", "period__ends_on")
    exempt_inside = Q(
        decision=ToleranceDecision.EXEMPT, occurred_on__gte=F("period__starts_on"), occurred_on__lte=last_day
    )
    return (
        ToleranceIncident.objects.filter(period__scenario_id__in=list(scenario_ids))
        .exclude(exempt_inside)
        .annotate(
            held_weight=Case(
                When(decision=ToleranceDecision.REDUCED, then=Value(Decimal("0.5"))),
                default=Value(Decimal("1")),
                output_field=DecimalField(max_digits=3, decimal_places=1),
            )
        )
        .select_related("period__scenario")
        .order_by("occurred_on", "id")
    )
