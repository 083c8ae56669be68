"""Reads for the operators' contest pages: a contest's schedule changes and the 资格审查 queue."""

from datetime import datetime

from django.db.models import QuerySet

from contests.choices import ROUND_ORDER, EntryStatus, Round
from contests.models import Contest, ContestEntry
from core.models import AuditRecord


def _moment(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def schedule_history(contest: Contest) -> list[dict]:
    """Each contest.reschedule audit record, newest first: when, who, why, and each round whose start
    moved (label, old, new). One query."""
    records = AuditRecord.objects.filter(
        action="contest.reschedule", object_type=Contest._meta.label_lower, object_id=str(contest.pk)
    ).order_by("-created_at", "-id")
    history = []
    for record in records:
        before = (record.before or {}).get("rounds", {})
        after = (record.after or {}).get("rounds", {})
        moves = [
            {"label": Round(name).label, "old": _moment(before.get(name)), "new": _moment(after.get(name))}
            for name in ROUND_ORDER
            if before.get(name) != after.get(name)
        ]
        history.append({"at": record.created_at, "who": record.actor_label, "reason": record.reason, "moves": moves})
    return history


def rounds_table(contest: Contest) -> list[dict]:
    """The seven rounds with their start, end, and which one is in force."""
    current = contest.current_round()
    return [
        {
            "value": value,
            "label": label,
            "start": contest.round_start(value),
            "end": contest.round_end(value),
            "current": value == current,
            "begun": contest.is_at_or_after(value),
        }
        for value, label in Round.choices
    ]


def eligibility_queue() -> QuerySet[ContestEntry]:
    """Every entry that has reached 资格审查 (submitted, or already decided) for operators, oldest
    submission first, with its challenge, contest, scenario and lead (no query per row)."""
    return (
        ContestEntry.objects.exclude(status__in=[EntryStatus.DRAFT, EntryStatus.WITHDRAWN])
        .select_related("challenge__contest", "challenge__scenario", "lead__district")
        .order_by("submitted_at", "id")
    )


def eligibility_waiting_count() -> int:
    """Submitted entries no operator has decided on yet (the queue's default view)."""
    return ContestEntry.objects.filter(status=EntryStatus.SUBMITTED).count()
