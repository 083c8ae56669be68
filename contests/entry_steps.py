""" "我的揭榜": where each of a company's entries stands and what its next step is.

next_step is a pure function of the entry (with its challenge, contest, consortium, roadshow slot, award and
agreement loaded) and the reader's organisation, so the list answers in a fixed number of queries.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.choices import EntryStatus, MembershipStatus, Round
from contests.permissions import is_cooperation_party
from contests.selectors import latest_snapshot, published_ranking


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str = ""
    urgent: bool = False  # the company has something to do (not just to wait for)


def next_step(entry, organisation_id: int, now=None) -> NextStep:
    contest = entry.challenge.contest
    detail = reverse("contests:entry-detail", args=[entry.pk])
    is_lead = entry.lead_id == organisation_id
    membership = next((m for m in entry.members.all() if m.organisation_id == organisation_id), None)
    if membership is not None and membership.status == MembershipStatus.INVITED:
        return NextStep(_("答复联合体邀请"), detail, urgent=True)
    if entry.status == EntryStatus.WITHDRAWN:
        return NextStep(_("方案已撤回"))
    if entry.status == EntryStatus.DRAFT:
        if contest.current_round(now) == Round.REGISTRATION:
            text = _("完善方案并签署信用承诺后提交") if is_lead else _("等待牵头单位提交方案")
            return NextStep(text, detail, urgent=is_lead)
        return NextStep(_("报名已截止，方案未提交"))
    if entry.status == EntryStatus.SUBMITTED:
        return NextStep(_("等待资格审查"), detail)
    if entry.status == EntryStatus.INELIGIBLE:
        reason = entry.eligibility_note or _("未说明")
        return NextStep(_("资格审查未通过：%(reason)s") % {"reason": reason}, detail)
    # Eligible: the contest's round says what comes next.
    award = getattr(entry, "award", None)
    if award is not None:
        cooperation = reverse("contests:cooperation", args=[entry.pk])
        if getattr(entry, "agreement", None) is None:
            return NextStep(_("获得奖励，协商联合攻关任务书"), cooperation, urgent=is_lead)
        return NextStep(_("获得奖励，按任务书推进并报送进展"), cooperation, urgent=is_lead)
    if contest.is_at_or_after(Round.NOTICE, now):
        notice = reverse("contests:notice", args=[contest.pk])
        if contest.is_at_or_after(Round.RESULTS, now):
            return NextStep(_("查看结果发布"), notice)
        return NextStep(_("查看公示（公示期内可提出异议）"), notice)
    if contest.is_at_or_after(Round.ROADSHOW, now):
        slot = getattr(entry, "roadshow_slot", None)
        if slot is not None and contest.current_round(now) == Round.ROADSHOW:
            return NextStep(
                _("参加路演：%(when)s，%(room)s")
                % {"when": timezone.localtime(slot.starts_at).strftime("%Y-%m-%d %H:%M"), "room": slot.room},
                detail,
                urgent=True,
            )
        return NextStep(_("等待评审结果"), detail)
    return NextStep(_("资格审查通过，等待路演安排"), detail)


def entry_results(user, entry) -> dict:
    """What the entry's page shows of its outcome, with the way to each page that holds it: the
    published rank and total (from 公示 on) and the 公示 itself, the award, and the cooperation page
    (the lead's, the publisher's and operators' only). Three queries: the latest ranking, the award
    and the agreement."""
    contest = entry.challenge.contest
    if entry.status != EntryStatus.ELIGIBLE:
        return {}
    notice_started = contest.is_at_or_after(Round.NOTICE)
    rows = published_ranking(latest_snapshot(entry.challenge)) if notice_started else None
    ranked = [row for row in rows or [] if row["rank"] is not None]
    award = getattr(entry, "award", None)
    agreement = getattr(entry, "agreement", None) if award is not None else None
    return {
        "notice_started": notice_started,
        "notice_open_at": contest.notice_open_at,
        "results_out": contest.is_at_or_after(Round.RESULTS),
        "notice_url": f"{reverse('contests:notice', args=[contest.pk])}#challenge-{entry.challenge_id}",
        "row": next((row for row in ranked if row["entry"] == entry.pk), None),
        "count": len(ranked),
        "scored": rows is not None,
        "award": award,
        "agreement": agreement,
        "cooperation_url": reverse("contests:cooperation", args=[entry.pk])
        if award is not None and is_cooperation_party(user, entry)
        else "",
    }
