"""Reads for the 发榜方 following its challenges after publishing them (contests.publisher_views).

What a publisher sees grows with the contest, and never ahead of it:
- before 资格审查 is over (路演评审 not yet open), only how many entries were received: entries are
  confidential while they are reviewed (the publisher is a conflict party, contests.conflicts);
- from 路演评审 on, the qualified entries with their lead and confirmed consortium members, and the
  running order drawn by lot;
- from 公示 on, the published ranking, read from the stored snapshot (never recomputed on read);
- once results are out, the awards decided and the cooperation agreements with their milestones.
"""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from contests.choices import EntryStatus, MembershipStatus, Round
from contests.models import Challenge, ConsortiumMember, ContestEntry
from contests.permissions import can_follow_challenge, can_publish_challenges, is_cooperation_party
from contests.selectors import entries_submitted_to, latest_snapshot, published_ranking, roadshow_slots_of


def challenges_followed_by(user) -> QuerySet[Challenge]:
    """The challenges of the publisher's organisation, newest contest first, each with
    `entry_count` (entries submitted; drafts and withdrawn ones not counted). Publishers only."""
    if not can_publish_challenges(user):
        return Challenge.objects.none()
    return (
        Challenge.objects.filter(scenario__publisher_id=user.organisation_id)
        .select_related("contest", "scenario")
        .annotate(
            entry_count=Count(
                "entries", filter=~Q(entries__status__in=[EntryStatus.DRAFT, EntryStatus.WITHDRAWN]), distinct=True
            )
        )
        .order_by("-contest__challenges_open_at", "-pk")
    )


def challenge_to_follow(user, pk) -> Challenge:
    """The challenge `pk` if the person may follow it (contests.permissions.can_follow_challenge); else 404."""
    challenge = Challenge.objects.select_related("contest", "scenario", "scenario__publisher").filter(pk=pk).first()
    if challenge is None or not can_follow_challenge(user, challenge):
        raise Http404
    return challenge


def latest_challenge_followed(user, scenario) -> Challenge | None:
    """The newest challenge made of a scenario, if the person may follow it (the scenario page's link)."""
    if not user.is_authenticated:
        return None
    challenge = (
        Challenge.objects.filter(scenario=scenario)
        .select_related("contest")
        .order_by("-contest__challenges_open_at", "-pk")
        .first()
    )
    if challenge is None:
        return None
    challenge.scenario = scenario
    return challenge if can_follow_challenge(user, challenge) else None


def _milestone_rows(agreement, today) -> list[dict]:
    return [
        {
            "milestone": milestone,
            "state": "done" if milestone.completed_on else ("overdue" if milestone.due_on < today else "pending"),
        }
        for milestone in agreement.milestones.all()
    ]


def challenge_progress(user, challenge: Challenge) -> dict:
    """What the follow page shows now (see the module's docstring), in a fixed number of queries
    whatever the number of entries: the qualified entries with their lead, award, agreement and
    running-order slot in one query, their consortium members and milestones in one each, the
    running order in one and the latest ranking snapshot in one."""
    contest = challenge.contest
    reviewed = contest.is_at_or_after(Round.ROADSHOW)
    published = contest.is_at_or_after(Round.NOTICE)
    results_out = contest.is_at_or_after(Round.RESULTS)
    progress = {
        "current": contest.current_round(),
        "reviewed": reviewed,
        "published": published,
        "results_out": results_out,
        "received": None,
        "entries": [],
        "slots": [],
        "ranking": None,
        "awards": [],
        "agreements": [],
    }
    if not reviewed:
        progress["received"] = entries_submitted_to(challenge).count()
        return progress
    entries = list(
        ContestEntry.objects.filter(challenge=challenge, status=EntryStatus.ELIGIBLE)
        .select_related("lead", "award", "agreement")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=ConsortiumMember.objects.filter(status=MembershipStatus.CONFIRMED)
                .select_related("organisation")
                .order_by("pk"),
                to_attr="confirmed_members",
            ),
            "agreement__milestones",
        )
        .order_by("pk")
    )
    for entry in entries:
        entry.challenge = challenge  # the predicates below read it: no query per entry
    progress["entries"] = entries
    progress["slots"] = list(roadshow_slots_of(challenge).filter(entry__status=EntryStatus.ELIGIBLE))
    if published:
        progress["ranking"] = published_ranking(latest_snapshot(challenge))
    if results_out:
        today = timezone.localdate()
        awarded = [entry for entry in entries if hasattr(entry, "award")]
        progress["awards"] = sorted(awarded, key=lambda entry: -entry.award.amount)
        progress["agreements"] = [
            {
                "entry": entry,
                "agreement": entry.agreement,
                "milestones": _milestone_rows(entry.agreement, today),
                "may_open": is_cooperation_party(user, entry),
            }
            for entry in awarded
            if hasattr(entry, "agreement")
        ]
    return progress
