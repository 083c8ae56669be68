"""Every read of the ground floor, scoped to the person asking."""

from django.contrib.auth.models import AbstractBaseUser as User
from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from core.models import Job, Notification

# The attribute of a person loaded with their unread count (accounts' sign-in backend, issue #20:
# the count was a query of its own on every signed-in page).
UNREAD_LOADED = "unread_notifications_loaded"


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_notification_count(user: User) -> int:
    """The count loaded with the person at the start of the request, when it was; else a query.
    core.services.notification_mark_read forgets the loaded count of the person it marks for."""
    loaded = getattr(user, UNREAD_LOADED, None)  # (request.user is a lazy proxy: no __dict__ of its own)
    if loaded is not None:
        return loaded
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_notification_count_of_person():
    """The unread count as an annotation of a person queryset (`.annotate(**{UNREAD_LOADED: …})`)."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(unread), Value(0))


def jobs_visible_to(user: User) -> QuerySet[Job]:
    """A job's progress and result belong to the person who asked for it."""
    return Job.objects.filter(requested_by=user).select_related("requested_by")
