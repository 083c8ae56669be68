"""Eligibility rules a contest may set. The list is closed on purpose.

Policy §四(二): 不得仅以企业规模、市场业绩等为由限制参与资格 — eligibility may never be limited by
company size or market results. No rule here looks at headcount, revenue, registered capital,
market share or past sales, and the rule editor offers nothing else.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from capability_list.models import CapabilityEntry

POLICY_NOTE = _(
    "依据《实施意见》第四条第（二）项，不得仅以企业规模、市场业绩等为由限制参与资格，因此本系统不提供此类条件。"
)


@dataclass(frozen=True)
class RuleKind:
    code: str
    label: str | Promise
    check: callable  # (entry, parameter) -> str | None: a Chinese reason when not met


def _verified(entry, parameter):
    return None if entry.lead.is_verified else _("揭榜单位尚未通过机构认证。")


def _in_ningbo(entry, parameter):
    return None if entry.lead.district_id else _("揭榜单位未登记所在区域。")


def _listed_capability(entry, parameter):
    listed = CapabilityEntry.objects.filter(company=entry.lead, status="listed").exists()
    return None if listed else _("揭榜单位在能力清单中没有已入库的技术（产品）。")


def _credit_commitment(entry, parameter):
    return None if entry.commitment_signed_at else _("未签署信用承诺。")


RULE_KINDS = {
    kind.code: kind
    for kind in [
        RuleKind("verified_organisation", _("揭榜单位已通过机构认证"), _verified),
        RuleKind("registered_district", _("揭榜单位登记了所在区域"), _in_ningbo),
        RuleKind("listed_capability", _("揭榜单位在能力清单中有已入库条目"), _listed_capability),
        RuleKind("credit_commitment", _("签署信用承诺"), _credit_commitment),
    ]
}
# Every contest applies these whatever its rules say.
ALWAYS = ("verified_organisation", "credit_commitment")


def unmet_conditions(entry) -> list[str]:
    """The reasons an entry does not meet its contest's eligibility rules (empty when it does)."""
    codes = set(ALWAYS) | set(entry.challenge.contest.eligibility_rules.values_list("kind", flat=True))
    reasons = []
    for code in sorted(codes):
        kind = RULE_KINDS.get(code)
        if kind is not None:
            reason = kind.check(entry, "")
            if reason:
                reasons.append(str(reason))
    return reasons
