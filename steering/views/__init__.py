"""Steering pages: parse, authorise, call one service or selector, render.
One module per topic; everything is importable from here."""

# === Targets ===

# === Programme tasks ===

# === SOE assessment ===
from .assessment import (  # noqa: E402,F401
    assessment_credit,
    assessment_credit_export,
    assessment_records,
    assessment_scheme,
    assessment_scorecard,
    assessment_scorecard_export,
    product_use_create,
    product_use_detail,
    product_use_evidence,
    product_use_from_agreement,
    product_use_list,
    product_use_queue,
)

# === Cockpit ===

# === Reports ===
