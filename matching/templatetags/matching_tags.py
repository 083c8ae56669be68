from django import template

from matching.explanations import explanation_shown

register = template.Library()


@register.filter
def explanation(text):
    """A recommendation's stored explanation, in the reader's language."""
    return explanation_shown(text)
