"""Results (aggregation, consensus, round close and report) and findings (问题清单).

Every read of evaluation used by pages, the API and other apps, scoped to the user."""

from decimal import Decimal

from django.db.models import (
    Count,
    Q,
    QuerySet,
)

from accounts.permissions import is_official, is_operator
from contests.choices import SheetStatus
from core.models import AuditRecord
from evaluation.choices import FindingStatus, RoundStatus
from evaluation.experts import expected_experts
from evaluation.models import (
    ConsensusDecision,
    EvaluationRound,
    EvaluationSheet,
    Finding,
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
    has_working_role,
    is_round_lead,
)
from evaluation.scoring import round_half_up
from evaluation.selectors.rounds import _tree_order, _tree_position


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
    elif has_working_role(user):
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


def published_rounds():
    """Closed rounds, newest first, each with its subject count and `grades`: [(grade, count)] of
    its published results in band order (officials read them; three queries whatever the number)."""
    from evaluation.models import GradeBand

    rounds = list(
        EvaluationRound.objects.filter(status=RoundStatus.CLOSED)
        .select_related("framework")
        .annotate(subject_count=Count("subjects", distinct=True))
        .order_by("-year", "-closed_at", "-id")
    )
    counts: dict[int, dict[str, int]] = {}
    for round_id, grade, count in (
        SubjectResult.objects.filter(is_published=True, subject__round__in=rounds)
        .values_list("subject__round_id", "grade")
        .annotate(count=Count("id"))
    ):
        counts.setdefault(round_id, {})[grade] = count
    bands: dict[int, list[str]] = {}
    for framework_id, name in GradeBand.objects.filter(
        framework_id__in={round_.framework_id for round_ in rounds}
    ).values_list("framework_id", "name"):
        bands.setdefault(framework_id, []).append(name)
    for round_ in rounds:
        found = counts.get(round_.pk, {})
        round_.grades = [(name, found.get(name, 0)) for name in bands.get(round_.framework_id, [])]
    return rounds
