"""An id beyond what its column holds matches nothing — for every lookup that takes one from outside.

Django already answers `pk=10**30` with nothing (IntegerField's exact, gt, lt … lookups since 5.0),
but not `pk__in=[10**30]` nor a foreign key (`scenario=10**30`, `scenario_id__in=[…]`): there the
number reaches the driver, and SQLite's raises OverflowError — a 500 for a huge id in a filter
(`?scenario=99999999999999999999999`), a multiple-choice form or a JSON list of ids. Forms,
filters, serializers and views pass such ids on in too many places to bound each; the lookups are
one place. Registered by CoreConfig.ready().
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _column_range(lookup, connection) -> tuple[int | None, int | None]:
    """The range of the integer column the lookup compares with ((None, None) if not an integer)."""
    field = lookup.lhs.output_field
    if getattr(field, "path_infos", None):  # a relation: the column it points at
        field = field.path_infos[-1].target_fields[-1]
    try:
        return connection.ops.integer_field_range(field.get_internal_type())
    except KeyError:  # not an integer column (a district's code, say)
        return None, None


def _outside(value, low, high) -> bool:
    return isinstance(value, int) and ((low is not None and value < low) or (high is not None and value > high))


class _InWithinRange:
    """`in`: values the column cannot hold are dropped (none of them can match); none left, no rows."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and any(isinstance(value, int) for value in self.rhs):
            low, high = _column_range(self, connection)
            self.rhs = [value for value in self.rhs if not _outside(value, low, high)]
        return super().process_rhs(compiler, connection)


class _ExactWithinRange:
    """`exact`: a value the column cannot hold matches no row (and its negation every row)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and _outside(self.rhs, *_column_range(self, connection)):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


class IntegerFieldIn(_InWithinRange, In):
    pass


class RelatedExactWithinRange(_ExactWithinRange, RelatedExact):
    pass


class RelatedInWithinRange(_InWithinRange, RelatedIn):
    pass


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
    ForeignObject.register_lookup(RelatedExactWithinRange)
    ForeignObject.register_lookup(RelatedInWithinRange)
