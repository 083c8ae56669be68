"""Who may do what in evaluation: plain predicates, and the DRF permission classes built on them."""

from django.http import Http404
from rest_framework.permissions import BasePermission

from accounts.choices import Role
from accounts.permissions import is_operator
from evaluation.choices import RoundStatus
from evaluation.models import Finding, RoundExpert

# === Frameworks (评价指标体系, computed indicator rules) ===


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


# === Tolerance register (包容期 and 容错) ===
