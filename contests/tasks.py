from celery import shared_task
from django.core.cache import cache
from django.db import transaction

from contests.models import Challenge
from contests.services import ranking_recompute
from contests.services.notices import rankings_announce_due
from contests.services.results import recompute_waiting_key


@shared_task(name="contests.ranking_recompute")
def ranking_recompute_task(challenge_id: int, trigger: str) -> int | None:
    """Recompute a challenge's ranking after a sheet is submitted or reopened (or a tie decided).
    Idempotent: each run adds a snapshot of the sheets as they are; a deleted challenge is skipped.
    Starting clears the challenge's waiting mark: a sheet submitted from now on queues another run."""
    cache.delete(recompute_waiting_key(challenge_id))
    challenge = Challenge.objects.select_related("contest").filter(pk=challenge_id).first()
    if challenge is None:
        return None
    return ranking_recompute(challenge, trigger=trigger).pk


@shared_task(name="contests.rankings_announce")
def rankings_announce_task() -> int:
    """Celery beat: 公示 opens by the calendar, with no one acting; tell each entrant its published
    rank once it has (idempotent: an entrant already told is not told again)."""
    with transaction.atomic():
        return rankings_announce_due()
