"""Who may do what in evaluation: plain predicates, and the DRF permission classes built on them."""

from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.permissions import is_operator
from core.errors import PermissionDenied

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


# === Typical cases (典型案例) and replications (复制推广) ===


# === Tolerance register (包容期 and 容错) ===
