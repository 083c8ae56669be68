"""Writes for invitations: an organisation's admin invites a colleague, who sets up the account."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.choices import INVITABLE_ROLES
from accounts.models import Invitation, User
from accounts.permissions import can_manage_organisation_members
from accounts.services.roles import role_assign
from accounts.services.users import mail_on_commit, user_add, username_and_email_check_free
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services.audit import audit_record
from core.services.notifications import notify


@transaction.atomic
def invitation_create(*, actor: User, email: str, roles: list[str]) -> Invitation:
    """An organisation admin invites a colleague. Side effects: Invitation, e-mail, audit record."""
    if not can_manage_organisation_members(actor):
        raise PermissionDenied(_("只有机构管理员可以邀请同事。"))
    organisation = actor.organisation
    allowed = set(INVITABLE_ROLES.get(organisation.kind, []))
    if not roles:
        raise DomainError(_("请至少选择一个角色。"), code="roles_required")
    if not set(roles) <= allowed:
        raise DomainError(_("所选角色不适用于本机构。"), code="role_not_allowed")
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(_("该邮箱已有账号。"), code="email_taken")
    if organisation.invitations.filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).exists():
        raise DomainError(_("已向该邮箱发出邀请，尚未接受。"), code="invitation_pending")
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        roles=sorted(set(roles)),
        token=secrets.token_urlsafe(32),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit_record(
        actor=actor, action="invitation.create", target=organisation, after={"email": email, "roles": invitation.roles}
    )
    link = settings.PORTAL_BASE_URL + reverse("accounts:accept-invitation", args=[invitation.token])
    mail_on_commit(
        to=email,
        subject=_("%(name)s 邀请您加入场景开放门户") % {"name": organisation.name},
        body=_(
            "%(inviter)s 邀请您以 %(organisation)s 成员身份使用场景开放门户。\n"
            "请在 %(days)d 天内打开以下链接设置账号：\n%(link)s"
        )
        % {
            "inviter": actor.display_name,
            "organisation": organisation.name,
            "days": settings.INVITATION_VALID_DAYS,
            "link": link,
        },
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
    audit_record(
        actor=actor, action="invitation.revoke", target=invitation.organisation, before={"email": invitation.email}
    )


@transaction.atomic
def invitation_accept(*, token: str, username: str, display_name: str, password: str, phone: str = "") -> User:
    """The invited colleague sets up the account; the e-mail is confirmed by having the link.

    Side effects: an active User in the organisation with the invited roles, the invitation
    closed, an audit record, the inviter notified.
    """
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("organisation").filter(token=token).first()
    )
    if invitation is None or not invitation.is_open:
        raise DomainError(_("邀请链接无效或已过期，请联系贵机构管理员重新邀请。"), code="invitation_closed")
    username_and_email_check_free(username=username, email=invitation.email)
    user = user_add(
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
        role_assign(actor=invitation.invited_by, user=user, role=role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit_record(
        actor=user,
        action="invitation.accept",
        target=invitation.organisation,
        after={"user": user.username, "roles": invitation.roles},
    )
    notify(
        recipients=[invitation.invited_by],
        title=Message(gettext_noop("%(name)s 已接受邀请"), name=display_name),
        link=reverse("accounts:my-organisation"),
        email=False,
    )
    return user
