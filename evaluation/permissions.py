"""Who may do what in evaluation: plain predicates, and the DRF permission classes built on them."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from accounts.choices import Role
from accounts.permissions import is_operator
from core.errors import PermissionDenied
from evaluation.choices import RoundStatus
from evaluation.models import Finding, RoundExpert

# === Frameworks (评价指标体系, computed indicator rules) ===


def may_manage_frameworks(user) -> bool:
    """Operators edit drafts, publish, start revisions, compute and import figures."""
    return is_operator(user)


def require_framework_manager(user) -> None:
    if not may_manage_frameworks(user):
        raise PermissionDenied(_("只有运营管理人员可以维护评价指标体系。"))


def may_read_frameworks(user) -> bool:
    """Published frameworks are read by operators, experts of the judge pool and the users of an
    organisation that is (or was) an evaluation subject; drafts by operators only."""
    if not user.is_authenticated:
        return False
    if is_operator(user) or user.has_role(Role.JUDGE):
        return True
    from evaluation.models import SubjectOrganisation

    return (
        user.organisation_id is not None
        and SubjectOrganisation.objects.filter(organisation_id=user.organisation_id).exists()
    )


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===

# The roles with which an organisation's people work on the portal; a member without one (e.g. a
# bare account awaiting its roles) reads nothing of the organisation's findings and updates none.
ORGANISATION_WORKING_ROLES = frozenset({Role.PUBLISHER, Role.COMPANY, Role.ASSOCIATION})


def is_round_lead(user, round_id: int) -> bool:
    """专家组长 of the round: records consensus and findings."""
    return bool(
        user.is_authenticated and RoundExpert.objects.filter(round_id=round_id, expert=user, is_lead=True).exists()
    )


def has_working_role(user) -> bool:
    return bool(user.is_authenticated and user.organisation_id and ORGANISATION_WORKING_ROLES & user.roles)


def may_rectify(user, finding) -> bool:
    """A person of the finding's organisation with a working role reports its rectification."""
    return has_working_role(user) and user.organisation_id == finding.organisation_id


def may_create_finding(user, subject) -> bool:
    return is_operator(user) or is_round_lead(user, subject.round_id)


def may_start_round_report(user) -> bool:
    return is_operator(user)


def organisation_has_findings(user) -> bool:
    """The menu's 整改清单: shown to people with a working role whose organisation has findings
    (asked once per request: the answer is kept on the user object)."""
    if not has_working_role(user):
        return False
    if not hasattr(user, "_evaluation_has_findings"):
        user._evaluation_has_findings = Finding.objects.filter(organisation_id=user.organisation_id).exists()
    return user._evaluation_has_findings


def leads_a_scoring_round(user) -> bool:
    """The menu's 专家组合议: shown to the lead of a round that is scoring."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_evaluation_leads"):
        user._evaluation_leads = RoundExpert.objects.filter(
            expert=user, is_lead=True, round__status=RoundStatus.SCORING
        ).exists()
    return user._evaluation_leads


class IsOperator(BasePermission):
    """DRF: operators only (verify, return); everyone else is answered as if the action did not exist."""

    def has_permission(self, request, view):
        if not is_operator(request.user):
            raise Http404
        return True


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
