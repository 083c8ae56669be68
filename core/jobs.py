"""The registry of long-running job kinds.

Each app registers its job kinds here (title, who may start one, and the function that does the
work). The runner gets the Job and a `report(percent, message)` callable, and returns the result
file as (file name, bytes) or None. core.services.jobs runs it and records everything else.
A runner that writes data keeps all its writes in one transaction.atomic() block.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

ProgressReporter = Callable[[int, str], None]


@dataclass(frozen=True)
class JobKind:
    name: str
    title: str | Promise
    may_start: Callable  # (user) -> bool
    run: Callable  # (job, report) -> tuple[str, bytes] | None


_KINDS: dict[str, JobKind] = {}


def register_job(name: str, *, title, may_start):
    def decorator(function):
        _KINDS[name] = JobKind(name=name, title=title, may_start=may_start, run=function)
        return function

    return decorator


def job_kind(name: str) -> JobKind | None:
    return _KINDS.get(name)


def job_kinds() -> dict[str, JobKind]:
    return dict(_KINDS)
