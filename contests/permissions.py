"""Who may do what in 场景大赛: plain predicates, and the DRF permission classes built on them.

Operators are recognised by the project's one `accounts.permissions.is_operator`. Services refuse
with PermissionDenied (`require_contest_manager`); pages answer 404 (`core.permissions.require`), so a page a person
may not use does not reveal that it exists, and a foreign id is simply not found.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from accounts.choices import EXCLUSIVE_ROLES, Role
from accounts.permissions import acts_for, is_operator
from contests.choices import EntryStatus, Round
from contests.conflicts import conflicts
from contests.models import PanelMembership, Recusal, RecusalCommitment
from core.errors import PermissionDenied


def may_manage_contest(user) -> bool:
    """Operators run the contests: rounds, eligibility rules and review, the rubric, panels, the
    running order, tie decisions, objections' answers, awards and the cooperation records."""
    return is_operator(user)


def may_see_judges_scores(user, contest) -> bool:
    """Each judge's points per criterion (the 评分汇总表, other judges' sheets): the operators who run
    the contest, once scoring is over (from 公示 on). Never while scoring is open — panel members
    themselves see no other judge's points then — and never officials, who read the published
    results (ranks and totals)."""
    return may_manage_contest(user) and contest.is_at_or_after(Round.NOTICE)


def can_oversee_contests(user) -> bool:
    """Operators and officials (领导/部门) read every award and every winner's cooperation (not the
    judges' points: may_see_judges_scores)."""
    return is_operator(user) or (user.is_authenticated and user.has_role(Role.OFFICIAL))


def is_judge(user) -> bool:
    """An expert of the judge pool (评审专家)."""
    return user.is_authenticated and user.has_role(Role.JUDGE)


def may_raise_objection(user) -> bool:
    """异议 during 公示: anyone signed in who holds a business role. A member whose organisation has
    given them no role yet acts for nobody, and the 三员 (auditor, system administrator) take no
    part in the business (三员分立)."""
    return bool(
        user.is_authenticated and any(user.has_role(role) for role in Role.values if role not in EXCLUSIVE_ROLES)
    )


def is_company(user) -> bool:
    return user.is_authenticated and user.has_role(Role.COMPANY)


def can_enter_contests(user) -> bool:
    """A company user of an organisation may start an entry (揭榜); whether the organisation is
    verified is checked when it does (accounts.permissions.organisation_may_enter_contests)."""
    return is_company(user) and user.organisation_id is not None


def can_publish_challenges(user) -> bool:
    """A publisher (发榜方) user of an organisation may put its published scenarios into a contest."""
    return user.is_authenticated and user.has_role(Role.PUBLISHER) and user.organisation_id is not None


def can_follow_challenge(user, challenge) -> bool:
    """A challenge's follow page (its entries, running order, ranking, awards and agreements as
    the contest advances): the publisher role of the organisation whose scenario it is, and the
    operators and officials who oversee every contest. Nobody else, not even a colleague of the
    publisher without the publisher role."""
    if can_oversee_contests(user):
        return True
    return acts_for(user, challenge.scenario.publisher_id, Role.PUBLISHER)


# The roles under which an organisation invited into a consortium (a company or an institute)
# answers and follows the entry: a company's company users, an institute's publisher.
CONSORTIUM_MEMBER_ROLES = (Role.COMPANY, Role.PUBLISHER)


def acts_for_consortium_member(user, organisation_id) -> bool:
    return acts_for(user, organisation_id, *CONSORTIUM_MEMBER_ROLES)


def is_lead_of(user, entry) -> bool:
    """A company user of the entry's lead organisation: edits, attaches files, submits."""
    return acts_for(user, entry.lead_id, Role.COMPANY)


def may_act_for_judge(user, judge) -> bool:
    """A judge keeps their own profile and relationships; operators may do it for them."""
    return user.pk == judge.pk or is_operator(user)


def is_panel_chair(user, challenge) -> bool:
    return (
        user.is_authenticated
        and PanelMembership.objects.filter(challenge=challenge, judge=user, is_chair=True).exists()
    )


def can_score(user, entry) -> bool:
    """A judge sees and scores an eligible entry of their panel only after signing the contest's
    回避承诺, never one they recused from or are conflicted with (contests.conflicts)."""
    if not user.is_authenticated or entry.status != EntryStatus.ELIGIBLE:
        return False
    # The panel, the 回避承诺 and the recusal in one query: every sheet a judge saves asks this.
    on_panel, signed, recused = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            on_panel=Exists(PanelMembership.objects.filter(challenge_id=entry.challenge_id, judge=OuterRef("pk"))),
            signed=Exists(
                RecusalCommitment.objects.filter(judge=OuterRef("pk"), contest_id=entry.challenge.contest_id)
            ),
            recused=Exists(Recusal.objects.filter(judge=OuterRef("pk"), entry=entry)),
        )
        .values_list("on_panel", "signed", "recused")
        .get()
    )
    return on_panel and signed and not recused and not conflicts(user, entry)


def is_cooperation_party(user, entry) -> bool:
    """Operators, the 揭榜方 (the lead's company users) and the 发榜方 (the publisher role of the
    scenario's organisation) of a winning entry: they see its cooperation page and report progress
    on its 联合攻关任务书."""
    if is_operator(user):
        return True
    return is_lead_of(user, entry) or acts_for(user, entry.challenge.scenario.publisher_id, Role.PUBLISHER)


def can_report_progress(user, agreement) -> bool:
    return is_cooperation_party(user, agreement.entry)


def require_contest_manager(actor) -> None:
    """Services refuse anyone but an operator with a message."""
    if not may_manage_contest(actor):
        raise PermissionDenied(_("只有运营管理人员可以执行此操作。"))


class MayManageContest(BasePermission):
    """DRF: operators only (403 for everyone else)."""

    def has_permission(self, request, view):
        return bool(request.user and may_manage_contest(request.user))
