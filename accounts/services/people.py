"""Writes for organisations, people and roles: registration, verification, invitations, roles."""

import secrets
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

from accounts.choices import (
    EXCLUSIVE_ROLES,
    INVITABLE_ROLES,
    OPERATOR_CREATED_ROLES,
    ROLE_ORGANISATION_KINDS,
    OrganisationKind,
    Role,
    VerificationStatus,
)
from core.errors import DomainError, PermissionDenied
from accounts.models import District, Invitation, Organisation, RoleAssignment, User
from core.services.audit import audit_record, snapshot
from core.services.notifications import notify
from accounts.validators import validate_credit_code

CONFIRMATION_SALT = "accounts.email-confirmation"
SELF_REGISTERING_KINDS = {OrganisationKind.COMPANY: Role.COMPANY, OrganisationKind.ASSOCIATION: Role.ASSOCIATION}
ORGANISATION_AUDIT_FIELDS = ["name", "credit_code", "kind", "district", "verification_status", "verification_note"]


def _send_mail_on_commit(*, to: str, subject: str, body: str) -> None:
    from django.core.mail import send_mail

    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False))


def _check_username_and_email(*, username: str, email: str) -> None:
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("用户名“%(name)s”已被使用。") % {"name": username}, code="username_taken")
    if email and User.objects.filter(email__iexact=email).exists():
        raise DomainError(_("该邮箱已注册。如忘记密码，请使用“忘记密码”。"), code="email_taken")


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError("；".join(error.messages), code="weak_password") from None


def role_check_compatible(*, user: User, role: str, existing_roles: set[str]) -> None:
    """Refuse a role that breaks 三员分立 or does not fit the person's organisation."""
    if role in EXCLUSIVE_ROLES and existing_roles - {role}:
        raise DomainError(
            _("“%(role)s”角色不能与其他角色兼任（三员分立）。") % {"role": Role(role).label}, code="role_exclusive"
        )
    held_exclusive = existing_roles & EXCLUSIVE_ROLES
    if held_exclusive and role not in held_exclusive:
        raise DomainError(
            _("该账号已是“%(role)s”，不能再兼任其他角色（三员分立）。") % {"role": Role(next(iter(held_exclusive))).label},
            code="role_exclusive",
        )
    kind = user.organisation.kind if user.organisation_id else None
    if kind not in ROLE_ORGANISATION_KINDS[Role(role)]:
        raise DomainError(
            _("“%(role)s”角色与所属机构类型不符。") % {"role": Role(role).label}, code="role_organisation_mismatch"
        )


def _grant(*, actor: User | None, user: User, role: str) -> RoleAssignment:
    existing = set(user.role_assignments.values_list("role", flat=True))
    if role in existing:
        raise DomainError(_("该用户已拥有此角色。"), code="role_exists")
    role_check_compatible(user=user, role=role, existing_roles=existing)
    assignment = RoleAssignment.objects.create(user=user, role=role, granted_by=actor)
    if role == Role.ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("roles", None)
    audit_record(actor=actor, action="role.grant", target=user, before={"roles": sorted(existing)}, after={"roles": sorted(existing | {role})})
    return assignment


def _can_manage_role(actor: User, user: User, role: str) -> bool:
    if actor.has_role(Role.ADMIN):
        return True
    if actor.has_role(Role.OPERATOR) and role in OPERATOR_CREATED_ROLES:
        return True
    return (
        actor.is_organisation_admin
        and actor.organisation_id is not None
        and actor.organisation_id == user.organisation_id
        and role in INVITABLE_ROLES.get(actor.organisation.kind, [])
    )


@transaction.atomic
def role_grant(*, actor: User, user: User, role: str) -> RoleAssignment:
    """Give a role. Side effects: RoleAssignment, audit record, a notification to the person."""
    if role not in Role.values:
        raise DomainError(_("未知角色。"), code="unknown_role")
    if not _can_manage_role(actor, user, role):
        raise PermissionDenied(_("您无权授予该角色。"))
    assignment = _grant(actor=actor, user=user, role=role)
    notify(recipients=[user], title=_("您已获得“%(role)s”角色") % {"role": Role(role).label}, link=reverse("accounts:home"))
    return assignment


@transaction.atomic
def role_revoke(*, actor: User, user: User, role: str, reason: str = "") -> None:
    if not _can_manage_role(actor, user, role):
        raise PermissionDenied(_("您无权撤销该角色。"))
    existing = set(user.role_assignments.values_list("role", flat=True))
    if role not in existing:
        raise DomainError(_("该用户没有此角色。"), code="role_missing")
    user.role_assignments.filter(role=role).delete()
    if role == Role.ADMIN:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("roles", None)
    audit_record(actor=actor, action="role.revoke", target=user, before={"roles": sorted(existing)}, after={"roles": sorted(existing - {role})}, reason=reason)


def _new_user(*, username: str, display_name: str, email: str, phone: str = "", organisation=None, password: str | None, is_active: bool) -> User:
    user = User(username=username, display_name=display_name, email=email, phone=phone, organisation=organisation, is_active=is_active)
    if password is None:
        user.set_unusable_password()
    else:
        _check_password(password, user)
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
def organisation_register(
    *,
    kind: str,
    name: str,
    credit_code: str,
    district: District,
    username: str,
    display_name: str,
    email: str,
    password: str,
    phone: str = "",
    address: str = "",
    is_high_growth: bool = False,
    is_specialised: bool = False,
    is_high_tech: bool = False,
    is_sme: bool = False,
) -> User:
    """A company or association registers itself with a first member, who becomes its admin.

    Side effects: an Organisation awaiting verification, an inactive User with the matching role,
    a confirmation e-mail, an audit record. The account works once the e-mail is confirmed; the
    organisation may enter contests once an operator has verified it.
    """
    if kind not in SELF_REGISTERING_KINDS:
        raise DomainError(_("只有企业和行业协会可以自行注册；其他机构请联系运营方开通。"), code="kind_not_allowed")
    try:
        validate_credit_code(credit_code)
    except ValidationError as error:
        raise DomainError(error.messages[0], code="credit_code") from None
    if Organisation.objects.filter(credit_code=credit_code).exists():
        raise DomainError(
            _("该统一社会信用代码已注册。请联系本机构管理员邀请您加入。"), code="organisation_exists"
        )
    _check_username_and_email(username=username, email=email)
    is_company = kind == OrganisationKind.COMPANY
    organisation = Organisation(
        name=name,
        credit_code=credit_code,
        kind=kind,
        district=district,
        address=address,
        contact_name=display_name,
        contact_phone=phone,
        is_high_growth=is_company and is_high_growth,
        is_specialised=is_company and is_specialised,
        is_high_tech=is_company and is_high_tech,
        is_sme=is_company and is_sme,
    )
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        raise DomainError(_("该统一社会信用代码已注册。请联系本机构管理员邀请您加入。"), code="organisation_exists") from None
    user = _new_user(username=username, display_name=display_name, email=email, phone=phone, organisation=organisation, password=password, is_active=False)
    user.is_organisation_admin = True
    user.save(update_fields=["is_organisation_admin"])
    RoleAssignment.objects.create(user=user, role=SELF_REGISTERING_KINDS[kind])
    audit_record(actor=user, action="organisation.register", target=organisation, after=snapshot(organisation, ORGANISATION_AUDIT_FIELDS))
    _send_confirmation(user)
    return user


def _send_confirmation(user: User) -> None:
    link = settings.PORTAL_BASE_URL + reverse("accounts:confirm-email", args=[confirmation_token(user)])
    _send_mail_on_commit(
        to=user.email,
        subject=_("请确认您在场景开放门户的注册邮箱"),
        body=_("%(name)s，您好：\n\n请在 %(days)d 天内打开以下链接完成邮箱确认：\n%(link)s\n\n如非本人操作，请忽略本邮件。")
        % {"name": user.display_name, "days": settings.ACCOUNT_CONFIRMATION_DAYS, "link": link},
    )


@transaction.atomic
def email_confirm(*, token: str) -> User:
    """Activate the account behind a confirmation link; tell the operators a new organisation waits."""
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=timedelta(days=settings.ACCOUNT_CONFIRMATION_DAYS))
    except signing.SignatureExpired:
        raise DomainError(_("确认链接已过期，请重新注册或联系运营方。"), code="expired") from None
    except signing.BadSignature:
        raise DomainError(_("确认链接无效。"), code="invalid") from None
    user = User.objects.select_for_update(of=("self",)).select_related("organisation").filter(pk=data.get("user")).first()
    if user is None or user.email != data.get("email"):
        raise DomainError(_("确认链接无效。"), code="invalid")
    if user.email_confirmed_at is not None:
        return user
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])
    audit_record(actor=user, action="user.confirm_email", target=user, after={"is_active": True})
    if user.organisation and user.organisation.verification_status == VerificationStatus.PENDING:
        operators = User.objects.filter(role_assignments__role=Role.OPERATOR, is_active=True)
        notify(
            recipients=operators,
            title=_("新机构待审核：%(name)s") % {"name": user.organisation.name},
            link=reverse("accounts:operator-organisation-detail", args=[user.organisation.pk]),
            email=False,
        )
    return user


def _require_operator(actor: User) -> None:
    if not actor.has_role(Role.OPERATOR):
        raise PermissionDenied(_("只有运营管理人员可以执行此操作。"))


@transaction.atomic
def organisation_verify(*, actor: User, organisation: Organisation, note: str = "") -> Organisation:
    """An operator confirms the organisation is who it says. Side effects: audit, members notified."""
    _require_operator(actor)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verification_status == VerificationStatus.VERIFIED:
        raise DomainError(_("该机构已通过认证。"), code="already_verified")
    before = snapshot(organisation, ORGANISATION_AUDIT_FIELDS)
    organisation.verification_status = VerificationStatus.VERIFIED
    organisation.verified_at = timezone.now()
    organisation.verified_by = actor
    organisation.verification_note = note
    organisation.save(update_fields=["verification_status", "verified_at", "verified_by", "verification_note"])
    audit_record(actor=actor, action="organisation.verify", target=organisation, before=before, after=snapshot(organisation, ORGANISATION_AUDIT_FIELDS), reason=note)
    notify(
        recipients=organisation.members.all(),
        title=_("%(name)s 已通过机构认证") % {"name": organisation.name},
        body=_("贵机构已通过认证，可以参加场景大赛等活动。"),
        link=reverse("accounts:my-organisation"),
    )
    return organisation


@transaction.atomic
def organisation_reject(*, actor: User, organisation: Organisation, reason: str) -> Organisation:
    _require_operator(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写不通过的原因。"), code="reason_required")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verification_status != VerificationStatus.PENDING:
        raise DomainError(_("只有待审核的机构可以退回。"), code="not_pending")
    before = snapshot(organisation, ORGANISATION_AUDIT_FIELDS)
    organisation.verification_status = VerificationStatus.REJECTED
    organisation.verified_at = timezone.now()
    organisation.verified_by = actor
    organisation.verification_note = reason
    organisation.save(update_fields=["verification_status", "verified_at", "verified_by", "verification_note"])
    audit_record(actor=actor, action="organisation.reject", target=organisation, before=before, after=snapshot(organisation, ORGANISATION_AUDIT_FIELDS), reason=reason)
    notify(
        recipients=organisation.members.all(),
        title=_("%(name)s 的机构认证未通过") % {"name": organisation.name},
        body=_("原因：%(reason)s") % {"reason": reason},
        link=reverse("accounts:my-organisation"),
    )
    return organisation


@transaction.atomic
def organisation_request_reverification(*, actor: User) -> Organisation:
    """After a rejection, the organisation's admin asks for another review."""
    organisation = actor.organisation
    if organisation is None or not actor.is_organisation_admin:
        raise PermissionDenied(_("只有机构管理员可以申请重新审核。"))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verification_status != VerificationStatus.REJECTED:
        raise DomainError(_("只有未通过认证的机构可以申请重新审核。"), code="not_rejected")
    before = snapshot(organisation, ORGANISATION_AUDIT_FIELDS)
    organisation.verification_status = VerificationStatus.PENDING
    organisation.save(update_fields=["verification_status"])
    audit_record(actor=actor, action="organisation.request_reverification", target=organisation, before=before, after=snapshot(organisation, ORGANISATION_AUDIT_FIELDS))
    return organisation


@transaction.atomic
def invitation_create(*, actor: User, email: str, roles: list[str]) -> Invitation:
    """An organisation admin invites a colleague. Side effects: Invitation, e-mail, audit record."""
    organisation = actor.organisation
    if organisation is None or not actor.is_organisation_admin:
        raise PermissionDenied(_("只有机构管理员可以邀请同事。"))
    allowed = set(INVITABLE_ROLES.get(organisation.kind, []))
    if not roles:
        raise DomainError(_("请至少选择一个角色。"), code="roles_required")
    if not set(roles) <= allowed:
        raise DomainError(_("所选角色不适用于本机构。"), code="role_not_allowed")
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(_("该邮箱已有账号。"), code="email_taken")
    if organisation.invitations.filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()).exists():
        raise DomainError(_("已向该邮箱发出邀请，尚未接受。"), code="invitation_pending")
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        roles=sorted(set(roles)),
        token=secrets.token_urlsafe(32),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit_record(actor=actor, action="invitation.create", target=organisation, after={"email": email, "roles": invitation.roles})
    link = settings.PORTAL_BASE_URL + reverse("accounts:accept-invitation", args=[invitation.token])
    _send_mail_on_commit(
        to=email,
        subject=_("%(name)s 邀请您加入场景开放门户") % {"name": organisation.name},
        body=_("%(inviter)s 邀请您以 %(organisation)s 成员身份使用场景开放门户。\n请在 %(days)d 天内打开以下链接设置账号：\n%(link)s")
        % {"inviter": actor.display_name, "organisation": organisation.name, "days": settings.INVITATION_VALID_DAYS, "link": link},
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    if not actor.is_organisation_admin or actor.organisation_id != invitation.organisation_id:
        raise PermissionDenied(_("只有本机构管理员可以撤回邀请。"))
    if not invitation.is_open:
        raise DomainError(_("该邀请已失效。"), code="invitation_closed")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="invitation.revoke", target=invitation.organisation, before={"email": invitation.email})


@transaction.atomic
def invitation_accept(*, token: str, username: str, display_name: str, password: str, phone: str = "") -> User:
    """The invited colleague sets up the account; the e-mail is confirmed by having the link."""
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("organisation").filter(token=token).first()
    if invitation is None or not invitation.is_open:
        raise DomainError(_("邀请链接无效或已过期，请联系贵机构管理员重新邀请。"), code="invitation_closed")
    _check_username_and_email(username=username, email=invitation.email)
    user = _new_user(
        username=username,
        display_name=display_name,
        email=invitation.email,
        phone=phone,
        organisation=invitation.organisation,
        password=password,
        is_active=True,
    )
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email_confirmed_at"])
    for role in invitation.roles:
        _grant(actor=invitation.invited_by, user=user, role=role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit_record(actor=user, action="invitation.accept", target=invitation.organisation, after={"user": user.username, "roles": invitation.roles})
    notify(recipients=[invitation.invited_by], title=_("%(name)s 已接受邀请") % {"name": display_name}, link=reverse("accounts:my-organisation"), email=False)
    return user


def password_setup_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.PORTAL_BASE_URL + reverse("accounts:password_reset_confirm", args=[uid, token])


@transaction.atomic
def account_create_by_operator(
    *, actor: User, role: str, username: str, display_name: str, email: str, organisation: Organisation | None = None, phone: str = ""
) -> User:
    """Operators open judge and official accounts; the person sets a password from an e-mailed link."""
    _require_operator(actor)
    if role not in OPERATOR_CREATED_ROLES:
        raise DomainError(_("运营方只能开通评审专家和领导/部门账号。"), code="role_not_allowed")
    _check_username_and_email(username=username, email=email)
    user = _new_user(username=username, display_name=display_name, email=email, phone=phone, organisation=organisation, password=None, is_active=True)
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email_confirmed_at"])
    _grant(actor=actor, user=user, role=role)
    audit_record(actor=actor, action="account.create", target=user, after={"username": username, "role": role, "organisation": organisation.pk if organisation else None})
    link = password_setup_link(user)
    _send_mail_on_commit(
        to=email,
        subject=_("您的场景开放门户账号已开通"),
        body=_("%(name)s，您好：\n\n运营方已为您开通“%(role)s”账号，用户名：%(username)s。\n请打开以下链接设置密码：\n%(link)s")
        % {"name": display_name, "role": Role(role).label, "username": username, "link": link},
    )
    return user
