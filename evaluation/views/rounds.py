"""Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets).

Evaluation pages: parse, authorise, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from contests.permissions import is_judge
from contests.services.judging import RECUSAL_COMMITMENT
from contests.sheets import posted_keys, repeated_lines_message
from core.actions import page_action
from core.paging import page_of
from core.permissions import post_only, require
from evaluation import selectors, services
from evaluation.choices import RoundStatus, ScoringMethod
from evaluation.filters import RoundFilterSet
from evaluation.forms import (
    EvidenceForm,
    ExpertAssignForm,
    FigureImportForm,
    RoundActionForm,
    RoundForm,
    SelfAssessmentForm,
    SheetReopenForm,
    SubjectForm,
)
from evaluation.indicator_rules import rule_for
from evaluation.models import RoundExpert, Subject
from evaluation.permissions import (
    has_working_role,
    may_manage_rounds,
)
from evaluation.views.common import REFUSED, refused, require_operator, valid_or_say


@login_required
def round_list(request):
    """Operators: every round, filtered by level, year and status, with counts."""
    require_operator(request.user)
    filterset = RoundFilterSet(request.GET or None, queryset=selectors.rounds_for_operator(request.user))
    page = page_of(request, filterset.qs)
    return render(request, "evaluation/round_list.html", {"filterset": filterset, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    require_operator(request.user)
    form = RoundForm(request.POST if request.method == "POST" else None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        outcome = page_action(
            request, services.round_open, form=form, success=_("已创建评估轮次。"), **form.cleaned_data
        )
        if outcome.ok:
            return redirect("evaluation:round-detail", pk=outcome.value.pk)
    return render(request, "evaluation/round_create.html", {"form": form}, status=REFUSED if form.errors else 200)


def _assignment_message(assignment) -> str:
    if not assignment.conflicts:
        return _("已加入专家组。")
    details = "；".join(f"{subject.title}：{''.join(reasons)}" for subject, reasons in assignment.conflicts)
    return _("已加入专家组；因利益冲突，该专家不参与以下评价对象：%(details)s") % {"details": details}


def _round_changes_open(round_) -> bool:
    """Subjects and the team change while the round is 筹备中 or 自评中."""
    return round_.status in (RoundStatus.PREPARING, RoundStatus.SELF_ASSESSMENT)


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request, pk):
    """Operators: the round's subjects, team, sheet progress (states only, never points) and actions."""
    require_operator(request.user)
    round_ = selectors.round_for_operator(request.user, pk)
    if request.method != "POST":
        return _round_detail_page(request, round_)
    posted = request.POST.get("form")
    subject_form = expert_form = None
    if posted == "subject":
        form = subject_form = SubjectForm(request.POST, level=round_.level)
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
        form = expert_form = ExpertAssignForm(request.POST)
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
    if not _round_changes_open(round_):
        refused(request, form)  # the forms are not on the page to show their errors
    return _round_detail_page(request, round_, subject_form=subject_form, expert_form=expert_form, status=REFUSED)


def _round_detail_page(request, round_, *, subject_form=None, expert_form=None, status: int = 200):
    subjects = list(selectors.round_subjects(round_))
    team = list(selectors.round_team(round_))
    context = {
        "round": round_,
        "subjects": subjects,
        "team": team,
        "progress": selectors.sheet_progress(round_, subjects, team),
        "subject_form": subject_form or SubjectForm(level=round_.level),
        "expert_form": expert_form or ExpertAssignForm(),
        "can_advance": _round_changes_open(round_),
        "can_change_subjects": _round_changes_open(round_),
        "can_change_team": _round_changes_open(round_),
        "can_reopen": round_.status == RoundStatus.SCORING,
    }
    return render(request, "evaluation/round_detail.html", context, status=status)


def _round_action(request, round_):
    form = RoundActionForm(request.POST)
    if not form.is_valid():
        refused(request, form)
        return _round_detail_page(request, round_, status=REFUSED)
    action, target = form.cleaned_data["action"], form.cleaned_data["target"]
    if action == "advance":
        outcome = page_action(request, services.round_advance, success=_("评估轮次已进入下一阶段。"), round=round_)
    elif action == "remove_subject":
        subject = get_object_or_404(Subject, pk=target, round=round_)
        outcome = page_action(request, services.subject_remove, success=_("已移除评价对象。"), subject=subject)
    else:
        member = get_object_or_404(RoundExpert.objects.select_related("expert"), pk=target, round=round_)
        outcome = page_action(
            request, services.round_expert_remove, success=_("已移出专家组。"), round=round_, expert=member.expert
        )
    if outcome.ok:
        return redirect("evaluation:round-detail", pk=round_.pk)
    return _round_detail_page(request, round_, status=REFUSED)


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
        if page_action(request, services.evaluation_commitment_sign, success=_("已签署回避承诺。"), round=round_).ok:
            return redirect("evaluation:round-commitment", pk=round_.pk)
        return _round_commitment_page(request, round_, status=REFUSED)
    return _round_commitment_page(request, round_)


def _round_commitment_page(request, round_, status: int = 200):
    subjects = selectors.subjects_for_expert(request.user, round_) if round_.signed else []
    progress = []
    if round_.is_lead and round_.status == RoundStatus.SCORING and subjects:
        # The lead's matrix: the subjects the lead may see (never a conflicted one), the whole team.
        progress = selectors.sheet_progress(round_, subjects, list(selectors.round_team(round_)))
    context = {
        "round": round_,
        "commitment": RECUSAL_COMMITMENT,
        "subjects": subjects,
        "progress": progress,
        "scoring": round_.status == RoundStatus.SCORING,
    }
    return render(request, "evaluation/round_commitment.html", context, status=status)


@login_required
@post_only
def sheet_reopen(request, pk):
    """An operator or the round's lead sends a submitted sheet back with a reason, from the sheet
    progress matrix of their round page (they see its state, never its points)."""
    sheet = selectors.sheet_for_round_lead(request.user, pk)
    form = SheetReopenForm(request.POST)
    accepted = valid_or_say(request, form) and (
        page_action(
            request,
            services.evaluation_sheet_reopen,
            success=_("已退回评价表，已通知专家。"),
            sheet=sheet,
            reason=form.cleaned_data["reason"],
        ).ok
    )
    round_id = sheet.subject.round_id
    if may_manage_rounds(request.user):
        if accepted:
            return redirect("evaluation:round-detail", pk=round_id)
        return _round_detail_page(request, selectors.round_for_operator(request.user, round_id), status=REFUSED)
    if accepted:
        return redirect("evaluation:round-commitment", pk=round_id)
    return _round_commitment_page(request, selectors.round_for_expert(request.user, round_id), status=REFUSED)


@login_required
def subject_material(request, pk):
    """A subject's self-assessment and evidence, for a cleared team expert."""
    subject = selectors.subject_for_expert(request.user, pk)
    context = {
        "subject": subject,
        "evidence": selectors.subject_evidence(subject),
        "scoring": subject.round.status == RoundStatus.SCORING,
        "tolerance": selectors.tolerance_for_subject(subject),
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
                "rule": rule_for(leaf.rule) if leaf.rule else None,  # its label says what the figure counts
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
    own = selectors.sheet_for_expert(request.user, subject)
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
        # One value per indicator: a crafted post repeating a field is refused, not read for its last value.
        repeated = repeated_lines_message(posted_keys(request.POST, [leaf.pk for leaf in leaves]))
        if repeated:
            error, status = repeated, 400
        else:
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
    require(has_working_role(request.user))
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
    evidence = list(selectors.subject_evidence(subject))
    uploaded = {item.indicator_id for item in evidence}
    context = {
        "subject": subject,
        "form": form,
        "evidence_form": evidence_form,
        "evidence": evidence,
        # What submitting needs: one file for each of these leaves (evaluation.services.self_assessment_save).
        "required_evidence": [
            {"indicator": leaf, "uploaded": leaf.pk in uploaded} for leaf in leaves if leaf.evidence_required
        ],
        "editable": subject.round.status in (RoundStatus.SELF_ASSESSMENT, RoundStatus.SCORING),
        "locked": subject.self_assessment_submitted_at is not None,
    }
    return render(request, "evaluation/self_assessment_detail.html", context, status=status)


@login_required
def evidence_download(request, pk):
    """An evidence file: the subject's working users, operators and cleared team experts; 404 otherwise."""
    evidence = selectors.evidence_for(request.user, pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


@login_required
@require_http_methods(["GET", "POST"])
def subject_figures(request, pk):
    """Operators: the subject's computed indicators (each rule's value, points and the records it
    counted, recomputed on request) and the imported ones (entered here), which the experts then
    confirm on their sheets."""
    require_operator(request.user)
    subject = selectors.subject_for_operator(request.user, pk)
    leaves = [
        leaf for leaf in selectors.framework_leaves(subject.round.framework) if leaf.method != ScoringMethod.EXPERT
    ]
    forms_by_leaf = {leaf.pk: FigureImportForm(prefix=f"figure-{leaf.pk}") for leaf in leaves}
    if request.method == "POST":
        if request.POST.get("action") == "compute":
            outcome = page_action(request, services.figures_compute, success=_("已按规则重新计算。"), subject=subject)
            if outcome.ok:
                return redirect("evaluation:subject-figures", pk=subject.pk)
        else:
            indicator = next((leaf for leaf in leaves if str(leaf.pk) == request.POST.get("indicator")), None)
            if indicator is None:
                raise Http404
            form = forms_by_leaf[indicator.pk] = FigureImportForm(request.POST, prefix=f"figure-{indicator.pk}")
            if form.is_valid():
                outcome = page_action(
                    request,
                    services.figure_import,
                    form=form,
                    success=_("已录入“%(name)s”的数值。") % {"name": indicator.name},
                    subject=subject,
                    indicator=indicator,
                    value=form.cleaned_data["value"],
                    note=form.cleaned_data["note"],
                )
                if outcome.ok:
                    return redirect("evaluation:subject-figures", pk=subject.pk)
    figures = selectors.subject_figures(subject)
    rows = [
        {
            "indicator": leaf,
            "figure": figures.get(leaf.pk),
            "rule": rule_for(leaf.rule) if leaf.rule else None,
            "form": forms_by_leaf[leaf.pk],
        }
        for leaf in leaves
    ]
    return render(
        request,
        "evaluation/subject_figures.html",
        {"subject": subject, "round": subject.round, "rows": rows, "is_open": not subject.round.is_closed},
    )
