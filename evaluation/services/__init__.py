"""Every write of evaluation, one module per topic. Import from here:
`from evaluation.services import round_open`."""

# === Frameworks ===


# === Rounds ===


# === Results and findings ===


# === Typical cases and replications ===
from .cases import (  # noqa: E402
    case_decide,
    case_edit,
    case_resubmit,
    cases_propose,
    nomination_rule,
    replication_record,
    replication_verify,
)


# === Tolerance register ===
from .tolerance import (  # noqa: E402
    checkpoint_add,
    checkpoint_complete,
    extension_decide,
    extension_request,
    incident_decide,
    incident_record,
    tolerance_period_end,
    tolerance_period_open,
    tolerance_reminders_send,
)
