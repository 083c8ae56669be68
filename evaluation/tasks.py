"""Thin Celery tasks of evaluation: take ids, load, call a service, stay idempotent."""

from celery import shared_task

# === Frameworks (评价指标体系, computed indicator rules) ===


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


# === Typical cases (典型案例) and replications (复制推广) ===


# === Tolerance register (包容期 and 容错) ===


@shared_task(name="evaluation.tolerance_reminders")
def tolerance_reminders() -> dict:
    """Daily: checkpoints due within 7 days, periods ending within 30 days; each reminded once."""
    from evaluation.services import tolerance_reminders_send

    return tolerance_reminders_send()
