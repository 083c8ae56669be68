"""Who may do what in evaluation: plain predicates, and the DRF permission classes built on them."""

from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from accounts.choices import Role
from accounts.permissions import is_operator
from core.errors import PermissionDenied
from evaluation.experts import has_signed_commitment, subject_conflicts
from evaluation.models import RoundExpert

# === Frameworks (评价指标体系, computed indicator rules) ===


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===

# Rounds: operators run them; experts of the judge pool score; a subject's organisations write
# the self-assessment. A page a person may not use answers 404 (contests.permissions.require).

# The roles under which an organisation's people do its work on the portal. A member of a
# subject's organisation acts for the subject (self-assessment, evidence) only while holding one of
# them: bare membership is not enough (an employee who is only an expert of the judge pool, or an
# account without a role, reads and writes nothing of the subject).
SUBJECT_WORKING_ROLES = frozenset({Role.PUBLISHER, Role.COMPANY, Role.ASSOCIATION, Role.OFFICIAL})


def may_manage_rounds(user) -> bool:
    """Operators open rounds, add subjects, assign the team and move the round on."""
    return is_operator(user)


def has_subject_working_role(user) -> bool:
    return bool(user.is_authenticated and user.organisation_id and SUBJECT_WORKING_ROLES & user.roles)


def can_act_for_subject(user, subject) -> bool:
    """A user of one of the subject's organisations holding a working role (SUBJECT_WORKING_ROLES)."""
    return (
        has_subject_working_role(user)
        and subject.subject_organisations.filter(organisation_id=user.organisation_id).exists()
    )


def is_round_expert(user, round_id: int) -> bool:
    return user.is_authenticated and RoundExpert.objects.filter(round_id=round_id, expert=user).exists()


def is_round_lead(user, round_id: int) -> bool:
    return user.is_authenticated and RoundExpert.objects.filter(round_id=round_id, expert=user, is_lead=True).exists()


def can_see_subject_as_expert(user, subject) -> bool:
    """A team expert sees a subject's material only after signing the round's 回避承诺, and never a
    subject they are conflicted with (evaluation.experts)."""
    return (
        is_round_expert(user, subject.round_id)
        and has_signed_commitment(user, subject.round_id)
        and not subject_conflicts(user, subject)
    )


def can_see_subject_material(user, subject) -> bool:
    """Self-assessment and evidence: operators, the subject's working users, cleared experts."""
    return may_manage_rounds(user) or can_act_for_subject(user, subject) or can_see_subject_as_expert(user, subject)


def require_round_manager(actor) -> None:
    if not may_manage_rounds(actor):
        raise PermissionDenied(_("只有运营管理人员可以执行此操作。"))


class MayManageRounds(BasePermission):
    """DRF: operators only."""

    def has_permission(self, request, view):
        return bool(request.user and may_manage_rounds(request.user))


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


# === Typical cases (典型案例) and replications (复制推广) ===


# === Tolerance register (包容期 and 容错) ===
