# ruff: noqa: F811 — the module-scoped fixtures imported from tests/evaluation/conftest_world.py are redefined as arguments
"""Every evaluation page and API endpoint under hostile input — non-numeric and huge ids, missing,
blank and over-long fields, impossible dates, negative, NaN, infinite and huge numbers, points off
the half-point grid, wrong content types, JSON lists and deep nesting where an object is expected,
files whose content is not what their name says. Each is answered with a 4xx and a message in
Chinese, and changes nothing; never a 500.

Each case is sent by a person entitled to use the page or endpoint, so what is refused is the input,
not the person (tests/evaluation/test_permission_sweep.py checks the people). The world is built
once for the module (tests/evaluation/conftest_world.py).
"""

import json
import re
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.evaluation.conftest_world import _media_root, state, world, world_media  # noqa: F401
from tests.refusals import messages_of

pytestmark = pytest.mark.django_db

HUGE = str(2**70)
LONG = "长" * 10001
BAD_DATE = "2026-13-45"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def text_as_pdf(name="伪装.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00 this is not a pdf", content_type="application/pdf")


def empty_pdf(name="空文件.pdf"):
    return SimpleUploadedFile(name, b"", content_type="application/pdf")


def exe(name="病毒.exe"):
    return SimpleUploadedFile(name, b"MZ\x90\x00", content_type="application/octet-stream")


@dataclass
class Case:
    """One hostile request: who sends it, where (a function of the world), and what."""

    who: str
    method: str
    path: object  # callable(world) -> str
    data: object = None  # dict, list, str, or callable(world) -> one of them
    content_type: str = ""  # API: "json" (default for API paths), or a literal content type
    files: dict = field(default_factory=dict)  # name -> callable() -> uploaded file

    def url(self, world) -> str:
        return self.path(world) if callable(self.path) else self.path

    def body(self, world):
        return self.data(world) if callable(self.data) else self.data


def page(who, path, data=None, files=None, method="POST"):
    return Case(who, method, path, data, files=files or {})


def api(who, path, data=None, method="POST", content_type="json"):
    return Case(who, method, path, data, content_type=content_type)


# ---- pages --------------------------------------------------------------------------------------

ROUND = lambda w: f"/evaluation/rounds/{w.round.pk}/"  # noqa: E731
SHEET = lambda w: f"/evaluation/mine/subjects/{w.subject.pk}/sheet/"  # noqa: E731
SELF_ASSESSMENT = lambda w: f"/evaluation/self-assessment/{w.subject.pk}/"  # noqa: E731
RESULT = lambda w: f"/evaluation/results/{w.subject.pk}/"  # noqa: E731
FINDING = lambda w: f"/evaluation/findings/{w.finding.pk}/"  # noqa: E731
PERIOD = lambda w: f"/tolerance/{w.period.pk}/"  # noqa: E731
EDIT = lambda w: f"/evaluation/frameworks/{w.draft_framework.pk}/edit/"  # noqa: E731


def leaf_points(value):
    return lambda w: {f"points_{leaf.pk}": value for leaf in w.leaves} | {"action": "save"}


def finding_form(**overrides):
    def data(w):
        return {
            "severity": "general",
            "indicator": w.leaves[0].pk,
            "description": "材料不全",
            "recommendation": "补充",
            "organisation": w.supplier.pk,
            "due_date": "2026-12-31",
        } | overrides

    return data


def consensus_form(**overrides):
    def data(w):
        return {"subject": w.subject.pk, "indicator": w.leaves[0].pk, "points": "8", "reason": "合议"} | overrides

    return data


def round_form(**overrides):
    def data(w):
        return {"title": "企业级评估", "level": "enterprise", "year": "2026", "framework": w.framework.pk} | overrides

    return data


def indicator_form(**overrides):
    def data(w):
        return {
            "action": "indicator",
            "parent": "",
            "name": "新指标",
            "weight": "10",
            "method": "expert",
            "max_points": "10",
        } | overrides

    return data


PAGE_CASES = {
    # Frameworks
    "framework-new: unknown level": page("operator", "/evaluation/frameworks/new/", {"level": "province"}),
    "framework-new: over-long note": page(
        "operator", "/evaluation/frameworks/new/", {"level": "city", "change_note": LONG}
    ),
    "framework-new-version: no note": page(
        "operator", lambda w: f"/evaluation/frameworks/{w.framework.pk}/new-version/", {"change_note": ""}
    ),
    "framework-edit: huge indicator id": page("operator", lambda w: EDIT(w) + f"?indicator={HUGE}", method="GET"),
    "framework-edit: weight NaN": page("operator", EDIT, indicator_form(weight="NaN")),
    "framework-edit: weight 1e30": page("operator", EDIT, indicator_form(weight="1e30")),
    "framework-edit: weight negative": page("operator", EDIT, indicator_form(weight="-5")),
    "framework-edit: max points infinite": page("operator", EDIT, indicator_form(max_points="Infinity")),
    "framework-edit: blank name": page("operator", EDIT, indicator_form(name="   ")),
    "framework-edit: parent huge": page("operator", EDIT, indicator_form(parent=HUGE)),
    "framework-edit: parent not a number": page("operator", EDIT, indicator_form(parent="abc")),
    "framework-edit: unknown method": page("operator", EDIT, indicator_form(method="guess")),
    "framework-edit: delete huge id": page("operator", EDIT, {"action": "delete", "indicator": HUGE}),
    "framework-edit: delete no id": page("operator", EDIT, {"action": "delete", "indicator": "abc"}),
    "framework-edit: band NaN": page("operator", EDIT, {"action": "bands", "name_0": "优", "min_0": "NaN"}),
    "framework-edit: band 1e30": page("operator", EDIT, {"action": "bands", "name_0": "优", "min_0": "1e30"}),
    # Rounds
    "round-create: unknown level": page("operator", "/evaluation/rounds/new/", round_form(level="province")),
    "round-create: year huge": page("operator", "/evaluation/rounds/new/", round_form(year=HUGE)),
    "round-create: framework huge": page("operator", "/evaluation/rounds/new/", round_form(framework=HUGE)),
    "round-create: framework not a number": page("operator", "/evaluation/rounds/new/", round_form(framework="abc")),
    "round-create: bad date": page("operator", "/evaluation/rounds/new/", round_form(scoring_due=BAD_DATE)),
    "round-create: over-long title": page("operator", "/evaluation/rounds/new/", round_form(title=LONG)),
    "round-create: nothing": page("operator", "/evaluation/rounds/new/", {}),
    "round-detail: subject huge scenario": page("operator", ROUND, {"form": "subject", "scenario": HUGE}),
    "round-detail: expert not a number": page("operator", ROUND, {"form": "expert", "expert": "abc"}),
    "round-detail: expert huge": page("operator", ROUND, {"form": "expert", "expert": HUGE}),
    "round-detail: unknown action": page("operator", ROUND, {"action": "explode"}),
    "round-detail: remove huge subject": page("operator", ROUND, {"action": "remove_subject", "target": HUGE}),
    "round-detail: remove negative expert": page("operator", ROUND, {"action": "remove_expert", "target": "-1"}),
    "round-detail: advance while scoring": page("operator", ROUND, {"action": "advance"}),
    "sheet-reopen: over-long reason": page(
        "operator", lambda w: f"/evaluation/mine/sheets/{w.sheet.pk}/reopen/", {"reason": LONG}
    ),
    "sheet-reopen: blank reason": page(
        "lead", lambda w: f"/evaluation/mine/sheets/{w.sheet.pk}/reopen/", {"reason": " "}
    ),
    "sheet-reopen: huge id": page("operator", f"/evaluation/mine/sheets/{HUGE}/reopen/", {"reason": "x"}),
    "sheet: points off the half-point grid": page("expert", SHEET, leaf_points("7.3")),
    "sheet: points NaN": page("expert", SHEET, leaf_points("NaN")),
    "sheet: points infinite": page("expert", SHEET, leaf_points("Infinity")),
    "sheet: points 1e30": page("expert", SHEET, leaf_points("1e30")),
    "sheet: points negative": page("expert", SHEET, leaf_points("-1")),
    "sheet: points above the maximum": page("expert", SHEET, leaf_points("10.5")),
    "sheet: points not a number": page("expert", SHEET, leaf_points("八分")),
    "sheet: over-long comment": page(
        "expert", SHEET, lambda w: {f"points_{w.leaves[0].pk}": "8", f"comment_{w.leaves[0].pk}": LONG}
    ),
    "sheet: red line on a leaf that is not one": page(
        "expert", SHEET, lambda w: {f"points_{w.leaves[0].pk}": "8", f"redline_{w.leaves[0].pk}": "on"}
    ),
    "sheet: submit incomplete": page("expert", SHEET, lambda w: {f"points_{w.leaves[0].pk}": "8", "action": "submit"}),
    "self-assessment: over-long text": page("company", SELF_ASSESSMENT, {"text": LONG, "action": "save"}),
    "self-assessment: evidence disguised as a pdf": page(
        "company", SELF_ASSESSMENT, {"form": "evidence"}, files={"file": text_as_pdf}
    ),
    "self-assessment: empty evidence": page(
        "company", SELF_ASSESSMENT, {"form": "evidence"}, files={"file": empty_pdf}
    ),
    "self-assessment: an executable": page("company", SELF_ASSESSMENT, {"form": "evidence"}, files={"file": exe}),
    "self-assessment: no file": page("company", SELF_ASSESSMENT, {"form": "evidence"}),
    "self-assessment: evidence for a huge indicator": page(
        "company",
        SELF_ASSESSMENT,
        {"form": "evidence", "indicator": HUGE},
        files={"file": lambda: text_as_pdf("a.pdf")},
    ),
    "subject-figures: unknown indicator": page(
        "operator", lambda w: f"/evaluation/subjects/{w.subject.pk}/figures/", {"indicator": HUGE}
    ),
    # Results and findings
    "result: finding with a bad date": page("operator", RESULT, finding_form(due_date=BAD_DATE)),
    "result: finding for a huge organisation": page("operator", RESULT, finding_form(organisation=HUGE)),
    "result: finding of unknown severity": page("operator", RESULT, finding_form(severity="fatal")),
    "result: finding with an over-long description": page("operator", RESULT, finding_form(description=LONG)),
    "result: finding for another framework's indicator": page("lead", RESULT, finding_form(indicator="abc")),
    "consensus: points NaN": page("lead", "/evaluation/consensus/", consensus_form(points="NaN")),
    "consensus: points 1e30": page("lead", "/evaluation/consensus/", consensus_form(points="1e30")),
    "consensus: points off the grid": page("lead", "/evaluation/consensus/", consensus_form(points="7.3")),
    "consensus: subject huge": page("lead", "/evaluation/consensus/", consensus_form(subject=HUGE)),
    "consensus: indicator not a number": page("lead", "/evaluation/consensus/", consensus_form(indicator="abc")),
    "consensus: no reason": page("lead", "/evaluation/consensus/", consensus_form(reason="")),
    "report: unknown action": page(
        "operator", lambda w: f"/evaluation/rounds/{w.round.pk}/report/", {"action": "burn"}
    ),
    "report: a report before the close": page(
        "operator", lambda w: f"/evaluation/rounds/{w.round.pk}/report/", {"action": "report"}
    ),
    "finding: unknown action": page("company", FINDING, {"action": "delete"}),
    "finding: over-long rectification": page("company", FINDING, {"action": "submit", "text": LONG}),
    "finding: blank progress": page("company", FINDING, {"action": "progress", "text": "  "}),
    "finding: verify before it is submitted": page("operator", FINDING, {"action": "verify"}),
    "finding: return without a reason": page("operator", FINDING, {"action": "return", "reason": ""}),
    # Typical cases and replications
    "case-replicate: unknown kind": page("stranger", lambda w: f"/cases/{w.case.pk}/replicate/", {"kind": "copy"}),
    "case-replicate: scenario huge": page(
        "stranger", lambda w: f"/cases/{w.case.pk}/replicate/", {"kind": "scenario", "scenario": HUGE}
    ),
    "case-replicate: disguised evidence": page(
        "stranger",
        lambda w: f"/cases/{w.case.pk}/replicate/",
        {"kind": "adoption", "description": "推广"},
        files={"evidence": text_as_pdf},
    ),
    "case-replicate: adoption without evidence": page(
        "stranger", lambda w: f"/cases/{w.case.pk}/replicate/", {"kind": "adoption", "description": "推广"}
    ),
    "case-supplement: over-long problem": page(
        "operator", lambda w: f"/cases/{w.case.pk}/supplement/", {"title": "案例", "problem": LONG}
    ),
    "case-supplement: supplier huge": page(
        "operator", lambda w: f"/cases/{w.case.pk}/supplement/", {"title": "案例", "supplier": HUGE}
    ),
    "case-queue: unknown decision": page(
        "operator", "/cases/queue/", lambda w: {"case": w.proposed_case.pk, "decision": "publish", "reason": "x"}
    ),
    "case-queue: case huge": page("operator", "/cases/queue/", {"case": HUGE, "decision": "approve", "reason": "x"}),
    "case-queue: case not a number": page("operator", "/cases/queue/", {"case": "abc", "decision": "approve"}),
    "case-queue: round huge": page("operator", "/cases/queue/", {"round": HUGE}),
    "case-queue: approve without a reason": page(
        "operator", "/cases/queue/", lambda w: {"case": w.proposed_case.pk, "decision": "approve", "reason": ""}
    ),
    "nomination-rule: NaN total": page(
        "operator",
        "/cases/rule/",
        {"min_total": "NaN", "benefit_dimension": "效益", "min_benefit_percent": "80", "reason": "x"},
    ),
    "nomination-rule: percent 1e30": page(
        "operator",
        "/cases/rule/",
        {"min_total": "80", "benefit_dimension": "效益", "min_benefit_percent": "1e30", "reason": "x"},
    ),
    "replication-queue: replication huge": page(
        "operator", "/replications/queue/", {"replication": HUGE, "decision": "verify"}
    ),
    "replication-queue: unknown decision": page(
        "operator", "/replications/queue/", lambda w: {"replication": w.replication.pk, "decision": "maybe"}
    ),
    # Tolerance register
    "tolerance-list: open with a bad date": page(
        "operator", "/tolerance/", lambda w: {"scenario": w.spare_forward_scenario.pk, "starts_on": BAD_DATE}
    ),
    "tolerance-list: open a huge scenario": page("operator", "/tolerance/", {"scenario": HUGE}),
    "tolerance-list: open ending before it starts": page(
        "operator",
        "/tolerance/",
        lambda w: {"scenario": w.spare_forward_scenario.pk, "starts_on": "2026-06-01", "ends_on": "2026-01-01"},
    ),
    "tolerance-detail: unknown action": page("operator", PERIOD, {"action": "erase"}),
    "tolerance-detail: checkpoint with a bad date": page(
        "publisher", PERIOD, {"action": "checkpoint_add", "title": "节点", "due_on": BAD_DATE}
    ),
    "tolerance-detail: checkpoint with an over-long title": page(
        "publisher", PERIOD, {"action": "checkpoint_add", "title": LONG, "due_on": "2026-07-01"}
    ),
    "tolerance-detail: complete a huge checkpoint": page(
        "publisher", PERIOD, {"action": "checkpoint_complete", "checkpoint": HUGE, "done_on": "2026-07-01"}
    ),
    "tolerance-detail: incident with no description": page(
        "publisher", PERIOD, {"action": "incident", "occurred_on": "2026-07-01", "description": ""}
    ),
    "tolerance-detail: incident far in the future": page(
        "publisher", PERIOD, {"action": "incident", "occurred_on": "9999-12-31", "description": "事件"}
    ),
    "tolerance-detail: decide a huge incident": page(
        "operator", PERIOD, {"action": "incident_decide", "incident": HUGE, "decision": "exempt", "basis": "依据"}
    ),
    "tolerance-detail: unknown tolerance decision": page(
        "operator",
        PERIOD,
        lambda w: {"action": "incident_decide", "incident": w.incident.pk, "decision": "forgive", "basis": "依据"},
    ),
    "tolerance-detail: extension with a bad date": page(
        "publisher", PERIOD, {"action": "extension_request", "requested_until": BAD_DATE, "reason": "x"}
    ),
    "tolerance-detail: extension before the end": page(
        "publisher", PERIOD, {"action": "extension_request", "requested_until": "2000-01-01", "reason": "x"}
    ),
    "tolerance-detail: decide a non-numeric extension": page(
        "operator", PERIOD, {"action": "extension_decide", "extension": "abc", "decision": "approve"}
    ),
    "tolerance-detail: end early without a reason": page("operator", PERIOD, {"action": "end", "early": "on"}),
}

# ---- reads with bad ids or filters --------------------------------------------------------------

NOT_FOUND = {
    f"{name}: {label}": (who, path.format(id=value))
    for name, who, path in [
        ("framework", "operator", "/evaluation/frameworks/{id}/"),
        ("framework diff", "operator", "/evaluation/frameworks/{id}/diff/"),
        ("round", "operator", "/evaluation/rounds/{id}/"),
        ("commitment", "lead", "/evaluation/mine/rounds/{id}/"),
        ("material", "lead", "/evaluation/mine/subjects/{id}/"),
        ("sheet", "lead", "/evaluation/mine/subjects/{id}/sheet/"),
        ("self-assessment", "company", "/evaluation/self-assessment/{id}/"),
        ("evidence", "company", "/evaluation/evidence/{id}/"),
        ("figures", "operator", "/evaluation/subjects/{id}/figures/"),
        ("result", "operator", "/evaluation/results/{id}/"),
        ("report", "operator", "/evaluation/rounds/{id}/report/"),
        ("report download", "operator", "/evaluation/rounds/{id}/report/download/"),
        ("finding", "operator", "/evaluation/findings/{id}/"),
        ("case", "anonymous", "/cases/{id}/"),
        ("replication evidence", "operator", "/replications/{id}/evidence/"),
        ("tolerance period", "operator", "/tolerance/{id}/"),
        ("API framework", "operator", "/api/v1/evaluation-frameworks/{id}/"),
        ("API round", "operator", "/api/v1/evaluation-rounds/{id}/"),
        ("API sheet", "expert", "/api/v1/evaluation-sheets/{id}/"),
        ("API result", "operator", "/api/v1/evaluation-results/{id}/"),
        ("API finding", "operator", "/api/v1/evaluation-findings/{id}/"),
        ("API case", "anonymous", "/api/v1/typical-cases/{id}/"),
        ("API replication", "operator", "/api/v1/replications/{id}/"),
        ("API tolerance period", "operator", "/api/v1/tolerance-periods/{id}/"),
    ]
    for label, value in [("huge id", HUGE), ("non-numeric id", "abc"), ("negative id", "-1"), ("float id", "1.5")]
}

BAD_FILTERS = {
    "round list": ("operator", "/evaluation/rounds/?level=province&year=abc&status=gone&page=-1&page_size=1e30"),
    "round list: huge year": ("operator", f"/evaluation/rounds/?year={HUGE}&page={HUGE}"),
    "finding list": ("operator", f"/evaluation/findings/?status=gone&round={HUGE}&organisation=abc&overdue=maybe"),
    "case list": ("anonymous", f"/cases/?level=province&year={HUGE}&domain=abc&page=abc"),
    "tolerance list": ("operator", "/tolerance/?status=gone&ending=maybe&page=NaN"),
    "framework edit: non-numeric indicator": ("operator", "EDIT?indicator=abc"),
    "API rounds": ("operator", f"/api/v1/evaluation-rounds/?level=province&year={HUGE}"),
    "API frameworks": ("operator", "/api/v1/evaluation-frameworks/?level=province&status=gone"),
    "API results": ("operator", f"/api/v1/evaluation-results/?subject={HUGE}&is_published=maybe"),
    "API results: subject not a number": ("operator", "/api/v1/evaluation-results/?subject=abc"),
    "API findings": ("operator", f"/api/v1/evaluation-findings/?status=gone&round={HUGE}&overdue=maybe"),
    "API cases": ("anonymous", f"/api/v1/typical-cases/?year={HUGE}&level=province"),
    "API replications": ("operator", f"/api/v1/replications/?case={HUGE}&kind=copy"),
    "API replications: case not a number": ("operator", "/api/v1/replications/?case=abc"),
    "API tolerance periods": ("operator", f"/api/v1/tolerance-periods/?scenario={HUGE}&status=gone"),
    "API pages": ("operator", "/api/v1/evaluation-findings/?page=abc&page_size=1e30"),
}

# ---- API writes ---------------------------------------------------------------------------------

SHEETS = "/api/v1/evaluation-sheets/"
PERIODS = lambda w: f"/api/v1/tolerance-periods/{w.period.pk}/"  # noqa: E731
NESTED = "[" * 5000 + "]" * 5000


def sheet_body(**line):
    return lambda w: {"subject": w.subject.pk, "scores": [{"indicator": w.leaves[0].pk, "points": "8"} | line]}


def round_body(**overrides):
    return lambda w: (
        {"title": "企业级评估", "level": "enterprise", "year": 2026, "framework": w.framework.pk} | overrides
    )


API_CASES = {
    # Frameworks
    "frameworks: publish a published one": api(
        "operator", lambda w: f"/api/v1/evaluation-frameworks/{w.framework.pk}/publish/"
    ),
    "frameworks: new version with a list body": api(
        "operator", lambda w: f"/api/v1/evaluation-frameworks/{w.framework.pk}/new-version/", [1, 2]
    ),
    "frameworks: new version with an over-long note": api(
        "operator", lambda w: f"/api/v1/evaluation-frameworks/{w.framework.pk}/new-version/", {"change_note": LONG}
    ),
    # Rounds
    "rounds: unknown level": api("operator", "/api/v1/evaluation-rounds/", round_body(level="province")),
    "rounds: year huge": api("operator", "/api/v1/evaluation-rounds/", round_body(year=2**70)),
    "rounds: year NaN": api("operator", "/api/v1/evaluation-rounds/", round_body(year="NaN")),
    "rounds: framework huge": api("operator", "/api/v1/evaluation-rounds/", round_body(framework=2**70)),
    "rounds: framework an object": api("operator", "/api/v1/evaluation-rounds/", round_body(framework={"id": 1})),
    "rounds: bad date": api("operator", "/api/v1/evaluation-rounds/", round_body(scoring_due=BAD_DATE)),
    "rounds: title over-long": api("operator", "/api/v1/evaluation-rounds/", round_body(title=LONG)),
    "rounds: title with a NUL": api("operator", "/api/v1/evaluation-rounds/", round_body(title="评估\x00")),
    "rounds: a list body": api("operator", "/api/v1/evaluation-rounds/", [{"title": "x"}]),
    "rounds: nested thousands deep": api("operator", "/api/v1/evaluation-rounds/", NESTED),
    "rounds: broken JSON": api("operator", "/api/v1/evaluation-rounds/", '{"title": '),
    "rounds: plain text": api("operator", "/api/v1/evaluation-rounds/", "title=x", content_type="text/plain"),
    "rounds: XML": api("operator", "/api/v1/evaluation-rounds/", "<round/>", content_type="application/xml"),
    # Sheets
    "sheets: subject huge": api("expert", SHEETS + "save/", lambda w: {"subject": 2**70, "scores": []}),
    "sheets: subject not a number": api("expert", SHEETS + "save/", {"subject": "abc", "scores": []}),
    "sheets: scores an object": api("expert", SHEETS + "save/", lambda w: {"subject": w.subject.pk, "scores": {}}),
    "sheets: scores of numbers": api("expert", SHEETS + "save/", lambda w: {"subject": w.subject.pk, "scores": [1]}),
    "sheets: indicator huge": api("expert", SHEETS + "save/", sheet_body(indicator=2**70)),
    "sheets: indicator not a number": api("expert", SHEETS + "save/", sheet_body(indicator="abc")),
    "sheets: points off the grid": api("expert", SHEETS + "save/", sheet_body(points="7.3")),
    "sheets: points NaN": api("expert", SHEETS + "save/", sheet_body(points="NaN")),
    "sheets: points 1e30": api("expert", SHEETS + "save/", sheet_body(points="1e30")),
    "sheets: points negative": api("expert", SHEETS + "save/", sheet_body(points="-0.5")),
    "sheets: points as an object": api("expert", SHEETS + "save/", sheet_body(points={"value": 8})),
    "sheets: comment over-long": api("expert", SHEETS + "save/", sheet_body(comment=LONG)),
    "sheets: red line maybe": api("expert", SHEETS + "save/", sheet_body(red_line_hit="maybe")),
    "sheets: submit incomplete": api("expert", SHEETS + "submit/", sheet_body()),
    "sheets: a list body": api("expert", SHEETS + "submit/", [1]),
    "sheets: reopen with a list body": api("lead", lambda w: f"{SHEETS}{w.sheet.pk}/reopen/", ["请复核"]),
    "sheets: reopen with an over-long reason": api("lead", lambda w: f"{SHEETS}{w.sheet.pk}/reopen/", {"reason": LONG}),
    "sheets: reopen a draft": api("operator", lambda w: f"{SHEETS}{w.draft_sheet.pk}/reopen/", {"reason": "复核"}),
    "sheets: reopen a huge id": api("lead", f"{SHEETS}{HUGE}/reopen/", {"reason": "复核"}),
    # Findings
    "findings: progress blank": api(
        "company", lambda w: f"/api/v1/evaluation-findings/{w.finding.pk}/progress/", {"note": ""}
    ),
    "findings: progress over-long": api(
        "company", lambda w: f"/api/v1/evaluation-findings/{w.finding.pk}/progress/", {"note": LONG}
    ),
    "findings: submit a list": api(
        "company", lambda w: f"/api/v1/evaluation-findings/{w.finding.pk}/submit/", ["整改"]
    ),
    "findings: verify before submission": api(
        "operator", lambda w: f"/api/v1/evaluation-findings/{w.finding.pk}/verify/"
    ),
    "findings: return without a reason": api(
        "operator", lambda w: f"/api/v1/evaluation-findings/{w.finding.pk}/return/", {"reason": ""}
    ),
    "findings: progress on a huge id": api("company", f"/api/v1/evaluation-findings/{HUGE}/progress/", {"note": "x"}),
    # Typical cases and replications
    "cases: decide a list": api(
        "operator", lambda w: f"/api/v1/typical-cases/{w.proposed_case.pk}/decide/", ["approve"]
    ),
    "cases: decide without a reason": api(
        "operator",
        lambda w: f"/api/v1/typical-cases/{w.proposed_case.pk}/decide/",
        {"decision": "approve", "reason": ""},
    ),
    "cases: decide an over-long reason": api(
        "operator",
        lambda w: f"/api/v1/typical-cases/{w.proposed_case.pk}/decide/",
        {"decision": "dismiss", "reason": LONG},
    ),
    "replications: case huge": api("stranger", "/api/v1/replications/", {"case": 2**70, "kind": "adoption"}),
    "replications: case not a number": api("stranger", "/api/v1/replications/", {"case": "abc", "kind": "adoption"}),
    "replications: scenario huge": api(
        "stranger", "/api/v1/replications/", lambda w: {"case": w.case.pk, "kind": "scenario", "scenario": 2**70}
    ),
    "replications: evidence as text": api(
        "stranger",
        "/api/v1/replications/",
        lambda w: {"case": w.case.pk, "kind": "adoption", "description": "推广", "evidence": "file.pdf"},
    ),
    "replications: adoption without evidence": api(
        "stranger", "/api/v1/replications/", lambda w: {"case": w.case.pk, "kind": "adoption", "description": "推广"}
    ),
    "replications: verify maybe": api(
        "operator", lambda w: f"/api/v1/replications/{w.replication.pk}/verify/", {"approve": "maybe"}
    ),
    "replications: verify nothing": api("operator", lambda w: f"/api/v1/replications/{w.replication.pk}/verify/", {}),
    # Tolerance register
    "periods: scenario huge": api("operator", "/api/v1/tolerance-periods/", {"scenario": 2**70}),
    "periods: scenario not a number": api("operator", "/api/v1/tolerance-periods/", {"scenario": "abc"}),
    "periods: bad dates": api(
        "operator",
        "/api/v1/tolerance-periods/",
        lambda w: {"scenario": w.spare_forward_scenario.pk, "starts_on": BAD_DATE, "ends_on": "2026-02-30"},
    ),
    "periods: a second period for a scenario": api(
        "operator", "/api/v1/tolerance-periods/", lambda w: {"scenario": w.period.scenario_id}
    ),
    "periods: checkpoint bad date": api(
        "publisher", lambda w: PERIODS(w) + "checkpoints/", {"title": "节点", "due_on": BAD_DATE}
    ),
    "periods: checkpoint over-long title": api(
        "publisher", lambda w: PERIODS(w) + "checkpoints/", {"title": LONG, "due_on": "2026-07-01"}
    ),
    "periods: complete a huge checkpoint": api(
        "publisher", lambda w: PERIODS(w) + "checkpoints/complete/", {"checkpoint": 2**70, "done_on": "2026-07-01"}
    ),
    "periods: incident bad date": api(
        "publisher", lambda w: PERIODS(w) + "incidents/", {"occurred_on": "0000-00-00", "description": "事件"}
    ),
    "periods: decide a huge incident": api(
        "operator", lambda w: PERIODS(w) + "incidents/decide/", {"incident": 2**70, "decision": "exempt", "basis": "x"}
    ),
    "periods: extension bad date": api(
        "publisher", lambda w: PERIODS(w) + "extensions/", {"requested_until": BAD_DATE, "reason": "x"}
    ),
    "periods: decide an extension maybe": api(
        "operator",
        lambda w: PERIODS(w) + "extensions/decide/",
        lambda w: {"extension": w.extension.pk, "approve": "maybe"},
    ),
    "periods: end maybe": api("operator", lambda w: PERIODS(w) + "end/", {"early": "maybe"}),
    "periods: end a list": api("operator", lambda w: PERIODS(w) + "end/", [True]),
}


# ---- the checks ---------------------------------------------------------------------------------


def _person(world, who):
    return {
        "anonymous": None,
        "operator": world.operator,
        "lead": world.lead,
        "expert": world.experts[2],  # holds a draft sheet
        "company": world.company_user,
        "publisher": world.publisher_user,
        "stranger": world.stranger,
    }[who]


def _assert_refused_in_chinese(response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    messages = messages_of(response)
    assert messages and all(CHINESE.search(text) for text in messages), (response.status_code, messages)


def _send(client, world, case: Case):
    url = case.url(world)
    if url.startswith("EDIT"):
        url = EDIT(world) + url.removeprefix("EDIT")
    body = case.body(world)
    if case.method == "GET":
        return client.get(url)
    if case.content_type == "json":
        return client.post(url, body if isinstance(body, str) else json.dumps(body), content_type="application/json")
    if case.content_type:
        return client.post(url, body, content_type=case.content_type)
    data = dict(body or {})
    for name, make in case.files.items():
        data[name] = make()
    return client.post(url, data)


def _client(world, who):
    client = APIClient(raise_request_exception=True)
    person = _person(world, who)
    if person is not None:
        client.force_login(person)
    return client


@pytest.mark.parametrize("name", PAGE_CASES)
def test_a_page_refuses_hostile_input_in_chinese_and_changes_nothing(world, name):
    case = PAGE_CASES[name]
    client = _client(world, case.who)
    before = state()
    response = _send(client, world, case)
    _assert_refused_in_chinese(response)
    assert state() == before


@pytest.mark.parametrize("name", API_CASES)
def test_the_api_refuses_hostile_input_in_chinese_and_changes_nothing(world, name):
    case = API_CASES[name]
    client = _client(world, case.who)
    before = state()
    response = _send(client, world, case)
    _assert_refused_in_chinese(response)
    assert state() == before


@pytest.mark.parametrize("name", NOT_FOUND)
def test_a_bad_id_is_not_found_in_chinese(world, name):
    who, url = NOT_FOUND[name]
    response = _client(world, who).get(url)
    assert response.status_code == 404
    _assert_refused_in_chinese(response)


@pytest.mark.parametrize("name", BAD_FILTERS)
def test_bad_filters_are_ignored_or_refused_in_chinese_never_a_500(world, name):
    who, url = BAD_FILTERS[name]
    if url.startswith("EDIT"):
        url = EDIT(world) + url.removeprefix("EDIT")
    client = _client(world, who)
    before = state()
    response = client.get(url)
    if response.status_code != 200:
        _assert_refused_in_chinese(response)
    assert state() == before
