"""Conflicts of interest between a judge and an entry (DESIGN.md § Contests).

A judge is conflicted when they belong to — or their declared affiliation's credit code is that of —
the entrant, a consortium member or the publisher; when they declared an employment, shareholding or
a collaboration within the last three years with one of those; or when they helped draft the challenge.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

COLLABORATION_YEARS = 3


def parties(entry, members=None) -> dict[int, str]:
    """{organisation id: role} of everyone with a stake in the entry (the publisher counts first)."""
    stake = {entry.lead_id: _("揭榜单位")}
    for member in entry.members.all() if members is None else members:
        if member.status != "declined":
            stake.setdefault(member.organisation_id, _("联合体成员"))
    stake[entry.challenge.scenario.publisher_id] = _("发榜方")
    return stake


def conflicts(judge, entry, members=None) -> list[str]:
    """Each reason the judge may not see or score the entry (empty: no conflict).

    `members` overrides the entry's consortium (an unsaved entry stands for "the publisher only")."""
    from accounts.models import Organisation

    reasons = []
    stake = parties(entry, members)
    if judge.organisation_id in stake:
        reasons.append(_("与%(role)s属同一单位。") % {"role": stake[judge.organisation_id]})
    profile = getattr(judge, "judge_profile", None)
    if profile is not None and profile.affiliation_credit_code:
        codes = dict(Organisation.objects.filter(pk__in=stake).values_list("credit_code", "id"))
        if profile.affiliation_credit_code in codes:
            reasons.append(_("工作单位信用代码与%(role)s相同。") % {"role": stake[codes[profile.affiliation_credit_code]]})
    this_year = timezone.localdate().year
    for relationship in judge.declared_relationships.filter(organisation_id__in=stake):
        recent = relationship.ended_year is None or relationship.ended_year >= this_year - COLLABORATION_YEARS
        if relationship.kind == "collaboration" and not recent:
            continue
        if relationship.kind == "employment" and not recent:
            continue
        reasons.append(
            _("申报了与%(role)s的%(kind)s关系。") % {"role": stake[relationship.organisation_id], "kind": relationship.get_kind_display()}
        )
    if entry.challenge.drafters.filter(pk=judge.pk).exists():
        reasons.append(_("参与了该榜单的起草。"))
    return reasons


def conflicts_with_challenge(judge, challenge) -> dict[int, list[str]]:
    """{entry id: reasons} for every entry of the challenge the judge is conflicted with."""
    found = {}
    for entry in challenge.entries.exclude(status="withdrawn").select_related("challenge__scenario").prefetch_related("members"):
        reasons = conflicts(judge, entry)
        if reasons:
            found[entry.pk] = reasons
    return found
