"""Every read of the ground floor, scoped to the person asking."""

from django.contrib.auth.models import AbstractBaseUser as User
from django.db.models import QuerySet

from core.models import Job, Notification


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_notification_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def jobs_visible_to(user: User) -> QuerySet[Job]:
    """A job's progress and result belong to the person who asked for it."""
    return Job.objects.filter(requested_by=user).select_related("requested_by")
