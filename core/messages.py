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
        try:
            return translated % values
        except (KeyError, TypeError, ValueError):
            # A translation that lost a placeholder must not hide the message: fall back to the source.
            return self.text % values

    def render_in_default_language(self) -> str:
        """For what is stored as text (the title column, e-mails): the portal's own language."""
        with translation.override(settings.LANGUAGE_CODE):
            return self.render()

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "params": {
                name: value.as_json() if isinstance(value, Message) else value for name, value in self.params.items()
            },
        }

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


def shown(stored_text: str, stored_message: dict | None) -> str:
    """What a stored text reads as now: its message in the reader's language, or the text as stored
    (rows written before messages were kept, or plain text such as a reviewer's reason)."""
    if stored_message:
        try:
            return Message.from_json(stored_message).render()
        except (KeyError, TypeError, ValueError):
            return stored_text
    return stored_text
