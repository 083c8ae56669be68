"""What scenarios adds to the publisher's and the operator's home pages."""

from django.db.models import Count, Q

from scenarios.choices import PUBLIC_STATUSES, ScenarioStatus
from scenarios.models import Scenario

WAITING = [ScenarioStatus.SUBMITTED, ScenarioStatus.APPROVED]


def publisher_panel(request) -> dict:
    return Scenario.objects.filter(publisher_id=request.user.organisation_id).aggregate(
        drafts=Count("id", filter=Q(status=ScenarioStatus.DRAFT)),
        waiting=Count("id", filter=Q(status__in=WAITING)),
        published=Count("id", filter=Q(status__in=PUBLIC_STATUSES)),
    )


def operator_panel(request) -> dict:
    return {"waiting": Scenario.objects.filter(status__in=WAITING).count()}
