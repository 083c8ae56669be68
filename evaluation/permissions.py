"""Who may do what in evaluation: plain predicates, and the DRF permission classes built on them."""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from accounts.choices import Role
from accounts.permissions import is_official, is_operator
from core.errors import PermissionDenied
from evaluation.choices import RoundStatus
from evaluation.experts import has_signed_commitment, subject_conflicts
from evaluation.models import Finding, RoundExpert

# The roles under which an organisation's people act for it in evaluation (self-assessment and
# evidence, rectification of findings, replications, tolerance incidents). Membership alone is not
# a mandate: an employee who is only an expert of the judge pool, or an account without a role,
# reads and writes nothing of the organisation's evaluation.
WORKING_ROLES = frozenset({Role.PUBLISHER, Role.COMPANY, Role.ASSOCIATION, Role.OFFICIAL})


def has_working_role(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.organisation_id and WORKING_ROLES & user.roles)


def works_for(user, organisation_id) -> bool:
    """A signed-in user of the organisation holding a working role."""
    return organisation_id is not None and has_working_role(user) and user.organisation_id == organisation_id


def is_round_lead(user, round_id: int) -> bool:
    """专家组长 of the round: records consensus and findings, reopens sheets."""
    return bool(
        user.is_authenticated and RoundExpert.objects.filter(round_id=round_id, expert=user, is_lead=True).exists()
    )


def evaluation_menu(user) -> dict[str, bool]:
    """What the menu shows an organisation's working user: 本单位评估 (the organisation is a subject
    of a round), 整改清单 (it has findings), 包容期 (it publishes a scenario with a tolerance
    period). One query per request, kept on the user object; nothing for anyone else."""
    if not has_working_role(user):
        return {"subjects": False, "findings": False, "tolerance": False}
    if not hasattr(user, "_evaluation_menu"):
        from accounts.models import Organisation
        from evaluation.models import SubjectOrganisation, TolerancePeriod

        organisation = OuterRef("pk")
        flags = (
            Organisation.objects.filter(pk=user.organisation_id)
            .annotate(
                subjects=Exists(SubjectOrganisation.objects.filter(organisation=organisation)),
                findings=Exists(Finding.objects.filter(organisation=organisation)),
                tolerance=Exists(TolerancePeriod.objects.filter(scenario__publisher=organisation)),
            )
            .values("subjects", "findings", "tolerance")
            .first()
        )
        user._evaluation_menu = flags or {"subjects": False, "findings": False, "tolerance": False}
    return user._evaluation_menu


# === Frameworks (评价指标体系, computed indicator rules) ===


def may_manage_frameworks(user) -> bool:
    """Operators edit drafts, publish, start revisions, compute and import figures."""
    return is_operator(user)


def require_framework_manager(user) -> None:
    if not may_manage_frameworks(user):
        raise PermissionDenied(_("只有运营管理人员可以维护评价指标体系。"))


def may_read_frameworks(user) -> bool:
    """Published frameworks are read by operators, experts of the judge pool and the users with a
    working role of an organisation that is (or was) an evaluation subject; drafts by operators only."""
    if not user.is_authenticated:
        return False
    if is_operator(user) or user.has_role(Role.JUDGE):
        return True
    return evaluation_menu(user)["subjects"]  # has_working_role, and the organisation is a subject


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


def is_expert(user) -> bool:
    """An expert of the judge pool (评审专家): the only role that writes evaluation sheets."""
    return bool(user is not None and user.is_authenticated and user.has_role(Role.JUDGE))


# Rounds: operators run them; experts of the judge pool score; a subject's organisations write
# the self-assessment. A page a person may not use answers 404 (core.permissions.require).


def may_manage_rounds(user) -> bool:
    """Operators open rounds, add subjects, assign the team and move the round on."""
    return is_operator(user)


def can_act_for_subject(user, subject) -> bool:
    """A user of one of the subject's organisations holding a working role (WORKING_ROLES)."""
    return (
        has_working_role(user) and subject.subject_organisations.filter(organisation_id=user.organisation_id).exists()
    )


def is_round_expert(user, round_id: int) -> bool:
    return user.is_authenticated and RoundExpert.objects.filter(round_id=round_id, expert=user).exists()


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


def may_rectify(user, finding) -> bool:
    """A person of the finding's organisation with a working role reports its rectification."""
    return has_working_role(user) and user.organisation_id == finding.organisation_id


def may_create_finding(user, subject) -> bool:
    return is_operator(user) or is_round_lead(user, subject.round_id)


def may_start_round_report(user) -> bool:
    return is_operator(user)


def may_read_round_report(user, round_) -> bool:
    """The round's report: operators always; once the round is closed it is published to the
    working users of the round's subject organisations, and officials read it."""
    if is_operator(user):
        return True
    if not round_.is_closed or not user.is_authenticated:
        return False
    if is_official(user):
        return True
    from evaluation.models import SubjectOrganisation

    return (
        has_working_role(user)
        and SubjectOrganisation.objects.filter(subject__round=round_, organisation_id=user.organisation_id).exists()
    )


def organisation_has_findings(user) -> bool:
    """The menu's 整改清单: people with a working role whose organisation has findings."""
    return evaluation_menu(user)["findings"]


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


def may_decide_cases(user) -> bool:
    """Operators decide typical cases and verify replications."""
    return is_operator(user)


def works_for_case_subject(user, case) -> bool:
    """A working user of one of the organisations of the case's subject (they supplement a case
    asked for more)."""
    return any(works_for(user, link.organisation_id) for link in case.subject.subject_organisations.all())


def may_record_replication(user, case) -> bool:
    """A working user of an organisation other than the case's own may record a replication."""
    if not (user.is_authenticated and user.organisation_id and WORKING_ROLES & user.roles):
        return False
    return all(link.organisation_id != user.organisation_id for link in case.subject.subject_organisations.all())


class MayDecideCases(BasePermission):
    """DRF: operators only; everyone else is answered as if the action did not exist (404)."""

    def has_permission(self, request, view):
        if not may_decide_cases(request.user):
            raise Http404
        return True


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
    """The menu's 包容期: a publisher-role user whose organisation publishes a scenario with a
    tolerance period."""
    return bool(user.is_authenticated and user.has_role(Role.PUBLISHER)) and evaluation_menu(user)["tolerance"]
