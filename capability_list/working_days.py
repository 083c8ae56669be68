"""Deadlines in working days: weekends and public holidays skipped, make-up working days (调休) counted."""

from datetime import date, timedelta


def calendar_overrides(start: date, end: date) -> dict[date, bool]:
    """{date: is_working_day} for the recorded holidays and make-up days in a range."""
    from capability_list.models import Holiday

    return dict(Holiday.objects.filter(date__range=(start, end)).values_list("date", "is_working_day"))


def is_working_day(day: date, overrides: dict[date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5


def add_working_days(start: date, days: int, overrides: dict[date, bool] | None = None) -> date:
    """The date `days` working days after `start` (start itself does not count)."""
    if overrides is None:
        overrides = calendar_overrides(start, start + timedelta(days=days * 3 + 30))
    current, remaining = start, days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, overrides):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, overrides: dict[date, bool] | None = None) -> int:
    """How many working days after `start` up to and including `end` (0 if end <= start)."""
    if end <= start:
        return 0
    if overrides is None:
        overrides = calendar_overrides(start, end)
    return sum(
        1 for offset in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=offset), overrides)
    )
