"""Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets).

Every read of evaluation used by pages, the API and other apps, scoped to the user."""

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from contests.choices import SheetStatus
from evaluation.choices import ScoringMethod
from evaluation.experts import has_signed_commitment, subject_conflicted_pairs, subject_conflicts
from evaluation.models import (
    EvaluationCommitment,
    EvaluationRound,
    EvaluationSheet,
    EvidenceFile,
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
    may_manage_rounds,
)


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
    return get_object_or_404(rounds_for_operator(user), pk=whole_number(pk))


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
    return get_object_or_404(rounds_for_expert(user), pk=whole_number(pk))


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
    subject = _subjects_with_organisations().filter(pk=whole_number(pk)).first()
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
    sheet = get_object_or_404(EvaluationSheet.objects.select_related("subject__round", "expert"), pk=whole_number(pk))
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
    return get_object_or_404(subjects_for_organisation_user(user), pk=whole_number(pk))


def subject_for_operator(user, pk) -> Subject:
    if not may_manage_rounds(user):
        raise Http404
    return get_object_or_404(_subjects_with_organisations(), pk=whole_number(pk))


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
    evidence = get_object_or_404(EvidenceFile.objects.select_related("subject"), pk=whole_number(pk))
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


def own_subject_ids(user, round_) -> set[int]:
    """The subjects of the round the user works for (their result pages are theirs to open)."""
    if not has_working_role(user):
        return set()
    return set(
        SubjectOrganisation.objects.filter(subject__round=round_, organisation_id=user.organisation_id).values_list(
            "subject_id", flat=True
        )
    )


def whole_number(pk) -> int:
    """An id from a URL or a form: a whole number, or the page is not found."""
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
