from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core.navigation import nav_items_for
from core.selectors import unread_notification_count


def portal(request):
    """Navigation data for the base layout: the main menu and the unread message count."""
    user = getattr(request, "user", None)
    # Lazy: an htmx fragment that never shows the menu does not pay for it (nor for the role query).
    context = {"portal_name": settings.PORTAL_NAME, "nav_items": SimpleLazyObject(lambda: nav_items_for(request))}
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = unread_notification_count(user)
    return context
