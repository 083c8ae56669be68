"""Which experts of a round's team may see and score which subject.

The contests' conflict rules apply unchanged (contests.conflicts.stake_conflicts for one pair,
stake_conflicted_pairs for a whole team and round at once): an expert is
conflicted with a subject when they belong to one of its organisations, share the declared
employer's credit code with one, or declared an employment, shareholding or recent collaboration
with one. A conflicted expert neither sees the subject's material nor scores it, and is not
expected on its sheets.
"""

from django.utils.translation import gettext as _

from contests.conflicts import stake_conflicted_pairs, stake_conflicts
from evaluation.choices import SubjectRole
from evaluation.models import EvaluationCommitment, RoundExpert, Subject, SubjectOrganisation


def subject_stake(subject: Subject) -> dict[int, str]:
    """{organisation id: role label} of the subject's organisations."""
    labels = dict(SubjectRole.choices)
    return {
        link.organisation_id: str(labels.get(link.role, _("评价对象单位")))
        for link in subject.subject_organisations.all()
    }


def subject_conflicts(expert, subject: Subject) -> list[str]:
    """Each reason the expert may not see or score the subject (empty: no conflict)."""
    return stake_conflicts(expert, subject_stake(subject))


def subject_conflicted_pairs(round_, *, subjects=None, experts=None) -> set[tuple[int, int]]:
    """{(expert id, subject id)} with a conflict, by the rules of subject_conflicts(), for the
    round's subjects (or the given ones) and its team (or the given experts): five queries at most
    whatever their numbers — the team, the subjects' organisations, then stake_conflicted_pairs'."""
    if experts is None:
        experts = [member.expert for member in RoundExpert.objects.filter(round=round_).select_related("expert")]
    links = SubjectOrganisation.objects.filter(subject__round=round_)
    if subjects is not None:
        links = links.filter(subject_id__in=[subject.pk for subject in subjects])
    stakes: dict[int, set[int]] = {}
    for subject_id, organisation_id in links.values_list("subject_id", "organisation_id"):
        stakes.setdefault(subject_id, set()).add(organisation_id)
    return stake_conflicted_pairs(experts, stakes)


def expected_experts(subject: Subject) -> list:
    """The team members who are to score the subject: everyone on the round's team without a
    conflict with it, in the order they were assigned."""
    team = [
        member.expert
        for member in RoundExpert.objects.filter(round_id=subject.round_id)
        .select_related("expert")
        .order_by("assigned_at", "id")
    ]
    conflicted = subject_conflicted_pairs(subject.round_id, subjects=[subject], experts=team)
    return [expert for expert in team if (expert.pk, subject.pk) not in conflicted]


def has_signed_commitment(expert, round_id: int) -> bool:
    return EvaluationCommitment.objects.filter(round_id=round_id, expert=expert).exists()
