from django.conf import settings

from core.selectors import unread_notification_count


def portal(request):
    """Navigation data for the base layout: the person's roles and unread message count."""
    user = getattr(request, "user", None)
    context = {"portal_name": settings.PORTAL_NAME}
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = unread_notification_count(user)
    return context
