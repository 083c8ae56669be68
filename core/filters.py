"""Filter pieces every app's FilterSets share."""

import django_filters
from django import forms

from core.ids import LARGEST_ID


class WholeNumberFilter(django_filters.NumberFilter):
    """A year or an id, as a whole number within the database's range. An id the person may not
    see simply matches nothing (no 400 that would tell it exists)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", LARGEST_ID)
        super().__init__(*args, **kwargs)
