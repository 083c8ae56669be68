from django.conf import settings

from core.selectors import unread_notification_count


def portal(request):
    """What the base layout shows of the portal and the person: its name and the unread message
    count (the menu is the header's: core.frame)."""
    user = getattr(request, "user", None)
    context = {"portal_name": settings.PORTAL_NAME}
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = unread_notification_count(user)
    return context
