"""The mails of self-registration, and how a registration that could not be finished is taken up again.

Registering answers the same way whether or not the e-mail address or the user name is taken:
"we have sent you a mail". What the mail says depends on it — a confirmation link for a new
account (or for the unconfirmed account already registered with that address), "this address
already has an account" with the sign-in and password-reset links, or "this user name is taken,
register again with another". Only the owner of the mailbox learns which.

Every mail is a RegistrationMail row, sent after the transaction commits. A mail server that is
down does not turn the saved registration into an error page: the row records the failure, and
the page after registering says the mail could not be sent and offers to send it again. An
address is mailed at most once a minute and five times an hour, whoever asks.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.choices import RegistrationMailPurpose, VerificationStatus
from accounts.models import Organisation, RegistrationMail, User
from core.after_commit import run_after_commit
from core.errors import DomainError

MAIL_INTERVAL = timedelta(minutes=1)
MAILS_PER_HOUR = 5


def registration_mail_allowed_at(email: str, now=None):
    """When the next registration mail may go to this address (now, or later when it was mailed too often)."""
    now = now or timezone.now()
    recent = list(
        RegistrationMail.objects.filter(email__iexact=email, created_at__gte=now - timedelta(hours=1))
        .exclude(failure=RegistrationMail.THROTTLED)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
    )
    allowed = now
    if recent:
        allowed = max(allowed, recent[0] + MAIL_INTERVAL)
    if len(recent) >= MAILS_PER_HOUR:
        allowed = max(allowed, recent[MAILS_PER_HOUR - 1] + timedelta(hours=1))
    return allowed


def awaiting_confirmation(user: User) -> bool:
    """A self-registered account whose address has never been confirmed: a mail to that address
    carries a new confirmation link."""
    return user.email_confirmed_at is None and not user.is_active and user.last_login is None


def _mail_for_address(email: str, *, default: str) -> tuple[str, User | None]:
    """What a registration mail to this address says now: the account the address belongs to
    decides it; without one, `default` (a new registration's confirmation, or "user name taken")."""
    account = User.objects.filter(email__iexact=email).first()
    if account is not None:
        purpose = (
            RegistrationMailPurpose.CONFIRM
            if awaiting_confirmation(account)
            else RegistrationMailPurpose.ALREADY_REGISTERED
        )
        return purpose, account
    return default, None


def _confirmation_link(user: User) -> str:
    from accounts.services.users import confirmation_token

    return settings.PORTAL_BASE_URL + reverse("accounts:confirm-email", args=[confirmation_token(user)])


def _subject_and_body(mail: RegistrationMail) -> tuple[str, str]:
    register_link = settings.PORTAL_BASE_URL + reverse("accounts:register")
    if mail.purpose == RegistrationMailPurpose.CONFIRM:
        return _("请确认您在场景开放门户的注册邮箱"), _(
            "%(name)s，您好：\n\n您的用户名：%(username)s\n请在 %(days)d 天内打开以下链接完成邮箱确认：\n%(link)s\n\n"
            "如非本人操作，请忽略本邮件。"
        ) % {
            "name": mail.user.display_name,
            "username": mail.user.username,
            "days": settings.ACCOUNT_CONFIRMATION_DAYS,
            "link": _confirmation_link(mail.user),
        }
    if mail.purpose == RegistrationMailPurpose.ALREADY_REGISTERED:
        return _("您的邮箱已有场景开放门户账号"), _(
            "%(name)s，您好：\n\n有人（可能是您本人）用本邮箱在场景开放门户提交了注册，但本邮箱已有账号"
            "（用户名：%(username)s），因此没有创建新账号。\n登录：%(login)s\n忘记密码可在此重设：%(reset)s\n\n"
            "如非本人操作，请忽略本邮件，您的账号不受影响。"
        ) % {
            "name": mail.user.display_name,
            "username": mail.user.username,
            "login": settings.PORTAL_BASE_URL + reverse("accounts:login"),
            "reset": settings.PORTAL_BASE_URL + reverse("accounts:password_reset"),
        }
    return _("您在场景开放门户的注册未能完成"), _(
        "您好：\n\n您在场景开放门户提交的注册未能完成：用户名“%(username)s”已被使用。"
        "请换一个用户名重新注册：\n%(link)s\n\n如非本人操作，请忽略本邮件。"
    ) % {"username": mail.username, "link": register_link}


def _send(mail_id: int) -> None:
    mail = RegistrationMail.objects.select_related("user").get(pk=mail_id)
    subject, body = _subject_and_body(mail)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [mail.email])
    RegistrationMail.objects.filter(pk=mail_id).update(sent_at=timezone.now())


def _record_failure(mail_id: int, error: Exception) -> None:
    RegistrationMail.objects.filter(pk=mail_id).update(failed_at=timezone.now(), failure=type(error).__name__[:200])


def _registration_mail(*, email: str, purpose: str, user: User | None = None, username: str = "") -> RegistrationMail:
    """Record a registration mail and send it once the transaction commits; an address mailed too
    often gets a row that says so instead (the page offers to send it later)."""
    now = timezone.now()
    mail = RegistrationMail(email=email, purpose=purpose, user=user, username=username[:150], created_at=now)
    if registration_mail_allowed_at(email, now) > now:
        mail.failed_at, mail.failure = now, RegistrationMail.THROTTLED
        mail.save()
        return mail
    mail.save()
    run_after_commit(
        lambda: _send(mail.pk),
        what=f"registration mail {mail.pk} ({purpose})",
        on_failure=lambda error: _record_failure(mail.pk, error),
    )
    return mail


def registration_mail_to_address(*, email: str, username: str = "", default: str) -> RegistrationMail:
    """The mail a registration sends to `email` (see _mail_for_address for what it says)."""
    purpose, user = _mail_for_address(email, default=default)
    return _registration_mail(email=email, purpose=purpose, user=user, username=username)


def registration_confirmation_mail(user: User) -> RegistrationMail:
    """The confirmation link for a new (or taken-up) registration."""
    return _registration_mail(email=user.email, purpose=RegistrationMailPurpose.CONFIRM, user=user)


@transaction.atomic
def registration_mail_resend(*, mail: RegistrationMail) -> RegistrationMail:
    """Send a registration mail again, from the page after registering (the person's own mail,
    found through their session). What it says is decided again, as for the first one. Refused
    with the time to come back when the address was mailed too often.

    Side effects: a RegistrationMail; the mail, after commit."""
    allowed_at = registration_mail_allowed_at(mail.email)
    if allowed_at > timezone.now():
        raise DomainError(
            _("发送过于频繁，请于 %(time)s 之后再试。") % {"time": date_format(timezone.localtime(allowed_at), "H:i")},
            code="throttled",
        )
    default = mail.purpose if mail.purpose == RegistrationMailPurpose.USERNAME_TAKEN else ""
    purpose, user = _mail_for_address(mail.email, default=default)
    if not purpose:
        # The account of this confirmation mail has since been registered again with another address.
        raise DomainError(_("该注册已失效，请重新注册。"), code="registration_gone")
    return _registration_mail(email=mail.email, purpose=purpose, user=user, username=mail.username)


def abandoned_registrant(organisation: Organisation) -> User | None:
    """The one member of a self-registration that can no longer be finished — the confirmation
    mail never reached the mail server, or every link sent has expired — whom a new registration
    with the same credit code takes up; None when the registration is alive or finished."""
    if organisation.verification_status != VerificationStatus.PENDING:
        return None
    members = list(organisation.members.all()[:2])
    if len(members) != 1 or not awaiting_confirmation(members[0]):
        return None
    member = members[0]
    window_start = timezone.now() - timedelta(days=settings.ACCOUNT_CONFIRMATION_DAYS)
    confirmations = RegistrationMail.objects.filter(user=member, purpose=RegistrationMailPurpose.CONFIRM)
    if confirmations.filter(sent_at__gte=window_start).exists():
        return None  # a link that still works is in the person's mailbox
    if member.date_joined < window_start or confirmations.filter(failed_at__isnull=False).exists():
        return member
    return None
