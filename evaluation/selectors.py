"""Every read of evaluation used by pages, the API and other apps, scoped to the user."""

import datetime
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.permissions import is_official, is_operator
from contests.choices import SheetStatus
from core.models import AuditRecord
from evaluation.choices import FindingStatus, FrameworkStatus, RoundStatus, ScoringMethod
from evaluation.experts import expected_experts, has_signed_commitment, subject_conflicted_pairs, subject_conflicts
from evaluation.indicator_rules import rule_for
from evaluation.models import (
    ConsensusDecision,
    EvaluationCommitment,
    EvaluationRound,
    EvaluationSheet,
    EvidenceFile,
    Finding,
    Framework,
    GradeBand,
    Indicator,
    IndicatorFigure,
    IndicatorScore,
    RoundExpert,
    Subject,
    SubjectOrganisation,
    SubjectResult,
)
from evaluation.permissions import (
    can_see_subject_as_expert,
    can_see_subject_material,
    evaluation_menu,
    has_working_role,
    is_round_expert,
    is_round_lead,
    may_manage_frameworks,
    may_manage_rounds,
    may_read_frameworks,
)
from evaluation.scoring import round_half_up

# === Frameworks (评价指标体系, computed indicator rules) ===


def frameworks_visible_to(user) -> QuerySet[Framework]:
    """Operators see every version, drafts included; experts and subject organisations' users the
    published ones; anyone else none. Each row carries its indicator count."""
    if may_manage_frameworks(user):
        frameworks = Framework.objects.all()
    elif may_read_frameworks(user):
        frameworks = Framework.objects.filter(status=FrameworkStatus.PUBLISHED)
    else:
        return Framework.objects.none()
    return (
        frameworks.select_related("based_on")
        .annotate(indicator_count=Count("indicators"))
        .order_by("level", "-version")
    )


def frameworks_with_tree(user) -> QuerySet[Framework]:
    """frameworks_visible_to with the indicators and grade bands prefetched (the API's rows)."""
    return frameworks_visible_to(user).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("tier", "position", "id")),
        Prefetch("grade_bands", queryset=GradeBand.objects.order_by("-min_total")),
    )


def framework_rows(framework: Framework, indicators=None) -> list[dict]:
    """The tree depth-first as table rows: {indicator, depth, absolute_weight, is_leaf, rule} where
    absolute weight = weight × parent's absolute weight / 100 (half-up to 0.01). One query unless
    the indicators are given."""
    from evaluation.services.frameworks import framework_tree

    indicators = list(framework.indicators.all()) if indicators is None else list(indicators)
    roots, children = framework_tree(indicators)
    rows = []

    def walk(items, parent_absolute):
        for item in items:
            absolute = item.weight * parent_absolute / Decimal("100")
            kids = children.get(item.pk, [])
            rows.append(
                {
                    "indicator": item,
                    "depth": item.tier,
                    "absolute_weight": absolute.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                    "is_leaf": not kids,
                    "rule": rule_for(item.rule) if item.rule else None,
                }
            )
            walk(kids, absolute)

    walk(roots, Decimal("100"))
    return rows


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


def rounds_for_operator(user) -> QuerySet[EvaluationRound]:
    """Every round for operators (none for anyone else), with counts of subjects, team experts and
    submitted sheets annotated in the one query."""
    if not may_manage_rounds(user):
        return EvaluationRound.objects.none()
    return (
        EvaluationRound.objects.select_related("framework")
        .annotate(
            subject_count=Count("subjects", distinct=True),
            expert_count=Count("experts", distinct=True),
            sheets_submitted=Count(
                "subjects__sheets", filter=Q(subjects__sheets__status=SheetStatus.SUBMITTED), distinct=True
            ),
        )
        .order_by("-year", "-opened_at", "-id")
    )


def round_for_operator(user, pk) -> EvaluationRound:
    return get_object_or_404(rounds_for_operator(user), pk=_whole(pk))


def rounds_for_expert(user) -> QuerySet[EvaluationRound]:
    """The rounds whose team the user is on, with `signed` (the 回避承诺) and `is_lead`."""
    if not user.is_authenticated:
        return EvaluationRound.objects.none()
    return (
        EvaluationRound.objects.filter(experts__expert=user)
        .select_related("framework")
        .annotate(
            signed=Exists(EvaluationCommitment.objects.filter(round=OuterRef("pk"), expert=user)),
            is_lead=Exists(RoundExpert.objects.filter(round=OuterRef("pk"), expert=user, is_lead=True)),
        )
    )


def round_for_expert(user, pk) -> EvaluationRound:
    return get_object_or_404(rounds_for_expert(user), pk=_whole(pk))


def rounds_readable_by(user) -> QuerySet[EvaluationRound]:
    """/api/v1/evaluation-rounds/: operators every round, experts the rounds they are on."""
    return rounds_for_operator(user) if may_manage_rounds(user) else rounds_for_expert(user)


def _subjects_with_organisations() -> QuerySet[Subject]:
    return Subject.objects.select_related(
        "round__framework", "scenario", "domain", "strategic_area", "district", "self_assessment_by"
    ).prefetch_related(Prefetch("subject_organisations", SubjectOrganisation.objects.select_related("organisation")))


def subjects_for_expert(user, round_: EvaluationRound) -> list[Subject]:
    """The subjects of the round the expert may see and score: none before the 回避承诺, never a
    conflicted one. Each carries `sheet` (the expert's own sheet, or None)."""
    if not (is_round_expert(user, round_.pk) and has_signed_commitment(user, round_.pk)):
        return []
    subjects = list(
        _subjects_with_organisations()
        .filter(round=round_)
        .prefetch_related(Prefetch("sheets", EvaluationSheet.objects.filter(expert=user), to_attr="own_sheets"))
    )
    conflicted = subject_conflicted_pairs(round_, subjects=subjects, experts=[user])
    visible = []
    for subject in subjects:
        if (user.pk, subject.pk) in conflicted:
            continue
        subject.sheet = subject.own_sheets[0] if subject.own_sheets else None
        visible.append(subject)
    return visible


def subject_for_expert(user, pk) -> Subject:
    """A subject whose material the expert may see (team, signed, no conflict); otherwise 404."""
    subject = _subjects_with_organisations().filter(pk=_whole(pk)).first()
    if subject is None or not can_see_subject_as_expert(user, subject):
        raise Http404
    return subject


def sheet_for_expert(user, subject: Subject) -> EvaluationSheet | None:
    """The expert's own sheet of a subject that subject_for_expert returned to them (None before
    the first save), with its scores. Nobody else's sheet is ever returned."""
    return (
        EvaluationSheet.objects.filter(subject=subject, expert=user)
        .prefetch_related(Prefetch("scores", IndicatorScore.objects.order_by("indicator_id")))
        .first()
    )


def sheets_of_expert(user) -> QuerySet[EvaluationSheet]:
    """/api/v1/evaluation-sheets/: the user's own sheets only."""
    if not user.is_authenticated:
        return EvaluationSheet.objects.none()
    return (
        EvaluationSheet.objects.filter(expert=user)
        .select_related("subject__round")
        .prefetch_related(
            Prefetch("scores", IndicatorScore.objects.select_related("indicator").order_by("indicator_id"))
        )
        .order_by("-updated_at", "-id")
    )


def sheet_for_round_lead(user, pk) -> EvaluationSheet:
    """A sheet an operator or the round's lead (not conflicted with its subject) may send back,
    without its points; otherwise 404."""
    sheet = get_object_or_404(EvaluationSheet.objects.select_related("subject__round", "expert"), pk=_whole(pk))
    if may_manage_rounds(user):
        return sheet
    if not is_round_lead(user, sheet.subject.round_id) or subject_conflicts(user, sheet.subject):
        raise Http404  # a lead conflicted with the subject takes no part in its scoring
    return sheet


def subjects_for_organisation_user(user) -> QuerySet[Subject]:
    """The subjects of the user's organisation, for a user holding a working role
    (evaluation.permissions.WORKING_ROLES); none for anyone else."""
    if not has_working_role(user):
        return Subject.objects.none()
    return (
        _subjects_with_organisations()
        .filter(subject_organisations__organisation_id=user.organisation_id)
        .annotate(
            evidence_count=Count("evidence", distinct=True),
            published_grade=Subquery(
                SubjectResult.objects.filter(subject=OuterRef("pk"), is_published=True).values("grade")[:1]
            ),
            published_total=Subquery(
                SubjectResult.objects.filter(subject=OuterRef("pk"), is_published=True).values("total")[:1]
            ),
        )
        .order_by("-round__year", "-round__opened_at", "id")
    )


def has_evaluation_subject(user) -> bool:
    """The menu's "本单位评估" predicate: the user acts for at least one subject."""
    return evaluation_menu(user)["subjects"]


def subject_for_organisation_user(user, pk) -> Subject:
    return get_object_or_404(subjects_for_organisation_user(user), pk=_whole(pk))


def subject_for_operator(user, pk) -> Subject:
    if not may_manage_rounds(user):
        raise Http404
    return get_object_or_404(_subjects_with_organisations(), pk=_whole(pk))


def round_subjects(round_: EvaluationRound) -> QuerySet[Subject]:
    """A round's subjects with their organisations, evidence count and `imports_missing`: the
    imported leaves of the framework without a figure for the subject yet, which the operator
    enters on the figures page before the experts can submit (operator's round page)."""
    missing = (
        Indicator.objects.filter(framework_id=round_.framework_id, method=ScoringMethod.IMPORTED, children__isnull=True)
        .exclude(pk__in=IndicatorFigure.objects.filter(subject_id=OuterRef(OuterRef("pk"))).values("indicator_id"))
        .order_by()
        .values("framework_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        _subjects_with_organisations()
        .filter(round=round_)
        .annotate(evidence_count=Count("evidence", distinct=True), imports_missing=Coalesce(Subquery(missing[:1]), 0))
    )


def round_team(round_: EvaluationRound) -> QuerySet[RoundExpert]:
    """The team, the lead first, each with `signed` (the 回避承诺)."""
    return (
        RoundExpert.objects.filter(round=round_)
        .select_related("expert__organisation", "expert__judge_profile")
        .annotate(
            signed=Exists(
                EvaluationCommitment.objects.filter(round_id=OuterRef("round_id"), expert_id=OuterRef("expert_id"))
            )
        )
        .order_by("-is_lead", "assigned_at", "id")
    )


def sheet_progress(round_: EvaluationRound, subjects, team) -> list[dict]:
    """Expert × subject matrix of sheet states, never points: for each team member one row with
    per subject a cell {"subject", "state": "conflict" (not expected) / "submitted" / "draft" / "" (not
    started), "sheet": the sheet's id or None}. Six queries whatever the numbers of experts and
    subjects: the sheets' states, then subject_conflicted_pairs."""
    sheets = {
        (subject_id, expert_id): (pk, status)
        for pk, subject_id, expert_id, status in EvaluationSheet.objects.filter(subject__round=round_).values_list(
            "pk", "subject_id", "expert_id", "status"
        )
    }
    conflicted = subject_conflicted_pairs(round_, subjects=subjects, experts=[member.expert for member in team])
    rows = []
    for member in team:
        cells = []
        for subject in subjects:
            if (member.expert_id, subject.pk) in conflicted:
                cells.append({"subject": subject, "state": "conflict", "sheet": None})
            else:
                pk, status = sheets.get((subject.pk, member.expert_id), (None, ""))
                cells.append({"subject": subject, "state": status, "sheet": pk})
        rows.append({"member": member, "cells": cells})
    return rows


def evidence_for(user, pk) -> EvidenceFile:
    """An evidence file for download: operators, the subject's working users and cleared team
    experts (signed the 回避承诺, no conflict); otherwise 404."""
    evidence = get_object_or_404(EvidenceFile.objects.select_related("subject"), pk=_whole(pk))
    if not can_see_subject_material(user, evidence.subject):
        raise Http404
    return evidence


def subject_evidence(subject: Subject) -> QuerySet[EvidenceFile]:
    return EvidenceFile.objects.filter(subject=subject).select_related("indicator", "uploaded_by")


def framework_leaves(framework) -> list:
    """The scored indicators (leaves) of a framework, in tree order, each with `dimension` (its
    first-tier ancestor)."""
    indicators = list(framework.indicators.all().order_by("tier", "position", "id"))
    by_id = {indicator.pk: indicator for indicator in indicators}
    parents = {indicator.parent_id for indicator in indicators if indicator.parent_id}
    for indicator in indicators:
        top = indicator
        while top.parent_id:
            top = by_id[top.parent_id]
        indicator.dimension = top
    leaves = [indicator for indicator in indicators if indicator.pk not in parents]
    order = {indicator.pk: index for index, indicator in enumerate(_tree_order(indicators))}
    return sorted(leaves, key=lambda indicator: order[indicator.pk])


def _tree_order(indicators) -> list:
    children: dict = {}
    for indicator in indicators:
        children.setdefault(indicator.parent_id, []).append(indicator)
    ordered = []

    def walk(parent_id):
        for child in sorted(children.get(parent_id, []), key=lambda item: (item.position, item.pk)):
            ordered.append(child)
            walk(child.pk)

    walk(None)
    return ordered


def subject_figures(subject: Subject) -> dict[int, IndicatorFigure]:
    """{indicator id: figure} of the subject's computed and imported indicators."""
    figures = IndicatorFigure.objects.filter(subject=subject).select_related("recorded_by")
    return {figure.indicator_id: figure for figure in figures}


def _tree_position(leaf: dict) -> tuple:
    """An indicator's place in the tree from its code ("2.10.1" after "2.9.3")."""
    return tuple(int(part) if part.isdigit() else 0 for part in str(leaf.get("code", "")).split("."))


def whole_number(pk) -> int:
    """An id from a URL or a form: a whole number, or the page is not found."""
    return _whole(pk)


def own_subject_ids(user, round_) -> set[int]:
    """The subjects of the round the user works for (their result pages are theirs to open)."""
    if not has_working_role(user):
        return set()
    return set(
        SubjectOrganisation.objects.filter(subject__round=round_, organisation_id=user.organisation_id).values_list(
            "subject_id", flat=True
        )
    )


def _whole(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


def result_inputs(subject: Subject) -> dict:
    """What evaluation.scoring.compute_result needs for a subject: the frozen framework's indicators
    and bands, the round's consensus threshold, the submitted sheets of the experts expected on it
    (a conflicted or removed expert's sheet does not count), the figures and consensus decisions."""
    round_ = subject.round
    expected = [expert.pk for expert in expected_experts(subject)]
    sheets = (
        EvaluationSheet.objects.filter(subject=subject, status=SheetStatus.SUBMITTED, expert_id__in=expected)
        .prefetch_related("scores")
        .order_by("expert_id")
    )
    # In tree order (1.1, 1.2, 2.1.1 …), so a new result's leaves — on its page, in the workbook and
    # in the close's refusal — read as the framework does (result_page also sorts stored ones).
    indicators = _tree_order(Indicator.objects.filter(framework_id=round_.framework_id))
    return {
        "indicators": [
            {
                "id": item.pk,
                "code": item.code,
                "name": item.name,
                "parent": item.parent_id,
                "tier": item.tier,
                "weight": str(item.weight),
                "method": item.method,
                "max_points": str(item.max_points),
                "is_red_line": item.is_red_line,
            }
            for item in indicators
        ],
        "bands": [
            {"name": band.name, "min_total": str(band.min_total), "is_lowest": band.is_lowest}
            for band in GradeBand.objects.filter(framework_id=round_.framework_id).order_by("-min_total")
        ],
        "consensus_spread": str(round_.consensus_spread),
        "expected_experts": expected,
        "sheets": [
            {
                "expert": sheet.expert_id,
                "points": {str(score.indicator_id): str(score.points) for score in sheet.scores.all()},
                "red_line": sorted(score.indicator_id for score in sheet.scores.all() if score.red_line_hit),
            }
            for sheet in sheets
        ],
        "figures": {
            str(figure.indicator_id): str(figure.points)
            for figure in IndicatorFigure.objects.filter(subject=subject).order_by("indicator_id")
        },
        "consensus": {
            str(decision.indicator_id): {"points": str(decision.points), "red_line_hit": decision.red_line_hit}
            for decision in ConsensusDecision.objects.filter(subject=subject).order_by("indicator_id")
        },
    }


def latest_result(subject: Subject) -> SubjectResult | None:
    return SubjectResult.objects.filter(subject=subject).order_by("-computed_at", "-id").first()


def published_result(subject: Subject) -> SubjectResult | None:
    return SubjectResult.objects.filter(subject=subject, is_published=True).first()


def _submitted_own_sheet(user) -> Q:
    return Q(sheets__expert=user, sheets__status=SheetStatus.SUBMITTED) & Q(round__experts__expert=user)


def result_subjects_visible_to(user) -> QuerySet[Subject]:
    """Subjects whose result the person may read: operators every one; the round's team members
    (the lead included) once they have submitted their own sheet for it; the subject's
    organisations' people and officials once the round is closed and the result published."""
    subjects = Subject.objects.select_related("round", "round__framework")
    if not user.is_authenticated:
        return subjects.none()
    if is_operator(user):
        return subjects
    visible = Q(pk__in=Subject.objects.filter(_submitted_own_sheet(user)).values("pk"))
    published = Q(round__status=RoundStatus.CLOSED, results__is_published=True)
    if is_official(user):
        visible |= published
    elif user.organisation_id:
        visible |= published & Q(
            pk__in=SubjectOrganisation.objects.filter(organisation_id=user.organisation_id).values("subject_id")
        )
    return subjects.filter(visible).distinct()


def result_access(user, subject: Subject) -> dict:
    """What the person sees of a subject's result (call on a subject of result_subjects_visible_to):
    operators and team members see the latest computation, others the published one."""
    operator = is_operator(user)
    team = not operator and RoundExpert.objects.filter(round_id=subject.round_id, expert=user).exists()
    lead = team and is_round_lead(user, subject.round_id)
    result = latest_result(subject) if operator or team else published_result(subject)
    return {"operator": operator, "team": team, "lead": lead, "result": result}


def results_visible_to(user) -> QuerySet[SubjectResult]:
    """The API's results: operators and team members every snapshot of a subject they may read;
    others only the published one."""
    results = SubjectResult.objects.select_related("subject", "subject__round").order_by("subject_id", "-computed_at")
    if not user.is_authenticated:
        return results.none()
    if is_operator(user):
        return results
    subjects = result_subjects_visible_to(user).values("pk")
    own = Subject.objects.filter(_submitted_own_sheet(user)).values("pk")
    return results.filter(subject__in=subjects).filter(Q(subject__in=own) | Q(is_published=True))


def round_average_dimensions(round_id: int, *, published: bool) -> dict[int, Decimal]:
    """The round's average of each first-tier dimension as % of its weight, over its subjects'
    latest (or published) results with a total: {dimension id: percent}."""
    results = SubjectResult.objects.filter(subject__round_id=round_id, total__isnull=False)
    if published:
        results = results.filter(is_published=True)
    latest: dict[int, SubjectResult] = {}
    for item in results.order_by("subject_id", "-computed_at", "-id").only("subject_id", "results"):
        latest.setdefault(item.subject_id, item)
    sums: dict[int, list[Decimal]] = {}
    for item in latest.values():
        for dimension in item.results.get("dimensions", []):
            sums.setdefault(dimension["id"], []).append(Decimal(dimension["percent"]))
    return {key: sum(values, Decimal(0)) / len(values) for key, values in sums.items()}


def lead_rounds(user) -> QuerySet[EvaluationRound]:
    return EvaluationRound.objects.filter(experts__expert=user, experts__is_lead=True)


def consensus_queue(user) -> list[dict]:
    """The lead's 合议 queue: for each subject of the rounds they lead (still scoring) for which the
    lead has submitted their own sheet — so has no conflict with it and has scored before seeing
    anyone else's points — the indicators whose expert scores spread beyond the threshold, each
    expert's points and any decision recorded. Five queries whatever the size: rounds, the lead's
    own sheets, subjects, results, the scores with their experts."""
    rounds = list(lead_rounds(user).filter(status=RoundStatus.SCORING).values_list("pk", flat=True))
    if not rounds:
        return []
    own = EvaluationSheet.objects.filter(
        subject__round_id__in=rounds, expert=user, status=SheetStatus.SUBMITTED
    ).values_list("subject_id", flat=True)
    subjects = list(Subject.objects.filter(pk__in=list(own)).select_related("round").order_by("round_id", "id"))
    latest: dict[int, SubjectResult] = {}
    for item in SubjectResult.objects.filter(subject__in=subjects).order_by("subject_id", "-computed_at", "-id"):
        latest.setdefault(item.subject_id, item)
    rows, wanted = [], {}
    for item in subjects:
        result = latest.get(item.pk)
        for leaf in result.results["leaves"] if result else []:
            if leaf["needs_consensus"]:
                row = {"subject": item, "leaf": leaf, "scores": []}
                rows.append(row)
                wanted[(item.pk, leaf["id"])] = row
    if wanted:
        scores = (
            IndicatorScore.objects.filter(
                sheet__subject__in={key[0] for key in wanted},
                sheet__status=SheetStatus.SUBMITTED,
                indicator_id__in={key[1] for key in wanted},
            )
            .select_related("sheet__expert")
            .order_by("sheet__expert_id")
        )
        for score in scores:
            row = wanted.get((score.sheet.subject_id, score.indicator_id))
            if row is not None:
                row["scores"].append(score)
    return rows


def result_page(subject: Subject, access: dict) -> dict:
    """What the result page shows: the dimension table with the round's average, the radar
    chart's axes, the indicator rows and the red-line hits' names."""
    result = access["result"]
    if result is None:
        return {"dimensions": [], "leaves": [], "radar_axes": [], "red_line_names": []}
    average = round_average_dimensions(subject.round_id, published=not (access["operator"] or access["team"]))
    dimensions = [
        {**item, "average": str(round_half_up(average[item["id"]])) if item["id"] in average else None}
        for item in result.results["dimensions"]
    ]
    names = {leaf["id"]: f"{leaf['code']} {leaf['name']}" for leaf in result.results["leaves"]}
    return {
        "dimensions": dimensions,
        "leaves": sorted(result.results["leaves"], key=_tree_position),
        "radar_axes": [
            {"name": item["name"], "subject": item["percent"], "average": item["average"]} for item in dimensions
        ],
        "red_line_names": [names.get(item, str(item)) for item in result.results["red_line_hits"]],
    }


def findings_visible_to(user) -> QuerySet[Finding]:
    """Operators and officials every finding; a round's lead those of its subjects; the people of
    an organisation with a working role the findings it must rectify; nobody else any."""
    findings = Finding.objects.select_related("subject", "subject__round", "organisation", "indicator").order_by(
        "due_date", "id"
    )
    if not user.is_authenticated:
        return findings.none()
    if is_operator(user) or is_official(user):
        return findings
    visible = Q(subject__round__in=lead_rounds(user).values("pk"))
    if has_working_role(user):
        visible |= Q(organisation_id=user.organisation_id)
    return findings.filter(visible)


def finding_status_counts(findings: QuerySet[Finding]) -> dict[str, int]:
    """{status: count} of a filtered list, in one aggregate query."""
    counts = dict.fromkeys(FindingStatus.values, 0)
    for row in findings.order_by().values("status").annotate(count=Count("id")):
        counts[row["status"]] = row["count"]
    return counts


def findings_of_subject(subject: Subject) -> QuerySet[Finding]:
    return subject.findings.select_related("organisation", "indicator").order_by("due_date", "id")


def finding_history(finding: Finding) -> QuerySet[AuditRecord]:
    return AuditRecord.objects.filter(object_type=Finding._meta.label_lower, object_id=str(finding.pk)).order_by(
        "created_at", "id"
    )


# === Typical cases (典型案例) and replications (复制推广) ===


def _published_result_prefetch():
    from evaluation.models import SubjectResult

    return Prefetch(
        "subject__results", queryset=SubjectResult.objects.filter(is_published=True), to_attr="published_results"
    )


def cases_public(*, level: str = "", year=None, domain=None) -> QuerySet:
    """Approved typical cases (the public list), newest decision first, filtered by the round's
    level and year and the scenario's (or the subject's) domain; each with its scenario, supplier,
    round and the number of verified replications."""
    from evaluation.choices import CaseStatus, ReplicationStatus
    from evaluation.models import TypicalCase

    cases = (
        TypicalCase.objects.filter(status=CaseStatus.APPROVED)
        .select_related("subject__round", "subject__scenario__domain__parent", "subject__domain__parent", "supplier")
        .annotate(
            verified_replications=Count(
                "replications", filter=Q(replications__status=ReplicationStatus.VERIFIED), distinct=True
            )
        )
        .order_by("-decided_at", "-id")
    )
    if level:
        cases = cases.filter(subject__round__level=level)
    if year:
        cases = cases.filter(subject__round__year=year)
    if domain:
        cases = cases.filter(Q(subject__scenario__domain=domain) | Q(subject__domain=domain))
    return cases


def cases_visible_to(user) -> QuerySet:
    """Operators: every case; a working user of a subject's organisation: that subject's cases
    in any status; everyone else (anonymous included): approved cases."""
    from evaluation.choices import CaseStatus
    from evaluation.models import TypicalCase
    from evaluation.permissions import WORKING_ROLES, may_decide_cases

    cases = TypicalCase.objects.select_related(
        "subject__round", "subject__scenario__publisher", "subject__domain", "supplier", "decided_by"
    ).prefetch_related(
        Prefetch("subject__subject_organisations", SubjectOrganisation.objects.select_related("organisation")),
        _published_result_prefetch(),
    )
    if may_decide_cases(user):
        return cases
    visible = Q(status=CaseStatus.APPROVED)
    if user.is_authenticated and user.organisation_id and any(user.has_role(role) for role in WORKING_ROLES):
        visible |= Q(subject__subject_organisations__organisation_id=user.organisation_id)
    return cases.filter(visible).distinct()


def case_queue() -> QuerySet:
    """Operators' decision queue: proposed and asked-for-more cases, oldest proposal first."""
    from evaluation.choices import CaseStatus
    from evaluation.models import TypicalCase

    return (
        TypicalCase.objects.filter(status__in=[CaseStatus.PROPOSED, CaseStatus.MORE_INFO])
        .select_related("subject__round", "subject__scenario", "supplier")
        .order_by("proposed_at", "id")
    )


def case_replications_verified(case) -> QuerySet:
    """The verified replications of a case as its public page lists them (adopter, kind, date)."""
    from evaluation.choices import ReplicationStatus

    return (
        case.replications.filter(status=ReplicationStatus.VERIFIED)
        .select_related("adopter", "scenario")
        .order_by("verified_at", "id")
    )


def benefit_dimension_names() -> list[str]:
    """The first-tier indicator names of the published frameworks: the names the nomination rule's
    benefit dimension may take."""
    names = Indicator.objects.filter(tier=1, framework__status=FrameworkStatus.PUBLISHED).values_list("name", flat=True)
    return sorted(set(names))


def nomination_rules() -> QuerySet:
    """Every typical-case nomination rule, the one in force (the newest) first, with its author."""
    from evaluation.models import CaseNominationRule

    return CaseNominationRule.objects.select_related("created_by").order_by("-created_at", "-id")


def with_change_reasons(rules) -> list:
    """The rules, each with `reason`: the one its audit record gives (one query for them all)."""
    from evaluation.models import CaseNominationRule

    rules = list(rules)
    reasons = dict(
        AuditRecord.objects.filter(
            action="evaluation.nomination_rule.change",
            object_type=CaseNominationRule._meta.label_lower,
            object_id__in=[str(rule.pk) for rule in rules],
        ).values_list("object_id", "reason")
    )
    for rule in rules:
        rule.reason = reasons.get(str(rule.pk), "")
    return rules


def replications_visible_to(user) -> QuerySet:
    """Operators: every replication; others: those their own organisation recorded as adopter."""
    from evaluation.models import Replication
    from evaluation.permissions import may_decide_cases

    replications = Replication.objects.select_related("case", "adopter", "scenario", "recorded_by", "verified_by")
    if may_decide_cases(user):
        return replications
    if not (user.is_authenticated and user.organisation_id):
        return replications.none()
    return replications.filter(adopter_id=user.organisation_id)


def replication_queue() -> QuerySet:
    """Operators' verification queue: pending replications, oldest first."""
    from evaluation.choices import ReplicationStatus
    from evaluation.models import Replication

    return (
        Replication.objects.filter(status=ReplicationStatus.PENDING)
        .select_related("case", "adopter", "scenario", "recorded_by")
        .order_by("recorded_at", "id")
    )


def replications_counted(*, year: int | None = None, district=None) -> QuerySet:
    """The replications that count towards the 十百千 "100 复制推广" target. 口径 (counting rule):

    1. only replications an operator has verified (status verified; pending and rejected ones do
       not count), of typical cases that are approved;
    2. one adopting organisation counts once per case: of several verified replications by the
       same adopter of the same case, only the first verified (earliest verified_at, then lowest
       id) is counted — two organisations adopting one case count twice, one organisation adopting
       two cases counts twice;
    3. the year is that of the counted replication's verified_at in Asia/Shanghai (1 January 00:00
       to 31 December 24:00 Beijing time);
    4. the district is the adopting organisation's district (accounts.Organisation.district).

    Returns the counted Replication rows themselves (so the number drills down to its records):
    `.count()` is the figure."""
    from evaluation.choices import CaseStatus, ReplicationStatus
    from evaluation.models import Replication

    verified = Replication.objects.filter(status=ReplicationStatus.VERIFIED, case__status=CaseStatus.APPROVED)
    earlier = verified.filter(case_id=OuterRef("case_id"), adopter_id=OuterRef("adopter_id")).filter(
        Q(verified_at__lt=OuterRef("verified_at")) | Q(verified_at=OuterRef("verified_at"), id__lt=OuterRef("id"))
    )
    counted = verified.filter(~Exists(earlier)).select_related("case", "adopter__district", "scenario")
    if year:
        shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
        start = datetime.datetime(int(year), 1, 1, tzinfo=shanghai)
        end = datetime.datetime(int(year) + 1, 1, 1, tzinfo=shanghai)
        counted = counted.filter(verified_at__gte=start, verified_at__lt=end)
    if district:
        counted = counted.filter(adopter__district_id=getattr(district, "pk", district))
    return counted.order_by("verified_at", "id")


# === Tolerance register (包容期 and 容错) ===


def tolerance_periods_visible_to(user) -> QuerySet:
    """Operators: every period; a publisher-role user: the periods of their organisation's
    scenarios; nobody else. Each with its scenario and publisher, and counts of open checkpoints,
    undecided incidents and pending extension requests."""
    from accounts.choices import Role
    from evaluation.choices import ExtensionStatus
    from evaluation.models import TolerancePeriod
    from evaluation.permissions import may_manage_tolerance

    periods = TolerancePeriod.objects.select_related("scenario__publisher").annotate(
        open_checkpoints=Count("checkpoints", filter=Q(checkpoints__done_on__isnull=True), distinct=True),
        undecided_incidents=Count("incidents", filter=Q(incidents__decision=""), distinct=True),
        pending_extensions=Count("extensions", filter=Q(extensions__status=ExtensionStatus.REQUESTED), distinct=True),
    )
    if may_manage_tolerance(user):
        return periods
    if user.is_authenticated and user.organisation_id and user.has_role(Role.PUBLISHER):
        return periods.filter(scenario__publisher_id=user.organisation_id)
    return periods.none()


def tolerance_register(user, *, status: str = "", ending_within_days: int | None = None) -> QuerySet:
    """The register list: the periods the user sees, filtered by status and by "ends within N days"
    (running periods only), soonest end first."""
    from evaluation.choices import ToleranceStatus

    periods = tolerance_periods_visible_to(user).order_by("ends_on", "id")
    if status:
        periods = periods.filter(status=status)
    if ending_within_days is not None:
        today = timezone.localdate()
        periods = periods.filter(
            status__in=[ToleranceStatus.ACTIVE, ToleranceStatus.EXTENDED],
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=ending_within_days),
        )
    return periods


def tolerance_period_detail(user, pk) -> "TolerancePeriod":  # noqa: F821
    """One period the user sees, with its checkpoints, incidents and extensions (404 otherwise)."""
    from django.shortcuts import get_object_or_404

    from evaluation.models import ToleranceExtension, ToleranceIncident

    return get_object_or_404(
        tolerance_periods_visible_to(user).prefetch_related(
            "checkpoints",
            Prefetch("incidents", ToleranceIncident.objects.select_related("decided_by", "recorded_by")),
            Prefetch("extensions", ToleranceExtension.objects.select_related("requested_by")),
        ),
        pk=pk,
    )


def incident_held_weight(incident) -> Decimal:
    """How much one incident is held against the subject — see incidents_held_against."""
    from evaluation.choices import ToleranceDecision, ToleranceStatus

    period = incident.period
    last_day = period.ended_on if period.status in (ToleranceStatus.ENDED, ToleranceStatus.ENDED_EARLY) else None
    inside = period.starts_on <= incident.occurred_on <= (last_day or period.ends_on)
    if incident.decision == ToleranceDecision.EXEMPT and inside:
        return Decimal("0")
    if incident.decision == ToleranceDecision.REDUCED:
        return Decimal("0.5")
    return Decimal("1")


def incidents_held_against(scenario_ids) -> QuerySet:
    """The incidents of the scenarios' tolerance periods that an evaluation holds against the
    subject, each annotated with `held_weight`. The rule (policy §四(二) 容错):

    - 免责 on an incident that occurred inside the period while it was running (starts_on to
      ends_on, or to ended_on once ended) → not held against the subject (weight 0, left out);
    - 减责 → counts half (weight 0.5);
    - 不予容错, and an incident not yet decided → counts fully (weight 1).

    `sum(incident.held_weight)` is what a process or red-line indicator reads."""
    from evaluation.choices import ToleranceDecision
    from evaluation.models import ToleranceIncident

    last_day = Coalesce("period__ended_on", "period__ends_on")
    exempt_inside = Q(
        decision=ToleranceDecision.EXEMPT, occurred_on__gte=F("period__starts_on"), occurred_on__lte=last_day
    )
    return (
        ToleranceIncident.objects.filter(period__scenario_id__in=list(scenario_ids))
        .exclude(exempt_inside)
        .annotate(
            held_weight=Case(
                When(decision=ToleranceDecision.REDUCED, then=Value(Decimal("0.5"))),
                default=Value(Decimal("1")),
                output_field=DecimalField(max_digits=3, decimal_places=1),
            )
        )
        .select_related("period__scenario")
        .order_by("occurred_on", "id")
    )


# === The operators' evaluation hub ===


def operator_overview() -> dict:
    """The counts on the operators' 场景评估 page, each linking to the list it counts: five
    aggregate queries whatever the data."""
    from evaluation.models import Replication, ToleranceExtension, ToleranceIncident, TypicalCase

    today = timezone.localdate()
    rounds = EvaluationRound.objects.aggregate(
        preparing=Count("pk", filter=Q(status=RoundStatus.PREPARING)),
        self_assessment=Count("pk", filter=Q(status=RoundStatus.SELF_ASSESSMENT)),
        scoring=Count("pk", filter=Q(status=RoundStatus.SCORING)),
        closed=Count("pk", filter=Q(status=RoundStatus.CLOSED)),
    )
    findings = Finding.objects.aggregate(
        open=Count("pk", filter=Q(status__in=[FindingStatus.OPEN, FindingStatus.IN_PROGRESS])),
        submitted=Count("pk", filter=Q(status=FindingStatus.SUBMITTED)),
        overdue=Count("pk", filter=Q(due_date__lt=today) & ~Q(status=FindingStatus.VERIFIED)),
    )
    cases = TypicalCase.objects.aggregate(
        proposed=Count("pk", filter=Q(status="proposed")),
        more_info=Count("pk", filter=Q(status="more_info")),
        approved=Count("pk", filter=Q(status="approved")),
    )
    replications = Replication.objects.aggregate(pending=Count("pk", filter=Q(status="pending")))
    tolerance = {
        "undecided_incidents": ToleranceIncident.objects.filter(decision="").count(),
        "extension_requests": ToleranceExtension.objects.filter(status="requested").count(),
    }
    return {"rounds": rounds, "findings": findings, "cases": cases, "replications": replications, **tolerance}


def tolerance_for_subject(subject: Subject):
    """The tolerance period of the subject's scenario with its checkpoints, incidents and decisions
    (None when there is none): experts read it beside the process and red-line indicators, since
    an incident decided 免责 inside the period is not held against the subject."""
    if subject.scenario_id is None:
        return None
    from evaluation.models import TolerancePeriod

    return (
        TolerancePeriod.objects.filter(scenario_id=subject.scenario_id)
        .prefetch_related("checkpoints", "incidents")
        .first()
    )
