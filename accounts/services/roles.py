"""Writes for roles: giving and taking back a role, with 三员分立 and the organisation kind checked."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.choices import EXCLUSIVE_ROLES, ROLE_ORGANISATION_KINDS, Role
from accounts.models import RoleAssignment, User
from accounts.permissions import can_manage_role
from accounts.reference_data import SYSTEM_ADMINISTRATOR_GROUP, seed_system_administrator_group
from core.errors import DomainError, PermissionDenied
from core.messages import Message, label
from core.services.audit import audit_record
from core.services.notifications import notify


def role_check_compatible(*, user: User, role: str, existing_roles: set[str]) -> None:
    """Refuse a role that breaks 三员分立 or does not fit the person's organisation."""
    if role in EXCLUSIVE_ROLES and existing_roles - {role}:
        raise DomainError(
            _("“%(role)s”角色不能与其他角色兼任（三员分立）。") % {"role": Role(role).label}, code="role_exclusive"
        )
    held_exclusive = existing_roles & EXCLUSIVE_ROLES
    if held_exclusive and role not in held_exclusive:
        raise DomainError(
            _("该账号已是“%(role)s”，不能再兼任其他角色（三员分立）。")
            % {"role": Role(next(iter(held_exclusive))).label},
            code="role_exclusive",
        )
    kind = user.organisation.kind if user.organisation_id else None
    if kind not in ROLE_ORGANISATION_KINDS[Role(role)]:
        raise DomainError(
            _("“%(role)s”角色与所属机构类型不符。") % {"role": Role(role).label}, code="role_organisation_mismatch"
        )


def _administrator_group() -> Group:
    """The group holding the admin's model permissions (a data migration makes it; a flushed test
    database gets it back here)."""
    group = Group.objects.filter(name=SYSTEM_ADMINISTRATOR_GROUP).first()
    return group or seed_system_administrator_group(Group, Permission)


def system_administrator_access(user: User, *, granted: bool) -> None:
    """The 系统管理员 role opens the admin (is_staff) and gives its model permissions (the group);
    taking the role back closes both. Nothing else makes anyone staff."""
    if user.is_staff != granted:
        user.is_staff = granted
        user.save(update_fields=["is_staff"])
    if granted:
        user.groups.add(_administrator_group())
    else:
        user.groups.remove(*Group.objects.filter(name=SYSTEM_ADMINISTRATOR_GROUP))


def role_assign(*, actor: User | None, user: User, role: str) -> RoleAssignment:
    """Record a role whose giving is already decided (an invitation accepted, an account opened).

    Checks only that the role is new and compatible. Side effects: RoleAssignment, for the admin
    role is_staff and the 系统管理员 group (its model permissions), an audit record. role_grant is
    the checked action for a person giving a role.
    """
    existing = set(user.role_assignments.values_list("role", flat=True))
    if role in existing:
        raise DomainError(_("该用户已拥有此角色。"), code="role_exists")
    role_check_compatible(user=user, role=role, existing_roles=existing)
    assignment = RoleAssignment.objects.create(user=user, role=role, granted_by=actor)
    if role == Role.ADMIN:
        system_administrator_access(user, granted=True)
    user.roles_forget()
    audit_record(
        actor=actor,
        action="role.grant",
        target=user,
        before={"roles": sorted(existing)},
        after={"roles": sorted(existing | {role})},
    )
    return assignment


@transaction.atomic
def role_grant(*, actor: User, user: User, role: str) -> RoleAssignment:
    """Give a role. Side effects: RoleAssignment, audit record, a notification to the person."""
    if role not in Role.values:
        raise DomainError(_("未知角色。"), code="unknown_role")
    if not can_manage_role(actor, user, role):
        raise PermissionDenied(_("您无权授予该角色。"))
    assignment = role_assign(actor=actor, user=user, role=role)
    notify(
        recipients=[user],
        title=Message(gettext_noop("您已获得“%(role)s”角色"), role=label(Role(role).label)),
        link=reverse("accounts:home"),
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor: User, user: User, role: str, reason: str = "") -> None:
    if not can_manage_role(actor, user, role):
        raise PermissionDenied(_("您无权撤销该角色。"))
    existing = set(user.role_assignments.values_list("role", flat=True))
    if role not in existing:
        raise DomainError(_("该用户没有此角色。"), code="role_missing")
    user.role_assignments.filter(role=role).delete()
    if role == Role.ADMIN:
        system_administrator_access(user, granted=False)
    user.roles_forget()
    audit_record(
        actor=actor,
        action="role.revoke",
        target=user,
        before={"roles": sorted(existing)},
        after={"roles": sorted(existing - {role})},
        reason=reason,
    )
