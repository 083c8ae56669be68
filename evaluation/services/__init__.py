"""Every write of evaluation, one module per topic. Import from here:
`from evaluation.services import round_open`."""

# === Frameworks ===
# === Rounds ===
# === Results and findings ===
# === Typical cases and replications ===
from .cases import (  # noqa: E402
    case_decide as case_decide,
)
from .cases import (
    case_edit as case_edit,
)
from .cases import (
    case_resubmit as case_resubmit,
)
from .cases import (
    cases_propose as cases_propose,
)
from .cases import (
    nomination_rule as nomination_rule,
)
from .cases import (
    replication_record as replication_record,
)
from .cases import (
    replication_verify as replication_verify,
)
from .findings import (  # noqa: F401
    finding_create,
    finding_progress,
    finding_return,
    finding_submit,
    finding_verify,
    findings_notify_overdue,
)
from .frameworks import (
    figure_import,  # noqa: F401
    figures_compute,  # noqa: F401
    framework_diff,  # noqa: F401
    framework_draft_create,  # noqa: F401
    framework_draft_delete,  # noqa: F401
    framework_problems,  # noqa: F401
    framework_publish,  # noqa: F401
    grade_bands_set,  # noqa: F401
    indicator_add,  # noqa: F401
    indicator_delete,  # noqa: F401
    indicator_update,  # noqa: F401
)
from .results import (  # noqa: F401
    consensus_record,
    round_close,
    subject_result_compute,
    subject_result_recompute_later,
)

# === Tolerance register ===
from .tolerance import (  # noqa: E402
    checkpoint_add as checkpoint_add,
)
from .tolerance import (
    checkpoint_complete as checkpoint_complete,
)
from .tolerance import (
    extension_decide as extension_decide,
)
from .tolerance import (
    extension_request as extension_request,
)
from .tolerance import (
    incident_decide as incident_decide,
)
from .tolerance import (
    incident_record as incident_record,
)
from .tolerance import (
    tolerance_period_end as tolerance_period_end,
)
from .tolerance import (
    tolerance_period_open as tolerance_period_open,
)
from .tolerance import (
    tolerance_reminders_send as tolerance_reminders_send,
)
