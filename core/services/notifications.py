"""站内消息 and e-mail, for every app to tell people what concerns them."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser as User  # core knows only the user model Django gives it
from django.core.mail import send_mass_mail
from django.utils import timezone

from core.after_commit import run_after_commit
from core.messages import Message
from core.models import Notification
from core.selectors import UNREAD_LOADED


def _stored(text: str | Message) -> tuple[str, dict | None]:
    """A message is kept untranslated (shown in each reader's language) and as text in the portal's
    own language (for e-mail and search); plain text, such as a reviewer's reason, as written."""
    if isinstance(text, Message):
        return text.render_in_default_language(), text.as_json()
    return str(text), None


def notify(
    *,
    recipients: Iterable[User],
    title: str | Message,
    body: str | Message = "",
    link: str = "",
    email: bool = True,
) -> list[Notification]:
    """Create one in-site message per distinct recipient; e-mail them after the transaction commits.

    Pass title and body as core.messages.Message so that each reader sees them in their language.
    Side effects: Notification rows; e-mails (sent on commit, so a rolled-back action mails nobody).
    """
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    title, title_message = _stored(title)
    body, body_message = _stored(body)
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                title=title[:200],
                title_message=title_message,
                body=body,
                body_message=body_message,
                link=link,
            )
            for user in unique.values()
        ]
    )
    for user in unique.values():  # a recipient loaded with their unread count (the request's person)
        setattr(user, UNREAD_LOADED, None)
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
    setattr(user, UNREAD_LOADED, None)  # the count loaded with the person is out of date now
    return queryset.update(read_at=timezone.now())
