"""A clock for the demo's history: the steps of a past month happen on their own days.

The demo writes through the services, which stamp every step with `timezone.now()` (submitted_at,
decided_at, audit records, auto_now_add fields). To show a history of several months, `on_day(date)`
(or `at(moment)`) sets that clock to the given day or moment while the steps of that day run,
through the same services and rules as on the real day; each call to now() moves on by a second so
that steps keep their order. Nothing outside `seed_demo` uses it, and it never runs ahead of the
real clock: the demo's history cannot happen in the future.
"""

import datetime
import itertools
import zoneinfo
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@contextmanager
def at(moment: datetime.datetime):
    """timezone.now() reads `moment` (then a second later at each call) while the block runs."""
    real_now = timezone.now()
    if moment > real_now:
        raise ValueError(f"the demo's history cannot happen in the future: {moment}")
    ticks = itertools.count()
    with mock.patch.object(timezone, "now", lambda: moment + datetime.timedelta(seconds=next(ticks))):
        yield


@contextmanager
def on_day(day: datetime.date, hour: int = 10):
    if day > timezone.localdate():
        raise ValueError(f"the demo's history cannot happen in the future: {day}")
    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)
    ticks = itertools.count()
    with mock.patch.object(timezone, "now", lambda: start + datetime.timedelta(seconds=next(ticks))):
        yield


# How long before the first contest opens the programme's participants had registered.
REGISTERED_BEFORE_FIRST_CONTEST = datetime.timedelta(days=60)


def programme_start(now: datetime.datetime) -> datetime.datetime:
    """When the demo's history begins: the organisations and people register then, two months
    before the first contest's 发榜 opens (demo.contests.schedule), so everything after finds them."""
    from demo.contests import DATA as CONTESTS
    from demo.contests import schedule

    first_contest = min(schedule(row, now)["challenges"] for row in CONTESTS["contests"])
    return first_contest - REGISTERED_BEFORE_FIRST_CONTEST
