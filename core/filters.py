"""Filter pieces every app's FilterSets share."""

import django_filters
from django import forms

# The largest id a 64-bit primary key holds; a larger number in a query string must be a 400, not
# an overflow deep in the database driver (SQLite raises, PostgreSQL refuses the query).
LARGEST_ID = 2**63 - 1


class WholeNumberFilter(django_filters.NumberFilter):
    """A year or an id, as a whole number within the database's range. An id the person may not
    see simply matches nothing (no 400 that would tell it exists)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", LARGEST_ID)
        super().__init__(*args, **kwargs)
