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
from celery import shared_task  # noqa: E402


@shared_task(name="steering.cycle_open_monthly")
def cycle_open_monthly_task() -> int:
    """On the 1st (CELERY_BEAT_SCHEDULE): open the month's reporting cycle. Idempotent."""
    from steering.services.programme import cycle_open_monthly

    cycle, _created = cycle_open_monthly()
    return cycle.pk


@shared_task(name="steering.lamps_refresh")
def lamps_refresh_task() -> int:
    """Hourly: apply the lamp rules to the reports of open cycles (an unfiled report past its due
    date is red within the hour). Returns how many lamps changed."""
    from steering.services.programme import lamps_refresh

    return lamps_refresh()


@shared_task(name="steering.report_reminders")
def report_reminders_task() -> int:
    """Daily: remind units before and after the due date, at most once a day per report."""
    from steering.services.programme import reminders_send

    return reminders_send()


# === SOE assessment ===

# === Cockpit ===

# === Reports ===
