"""Writes for people's accounts: a new user, the e-mail confirmation, accounts operators open."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.choices import OPERATOR_CREATED_ROLES, Role, VerificationStatus
from accounts.models import Organisation, User
from accounts.permissions import is_operator
from accounts.selectors import operators_active
from accounts.services.roles import role_assign
from core.after_commit import run_after_commit
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services.audit import audit_record
from core.services.notifications import notify

CONFIRMATION_SALT = "accounts.email-confirmation"


def mail_on_commit(*, to: str, subject: str, body: str) -> None:
    """Send one e-mail once the transaction has committed (none is sent for a rolled-back action)."""
    from django.core.mail import send_mail

    run_after_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to]), what=f"mail to {to}")


def require_operator(actor: User) -> None:
    if not is_operator(actor):
        raise PermissionDenied(_("只有运营管理人员可以执行此操作。"))


def username_and_email_check_free(*, username: str, email: str) -> None:
    """Refuse a log-in name or an e-mail address another account already has."""
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("用户名“%(name)s”已被使用。") % {"name": username}, code="username_taken")
    if email and User.objects.filter(email__iexact=email).exists():
        raise DomainError(_("该邮箱已注册。如忘记密码，请使用“忘记密码”。"), code="email_taken")


def password_strength_check(password: str, user: User) -> None:
    """Refuse a password the validators refuse, with their messages."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        # Each validator's message is a sentence of its own, ending in "。".
        raise DomainError(
            "".join(m if m.endswith("。") else f"{m}。" for m in error.messages), code="weak_password"
        ) from None


def user_add(
    *,
    username: str,
    display_name: str,
    email: str,
    phone: str = "",
    organisation=None,
    password: str | None,
    is_active: bool,
) -> User:
    """Save a new person (password None: none usable yet). No roles, no audit: the caller's action adds them."""
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        phone=phone,
        organisation=organisation,
        is_active=is_active,
    )
    if password is None:
        user.set_unusable_password()
    else:
        password_strength_check(password, user)
        user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Two sign-ups racing for the same name or address: the constraint decides, kindly.
        raise DomainError(_("用户名或邮箱已被使用。"), code="user_exists") from None
    return user


def confirmation_token(user: User) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=CONFIRMATION_SALT)


@transaction.atomic
def email_confirm(*, token: str) -> User:
    """Activate the account behind a confirmation link; tell the operators a new organisation waits."""
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=timedelta(days=settings.ACCOUNT_CONFIRMATION_DAYS))
    except signing.SignatureExpired:
        raise DomainError(_("确认链接已过期，请重新注册或联系运营方。"), code="expired") from None
    except signing.BadSignature:
        raise DomainError(_("确认链接无效。"), code="invalid") from None
    user = (
        User.objects.select_for_update(of=("self",)).select_related("organisation").filter(pk=data.get("user")).first()
    )
    if user is None or user.email != data.get("email"):
        raise DomainError(_("确认链接无效。"), code="invalid")
    if user.email_confirmed_at is not None:
        return user
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])
    audit_record(actor=user, action="user.confirm_email", target=user, after={"is_active": True})
    if user.organisation and user.organisation.verification_status == VerificationStatus.PENDING:
        notify(
            recipients=operators_active(),
            title=Message(gettext_noop("新机构待审核：%(name)s"), name=user.organisation.name),
            link=reverse("accounts:operator-organisation-detail", args=[user.organisation.pk]),
            email=False,
        )
    return user


def password_setup_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.PORTAL_BASE_URL + reverse("accounts:password_reset_confirm", args=[uid, token])


@transaction.atomic
def account_create_by_operator(
    *,
    actor: User,
    role: str,
    username: str,
    display_name: str,
    email: str,
    organisation: Organisation | None = None,
    phone: str = "",
) -> User:
    """Operators open judge and official accounts; the person sets a password from an e-mailed link."""
    require_operator(actor)
    if role not in OPERATOR_CREATED_ROLES:
        raise DomainError(_("运营方只能开通评审专家和领导/部门账号。"), code="role_not_allowed")
    username_and_email_check_free(username=username, email=email)
    user = user_add(
        username=username,
        display_name=display_name,
        email=email,
        phone=phone,
        organisation=organisation,
        password=None,
        is_active=True,
    )
    user.email_confirmed_at = timezone.now()
    # Whoever ends up choosing the first password, it must be the person: until they set their own
    # (the e-mailed link does), the portal sends them to the password change page.
    user.password_change_required = True
    user.save(update_fields=["email_confirmed_at", "password_change_required"])
    role_assign(actor=actor, user=user, role=role)
    audit_record(
        actor=actor,
        action="account.create",
        target=user,
        after={"username": username, "role": role, "organisation": organisation.pk if organisation else None},
    )
    link = password_setup_link(user)
    mail_on_commit(
        to=email,
        subject=_("您的场景开放门户账号已开通"),
        body=_(
            "%(name)s，您好：\n\n运营方已为您开通“%(role)s”账号，用户名：%(username)s。\n请打开以下链接设置密码：\n%(link)s"
        )
        % {"name": display_name, "role": Role(role).label, "username": username, "link": link},
    )
    return user
