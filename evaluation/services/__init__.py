"""Every write of evaluation, one module per topic. Import from here:
`from evaluation.services import round_open`."""

# === Frameworks ===
from .frameworks import (  # noqa: E402
    figure_import,
    figures_compute,
    framework_diff,
    framework_draft_create,
    framework_draft_delete,
    framework_problems,
    framework_publish,
    grade_bands_set,
    indicator_add,
    indicator_delete,
    indicator_update,
)


# === Rounds ===


# === Results and findings ===


# === Typical cases and replications ===


# === Tolerance register ===
