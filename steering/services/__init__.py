"""Every write of steering, one module per topic. Import from here:
`from steering.services import report_submit`."""

# === Targets ===

# === Programme tasks ===

# === SOE assessment ===
from .assessment import (  # noqa: E402,F401
    assessment_item_update,
    assessment_scheme_create,
    assessment_scheme_file,
    product_use_from_agreement,
    product_use_record,
    product_use_verify,
)

# === Reports ===
