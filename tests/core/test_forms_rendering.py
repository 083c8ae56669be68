"""The portal's form renderer writes a <select> in Python: the same HTML as Django's templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from core import forms_rendering
from core.forms_rendering import PortalFormRenderer, select_html
from scenarios.filters import ScenarioFilterSet


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙 & <丙>")], initial="b")
    lazy = forms.ChoiceField(choices=[("", _("全部")), ("x", _("是"))], required=False)
    numbers = forms.TypedChoiceField(choices=[(20, 20), (50, 50), (1.5, 1.5)], coerce=int, initial=50)
    grouped = forms.ChoiceField(
        choices=[("华东", [("nb", "宁波"), ("hz", "杭州")]), ("其他", [("bj", "北京")]), ("none", "无")],
        initial="hz",
    )
    several = forms.MultipleChoiceField(choices=[("1", "一"), ("2", "二"), ("3", "三")], initial=["1", "3"])
    marked = forms.ChoiceField(
        choices=[(mark_safe("<b>"), mark_safe("<i>粗</i>")), ("q\"'", "引号\"'")],
        widget=forms.Select(attrs={"class": "wide", "data-x": 'a"b', "disabled": True, "hidden": False}),
    )
    yes_no = forms.NullBooleanField(initial=True)
    tuple_value = forms.ChoiceField(choices=[((1, 2), "一二")], required=False)
    empty = forms.ChoiceField(choices=[], required=False)


def both_ways(make_form) -> list[tuple[str, str]]:
    """Each field's widget as this renderer and as Django's own templates write it."""
    fast, django = make_form(PortalFormRenderer()), make_form(DjangoTemplates())
    pairs = [(str(mine.as_widget()), str(theirs.as_widget())) for mine, theirs in zip(fast, django, strict=True)]
    assert any("<select" in html for html, _ in pairs)
    for mine, theirs in zip(fast, django, strict=True):
        assert str(mine.label_tag()) == str(theirs.label_tag())
        assert str(mine.legend_tag()) == str(theirs.legend_tag())
        assert str(mine.label_tag(attrs={"class": "x", "hidden": True})) == str(
            theirs.label_tag(attrs={"class": "x", "hidden": True})
        )
        assert str(mine.errors) == str(theirs.errors)
    return pairs


@pytest.mark.parametrize("bound", [False, True])
def test_every_kind_of_select_is_written_as_django_writes_it(bound, monkeypatch):
    written = []

    def counted(widget):
        html = select_html(widget)
        written.append(html is not None)
        return html

    monkeypatch.setattr(forms_rendering, "select_html", counted)
    data = {"plain": "a", "numbers": "20", "grouped": "bj", "several": ["2"], "marked": "<b>", "yes_no": "false"}

    def make_form(renderer):
        form = Everything(data if bound else None, renderer=renderer)
        if bound:
            form.is_valid()
        return form

    pairs = both_ways(make_form)
    for fast, django in pairs:
        assert fast == django
    assert written == [True] * 9  # every field is a <select>, each written in Python
    grouped = dict(zip(Everything.base_fields, pairs, strict=True))["grouped"][0]
    assert ('value="bj" selected>北京' if bound else 'value="hz" selected>杭州') in grouped


def test_errors_and_required_attributes_match():
    def make_form(renderer):
        form = Everything({"plain": "zz"}, renderer=renderer)
        assert not form.is_valid()
        return form

    pairs = both_ways(make_form)
    for fast, django in pairs:
        assert fast == django
    assert 'aria-invalid="true"' in pairs[0][0]


@pytest.mark.django_db
def test_the_catalogue_filters_match_in_both_languages():
    # The domains and districts of the data migrations fill two of the selects.
    for language in ("zh-hans", "en"):
        with override(language):

            def make_form(renderer):
                form = ScenarioFilterSet({"stage": "planned", "sort": "title"}).form
                form.renderer = renderer
                return form

            for fast, django in both_ways(make_form):
                assert fast == django


def test_labels_without_ids_and_with_suffixes_match():
    class Suffixed(Everything):
        required_css_class = "required"

    def make_form(renderer):
        return Suffixed({"plain": "zz"}, auto_id=False, label_suffix="：", renderer=renderer)

    for fast, django in both_ways(make_form):
        assert fast == django

    def with_ids(renderer):
        return Suffixed(auto_id="f_%s", label_suffix="：", renderer=renderer)

    both_ways(with_ids)
    assert (
        str(with_ids(PortalFormRenderer())["plain"].label_tag())
        == '<label for="f_plain" class="required">Plain：</label>'
    )


def test_an_option_with_a_template_of_its_own_goes_through_django():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/attrs.html"

    context = Custom(choices=[("a", "甲")]).get_context("f", "a", {})
    assert select_html(context["widget"]) is None


@override_settings(FORM_RENDERER="core.forms_rendering.PortalFormRenderer")
def test_the_portal_renders_selects_with_it():
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    try:
        assert isinstance(get_default_renderer(), PortalFormRenderer)
    finally:
        get_default_renderer.cache_clear()
