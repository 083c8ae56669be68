"""Who sees and answers which matches: plain predicates (pages and the API scope their querysets
with them through matching.selectors; anything else is 404)."""

from accounts.choices import Role
from accounts.permissions import acts_for, is_operator
from matching.choices import MatchSide
from scenarios.permissions import is_publisher_of


def can_see_suppliers(user, scenario) -> bool:
    """推荐供应商 of a scenario: its publisher and operators."""
    return bool(user.is_authenticated and (is_operator(user) or is_publisher_of(user, scenario)))


def can_rebuild(user) -> bool:
    """Rebuilding every match by hand (the match table's button, or POST /api/v1/jobs/): operators."""
    return is_operator(user)


def side_of(user, match) -> str | None:
    """The side the person answers a match for: the scenario's publisher, the entry's company (its
    company role), or none."""
    if is_publisher_of(user, match.scenario):
        return MatchSide.PUBLISHER
    if acts_for(user, match.entry.company_id, Role.COMPANY):
        return MatchSide.COMPANY
    return None
