"""The portal's form renderer: Django's, with the <select>, the <label> and an empty error list
written in Python.

Django renders a <select> through select.html, which includes select_option.html for every option,
which includes attrs.html: three template renders per option; and every field renders label.html
and, errors or not, the error list's two templates. A catalogue filter of ten fields and sixty
options spent more time there than in its queries. This renderer writes the same HTML (byte for
byte: the tests compare it with Django's own templates) for these; any other template, a widget
with templates of its own included, and an error list with errors go through Django's templates.
"""

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
LABEL_TEMPLATE = "django/forms/label.html"
ERROR_LIST_TEMPLATES = ("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html")

# What a template prints a value with ({{ value }}): localised, escaped unless safe. Read only.
_PRINTING = Context(autoescape=True)


def _printed(value) -> str:
    return render_value_in_context(value, _PRINTING)


def _string_formatted(value) -> str:
    """{{ value|stringformat:'s' }}: "%s" % value, escaped unless the value was safe."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 — the filter's own formatting, tuples included
    except (ValueError, TypeError):
        text = ""
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs(attrs: dict | None) -> str:
    """attrs.html: ` name="value"` each, a bare name for True, nothing for False."""
    parts = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        parts.append(f" {_printed(name)}" if value is True else f' {_printed(name)}="{_string_formatted(value)}"')
    return "".join(parts)


def select_html(widget: dict) -> str | None:
    """select.html for the widget's context, or None when an option has a template of its own."""
    parts = [f'<select name="{_printed(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_printed(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_string_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_printed(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts).strip()


def label_html(context: dict) -> str:
    """label.html: the label in its tag (<label for=…>), or the bare label when the field has no id."""
    label = _printed(context["label"])
    if not context["use_tag"]:
        return label.strip()
    tag = _printed(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>".strip()


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            html = select_html(context["widget"])
            if html is not None:
                return html
        elif template_name == LABEL_TEMPLATE:
            return label_html(context)
        elif template_name in ERROR_LIST_TEMPLATES and not context["errors"]:
            return ""
        return super().render(template_name, context, request=request)
