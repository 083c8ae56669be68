"""Thin Celery tasks of evaluation: take ids, load, call a service, stay idempotent."""

from celery import shared_task

# === Frameworks (评价指标体系, computed indicator rules) ===


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


@shared_task(name="evaluation.subject_result_recompute")
def subject_result_recompute_task(subject_id: int, trigger: str = "sheet_submitted") -> int | None:
    """Recompute a subject's result after a sheet is submitted or reopened. Idempotent: a new row
    only when the inputs changed; a deleted subject or a closed round is skipped."""
    from evaluation.models import Subject
    from evaluation.services.results import subject_result_compute

    subject = Subject.objects.select_related("round").filter(pk=subject_id).first()
    if subject is None or subject.round.is_closed:
        return None
    return subject_result_compute(subject=subject, trigger=trigger).pk


@shared_task(name="evaluation.findings_notify_overdue")
def findings_notify_overdue_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind overdue findings once per overdue spell."""
    from evaluation.services.findings import findings_notify_overdue

    return findings_notify_overdue()


# === Typical cases (典型案例) and replications (复制推广) ===


# === Tolerance register (包容期 and 容错) ===


@shared_task(name="evaluation.tolerance_reminders")
def tolerance_reminders() -> dict:
    """Daily: checkpoints due within 7 days, periods ending within 30 days; each reminded once."""
    from evaluation.services import tolerance_reminders_send

    return tolerance_reminders_send()
