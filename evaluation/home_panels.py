"""What evaluation adds to home pages: typical cases waiting for the operator's decision, and an
expert's evaluation to-do."""

from evaluation import selectors
from evaluation.choices import RoundStatus


def operator_panel(request) -> dict:
    return {"cases_waiting": selectors.case_queue().count()}


def expert_panel(request) -> dict:
    """The rounds in 专家评分 the expert is on: those whose 回避承诺 waits for their signature, and
    for the others the subjects whose sheet they have not submitted, the first one linked. Nothing
    when the expert is on no round in scoring (a judge of the contests only)."""
    rounds = [round_ for round_ in selectors.rounds_for_expert(request.user) if round_.status == RoundStatus.SCORING]
    to_score = []
    for round_ in rounds:
        if not round_.signed:
            continue
        waiting = [
            subject
            for subject in selectors.subjects_for_expert(request.user, round_)
            if subject.sheet is None or not subject.sheet.is_submitted
        ]
        if waiting:
            to_score.append({"round": round_, "count": len(waiting), "next_subject": waiting[0]})
    unsigned = [round_ for round_ in rounds if not round_.signed]
    return {"rounds": rounds, "unsigned_rounds": unsigned, "to_score": to_score}
