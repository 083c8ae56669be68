""" "我要揭榜": from an open challenge to entering it in one click, wherever the challenge shows (the
scenario's page, the open-challenge list, the company's 推荐场景).

For each challenge of a contest now under way the reader gets one call: the button to enter it
(company-role users, while 揭榜报名 is open), the way to the entry its organisation already made
(as lead or consortium member), or a note saying when registration opens or when it closed. Two
queries for any number of challenges: the challenges and the reader's own entries among them.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.permissions import organisation_may_enter_contests
from contests.models import Challenge, Contest, ContestEntry
from contests.permissions import can_enter_contests

# What a call reads besides the reader's own entries (never shown to a visitor): a scenario page
# stored for visitors is stale when one of these changes (scenarios.extensions).
CALLS_SHOW = ("contests.Challenge", "contests.Contest")


@dataclass(frozen=True)
class EntryCall:
    challenge: Challenge
    label: str = ""  # a button when set
    url: str = ""
    note: str = ""
    kind: str = "note"  # enter | entry | note

    @property
    def testid(self) -> str:
        return f"{self.kind}-challenge-{self.challenge.pk}"


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def call_for(challenge: Challenge, user, entry_id: int | None, now) -> EntryCall:
    contest = challenge.contest
    opens, closes = contest.registration_open_at, contest.eligibility_open_at
    if entry_id is not None:
        return EntryCall(challenge, _("查看我的揭榜"), reverse("contests:entry-detail", args=[entry_id]), kind="entry")
    if now < opens:
        return EntryCall(
            challenge,
            note=_("揭榜报名将于 %(opens)s 开始，%(closes)s 截止。") % {"opens": _when(opens), "closes": _when(closes)},
        )
    if now >= closes:
        return EntryCall(challenge, note=_("揭榜报名已于 %(closes)s 截止。") % {"closes": _when(closes)})
    if not can_enter_contests(user):
        return EntryCall(
            challenge,
            note=_("揭榜报名进行中，%(closes)s 截止；企业用户登录后可揭榜。") % {"closes": _when(closes)},
        )
    if not organisation_may_enter_contests(user.organisation):
        return EntryCall(challenge, note=_("贵单位通过机构认证后方可揭榜。"))
    return EntryCall(
        challenge,
        _("我要揭榜"),
        reverse("contests:entry-create", args=[challenge.pk]),
        note=_("报名截止 %(closes)s") % {"closes": _when(closes)},
        kind="enter",
    )


def own_entries(user, challenges) -> dict[int, int]:
    """{challenge id: entry id} of the reader's organisation (lead or consortium member)."""
    if not (user.is_authenticated and user.organisation_id and can_enter_contests(user)):
        return {}
    return dict(
        ContestEntry.objects.filter(challenge__in=[challenge.pk for challenge in challenges])
        .filter(Q(lead_id=user.organisation_id) | Q(members__organisation_id=user.organisation_id))
        .values_list("challenge_id", "pk")
    )


def calls_for_challenges(user, challenges, now=None) -> dict[int, EntryCall]:
    """{challenge id: its call} for challenges loaded with their contest."""
    now = now or timezone.now()
    challenges = list(challenges)
    entries = own_entries(user, challenges)
    return {challenge.pk: call_for(challenge, user, entries.get(challenge.pk), now) for challenge in challenges}


def calls_for_scenarios(user, scenario_ids) -> dict[int, list[dict]]:
    """{scenario id: [call]} for the scenarios that are challenges of a contest under way (发榜
    opened, results not yet out): registered with scenarios.extensions for pages that list scenarios."""
    now = timezone.now()
    challenges = Challenge.objects.filter(
        scenario_id__in=list(scenario_ids), contest__challenges_open_at__lte=now, contest__results_open_at__gt=now
    ).select_related("contest")
    calls: dict[int, list[dict]] = {}
    for call in calls_for_challenges(user, challenges, now).values():
        calls.setdefault(call.challenge.scenario_id, []).append(
            {
                "label": call.label,
                "url": call.url,
                "note": call.note,
                "kind": call.kind,
                "testid": call.testid,
                "title": call.challenge.title,
                "contest": call.challenge.contest.name,
            }
        )
    return calls


def calls_change_at(scenario_ids, now=None):
    """The next moment a call for these scenarios changes by itself: a contest with a challenge of
    theirs opens its challenges (the call appears), registration (the button), eligibility review
    (registration closes) or its results (the call goes). None when no such moment is ahead."""
    now = now or timezone.now()
    rounds = Contest.objects.filter(challenges__scenario_id__in=list(scenario_ids), results_open_at__gt=now)
    moments = rounds.values_list("challenges_open_at", "registration_open_at", "eligibility_open_at", "results_open_at")
    return min((moment for row in moments for moment in row if moment > now), default=None)
