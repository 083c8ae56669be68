"""Every write of evaluation, one module per topic. Import from here:
`from evaluation.services import round_open`."""

# === Frameworks ===


# === Rounds ===

# === Results and findings ===
from .findings import (  # noqa: F401
    finding_create,
    finding_progress,
    finding_return,
    finding_submit,
    finding_verify,
    findings_notify_overdue,
)
from .results import (  # noqa: F401
    consensus_record,
    round_close,
    subject_result_compute,
    subject_result_recompute_later,
)


# === Typical cases and replications ===


# === Tolerance register ===
