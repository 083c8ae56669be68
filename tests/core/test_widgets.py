"""Every date field of every form renders a value the browser's date picker keeps (ISO, whatever
the language): an edit form once came back with its six dates empty (2026/01/01 under zh-hans)."""

import datetime
import inspect
from importlib import import_module

import pytest
from django import forms
from django.utils import translation

from contests.forms import AgreementForm
from core.widgets import DateInput, DateTimeInput

FORM_MODULES = ["accounts.forms", "scenarios.forms", "capability_list.forms", "contests.forms"]


def _form_classes():
    for module_name in FORM_MODULES:
        for _name, value in inspect.getmembers(import_module(module_name), inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module_name:
                yield value


@pytest.mark.parametrize("form_class", list(_form_classes()), ids=lambda form_class: form_class.__qualname__)
def test_date_fields_use_the_iso_widgets(form_class):
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.DateTimeField):
            assert isinstance(field.widget, DateTimeInput), f"{form_class.__name__}.{name}"
        elif isinstance(field, forms.DateField):
            assert isinstance(field.widget, DateInput), f"{form_class.__name__}.{name}"


def test_a_saved_date_comes_back_in_the_edit_form_in_chinese_and_english():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            form = AgreementForm(
                initial={"signed_on": datetime.date(2026, 1, 1), "design_due": datetime.date(2026, 3, 31)}
            )
            html = str(form["signed_on"]) + str(form["design_due"])
        assert 'value="2026-01-01"' in html and 'value="2026-03-31"' in html, (language, html)
