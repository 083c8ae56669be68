"""Evaluation pages: parse, authorise, call one service or selector, render.

One module per topic; everything is importable from here as before."""

from .cases import (
    case_detail,
    case_list,
    case_queue,
    case_replicate,
    case_supplement,
    nomination_rule,
    replication_evidence,
    replication_queue,
)
from .frameworks import (
    REFUSED,
    framework_detail,
    framework_diff,
    framework_edit,
    framework_list,
    framework_new,
    framework_new_version,
)
from .hub import (
    hub,
)
from .results import (
    FINDING_ACTIONS,
    consensus,
    finding,
    findings,
    published,
    rectification,
    report,
    report_download,
    result,
)
from .rounds import (
    evidence_download,
    my_evaluations,
    round_commitment,
    round_create,
    round_detail,
    round_list,
    self_assessment,
    self_assessment_list,
    sheet,
    sheet_reopen,
    subject_figures,
    subject_material,
)
from .tolerance import (
    TOLERANCE_ACTIONS,
    tolerance_detail,
    tolerance_list,
)

__all__ = [
    "published",
    "FINDING_ACTIONS",
    "REFUSED",
    "TOLERANCE_ACTIONS",
    "case_detail",
    "case_list",
    "case_queue",
    "case_replicate",
    "case_supplement",
    "consensus",
    "evidence_download",
    "finding",
    "findings",
    "framework_detail",
    "framework_diff",
    "framework_edit",
    "framework_list",
    "framework_new",
    "framework_new_version",
    "hub",
    "my_evaluations",
    "nomination_rule",
    "rectification",
    "replication_evidence",
    "replication_queue",
    "report",
    "report_download",
    "result",
    "round_commitment",
    "round_create",
    "round_detail",
    "round_list",
    "self_assessment",
    "self_assessment_list",
    "sheet",
    "sheet_reopen",
    "subject_figures",
    "subject_material",
    "tolerance_detail",
    "tolerance_list",
]
