"""A read compiled to SQL once per process, then run with fresh ids on every call.

Compiling a query with subqueries costs the ORM more than running it: 1.4 ms for the signed-in
person with their roles and unread count, 1.5 ms for a judge's standing on an entry, on every
request (issue #20). `compiled_read(build, *ids)` compiles `build(*stand_ins)` once per process and
database vendor, and runs that SQL with each stand-in replaced by the id in its place. The
stand-ins are ids no row has. At the first call the query is compiled a second time with other
stand-ins: the SQL must be the same and the parameters must differ exactly where the stand-ins
are, so a query that folds an id into its SQL fails loudly instead of reading another row.
"""

from collections.abc import Callable
from functools import cache

from django.db import connection
from django.db.models import QuerySet

# Ids no row has, and unlike any constant a query carries; the second set checks the first.
STAND_INS = (-7_300_001, -7_300_002, -7_300_003)
CHECK_STAND_INS = (-7_300_011, -7_300_012, -7_300_013)


def compiled_read(build: Callable[..., QuerySet], *ids: int):
    """The rows of `build(*ids)`, with its annotations, as a RawQuerySet of its model: `build` is a
    module-level function of the ids alone, so its SQL may be compiled once."""
    statement, params, model = _compiled(build, len(ids), connection.vendor)
    value_of = dict(zip(STAND_INS, ids, strict=False))
    return model._default_manager.raw(
        statement, [value_of.get(param, param) if type(param) is int else param for param in params]
    )


@cache
def _compiled(build: Callable[..., QuerySet], count: int, vendor: str) -> tuple[str, tuple, type]:
    queryset = build(*STAND_INS[:count])
    statement, params = queryset.query.sql_with_params()
    check_statement, check_params = build(*CHECK_STAND_INS[:count]).query.sql_with_params()
    swapped = dict(zip(STAND_INS, CHECK_STAND_INS, strict=False))
    expected = [swapped.get(param, param) if type(param) is int else param for param in params]
    if (
        check_statement != statement
        or list(check_params) != expected
        or any(stand_in not in params for stand_in in STAND_INS[:count])
    ):
        raise RuntimeError(f"{build.__qualname__}: its ids do not all reach its statement as parameters")
    return statement, tuple(params), queryset.model
