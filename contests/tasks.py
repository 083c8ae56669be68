from celery import shared_task

from contests.models import Challenge
from contests.services import ranking_recompute


@shared_task(name="contests.ranking_recompute")
def ranking_recompute_task(challenge_id: int, trigger: str) -> int | None:
    """Recompute a challenge's ranking after a sheet is submitted or reopened (or a tie decided).
    Idempotent: each run adds a snapshot of the sheets as they are; a deleted challenge is skipped."""
    challenge = Challenge.objects.select_related("contest").filter(pk=challenge_id).first()
    if challenge is None:
        return None
    return ranking_recompute(challenge, trigger=trigger).pk
