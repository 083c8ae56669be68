"""Evaluation pages: parse, authorise, call one service or selector, render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.choices import Role
from accounts.permissions import is_operator, require_role
from contests.forms import errors_text
from contests.permissions import is_judge, require
from contests.services.judging import RECUSAL_COMMITMENT
from core.actions import page_action
from core.paging import page_of
from core.services import audit_record, job_create
from evaluation import selectors, services
from evaluation.choices import CaseStatus, FrameworkStatus, Level, RoundStatus, ScoringMethod, ToleranceDecision
from evaluation.filters import FindingFilterSet, RoundFilterSet
from evaluation.forms import (
    CaseDecisionForm,
    CaseEditForm,
    CaseFilterForm,
    CaseProposeForm,
    CheckpointCompleteForm,
    CheckpointForm,
    ConsensusForm,
    EvidenceForm,
    ExpertAssignForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    FigureImportForm,
    FindingForm,
    FindingReturnForm,
    FrameworkNewForm,
    FrameworkRevisionForm,
    GradeBandsForm,
    IncidentDecideForm,
    IncidentForm,
    IndicatorForm,
    NominationRuleForm,
    PeriodEndForm,
    RectificationForm,
    ReplicationForm,
    ReplicationVerifyForm,
    RoundActionForm,
    RoundForm,
    SelfAssessmentForm,
    SheetReopenForm,
    SubjectForm,
    ToleranceFilterForm,
    TolerancePeriodOpenForm,
)
from evaluation.indicator_rules import rule_for
from evaluation.models import EvaluationRound, Indicator, RoundExpert, Subject
from evaluation.permissions import (
    has_working_role,
    is_tolerance_publisher,
    may_decide_cases,
    may_manage_frameworks,
    may_manage_rounds,
    may_manage_tolerance,
    may_read_frameworks,
    may_read_round_report,
    may_record_replication,
    may_rectify,
    works_for_case_subject,
)
from evaluation.radar import radar
from evaluation.reports import round_report_rows
from evaluation.services import frameworks as framework_services
from evaluation.services.results import REPORT_JOB

# === Frameworks (评价指标体系, computed indicator rules) ===


def _require(allowed: bool) -> None:
    """A page a person may not use answers 404: it does not reveal that it exists."""
    if not allowed:
        raise Http404


def _posted_id(value) -> int:
    """A record id posted by a page's form; anything but a positive whole number is a 404."""
    if not (isinstance(value, str) and value.isascii() and value.isdigit()):
        raise Http404
    return int(value)


def _refused(request, form=None) -> None:
    """Show why a posted form was refused: its errors as one message (the page is then shown
    again with status 400, its other forms fresh)."""
    messages.error(request, errors_text(form) if form is not None else _("操作无效。"))


# A refused action shows its page again with the message, as a 400 (a browser stays on the page
# and a script sees that nothing was done); an accepted one redirects to a fresh page.
REFUSED = 400


def _framework(request, pk):
    """A framework the person may read (drafts: operators only), else 404."""
    _require(may_read_frameworks(request.user))
    return get_object_or_404(selectors.frameworks_visible_to(request.user), pk=pk)


@login_required
def framework_list(request):
    """Every level's versions with their status; operators start a draft here."""
    _require(may_read_frameworks(request.user))
    return _framework_list_page(request)


def _framework_list_page(request, status: int = 200):
    frameworks = list(selectors.frameworks_visible_to(request.user))
    levels = [
        {
            "value": value,
            "label": label,
            "versions": [item for item in frameworks if item.level == value],
            "has_draft": any(item.level == value and item.status == FrameworkStatus.DRAFT for item in frameworks),
        }
        for value, label in Level.choices
    ]
    manager = may_manage_frameworks(request.user)
    return render(
        request,
        "evaluation/framework_list.html",
        {"levels": levels, "manager": manager, "new_form": FrameworkNewForm() if manager else None},
        status=status,
    )


@login_required
@require_POST
def framework_new(request):
    """An operator starts the next draft of a level, based on its newest published version."""
    _require(may_manage_frameworks(request.user))
    form = FrameworkNewForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
        return _framework_list_page(request, status=REFUSED)
    level = form.cleaned_data["level"]
    based_on = (
        selectors.frameworks_visible_to(request.user)
        .filter(level=level, status=FrameworkStatus.PUBLISHED)
        .order_by("-version")
        .first()
    )
    outcome = page_action(
        request,
        framework_services.framework_draft_create,
        success=_("已新建草稿版本。"),
        level=level,
        based_on=based_on,
        change_note=form.cleaned_data["change_note"],
    )
    if outcome.ok:
        return redirect("evaluation:framework-edit", pk=outcome.value.pk)
    return _framework_list_page(request, status=REFUSED)


@login_required
def framework_detail(request, pk):
    """The tree as a nested table (code, name, definition, weight, absolute weight, method, maximum,
    rule and target, evidence, red line) and the grade bands."""
    return _framework_detail_page(request, _framework(request, pk))


def _framework_detail_page(request, framework, status: int = 200):
    manager = may_manage_frameworks(request.user)
    return render(
        request,
        "evaluation/framework_detail.html",
        {
            "framework": framework,
            "rows": selectors.framework_rows(framework),
            "bands": framework.grade_bands.all(),
            "manager": manager,
            "revision_form": FrameworkRevisionForm() if manager and framework.is_published else None,
        },
        status=status,
    )


@login_required
@require_POST
def framework_new_version(request, pk):
    """新建修订版本: a draft copying a published version."""
    _require(may_manage_frameworks(request.user))
    framework = _framework(request, pk)
    form = FrameworkRevisionForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
        return _framework_detail_page(request, framework, status=REFUSED)
    outcome = page_action(
        request,
        framework_services.framework_draft_create,
        success=_("已新建修订版本，请修改后发布。"),
        level=framework.level,
        based_on=framework,
        change_note=form.cleaned_data["change_note"],
    )
    if outcome.ok:
        return redirect("evaluation:framework-edit", pk=outcome.value.pk)
    return _framework_detail_page(request, framework, status=REFUSED)


def _edit_indicator(request, framework, form, indicator):
    if indicator is None:
        parent_id = form.cleaned_data.get("parent")
        parent = get_object_or_404(framework.indicators, pk=parent_id) if parent_id else None
        values = {key: value for key, value in form.cleaned_data.items() if key != "parent"}
        return page_action(
            request,
            framework_services.indicator_add,
            form=form,
            success=_("已增加指标。"),
            framework=framework,
            parent=parent,
            **values,
        )
    return page_action(
        request,
        framework_services.indicator_update,
        form=form,
        success=_("已保存指标。"),
        indicator=indicator,
        **form.cleaned_data,
    )


@login_required
@require_http_methods(["GET", "POST"])
def framework_edit(request, pk):
    """The draft editor: add, edit and delete indicators, set the bands, publish or discard. A
    published version is not editable (its detail page offers 新建修订版本)."""
    _require(may_manage_frameworks(request.user))
    framework = _framework(request, pk)
    if framework.is_published:
        messages.error(request, _("已发布的指标体系不能修改；如需调整，请新建修订版本。"))
        if request.method == "POST":
            return _framework_detail_page(request, framework, status=REFUSED)
        return redirect("evaluation:framework-detail", pk=pk)
    indicators = list(framework.indicators.all())
    parents = [item for item in indicators if item.tier < 3]
    editing = None
    if request.GET.get("indicator", "").isdigit():
        editing = next((item for item in indicators if item.pk == int(request.GET["indicator"])), None)
        if editing is None:
            raise Http404
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "indicator":
        indicator_form = IndicatorForm(request.POST, framework=framework, parents=parents, editing=editing is not None)
        if indicator_form.is_valid() and _edit_indicator(request, framework, indicator_form, editing).ok:
            return redirect("evaluation:framework-edit", pk=pk)
    elif editing is not None:
        indicator_form = IndicatorForm(
            framework=framework,
            editing=True,
            initial={name: getattr(editing, name) for name in framework_services.EDITABLE_FIELDS},
        )
    else:
        indicator_form = IndicatorForm(framework=framework, parents=parents)
    bands_form = GradeBandsForm(request.POST if action == "bands" else None, bands=framework.grade_bands.all())
    publish_errors = []
    if action == "bands" and bands_form.is_valid():
        outcome = page_action(
            request,
            framework_services.grade_bands_set,
            form=bands_form,
            success=_("评价等级已保存。"),
            framework=framework,
            bands=bands_form.bands(),
        )
        if outcome.ok:
            return redirect("evaluation:framework-edit", pk=pk)
    elif action == "delete":
        indicator = get_object_or_404(framework.indicators, pk=_posted_id(request.POST.get("indicator")))
        if page_action(request, framework_services.indicator_delete, success=_("已删除指标。"), indicator=indicator).ok:
            return redirect("evaluation:framework-edit", pk=pk)
    elif action == "publish":
        publish_form = forms.Form({})
        publish_form.is_valid()
        outcome = page_action(
            request,
            framework_services.framework_publish,
            form=publish_form,  # the refusal is shown on the page, listed, not as a flash message
            success=_("指标体系已发布。"),
            framework=framework,
        )
        if outcome.ok:
            return redirect("evaluation:framework-detail", pk=pk)
        publish_errors = framework_services.framework_problems(framework) or [outcome.error]
    elif action == "discard":
        if page_action(
            request, framework_services.framework_draft_delete, success=_("草稿已删除。"), framework=framework
        ).ok:
            return redirect("evaluation:framework-list")
    elif request.method == "POST" and action not in ("indicator", "bands"):
        _refused(request)
    return render(
        request,
        "evaluation/framework_edit.html",
        {
            "framework": framework,
            "rows": selectors.framework_rows(framework, indicators),
            "indicator_form": indicator_form,
            "editing": editing,
            "bands_form": bands_form,
            "publish_errors": publish_errors,
            "problems": framework_services.framework_problems(framework, indicators=indicators),
        },
        status=REFUSED if request.method == "POST" else 200,  # an accepted change redirected
    )


@login_required
def framework_diff(request, pk):
    """What changed against the version this one is based on, by indicator code, then the bands."""
    framework = _framework(request, pk)
    based_on = None
    if framework.based_on_id:
        based_on = selectors.frameworks_visible_to(request.user).filter(pk=framework.based_on_id).first()
    return render(
        request,
        "evaluation/framework_diff.html",
        {
            "framework": framework,
            "based_on": based_on,
            "changes": framework_services.framework_diff(based_on, framework) if based_on else [],
        },
    )


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
    _require_operator(request.user)
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
        _refused(request, form)  # the forms are not on the page to show their errors
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
        _refused(request, form)
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
@require_POST
def sheet_reopen(request, pk):
    """An operator or the round's lead sends a submitted sheet back with a reason, from the sheet
    progress matrix of their round page (they see its state, never its points)."""
    sheet = selectors.sheet_for_round_lead(request.user, pk)
    form = SheetReopenForm(request.POST)
    accepted = _valid_or_say(request, form) and (
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


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


@login_required
@require_http_methods(["GET", "POST"])
def result(request, pk):
    """A subject's result: total, grade, red-line hits, dimensions with a radar chart against the
    round's average, the indicators, and findings (operators and the lead add them here)."""
    subject = get_object_or_404(selectors.result_subjects_visible_to(request.user), pk=pk)
    access = selectors.result_access(request.user, subject)
    may_add_finding = access["operator"] or access["lead"]
    form = None
    if may_add_finding:
        form = FindingForm(request.POST if request.method == "POST" else None, subject=subject)
        if request.method == "POST" and form.is_valid():
            outcome = page_action(
                request,
                services.finding_create,
                success=_("问题已记录，已通知整改单位。"),
                form=form,
                subject=subject,
                **form.cleaned_data,
            )
            if outcome.ok:
                return redirect("evaluation:result", pk=subject.pk)
    elif request.method == "POST":
        raise Http404
    page = selectors.result_page(subject, access)
    context = {
        "subject": subject,
        "access": access,
        "result": access["result"],
        **page,
        "radar": radar(page["radar_axes"]),
        "findings": selectors.findings_of_subject(subject),
        "form": form,
    }
    status = REFUSED if request.method == "POST" else 200  # an accepted finding redirected
    return render(request, "evaluation/result_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def consensus(request):
    """The lead's 合议 queue across the rounds they lead, with the form to record agreed points."""
    if not selectors.lead_rounds(request.user).exists():
        raise Http404
    status = 200
    if request.method == "POST":
        form = ConsensusForm(request.POST)
        if _valid_or_say(request, form):
            subject = get_object_or_404(
                Subject.objects.filter(round__in=selectors.lead_rounds(request.user)).select_related("round"),
                pk=form.cleaned_data["subject"],
            )
            indicator = get_object_or_404(
                Indicator.objects.filter(framework_id=subject.round.framework_id), pk=form.cleaned_data["indicator"]
            )
            outcome = page_action(
                request,
                services.consensus_record,
                success=_("合议结果已记录，评估结果已重新计算。"),
                subject=subject,
                indicator=indicator,
                points=form.cleaned_data["points"],
                red_line_hit=form.cleaned_data["red_line_hit"],
                reason=form.cleaned_data["reason"],
            )
            if outcome.ok:
                return redirect("evaluation:consensus")
        status = REFUSED
    rows = selectors.consensus_queue(request.user)
    return render(request, "evaluation/consensus_queue.html", {"rows": rows}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    """The round's report: every subject's total, grade, dimensions and red-line hits, the report
    job's progress and download, and (operators) the round's close. Once closed it is published to
    the subjects' organisations and officials, who read it without the operators' actions."""
    round_ = get_object_or_404(
        EvaluationRound.objects.select_related("framework", "report_job", "closed_by"), pk=selectors.whole_number(pk)
    )
    if not may_read_round_report(request.user, round_):
        raise Http404
    operator = is_operator(request.user)
    status = 200
    if request.method == "POST":
        if not operator:
            raise Http404
        action = request.POST.get("action")
        if action == "close":
            if page_action(
                request, services.round_close, success=_("评估轮次已结束，结果已发布，正在生成评估报告。"), round=round_
            ).ok:
                return redirect("evaluation:report", pk=round_.pk)
        elif action == "report" and round_.is_closed:
            outcome = page_action(
                request,
                job_create,
                kind=REPORT_JOB,
                params={"round": round_.pk},
                title=_("评估报告：%(title)s") % {"title": round_.title},
            )
            if outcome.ok:
                return redirect("core:job-detail", pk=outcome.value.pk)
        else:
            raise Http404
        status = REFUSED
    rows = round_report_rows(round_)
    dimensions = list(round_.framework.indicators.filter(parent__isnull=True).order_by("position", "id"))
    for row in rows:
        scores = {item["id"]: item["score"] for item in row["result"].results["dimensions"]} if row["result"] else {}
        row["scores"] = [scores.get(item.pk) for item in dimensions]
        row["red_line_names"] = (
            [f"{leaf['code']} {leaf['name']}" for leaf in row["result"].results["leaves"] if leaf["red_line_hit"]]
            if row["result"]
            else []
        )
    context = {
        "round": round_,
        "rows": rows,
        "dimensions": dimensions,
        "job": round_.report_job,
        "operator": operator,
        "own_subjects": selectors.own_subject_ids(request.user, round_),
    }
    return render(request, "evaluation/report_round.html", context, status=status)


@login_required
def report_download(request, pk):
    """The round report's workbook, for whoever may read the report (core's job download is the
    requester's only)."""
    round_ = get_object_or_404(EvaluationRound.objects.select_related("report_job"), pk=selectors.whole_number(pk))
    if not may_read_round_report(request.user, round_):
        raise Http404
    job = round_.report_job
    if job is None or not job.result_file:
        raise Http404
    audit_record(actor=request.user, action="job.download", target=job)
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name or "report.xlsx")


@login_required
def findings(request):
    """The operators' findings tracker: filters, counts by status, a page of findings."""
    _require_operator(request.user)
    filters = FindingFilterSet(request.GET or None, queryset=selectors.findings_visible_to(request.user))
    rows = filters.qs
    context = {
        "filters": filters,
        "counts": selectors.finding_status_counts(rows),
        "page": page_of(request, rows),
        "today": timezone.localdate(),
    }
    return render(request, "evaluation/finding_list.html", context)


@login_required
def rectification(request):
    """整改清单: the findings the person's organisation must rectify."""
    if not has_working_role(request.user):
        raise Http404
    rows = selectors.findings_visible_to(request.user).filter(organisation_id=request.user.organisation_id)
    context = {"page": page_of(request, rows), "today": timezone.localdate()}
    return render(request, "evaluation/finding_rectification.html", context)


FINDING_ACTIONS = {"progress", "submit", "verify", "return"}


@login_required
@require_http_methods(["GET", "POST"])
def finding(request, pk):
    """A finding with its history (audit records): the organisation reports progress and submits
    its rectification; operators verify or return it."""
    item = get_object_or_404(selectors.findings_visible_to(request.user), pk=pk)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in FINDING_ACTIONS:
            raise Http404
        if _finding_act(request, item, action):
            return redirect("evaluation:finding", pk=item.pk)
        status = REFUSED
    context = {
        "finding": item,
        "history": selectors.finding_history(item),
        "may_rectify": may_rectify(request.user, item) and item.status in ("open", "in_progress"),
        "may_verify": is_operator(request.user) and item.status == "submitted",
        "is_operator": is_operator(request.user),
        "own_finding": may_rectify(request.user, item),
        "today": timezone.localdate(),
    }
    return render(request, "evaluation/finding_detail.html", context, status=status)


def _finding_act(request, item, action: str) -> bool:
    """Call the service of one posted action of the finding page; whether it was accepted."""
    if action == "verify":
        return page_action(request, services.finding_verify, success=_("已核实。"), finding=item).ok
    if action == "return":
        form = FindingReturnForm(request.POST)
        return _valid_or_say(request, form) and (
            page_action(
                request,
                services.finding_return,
                success=_("已退回整改单位。"),
                finding=item,
                reason=form.cleaned_data["reason"],
            ).ok
        )
    form = RectificationForm(request.POST)
    if not _valid_or_say(request, form):
        return False
    if action == "progress":
        return page_action(
            request,
            services.finding_progress,
            success=_("整改进展已保存。"),
            finding=item,
            note=form.cleaned_data["text"],
        ).ok
    return page_action(
        request,
        services.finding_submit,
        success=_("整改情况已提交核实。"),
        finding=item,
        rectification=form.cleaned_data["text"],
    ).ok


# === Typical cases (典型案例) and replications (复制推广) ===


def _valid_or_say(request, form) -> bool:
    """Whether the posted form is valid; when not, its errors are shown as one message."""
    if form.is_valid():
        return True
    messages.error(request, errors_text(form))
    return False


def case_list(request):
    """The public list of approved typical cases, filtered by level, year and domain."""
    form = CaseFilterForm(request.GET or None)
    page = page_of(request, selectors.cases_public(**form.values()))
    return render(request, "evaluation/case_list.html", {"form": form, "page": page})


def case_detail(request, pk):
    """A case's page: anyone sees an approved case; operators and the subject's organisations any."""
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    published = case.subject.published_results[0] if case.subject.published_results else None
    return render(
        request,
        "evaluation/case_detail.html",
        {
            "case": case,
            "result": published,
            "dimensions": (published.results or {}).get("dimensions", []) if published else [],
            "replications": selectors.case_replications_verified(case),
            "may_replicate": case.status == CaseStatus.APPROVED and may_record_replication(request.user, case),
            "may_decide": may_decide_cases(request.user),
            "may_supplement": may_decide_cases(request.user)
            or (case.status == CaseStatus.MORE_INFO and works_for_case_subject(request.user, case)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_replicate(request, pk):
    """A user of another organisation records a replication of an approved case."""
    case = get_object_or_404(selectors.cases_public(), pk=pk)
    if not may_record_replication(request.user, case):
        raise Http404
    posted = request.method == "POST"
    form = ReplicationForm(request.POST if posted else None, request.FILES if posted else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = page_action(
            request,
            services.replication_record,
            form=form,
            success=_("已登记复制推广，待运营管理人员核实。"),
            case=case,
            **form.cleaned_data,
        )
        if outcome.ok:
            return redirect("evaluation:case-detail", pk=case.pk)
    status = REFUSED if posted else 200  # an accepted replication redirected
    return render(request, "evaluation/replication_form.html", {"case": case, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def case_supplement(request, pk):
    """The subject's organisation supplements a case asked for more (then resubmits it);
    operators edit a case's text here too."""
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    if not (may_decide_cases(request.user) or works_for_case_subject(request.user, case)):
        raise Http404
    initial = {field: getattr(case, field) for field in ("title", "problem", "solution", "outcomes", "supplier")}
    form = CaseEditForm(request.POST if request.method == "POST" else None, initial=initial, case=case)
    if request.method == "POST" and form.is_valid():
        outcome = page_action(
            request, services.case_edit, form=form, success=_("案例已保存。"), case=case, **form.cleaned_data
        )
        if outcome.ok and request.POST.get("resubmit"):
            outcome = page_action(request, services.case_resubmit, success=_("已提交补充材料。"), case=case)
        if outcome.ok:
            return redirect("evaluation:case-detail", pk=case.pk)
    status = REFUSED if request.method == "POST" else 200  # an accepted change redirected
    return render(request, "evaluation/case_supplement.html", {"case": case, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def case_queue(request):
    """Operators: proposed and asked-for-more cases, each with a decision form; the button that
    proposes cases from a closed round."""
    require_role(request.user, Role.OPERATOR)
    status = 200
    if request.method == "POST":
        if _case_queue_act(request):
            return redirect("evaluation:case-queue")
        status = REFUSED
    return render(
        request,
        "evaluation/case_queue.html",
        {
            "page": page_of(request, selectors.case_queue()),
            "propose_form": CaseProposeForm(),
            "rule": services.nomination_rule(),
        },
        status=status,
    )


def _case_queue_act(request) -> bool:
    """Propose cases from a closed round, or decide one case; whether it was accepted."""
    if "round" in request.POST:
        form = CaseProposeForm(request.POST)
        return _valid_or_say(request, form) and (
            page_action(
                request,
                services.cases_propose,
                success=lambda cases: _("推荐典型案例 %(n)d 个。") % {"n": len(cases)},
                round=form.cleaned_data["round"],
            ).ok
        )
    form = CaseDecisionForm(request.POST)
    if not _valid_or_say(request, form):
        return False
    case = get_object_or_404(selectors.case_queue(), pk=form.cleaned_data["case"])
    return page_action(
        request,
        services.case_decide,
        success=_("已审定：%(title)s") % {"title": case.title},
        case=case,
        decision=form.cleaned_data["decision"],
        reason=form.cleaned_data["reason"],
    ).ok


@login_required
@require_http_methods(["GET", "POST"])
def nomination_rule(request):
    """Operators: the typical-case nomination rule in force, the form that changes it (a new rule
    from now on, audited with a reason) and the rules before it."""
    require_role(request.user, Role.OPERATOR)
    current = services.nomination_rule()
    names = selectors.benefit_dimension_names()
    form = NominationRuleForm(
        request.POST if request.method == "POST" else None, initial=NominationRuleForm.initial_of(current), names=names
    )
    if request.method == "POST" and form.is_valid():
        outcome = page_action(
            request,
            services.nomination_rule_change,
            form=form,
            success=_("推荐规则已修改；此后推荐典型案例按新规则执行。"),
            **form.arguments(),
        )
        if outcome.ok:
            return redirect("evaluation:nomination-rule")
    page = page_of(request, selectors.nomination_rules())
    page.object_list = selectors.with_change_reasons(page.object_list)
    context = {"current": current, "form": form, "names": names, "page": page}
    return render(request, "evaluation/nomination_rule.html", context, status=REFUSED if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def replication_queue(request):
    """Operators: pending replications with their evidence, each with a verification form."""
    require_role(request.user, Role.OPERATOR)
    status = 200
    if request.method == "POST":
        form = ReplicationVerifyForm(request.POST)
        if _valid_or_say(request, form):
            replication = get_object_or_404(selectors.replication_queue(), pk=form.cleaned_data["replication"])
            if page_action(
                request,
                services.replication_verify,
                success=_("已核实。"),
                replication=replication,
                approve=form.cleaned_data["decision"] == "verify",
                reason=form.cleaned_data["reason"],
            ).ok:
                return redirect("evaluation:replication-queue")
        status = REFUSED
    page = page_of(request, selectors.replication_queue())
    return render(request, "evaluation/replication_queue.html", {"page": page}, status=status)


@login_required
def replication_evidence(request, pk):
    """The evidence file of a replication: operators and the adopter only (others: 404)."""
    replication = get_object_or_404(selectors.replications_visible_to(request.user), pk=pk)
    if not replication.evidence:
        raise Http404
    return FileResponse(
        replication.evidence.open("rb"), as_attachment=True, filename=replication.evidence_name or "evidence"
    )


# === Tolerance register (包容期 and 容错) ===


@login_required
@require_http_methods(["GET", "POST"])
def tolerance_list(request):
    """The register: operators see every period (and open new ones); publishers their own."""
    if not (may_manage_tolerance(request.user) or request.user.has_role(Role.PUBLISHER)):
        raise Http404
    status = 200
    if request.method == "POST":
        require_role(request.user, Role.OPERATOR)
        form = TolerancePeriodOpenForm(request.POST)
        if _valid_or_say(request, form):
            outcome = page_action(
                request, services.tolerance_period_open, success=_("已登记包容期。"), **form.cleaned_data
            )
            if outcome.ok:
                return redirect("evaluation:tolerance-detail", pk=outcome.value.pk)
        status = REFUSED
    filters = ToleranceFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    periods = selectors.tolerance_register(
        request.user, status=values.get("status", ""), ending_within_days=30 if values.get("ending") else None
    )
    return render(
        request,
        "evaluation/tolerance_list.html",
        {
            "filters": filters,
            "page": page_of(request, periods),
            "open_form": TolerancePeriodOpenForm() if may_manage_tolerance(request.user) else None,
        },
        status=status,
    )


TOLERANCE_ACTIONS = {
    "checkpoint_add": CheckpointForm,
    "checkpoint_complete": CheckpointCompleteForm,
    "incident": IncidentForm,
    "incident_decide": IncidentDecideForm,
    "extension_request": ExtensionRequestForm,
    "extension_decide": ExtensionDecideForm,
    "end": PeriodEndForm,
}


def _tolerance_act(request, period, action, data):
    """Call the service of one posted action of the period page."""
    if action == "checkpoint_add":
        return page_action(request, services.checkpoint_add, success=_("已添加节点。"), period=period, **data)
    if action == "checkpoint_complete":
        checkpoint = get_object_or_404(period.checkpoints, pk=data.pop("checkpoint"))
        return page_action(
            request, services.checkpoint_complete, success=_("节点已完成。"), checkpoint=checkpoint, **data
        )
    if action == "incident":
        return page_action(request, services.incident_record, success=_("已登记事件。"), period=period, **data)
    if action == "incident_decide":
        incident = get_object_or_404(period.incidents, pk=data.pop("incident"))
        return page_action(request, services.incident_decide, success=_("已作出容错认定。"), incident=incident, **data)
    if action == "extension_request":
        return page_action(request, services.extension_request, success=_("已提交延期申请。"), period=period, **data)
    if action == "extension_decide":
        extension = get_object_or_404(period.extensions, pk=data["extension"])
        return page_action(
            request,
            services.extension_decide,
            success=_("已审批延期申请。"),
            extension=extension,
            approve=data["decision"] == "approve",
            reason=data["reason"],
        )
    return page_action(request, services.tolerance_period_end, success=_("包容期已结束。"), period=period, **data)


@login_required
@require_http_methods(["GET", "POST"])
def tolerance_detail(request, pk):
    """One period: checkpoints, incidents with their 容错 decisions, extensions; every action a form."""
    period = selectors.tolerance_period_detail(request.user, pk)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in TOLERANCE_ACTIONS:
            _refused(request)
        else:
            form = TOLERANCE_ACTIONS[action](request.POST)
            if _valid_or_say(request, form) and _tolerance_act(request, period, action, dict(form.cleaned_data)).ok:
                return redirect("evaluation:tolerance-detail", pk=period.pk)
        status = REFUSED
        period = selectors.tolerance_period_detail(request.user, pk)  # as it is now, nothing having changed
    operator = may_manage_tolerance(request.user)
    publisher = is_tolerance_publisher(request.user, period)
    return render(
        request,
        "evaluation/tolerance_detail.html",
        {
            "period": period,
            "is_operator": operator,
            "is_publisher": publisher,
            "checkpoint_form": CheckpointForm(),
            "incident_form": IncidentForm(),
            "extension_form": ExtensionRequestForm(),
            "end_form": PeriodEndForm(),
            "decisions": ToleranceDecision.choices,
            "today": timezone.localdate(),
        },
        status=status,
    )


# === The operators' evaluation hub ===


@login_required
def hub(request):
    """场景评估: where operators start every evaluation task, with what is waiting for them."""
    require_role(request.user, Role.OPERATOR)
    return render(request, "evaluation/hub.html", {"overview": selectors.operator_overview()})


@login_required
@require_http_methods(["GET", "POST"])
def subject_figures(request, pk):
    """Operators: the subject's computed indicators (each rule's value, points and the records it
    counted, recomputed on request) and the imported ones (entered here), which the experts then
    confirm on their sheets."""
    _require_operator(request.user)
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
