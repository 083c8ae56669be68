"""Who may do what with scenarios: predicates used by services, selectors, pages and the API."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.choices import Role
from accounts.permissions import (  # the project's one is_operator, also for scenarios' callers
    acts_for,
    has_role,
    is_operator,
)
from scenarios.choices import PUBLIC_STATUSES
from scenarios.workflow import OFFERED, OPERATOR, PUBLISHER


def can_create_scenario(user) -> bool:
    return bool(has_role(user, Role.PUBLISHER) and user.organisation_id)


def is_publisher_of(user, scenario) -> bool:
    return can_create_scenario(user) and user.organisation_id == scenario.publisher_id


def can_view_scenario(user, scenario) -> bool:
    """Published scenarios for everyone; the others for operators and the publisher role of the
    organisation that writes them (not for a colleague who is only a judge, or has no role)."""
    if scenario.status in PUBLIC_STATUSES:
        return True
    if not (user and user.is_authenticated):
        return False
    return is_operator(user) or is_publisher_of(user, scenario)


def can_edit_scenario(user, scenario) -> bool:
    return is_publisher_of(user, scenario) and scenario.is_editable


def actor_kinds(user, scenario) -> set[str]:
    kinds = set()
    if is_publisher_of(user, scenario):
        kinds.add(PUBLISHER)
    if is_operator(user):
        kinds.add(OPERATOR)
    return kinds


def allowed_actions(user, scenario) -> list[str]:
    """The workflow actions this person may take on this scenario now (for buttons)."""
    kinds = actor_kinds(user, scenario)
    return [
        action
        for action, transition in OFFERED.items()
        if scenario.status in transition.sources and kinds & transition.actors
    ]


# The role under which an institute's people open its instruments and answer requests for them:
# the institute's publisher (发榜方), who also opens its scenarios. Its experts and role-less
# members do not act in its name.
INSTRUMENT_MANAGER_ROLE = Role.PUBLISHER


def can_manage_instrument(user, institute_id: int) -> bool:
    """The instrument's own institute (its publisher role), or an operator."""
    return is_operator(user) or (
        acts_for(user, institute_id, INSTRUMENT_MANAGER_ROLE) and user.organisation.kind == "institute"
    )


def may_open_instruments(user) -> bool:
    """Who may open an instrument at all: an operator, or an institute's publisher (for its own)."""
    return is_operator(user) or bool(
        has_role(user, INSTRUMENT_MANAGER_ROLE) and user.organisation_id and user.organisation.kind == "institute"
    )


class IsOperatorOrReadOnly(BasePermission):
    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or is_operator(request.user)
