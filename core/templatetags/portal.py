from decimal import Decimal

from django import template

from core.fixed_urls import fixed_url as fixed_url_of
from core.frame import kept_partial as kept_partial_of
from core.frame import topbar as topbar_of

register = template.Library()


@register.simple_tag
def fixed_url(name):
    """{% url name %} for a URL name without arguments, worked out once per process (the frame's
    links: core.fixed_urls)."""
    return fixed_url_of(name)


@register.simple_tag(takes_context=True)
def topbar(context):
    """The page's header, kept per menu and filled in for this request (core.frame)."""
    return topbar_of(context["request"], context.get("unread_notifications") or 0, context.get("csrf_token"))


@register.simple_tag
def kept_partial(template_name, **values):
    """A partial of links and labels rendered once per `values` and language, kept (core.frame)."""
    return kept_partial_of(template_name, **values)


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced (keeps filters across pages)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def yuan(value):
    """Money as ¥ with thousands separators and two decimals: ¥1,000,000.00."""
    if value is None or value == "":
        return ""
    return f"¥{Decimal(value):,.2f}"
