"""The registry of long-running job kinds.

Each app registers its job kinds here (title, who may start one, and the function that does the
work). The runner gets the Job and a `report(percent, message)` callable, and returns the result
file as (file name, bytes) or None. core.services.jobs runs it and records everything else.
A runner that writes data keeps all its writes in one `core.services.job_writes(job)` block (a
transaction that also marks the job written): a worker may die mid-run, and the job is then run
again, so the runner must be idempotent (the block makes a second run stop before writing twice).

Most jobs are started by the action that owns them (an import batch's confirmation, an edition's
publication), which has checked the objects involved. Only a kind registered with
`request_params` may also be started directly (POST /api/v1/jobs/): that function checks the
parameters a person sent, refuses any it does not know, and returns them cleaned.
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
    request_params: Callable | None = None  # (params) -> cleaned params; None: not started directly


_KINDS: dict[str, JobKind] = {}


def register_job(name: str, *, title, may_start, request_params: Callable | None = None):
    def decorator(function):
        _KINDS[name] = JobKind(name=name, title=title, may_start=may_start, run=function, request_params=request_params)
        return function

    return decorator


def only_params(*names: str) -> Callable:
    """A `request_params` check for filter-like parameters: the named keys, each a short text."""

    def check(params: dict) -> dict:
        from django.utils.translation import gettext as _

        from core.errors import DomainError

        unknown = sorted(set(params) - set(names))
        if unknown:
            raise DomainError(_("不支持的参数：%(names)s。") % {"names": "、".join(unknown)}, code="unknown_params")
        if any(not isinstance(value, str) or len(value) > 200 for value in params.values()):
            raise DomainError(_("参数应为不超过 200 个字的文字。"), code="bad_params")
        return {key: value for key, value in params.items() if value}

    return check


def job_kind(name: str) -> JobKind | None:
    return _KINDS.get(name)


def job_kinds() -> dict[str, JobKind]:
    return dict(_KINDS)
