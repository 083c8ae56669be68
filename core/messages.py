"""Texts kept for later and shown in the reader's language (站内消息, job titles, explanations).

A message is stored as its untranslated source text and its parameters, and translated when it is
shown, so a message written while an operator used the Chinese interface reads in English to an
English reader. Mark the source text with ``gettext_noop`` so that ``makemessages`` finds it:

    notify(recipients=..., title=Message(gettext_noop("资格审查结果：%(title)s"), title=entry.title))

A parameter is a plain value (names, figures: shown as written) or itself a Message (a state or a
round label, translated with the text around it).
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext


class Message:
    def __init__(self, text: str, **params):
        self.text = str(text)
        self.params = params

    def render(self) -> str:
        """The message in the active language."""
        translated = gettext(self.text)
        if not self.params:
            return translated
        values = {name: value.render() if isinstance(value, Message) else value for name, value in self.params.items()}
        for text in (translated, self.text):
            try:
                return text % values
            except (KeyError, TypeError, ValueError):
                # A translation that lost a placeholder must not hide the message: try the source.
                continue
        return self.text

    def render_in_default_language(self) -> str:
        """For what is stored as text (the title column, e-mails): the portal's own language."""
        with translation.override(settings.LANGUAGE_CODE):
            return self.render()

    def as_json(self) -> dict:
        return {"text": self.text, "params": {name: _jsonable(value) for name, value in self.params.items()}}

    @classmethod
    def from_json(cls, data: dict) -> "Message":
        params = {
            name: cls.from_json(value) if isinstance(value, dict) and "text" in value else value
            for name, value in (data.get("params") or {}).items()
        }
        return cls(data["text"], **params)

    def __str__(self):
        return self.render()

    def __repr__(self):
        return f"Message({self.text!r}, **{self.params!r})"


def _jsonable(value):
    if isinstance(value, Message):
        return value.as_json()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)  # a date reads as ISO, an amount as its digits, as they did in the text


def shown(stored_text: str, stored_message: dict | None) -> str:
    """What a stored text reads as now: its message in the reader's language, or the text as stored
    (rows written before messages were kept, or plain text such as a reviewer's reason)."""
    if stored_message:
        try:
            return Message.from_json(stored_message).render()
        except (KeyError, TypeError, ValueError):
            return stored_text
    return stored_text


def reading_english() -> bool:
    return (translation.get_language() or "").startswith("en")


class BilingualName:
    """Reference data (domains, districts, industries, areas) kept with a Chinese and an English name:
    shown in the reader's language, wherever the object is printed or offered as a choice."""

    @property
    def name_shown(self) -> str:
        return self.name_en if self.name_en and reading_english() else self.name

    def __str__(self):
        return self.name_shown


def label(lazy_text) -> Message:
    """A label marked with gettext_lazy (a choice's label) as a Message. The source texts are the
    Chinese ones, so the label read in the portal's own language is its source text."""
    with translation.override(settings.LANGUAGE_CODE):
        return Message(str(lazy_text))


def choice(instance, field_name: str) -> Message:
    """The label of a model instance's choice field, as a Message (for entry.status, etc.)."""
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field.attname)
    return label(dict(field.flatchoices).get(value, value))
