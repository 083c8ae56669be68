"""Every write of evaluation, one module per topic. Import from here:
`from evaluation.services import round_open`."""

# === Frameworks ===
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


# === Rounds ===


# === Results and findings ===


# === Typical cases and replications ===


# === Tolerance register ===
