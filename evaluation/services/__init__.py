"""Every write of evaluation, one module per topic. Import from here:
`from evaluation.services import round_open`."""

# === Frameworks ===

# === Rounds ===
from contests.services.judging import RECUSAL_COMMITMENT  # noqa: E402, F401
from evaluation.services.rounds import (  # noqa: E402, F401
    ExpertAssignment,
    contest_supplier,
    evaluation_commitment_sign,
    evidence_upload,
    lock_round,
    round_advance,
    round_expert_assign,
    round_expert_remove,
    round_open,
    self_assessment_save,
    subject_add,
    subject_remove,
)
from evaluation.services.sheets import evaluation_sheet_reopen, evaluation_sheet_save  # noqa: E402, F401


# === Results and findings ===


# === Typical cases and replications ===


# === Tolerance register ===
