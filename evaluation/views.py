"""Evaluation pages: parse, authorise, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from contests.choices import SheetStatus
from contests.permissions import is_judge, require
from core.actions import page_action
from core.paging import page_of
from evaluation import selectors, services
from evaluation.choices import RoundStatus, ScoringMethod
from evaluation.filters import RoundFilterSet
from evaluation.forms import (
    EvidenceForm,
    ExpertAssignForm,
    RoundActionForm,
    RoundForm,
    SelfAssessmentForm,
    SubjectForm,
)
from evaluation.models import EvaluationSheet, RoundExpert, Subject
from evaluation.permissions import has_subject_working_role, may_manage_rounds

# === Frameworks (评价指标体系, computed indicator rules) ===


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


def _require_operator(user) -> None:
    require(may_manage_rounds(user))


@login_required
def round_list(request):
    """Operators: every round, filtered by level, year and status, with counts."""
    _require_operator(request.user)
    filterset = RoundFilterSet(request.GET or None, queryset=selectors.rounds_for_operator(request.user))
    page = page_of(request, filterset.qs)
    return render(request, "evaluation/round_list.html", {"filterset": filterset, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    _require_operator(request.user)
    form = RoundForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        outcome = page_action(
            request, services.round_open, form=form, success=_("已创建评估轮次。"), **form.cleaned_data
        )
        if outcome.ok:
            return redirect("evaluation:round-detail", pk=outcome.value.pk)
    return render(request, "evaluation/round_create.html", {"form": form}, status=400 if form.errors else 200)


def _assignment_message(assignment) -> str:
    if not assignment.conflicts:
        return _("已加入专家组。")
    details = "；".join(f"{subject.title}：{''.join(reasons)}" for subject, reasons in assignment.conflicts)
    return _("已加入专家组；因利益冲突，该专家不参与以下评价对象：%(details)s") % {"details": details}


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request, pk):
    """Operators: the round's subjects, team, sheet progress (states only, never points) and actions."""
    _require_operator(request.user)
    round_ = selectors.round_for_operator(request.user, pk)
    subject_form = SubjectForm(level=round_.level)
    expert_form = ExpertAssignForm()
    if request.method == "POST":
        posted = request.POST.get("form")
        if posted == "subject":
            subject_form = SubjectForm(request.POST, level=round_.level)
            if subject_form.is_valid():
                outcome = page_action(
                    request,
                    services.subject_add,
                    form=subject_form,
                    success=_("已添加评价对象。"),
                    round=round_,
                    **subject_form.arguments(),
                )
                if outcome.ok:
                    return redirect("evaluation:round-detail", pk=round_.pk)
        elif posted == "expert":
            expert_form = ExpertAssignForm(request.POST)
            if expert_form.is_valid():
                outcome = page_action(
                    request,
                    services.round_expert_assign,
                    form=expert_form,
                    success=_assignment_message,
                    round=round_,
                    **expert_form.cleaned_data,
                )
                if outcome.ok:
                    return redirect("evaluation:round-detail", pk=round_.pk)
        else:
            return _round_action(request, round_)
    subjects = list(selectors.round_subjects(round_))
    team = list(selectors.round_team(round_))
    context = {
        "round": round_,
        "subjects": subjects,
        "team": team,
        "progress": selectors.sheet_progress(round_, subjects, team),
        "subject_form": subject_form,
        "expert_form": expert_form,
        "can_advance": round_.status in (RoundStatus.PREPARING, RoundStatus.SELF_ASSESSMENT),
        "can_change_subjects": round_.status in (RoundStatus.PREPARING, RoundStatus.SELF_ASSESSMENT),
        "can_change_team": round_.status in (RoundStatus.PREPARING, RoundStatus.SELF_ASSESSMENT),
    }
    invalid = subject_form.is_bound and subject_form.errors or expert_form.is_bound and expert_form.errors
    return render(request, "evaluation/round_detail.html", context, status=400 if invalid else 200)


def _round_action(request, round_):
    form = RoundActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("操作无效。"))
        return redirect("evaluation:round-detail", pk=round_.pk)
    action, target = form.cleaned_data["action"], form.cleaned_data["target"]
    if action == "advance":
        page_action(request, services.round_advance, success=_("评估轮次已进入下一阶段。"), round=round_)
    elif action == "remove_subject":
        subject = get_object_or_404(Subject, pk=target, round=round_)
        page_action(request, services.subject_remove, success=_("已移除评价对象。"), subject=subject)
    elif action == "remove_expert":
        member = get_object_or_404(RoundExpert.objects.select_related("expert"), pk=target, round=round_)
        page_action(
            request, services.round_expert_remove, success=_("已移出专家组。"), round=round_, expert=member.expert
        )
    else:
        sheet = get_object_or_404(EvaluationSheet, pk=target, subject__round=round_)
        page_action(
            request,
            services.evaluation_sheet_reopen,
            success=_("已退回评价表。"),
            sheet=sheet,
            reason=form.cleaned_data["reason"],
        )
    return redirect("evaluation:round-detail", pk=round_.pk)


@login_required
def my_evaluations(request):
    """An expert's rounds: the 回避承诺 state, and whether they lead the team."""
    require(is_judge(request.user))
    return render(request, "evaluation/round_mine.html", {"rounds": selectors.rounds_for_expert(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def round_commitment(request, pk):
    """The 回避承诺 of a round; once signed, the subjects the expert may see and score (never a
    conflicted one). Nothing of the subjects is shown before signing."""
    round_ = selectors.round_for_expert(request.user, pk)
    if request.method == "POST":
        page_action(request, services.evaluation_commitment_sign, success=_("已签署回避承诺。"), round=round_)
        return redirect("evaluation:round-commitment", pk=round_.pk)
    subjects = selectors.subjects_for_expert(request.user, round_) if round_.signed else []
    sheets = []
    if round_.is_lead and round_.status == RoundStatus.SCORING and round_.signed:
        sheets = list(
            EvaluationSheet.objects.filter(subject__round=round_, status=SheetStatus.SUBMITTED)
            .select_related("subject", "expert")
            .order_by("subject_id", "expert_id")
        )
    context = {
        "round": round_,
        "commitment": services.RECUSAL_COMMITMENT,
        "subjects": subjects,
        "submitted_sheets": sheets,
        "scoring": round_.status == RoundStatus.SCORING,
    }
    return render(request, "evaluation/round_commitment.html", context)


@login_required
@require_POST
def sheet_reopen(request, pk):
    """The round's lead sends a submitted sheet back (the lead sees its state, never its points)."""
    sheet = selectors.sheet_for_round_lead(request.user, pk)
    page_action(
        request,
        services.evaluation_sheet_reopen,
        success=_("已退回评价表。"),
        sheet=sheet,
        reason=request.POST.get("reason", ""),
    )
    return redirect("evaluation:round-commitment", pk=sheet.subject.round_id)


@login_required
def subject_material(request, pk):
    """A subject's self-assessment and evidence, for a cleared team expert."""
    subject = selectors.subject_for_expert(request.user, pk)
    context = {
        "subject": subject,
        "evidence": selectors.subject_evidence(subject),
        "scoring": subject.round.status == RoundStatus.SCORING,
    }
    return render(request, "evaluation/round_subject_material.html", context)


def _sheet_rows(leaves, figures, typed: dict) -> list[dict]:
    """The sheet's leaves grouped by first-tier dimension, each with what the expert typed."""
    groups: dict = {}
    for leaf in leaves:
        values = typed.get(leaf.pk, {})
        groups.setdefault(leaf.dimension.pk, {"dimension": leaf.dimension, "rows": []})["rows"].append(
            {
                "indicator": leaf,
                "expert": leaf.method == ScoringMethod.EXPERT,
                "figure": figures.get(leaf.pk),
                "points": values.get("points", ""),
                "comment": values.get("comment", ""),
                "red_line": values.get("red_line", False),
                "confirmed": values.get("confirmed", False),
            }
        )
    return list(groups.values())


def _typed_from_sheet(sheet) -> dict:
    if sheet is None:
        return {}
    return {
        score.indicator_id: {
            "points": str(score.points).removesuffix(".0"),
            "comment": score.comment,
            "red_line": score.red_line_hit,
            "confirmed": True,
        }
        for score in sheet.scores.all()
    }


def _typed_from_post(post, leaves) -> dict:
    return {
        leaf.pk: {
            "points": post.get(f"points_{leaf.pk}", ""),
            "comment": post.get(f"comment_{leaf.pk}", ""),
            "red_line": bool(post.get(f"redline_{leaf.pk}")),
            "confirmed": bool(post.get(f"confirm_{leaf.pk}")),
        }
        for leaf in leaves
    }


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request, pk):
    """An expert's evaluation sheet for one subject, sized for a tablet: grouped by first-tier
    dimension; expert leaves take half points, computed and imported leaves are confirmed; save a
    draft or submit (sign and lock). Other experts' scores never appear."""
    subject = selectors.subject_for_expert(request.user, pk)
    own = selectors.sheet_for_expert(request.user, subject.pk)
    leaves = selectors.framework_leaves(subject.round.framework)
    figures = selectors.subject_figures(subject)
    typed, error, status = _typed_from_sheet(own), "", 200
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        typed = _typed_from_post(request.POST, leaves)
        points = {
            leaf.pk: (
                typed[leaf.pk]["points"]
                if leaf.method == ScoringMethod.EXPERT
                else ("1" if typed[leaf.pk]["confirmed"] else "")
            )
            for leaf in leaves
        }
        outcome = page_action(
            request,
            services.evaluation_sheet_save,
            success=_("评价表已签名提交。") if submit else _("草稿已保存。"),
            subject=subject,
            points=points,
            comments={leaf.pk: typed[leaf.pk]["comment"] for leaf in leaves},
            red_line_hits=[leaf.pk for leaf in leaves if typed[leaf.pk]["red_line"]],
            submit=submit,
        )
        if outcome.ok:
            return redirect("evaluation:sheet", pk=subject.pk)
        # page_action showed the refusal as a message; the page shows it beside the sheet instead.
        list(messages.get_messages(request))
        error, status = outcome.error, 400
    submitted = own is not None and own.is_submitted
    context = {
        "subject": subject,
        "sheet": own,
        "groups": _sheet_rows(leaves, figures, typed),
        "submitted": submitted,
        "editable": not submitted and subject.round.status == RoundStatus.SCORING,
        "error": error,
    }
    return render(request, "evaluation/sheet_form.html", context, status=status)


@login_required
def self_assessment_list(request):
    """The subjects of the user's organisation (users holding a working role only)."""
    require(has_subject_working_role(request.user))
    page = page_of(request, selectors.subjects_for_organisation_user(request.user))
    return render(request, "evaluation/self_assessment_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment(request, pk):
    """A subject's organisation writes and submits its self-assessment and uploads evidence."""
    subject = selectors.subject_for_organisation_user(request.user, pk)
    leaves = selectors.framework_leaves(subject.round.framework)
    form = SelfAssessmentForm(initial={"text": subject.self_assessment})
    evidence_form = EvidenceForm(leaves=leaves)
    status = 200
    if request.method == "POST":
        if request.POST.get("form") == "evidence":
            evidence_form = EvidenceForm(request.POST, request.FILES, leaves=leaves)
            if evidence_form.is_valid():
                outcome = page_action(
                    request,
                    services.evidence_upload,
                    form=evidence_form,
                    success=_("已上传佐证材料。"),
                    subject=subject,
                    uploaded_file=evidence_form.cleaned_data["file"],
                    indicator=evidence_form.cleaned_data["indicator"],
                )
                if outcome.ok:
                    return redirect("evaluation:self-assessment", pk=subject.pk)
        else:
            form = SelfAssessmentForm(request.POST)
            if form.is_valid():
                submit = request.POST.get("action") == "submit"
                outcome = page_action(
                    request,
                    services.self_assessment_save,
                    form=form,
                    success=_("自评报告已提交。") if submit else _("自评报告已保存。"),
                    subject=subject,
                    text=form.cleaned_data["text"],
                    submit=submit,
                )
                if outcome.ok:
                    return redirect("evaluation:self-assessment", pk=subject.pk)
        status = 400
    context = {
        "subject": subject,
        "form": form,
        "evidence_form": evidence_form,
        "evidence": selectors.subject_evidence(subject),
        "editable": subject.round.status in (RoundStatus.SELF_ASSESSMENT, RoundStatus.SCORING),
        "locked": subject.self_assessment_submitted_at is not None,
    }
    return render(request, "evaluation/self_assessment_detail.html", context, status=status)


@login_required
def evidence_download(request, pk):
    """An evidence file: the subject's working users, operators and cleared team experts; 404 otherwise."""
    evidence = selectors.evidence_for(request.user, pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


# === Typical cases (典型案例) and replications (复制推广) ===


# === Tolerance register (包容期 and 容错) ===
