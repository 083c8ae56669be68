"""Conflicts of interest between a judge and an entry (DESIGN.md § Contests).

A judge is conflicted when they belong to — or their declared affiliation's credit code is that of —
the entrant, a consortium member or the publisher; when they declared an employment, shareholding or
a collaboration within the last three years with one of those; or when they helped draft the challenge.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from contests.choices import EntryStatus
from contests.models import Challenge, ConsortiumMember, ContestEntry, JudgeProfile, JudgeRelationship

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
    reasons = stake_conflicts(judge, parties(entry, members))
    if entry.challenge.drafters.filter(pk=judge.pk).exists():
        reasons.append(_("参与了该榜单的起草。"))
    return reasons


def stake_conflicts(judge, stake: dict[int, str]) -> list[str]:
    """Each reason the judge is conflicted with the organisations of `stake` ({organisation id:
    role}): the same organisation, the declared employer's credit code, or a declared employment,
    shareholding or recent collaboration. Contests and evaluation rounds both apply it."""
    reasons = []
    if judge.organisation_id in stake:
        reasons.append(_("与%(role)s属同一单位。") % {"role": stake[judge.organisation_id]})
    profile = getattr(judge, "judge_profile", None)
    if profile is not None and profile.affiliation_credit_code:
        codes = dict(Organisation.objects.filter(pk__in=stake).values_list("credit_code", "id"))
        if profile.affiliation_credit_code in codes:
            reasons.append(
                _("工作单位信用代码与%(role)s相同。") % {"role": stake[codes[profile.affiliation_credit_code]]}
            )
    this_year = timezone.localdate().year
    for relationship in judge.declared_relationships.filter(organisation_id__in=stake):
        recent = relationship.ended_year is None or relationship.ended_year >= this_year - COLLABORATION_YEARS
        if relationship.kind == "collaboration" and not recent:
            continue
        if relationship.kind == "employment" and not recent:
            continue
        reasons.append(
            _("申报了与%(role)s的%(kind)s关系。")
            % {"role": stake[relationship.organisation_id], "kind": relationship.get_kind_display()}
        )
    return reasons


def challenge_conflicts(judge, challenge) -> list[str]:
    """Conflicts that bar a judge from the whole panel, before any entry exists: with the
    publisher, or as one of the challenge's drafters (the same rules as conflicts())."""
    publisher_only = ContestEntry(
        challenge=challenge, lead_id=challenge.scenario.publisher_id
    )  # unsaved; only its parties count
    return conflicts(judge, publisher_only, members=[])


def conflicted_pairs(challenge, judges, entries) -> set[tuple[int, int]]:
    """{(judge id, entry id)} with a conflict, by the same rules as conflicts(), in five queries
    whatever the panel and entry counts (the ranking reads it for every entry of a challenge)."""
    entry_ids = [entry.pk for entry in entries]
    stakes = {entry.pk: {entry.lead_id, challenge.scenario.publisher_id} for entry in entries}
    for entry_id, organisation_id in (
        ConsortiumMember.objects.filter(entry_id__in=entry_ids)
        .exclude(status="declined")
        .values_list("entry_id", "organisation_id")
    ):
        stakes[entry_id].add(organisation_id)
    pairs = stake_conflicted_pairs(judges, stakes)
    drafters = set(challenge.drafters.values_list("pk", flat=True))
    pairs |= {(judge.pk, entry_id) for judge in judges if judge.pk in drafters for entry_id in stakes}
    return pairs


def judge_conflicted_entry_ids(judge, entries) -> set[int]:
    """Ids of the entries the judge is conflicted with, by the rules of conflicts(), in four queries
    whatever the number of entries (a judge's list and score sheet read it for all their entries).
    The entries carry challenge__scenario (select_related) and members (prefetched)."""
    stakes = {entry.pk: set(parties(entry)) for entry in entries}
    conflicted = {entry_id for _judge, entry_id in stake_conflicted_pairs([judge], stakes)}
    drafted = set(
        Challenge.drafters.through.objects.filter(
            user_id=judge.pk, challenge_id__in={entry.challenge_id for entry in entries}
        ).values_list("challenge_id", flat=True)
    )
    return conflicted | {entry.pk for entry in entries if entry.challenge_id in drafted}


def stake_conflicted_pairs(judges, stakes: dict) -> set[tuple]:
    """{(judge id, key)} for each judge conflicted with the organisations of stakes[key] ({key: set
    of organisation ids}), by the rules of stake_conflicts(): the same organisation, the declared
    employer's credit code, or a declared employment, shareholding or recent collaboration. Three
    queries whatever the numbers of judges and keys; contests (key: an entry) and evaluation
    rounds (key: a subject) both read it. Two when no judge declared an affiliation's credit code."""
    all_organisations = set().union(*stakes.values()) if stakes else set()
    judge_ids = [judge.pk for judge in judges]
    affiliation = dict(
        JudgeProfile.objects.filter(user_id__in=judge_ids)
        .exclude(affiliation_credit_code="")
        .values_list("user_id", "affiliation_credit_code")
    )
    # The parties' credit codes only matter beside a declared affiliation (most judges declare none).
    codes = (
        dict(Organisation.objects.filter(pk__in=all_organisations).values_list("id", "credit_code"))
        if affiliation
        else {}
    )
    this_year = timezone.localdate().year
    related: dict[int, set[int]] = {}
    for judge_id, organisation_id, kind, ended in JudgeRelationship.objects.filter(
        judge_id__in=judge_ids, organisation_id__in=all_organisations
    ).values_list("judge_id", "organisation_id", "kind", "ended_year"):
        recent = ended is None or ended >= this_year - COLLABORATION_YEARS
        if kind in ("collaboration", "employment") and not recent:
            continue
        related.setdefault(judge_id, set()).add(organisation_id)
    pairs = set()
    for judge in judges:
        for key, stake in stakes.items():
            if (
                judge.organisation_id in stake
                or (judge.pk in affiliation and affiliation[judge.pk] in {codes.get(org) for org in stake})
                or related.get(judge.pk, set()) & stake
            ):
                pairs.add((judge.pk, key))
    return pairs


def panel_barred_judges(challenge, judges) -> set[int]:
    """Ids of the judges who may not sit on the challenge's panel, by the rules panel_assign
    applies: a conflict with the publisher, with a party of any entry not withdrawn, or having
    drafted the challenge. Six queries whatever the numbers of judges and entries."""
    publisher = challenge.scenario.publisher_id
    stakes: dict[int, set[int]] = {0: {publisher}}  # key 0: the challenge itself, before any entry
    live = ContestEntry.objects.filter(challenge=challenge).exclude(status=EntryStatus.WITHDRAWN)
    for entry_id, lead_id in live.values_list("pk", "lead_id"):
        stakes[entry_id] = {lead_id, publisher}
    for entry_id, organisation_id in (
        ConsortiumMember.objects.filter(entry__in=live)
        .exclude(status="declined")
        .values_list("entry_id", "organisation_id")
    ):
        stakes[entry_id].add(organisation_id)
    barred = {judge_id for judge_id, _key in stake_conflicted_pairs(judges, stakes)}
    drafters = set(challenge.drafters.values_list("pk", flat=True))
    return barred | {judge.pk for judge in judges if judge.pk in drafters}
