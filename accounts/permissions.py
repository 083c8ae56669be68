"""Who may do what in accounts: plain predicates, and the DRF permission classes built on them."""

from django.http import Http404
from rest_framework.permissions import BasePermission

from accounts.choices import Role


def is_operator(user) -> bool:
    return user.is_authenticated and user.has_role(Role.OPERATOR)


def is_auditor(user) -> bool:
    return user.is_authenticated and user.has_role(Role.AUDITOR)


def can_manage_organisation_members(user) -> bool:
    return user.is_authenticated and user.is_organisation_admin and user.organisation_id is not None


def require_role(user, role: str) -> None:
    """Pages of a role answer 404 to everyone else: they do not reveal that they exist."""
    if not (user.is_authenticated and user.has_role(role)):
        raise Http404


class HasRole(BasePermission):
    """DRF permission: the user holds `required_role` (set on a subclass or via HasRole.of(role))."""

    required_role: str = ""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_role(self.required_role))

    @classmethod
    def of(cls, role: str):
        return type(f"Has{role.title()}Role", (cls,), {"required_role": role})


IsOperator = HasRole.of(Role.OPERATOR)
IsAuditor = HasRole.of(Role.AUDITOR)


def organisation_may_enter_contests(organisation) -> bool:
    """Only organisations an operator has verified may enter a contest (issue: foundation)."""
    return organisation is not None and organisation.is_verified
