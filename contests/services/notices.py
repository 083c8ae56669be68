"""What an entrant is told at each step of its entry (站内消息 and e-mail, linking to the entry).

Each step is told by the service that performs it: entry_submit (a receipt), entry_review_eligibility
(qualified or not, with the reason), ranking_recompute (scoring complete; the rank and total once
公示 has opened), award_decide (the amount) and agreement_save (the cooperation proposed). The
公示 opens by the calendar: contest_reschedule tells when it brings 公示 forward, and the beat task
contests.rankings_announce when the date simply passes.

Every step is told once: EntryStepNotice keeps a fingerprint of what was said, so re-running a
step with the same outcome tells nobody again; a changed outcome (another rank, another amount)
is told once more. Recipients are the company-role users of the lead organisation and — for the
steps that concern the whole consortium — of the confirmed members; never by bare membership.
"""

import hashlib
import json
from datetime import timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_noop

from accounts.choices import Role
from accounts.models import User
from contests.choices import EntryStatus, MembershipStatus, Round
from contests.models import Challenge, Contest, ContestEntry, EntryStepNotice, RankingSnapshot
from contests.money import yuan
from contests.selectors import latest_snapshot, panel_complete
from core.messages import Message
from core.services import notify


class Step:
    SUBMITTED = "submitted"
    ELIGIBILITY = "eligibility"
    SCORED = "scored"
    RANKED = "ranked"
    AWARDED = "awarded"
    AGREEMENT = "agreement"


def entrant_users(entry: ContestEntry, *, members: bool = True) -> QuerySet[User]:
    """The active company-role users of the entry's lead and, when `members`, of its confirmed
    consortium members."""
    organisations = Q(organisation_id=entry.lead_id)
    if members:
        organisations |= Q(
            organisation__in=entry.members.filter(status=MembershipStatus.CONFIRMED).values("organisation")
        )
    return User.objects.filter(organisations, is_active=True, role_assignments__role=Role.COMPANY).distinct()


def local_time(moment) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def _fingerprint(content) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def entry_step_notify(
    *,
    entry: ContestEntry,
    step: str,
    content,
    title: Message,
    body: Message | str = "",
    members: bool = True,
) -> bool:
    """Tell the entrant about a step unless it was told this same `content` already (True when told).
    Call inside the transaction of the service that performs the step.

    Side effects: the step's EntryStepNotice created or updated; the notifications (core notify)."""
    fingerprint = _fingerprint(content)
    told = EntryStepNotice.objects.select_for_update().filter(entry=entry, step=step).first()
    if told is not None and told.fingerprint == fingerprint:
        return False
    if told is None:
        EntryStepNotice.objects.create(entry=entry, step=step, fingerprint=fingerprint)
    else:
        told.fingerprint = fingerprint
        told.save(update_fields=["fingerprint", "notified_at"])
    notify(
        recipients=entrant_users(entry, members=members),
        title=title,
        body=body,
        link=reverse("contests:entry-detail", args=[entry.pk]),
    )
    return True


def was_told(entry: ContestEntry, step: str) -> bool:
    return EntryStepNotice.objects.filter(entry=entry, step=step).exists()


# ---- the steps a ranking snapshot marks ---------------------------------------------------------


def ranking_announce(challenge: Challenge, snapshot: RankingSnapshot | None) -> int:
    """Tell each ranked entrant of a challenge that scoring is complete (once the panel's sheets
    are all in) and, from 公示 on, its rank and total. Returns how many messages were told.
    A snapshot with the same figures tells nobody again."""
    if not panel_complete(snapshot):
        return 0
    contest = challenge.contest
    rows = [row for row in snapshot.results["entries"] if row["rank"] is not None]
    entries = {
        entry.pk: entry
        for entry in ContestEntry.objects.filter(pk__in=[row["entry"] for row in rows], status=EntryStatus.ELIGIBLE)
    }
    published = contest.is_at_or_after(Round.NOTICE)
    told = 0
    for row in rows:
        entry = entries.get(row["entry"])
        if entry is None:
            continue
        told += entry_step_notify(
            entry=entry,
            step=Step.SCORED,
            content="complete",
            title=Message(gettext_noop("评分已完成：%(title)s"), title=entry.title),
            body=Message(
                gettext_noop("“%(challenge)s”的路演评审评分已全部完成，排名在公示期（%(when)s 起）公布。"),
                challenge=challenge.title,
                when=local_time(contest.notice_open_at),
            ),
        )
        if published:
            told += entry_step_notify(
                entry=entry,
                step=Step.RANKED,
                content={"rank": row["rank"], "score": row["score"], "count": len(rows)},
                title=Message(gettext_noop("公示排名：%(title)s 第 %(rank)s 名"), title=entry.title, rank=row["rank"]),
                body=Message(
                    gettext_noop(
                        "“%(challenge)s”共 %(count)s 个方案参与排名，贵单位方案名列第 %(rank)s 名，总分 %(score)s。"
                        "公示期内对排名有异议的，可在公示页面提出。"
                    ),
                    challenge=challenge.title,
                    count=len(rows),
                    rank=row["rank"],
                    score=row["score"],
                ),
            )
    return told


@transaction.atomic
def contest_rankings_announce(contest: Contest) -> int:
    """ranking_announce for every challenge of the contest, from its latest snapshot. Each challenge
    row is locked first, as ranking_recompute does, so the two never tell the same rank at once."""
    challenges = (
        Challenge.objects.select_for_update(of=("self",))
        .select_related("contest")
        .filter(contest=contest)
        .order_by("pk")
    )
    return sum(ranking_announce(challenge, latest_snapshot(challenge)) for challenge in challenges)


# How long after 公示 opens the beat task still looks at a contest (it runs every quarter hour; a
# contest whose 公示 opened long ago has long been announced).
ANNOUNCE_WITHIN = timedelta(days=30)


def rankings_announce_due(now=None) -> int:
    """The beat task's work: the contests whose 公示 has opened by the calendar (recently) have
    their published ranks told — once; contests already announced tell nobody again."""
    now = now or timezone.now()
    contests = Contest.objects.filter(notice_open_at__lte=now, notice_open_at__gt=now - ANNOUNCE_WITHIN)
    return sum(contest_rankings_announce(contest) for contest in contests)


def award_told(entry: ContestEntry, award) -> bool:
    """Tell the entrant its award (again only when the amount changed, or after a new decision)."""
    changed = was_told(entry, Step.AWARDED)
    return entry_step_notify(
        entry=entry,
        step=Step.AWARDED,
        content={"award": award.pk, "amount": str(award.amount)},
        title=Message(
            gettext_noop("奖励金额已调整：%(title)s") if changed else gettext_noop("获得奖励：%(title)s"),
            title=entry.title,
        ),
        body=Message(
            gettext_noop("“%(title)s”获“%(challenge)s”奖励 %(amount)s。下一步：与发榜方商定合作方式与联合攻关任务书。"),
            title=entry.title,
            challenge=entry.challenge.title,
            amount=yuan(award.amount),
        ),
    )
