"""steering tasks.py, one section per topic."""

# === Targets ===
from celery import shared_task  # noqa: E402


@shared_task(name="steering.targets_snapshot_daily")
def targets_snapshot_daily_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE, 01:10): store yesterday's 十百千 figures for the city and every
    district. Idempotent: running it again rewrites the same rows."""
    import datetime

    from django.utils import timezone

    from steering.services import targets_snapshot_take

    return targets_snapshot_take(day=timezone.localdate() - datetime.timedelta(days=1))


# === Programme tasks ===

# === SOE assessment ===

# === Cockpit ===

# === Reports ===
