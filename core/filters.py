"""Filter pieces every app's FilterSets share."""

import django_filters
import django_filters.fields
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


class _ChoicesInOneQuery(forms.models.ModelChoiceIterator):
    """Django reads a model select's choices with queryset.iterator(), which on PostgreSQL opens a
    server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE: three round trips outside a transaction)
    — for the two dozen domains or districts of a filter. This reads them with one plain query, once
    per iteration as Django does (a changed list shows at the next page)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class _ListedModelChoiceIterator(django_filters.fields.ModelChoiceIterator, _ChoicesInOneQuery):
    """django-filter's iterator (its null choice) over the choices read in one query."""


class _ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _ListedModelChoiceIterator


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter for a short list (domains, districts, zones): its select's choices are
    read in one query instead of through a server-side cursor."""

    field_class = _ListedModelChoiceField
