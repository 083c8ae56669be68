"""The operators' evaluation hub.

Every read of evaluation used by pages, the API and other apps, scoped to the user."""

from django.db.models import (
    Count,
    Q,
)
from django.utils import timezone

from evaluation.choices import FindingStatus, RoundStatus
from evaluation.models import (
    EvaluationRound,
    Finding,
)


def operator_overview() -> dict:
    """The counts on the operators' 场景评估 page, each linking to the list it counts: five
    aggregate queries whatever the data."""
    from evaluation.models import Replication, ToleranceExtension, ToleranceIncident, TypicalCase

    today = timezone.localdate()
    rounds = EvaluationRound.objects.aggregate(
        preparing=Count("pk", filter=Q(status=RoundStatus.PREPARING)),
        self_assessment=Count("pk", filter=Q(status=RoundStatus.SELF_ASSESSMENT)),
        scoring=Count("pk", filter=Q(status=RoundStatus.SCORING)),
        closed=Count("pk", filter=Q(status=RoundStatus.CLOSED)),
    )
    findings = Finding.objects.aggregate(
        open=Count("pk", filter=Q(status=FindingStatus.OPEN)),
        in_progress=Count("pk", filter=Q(status=FindingStatus.IN_PROGRESS)),
        submitted=Count("pk", filter=Q(status=FindingStatus.SUBMITTED)),
        overdue=Count("pk", filter=Q(due_date__lt=today) & ~Q(status=FindingStatus.VERIFIED)),
    )
    cases = TypicalCase.objects.aggregate(
        proposed=Count("pk", filter=Q(status="proposed")),
        more_info=Count("pk", filter=Q(status="more_info")),
        approved=Count("pk", filter=Q(status="approved")),
    )
    replications = Replication.objects.aggregate(pending=Count("pk", filter=Q(status="pending")))
    tolerance = {
        "undecided_incidents": ToleranceIncident.objects.filter(decision="").count(),
        "extension_requests": ToleranceExtension.objects.filter(status="requested").count(),
    }
    return {"rounds": rounds, "findings": findings, "cases": cases, "replications": replications, **tolerance}
