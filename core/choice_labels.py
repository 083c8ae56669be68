"""get_<field>_display() from a table of labels per field and language, for models shown in lists.

Django's get_FOO_display() builds a dict of all the field's choices, made hashable one by one, on
every call, then translates the label: about 60 µs for a four-choice field and 250 µs for the
scenario's status, five times per row of a catalogue page. A model that lists this mixin first
looks the value up in a table built once per field and language (the choices of a field and the
translation catalogues do not change while the process runs); a value outside the choices, or one
that cannot be a key, goes through Django as before.
"""

from django.utils.encoding import force_str
from django.utils.translation import get_language

_TABLES: dict[tuple, dict] = {}


def _labels(field, language: str | None) -> dict:
    key = (field.model, field.name, language)
    table = _TABLES.get(key)
    if table is None:
        table = {value: force_str(label, strings_only=True) for value, label in field.flatchoices}
        _TABLES[key] = table
    return table


class ChoiceLabelsMixin:
    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            return _labels(field, get_language())[value]
        except (KeyError, TypeError):
            return super()._get_FIELD_display(field)
