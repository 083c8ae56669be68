"""站内消息 and e-mail, for every app to tell people what concerns them."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser as User  # core knows only the user model Django gives it
from django.core.mail import send_mass_mail
from django.utils import timezone

from core.after_commit import run_after_commit
from core.models import Notification


def notify(
    *, recipients: Iterable[User], title: str, body: str = "", link: str = "", email: bool = True
) -> list[Notification]:
    """Create one in-site message per distinct recipient; e-mail them after the transaction commits.

    Side effects: Notification rows; e-mails (sent on commit, so a rolled-back action mails nobody).
    """
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=user, title=title[:200], body=body, link=link) for user in unique.values()]
    )
    if email:
        addresses = [user.email for user in unique.values() if user.email]
        if addresses:
            text = body + (f"\n\n{settings.PORTAL_BASE_URL}{link}" if link else "")
            messages = [(title, text, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
            run_after_commit(lambda: send_mass_mail(messages), what="notification e-mail")
    return notifications


def notification_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own messages read (all unread ones when no ids are given). Returns how many."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return queryset.update(read_at=timezone.now())
