"""Who may do what in accounts: plain predicates, and the DRF permission classes built on them."""

from rest_framework.permissions import BasePermission

from accounts.choices import INVITABLE_ROLES, OPERATOR_CREATED_ROLES, Role
from core.permissions import AccessRefused


def has_role(user, role: str) -> bool:
    """Signed in and holding the role (None and anonymous visitors hold none)."""
    return bool(user is not None and user.is_authenticated and user.has_role(role))


def acts_for(user, organisation_id, *roles: str) -> bool:
    """The person works for the organisation in one of `roles`: the roles that own its data and act
    in its name (publisher, company, association …). Membership alone is not a mandate: a colleague
    whose only role is 评审专家, or who has none, reads and does nothing of the organisation's."""
    return bool(
        organisation_id is not None
        and user is not None
        and user.is_authenticated
        and user.organisation_id == organisation_id
        and any(user.has_role(role) for role in roles)
    )


def organisation_acted_for(user, *roles: str) -> int | None:
    """The id of the person's organisation when they hold one of `roles` in it, else None: what a
    selector adds its organisation's own records for (test for None first: `Q(owner_id=None)`
    would match the rows without an owner)."""
    if user is None or not user.is_authenticated or user.organisation_id is None:
        return None
    return user.organisation_id if any(user.has_role(role) for role in roles) else None


def is_operator(user) -> bool:
    """运营管理: the one test of the operator role for the whole project."""
    return has_role(user, Role.OPERATOR)


def is_official(user) -> bool:
    return has_role(user, Role.OFFICIAL)


def is_auditor(user) -> bool:
    return has_role(user, Role.AUDITOR)


def can_read_all_organisations(user) -> bool:
    """Operators and officials read every organisation (list, export); others only their own."""
    return is_operator(user) or is_official(user)


def can_manage_organisation_members(user) -> bool:
    return user.is_authenticated and user.is_organisation_admin and user.organisation_id is not None


def can_see_verification_evidence(user, organisation) -> bool:
    """The files an organisation gives for its verification: its admins and the operators."""
    return is_operator(user) or (can_manage_organisation_members(user) and user.organisation_id == organisation.pk)


def can_add_verification_evidence(user, organisation) -> bool:
    """Its admins add them until an operator has verified it."""
    return (
        can_manage_organisation_members(user)
        and user.organisation_id == organisation.pk
        and not organisation.is_verified
    )


def can_manage_role(actor, user, role: str) -> bool:
    """Admins give any role; operators the roles they open accounts for; an organisation's admin
    the roles its kind of organisation may invite, to its own members."""
    if has_role(actor, Role.ADMIN):
        return True
    if is_operator(actor) and role in OPERATOR_CREATED_ROLES:
        return True
    return (
        actor.is_organisation_admin
        and actor.organisation_id is not None
        and actor.organisation_id == user.organisation_id
        and role in INVITABLE_ROLES.get(actor.organisation.kind, [])
    )


def require_role(user, role: str) -> None:
    """Pages of a role answer 404 to everyone else: they do not reveal that they exist (the refusal
    of a signed-in person is audited as a denial)."""
    if not has_role(user, role):
        raise AccessRefused


class HasRole(BasePermission):
    """DRF permission: the user holds `required_role` (set on a subclass or via HasRole.of(role))."""

    required_role: str = ""

    def has_permission(self, request, view):
        return has_role(request.user, self.required_role)

    @classmethod
    def of(cls, role: str):
        return type(f"Has{role.title()}Role", (cls,), {"required_role": role})


IsOperator = HasRole.of(Role.OPERATOR)
IsAuditor = HasRole.of(Role.AUDITOR)


def organisation_may_enter_contests(organisation) -> bool:
    """Only organisations an operator has verified may enter a contest (issue: foundation)."""
    return organisation is not None and organisation.is_verified
