"""What contests adds to home pages: the operator's entries waiting for 资格审查 (and 新建大赛), a
company's own entries with the challenges now taking entries, and a judge's to-do."""

from contests import operator_selectors, selectors
from contests.choices import Round, SheetStatus

ENTRIES_SHOWN = 5


def operator_panel(request) -> dict:
    return {"eligibility_waiting": operator_selectors.eligibility_waiting_count()}


def company_panel(request) -> dict:
    """The company's newest entries with their state, and how many challenges take entries now (two queries)."""
    entries = selectors.entries_of_my_organisation(request.user).prefetch_related(None)
    return {"entries": list(entries[:ENTRIES_SHOWN]), "open_challenges": selectors.challenges_taking_entries().count()}


def judge_panel(request) -> dict:
    """A judge's to-do: the contests whose 回避承诺 waits for their signature (until scoring is over),
    and the entries whose sheet they have not submitted while their panel scores — the first of them
    in running order linked, the judge's next sheet. The same entries 我的评审 lists."""
    judge = request.user
    unsigned = [
        contest
        for contest in selectors.contests_for_judge(judge)
        if not contest.signed and not contest.is_at_or_after(Round.NOTICE)
    ]
    to_score = [entry for entry in selectors.entries_for_judge_with_sheets(judge) if entry.scorable_now]
    return {
        "unsigned_contests": unsigned,
        "to_score": len(to_score),
        "drafts": sum(1 for entry in to_score if entry.sheet_status == SheetStatus.DRAFT),
        "next_entry": to_score[0] if to_score else None,
    }


def public_panel(request) -> dict:
    """The challenges taking entries now (one query)."""
    return {"challenges": list(selectors.challenges_taking_entries())}
