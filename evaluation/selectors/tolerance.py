"""Tolerance register (包容期 and 容错).

Every read of evaluation used by pages, the API and other apps, scoped to the user."""

import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from evaluation.models import (
    Subject,
)


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


def tolerance_register(user, *, status: str = "", ending_within_days: int | None = None, waiting: str = "") -> QuerySet:
    """The register list: the periods the user sees, filtered by status, by "ends within N days"
    (running periods only) and by what waits on them (an incident to decide, an extension to
    approve), soonest end first."""
    from evaluation.choices import ToleranceStatus

    periods = tolerance_periods_visible_to(user).order_by("ends_on", "id")
    if status:
        periods = periods.filter(status=status)
    if waiting == "incidents":
        periods = periods.filter(undecided_incidents__gt=0)
    elif waiting == "extensions":
        periods = periods.filter(pending_extensions__gt=0)
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

    from evaluation.models import ToleranceExtension, ToleranceIncident

    return get_object_or_404(
        tolerance_periods_visible_to(user).prefetch_related(
            "checkpoints",
            Prefetch("incidents", ToleranceIncident.objects.select_related("decided_by", "recorded_by")),
            Prefetch("extensions", ToleranceExtension.objects.select_related("requested_by")),
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


def tolerance_for_subject(subject: Subject):
    """The tolerance period of the subject's scenario with its checkpoints, incidents and decisions
    (None when there is none): experts read it beside the process and red-line indicators, since
    an incident decided 免责 inside the period is not held against the subject."""
    if subject.scenario_id is None:
        return None
    from evaluation.models import TolerancePeriod

    return (
        TolerancePeriod.objects.filter(scenario_id=subject.scenario_id)
        .prefetch_related("checkpoints", "incidents")
        .first()
    )
