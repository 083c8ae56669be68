"""Working-day counts at both ends (capability_list.working_days): the start never counts, the
end always does, weekends and holidays are skipped and make-up days (调休) count."""

from datetime import date, timedelta

import pytest

from capability_list.working_days import add_working_days, is_working_day, working_days_between

MONDAY = date(2026, 3, 2)
NO_OVERRIDES: dict = {}


def test_friday_is_a_working_day_and_saturday_is_not():
    """Rule: Monday to Friday work, the weekend does not."""
    assert is_working_day(date(2026, 3, 6), NO_OVERRIDES) is True
    assert is_working_day(date(2026, 3, 7), NO_OVERRIDES) is False
    assert is_working_day(date(2026, 3, 8), NO_OVERRIDES) is False


def test_a_recorded_holiday_and_a_make_up_day_override_the_weekday():
    """Rule: the Holiday records decide: a weekday holiday is off, a weekend make-up day works."""
    assert is_working_day(MONDAY, {MONDAY: False}) is False
    assert is_working_day(date(2026, 3, 7), {date(2026, 3, 7): True}) is True


def test_adding_working_days_starts_counting_the_day_after():
    """Rule: `days` working days after start; start itself never counts; 0 days is the start."""
    assert add_working_days(MONDAY, 0, NO_OVERRIDES) == MONDAY
    assert add_working_days(MONDAY, 1, NO_OVERRIDES) == date(2026, 3, 3)
    assert add_working_days(MONDAY, 4, NO_OVERRIDES) == date(2026, 3, 6)
    assert add_working_days(MONDAY, 5, NO_OVERRIDES) == date(2026, 3, 9)  # over the weekend


def test_adding_working_days_skips_a_holiday_and_counts_a_make_up_day():
    """Rule: holidays skipped, make-up days counted, when adding."""
    assert add_working_days(MONDAY, 1, {date(2026, 3, 3): False}) == date(2026, 3, 4)
    assert add_working_days(date(2026, 3, 6), 1, {date(2026, 3, 7): True}) == date(2026, 3, 7)


def test_working_days_between_counts_the_end_and_not_the_start():
    """Rule: working days after start up to and including end; 0 when end is not after start."""
    assert working_days_between(MONDAY, MONDAY, NO_OVERRIDES) == 0
    assert working_days_between(MONDAY, date(2026, 3, 1), NO_OVERRIDES) == 0
    assert working_days_between(MONDAY, date(2026, 3, 3), NO_OVERRIDES) == 1
    assert working_days_between(date(2026, 3, 1), MONDAY, NO_OVERRIDES) == 1  # Sunday → Monday
    assert working_days_between(MONDAY, date(2026, 3, 9), NO_OVERRIDES) == 5
    assert working_days_between(MONDAY, date(2026, 3, 9), {date(2026, 3, 4): False}) == 4


@pytest.mark.django_db
def test_holidays_recorded_far_ahead_are_read_for_a_long_span():
    """Rule: without overrides given, the recorded holidays over the whole span are read — a
    holiday near the end of sixty working days still moves the deadline."""
    from capability_list.models import Holiday

    plain = add_working_days(MONDAY, 60)
    Holiday.objects.create(
        date=plain - timedelta(days=1) if plain.weekday() > 0 else plain - timedelta(days=3),
        is_working_day=False,
        name="测试假日",
    )
    assert add_working_days(MONDAY, 60) > plain
    assert working_days_between(MONDAY, plain) == 59
