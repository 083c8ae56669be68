"""Who may do what in evaluation: plain predicates, and the DRF permission classes built on them."""

from rest_framework.permissions import BasePermission

from accounts.choices import Role
from accounts.permissions import is_operator

# === Frameworks (评价指标体系, computed indicator rules) ===


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


# === Typical cases (典型案例) and replications (复制推广) ===

# The roles with which a person works for an organisation (an expert's or an auditor's membership
# is not a mandate to act for it).
WORKING_ROLES = (Role.PUBLISHER, Role.COMPANY, Role.ASSOCIATION, Role.OFFICIAL)


def works_for(user, organisation_id) -> bool:
    """A signed-in user of the organisation holding a working role (publisher, company, association
    or official): membership alone is not enough."""
    return bool(
        user is not None
        and user.is_authenticated
        and organisation_id is not None
        and user.organisation_id == organisation_id
        and any(user.has_role(role) for role in WORKING_ROLES)
    )


def may_decide_cases(user) -> bool:
    """Operators decide typical cases and verify replications."""
    return is_operator(user)


def works_for_case_subject(user, case) -> bool:
    """A working user of one of the organisations of the case's subject (they supplement a case
    asked for more)."""
    return any(works_for(user, link.organisation_id) for link in case.subject.subject_organisations.all())


def may_record_replication(user, case) -> bool:
    """A working user of an organisation other than the case's own may record a replication."""
    if not (user.is_authenticated and user.organisation_id and any(user.has_role(r) for r in WORKING_ROLES)):
        return False
    return all(link.organisation_id != user.organisation_id for link in case.subject.subject_organisations.all())


class MayDecideCases(BasePermission):
    def has_permission(self, request, view):
        return may_decide_cases(request.user)


# === Tolerance register (包容期 and 容错) ===


def may_manage_tolerance(user) -> bool:
    """Operators open, end and decide on the register."""
    return is_operator(user)


def is_tolerance_publisher(user, period) -> bool:
    """A publisher-role user of the scenario's publisher organisation."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.has_role(Role.PUBLISHER)
        and user.organisation_id is not None
        and user.organisation_id == period.scenario.publisher_id
    )


def may_use_tolerance_register(user) -> bool:
    """The nav predicate: a publisher-role user whose organisation has a tolerance period. The set
    of such organisations is cached (no query per page), cleared when a period is opened."""
    if not (user.is_authenticated and user.organisation_id and user.has_role(Role.PUBLISHER)):
        return False
    return user.organisation_id in tolerance_organisation_ids()


TOLERANCE_ORGANISATIONS_CACHE_KEY = "evaluation:tolerance-organisation-ids"


def tolerance_organisation_ids() -> frozenset[int]:
    from django.core.cache import cache

    from evaluation.models import TolerancePeriod

    ids = cache.get(TOLERANCE_ORGANISATIONS_CACHE_KEY)
    if ids is None:
        ids = frozenset(TolerancePeriod.objects.values_list("scenario__publisher_id", flat=True))
        cache.set(TOLERANCE_ORGANISATIONS_CACHE_KEY, ids, 3600)
    return ids
