"""Every write for 场景大赛, one module per topic. Import from here:
`from contests import services; services.award_decide(actor=..., ...)`.

Each service is `<entity>_<action>(*, actor, ...)`: keyword-only, atomic, refusing with DomainError
(PermissionDenied for the wrong person) and saying in its docstring what else it does (audit
records, notifications, queued tasks). Reads live in contests.selectors, permissions in
contests.permissions, and the pure rules beside them (rounds, money, sheets, conflicts,
eligibility, ranking)."""

from .agreements import AGREEMENT_FIELDS, agreement_save, benefit_record, milestone_complete, progress_report_add
from .awards import award_decide, award_withdraw, objection_answer, objection_raise
from .challenges import challenge_create
from .contests import DEFAULT_RUBRIC, contest_create, contest_reschedule, eligibility_rules_set, rubric_update
from .entries import (
    CREDIT_COMMITMENT,
    consortium_respond,
    entry_attachment_add,
    entry_create,
    entry_record_credit_check,
    entry_review_eligibility,
    entry_submit,
)
from .judging import (
    RECUSAL_COMMITMENT,
    judge_profile_save,
    panel_assign,
    recusal_commitment_sign,
    recusal_declare,
    relationship_declare,
)
from .results import ranking_recompute, ranking_recompute_by_operator, score_summary_export, tie_decide
from .roadshow import replay_draw, running_order_draw
from .scoring import scoring_lock, scoring_unlock, sheet_reopen, sheet_save

__all__ = [
    "AGREEMENT_FIELDS",
    "CREDIT_COMMITMENT",
    "DEFAULT_RUBRIC",
    "RECUSAL_COMMITMENT",
    "agreement_save",
    "award_decide",
    "award_withdraw",
    "benefit_record",
    "challenge_create",
    "consortium_respond",
    "contest_create",
    "contest_reschedule",
    "eligibility_rules_set",
    "entry_attachment_add",
    "entry_create",
    "entry_record_credit_check",
    "entry_review_eligibility",
    "entry_submit",
    "judge_profile_save",
    "milestone_complete",
    "objection_answer",
    "objection_raise",
    "panel_assign",
    "progress_report_add",
    "ranking_recompute",
    "ranking_recompute_by_operator",
    "recusal_commitment_sign",
    "recusal_declare",
    "relationship_declare",
    "replay_draw",
    "rubric_update",
    "running_order_draw",
    "score_summary_export",
    "scoring_lock",
    "scoring_unlock",
    "sheet_reopen",
    "sheet_save",
    "tie_decide",
]
