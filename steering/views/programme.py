"""The six programme tasks and 定期调度: 我的报送, a report with its versions, the tasks, the cycles
with their unit × task matrix, the review queue, 督办单 and the units.

Steering pages: parse, authorise, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render  # noqa: F401
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.actions import page_action
from core.paging import page_of
from core.permissions import get_only, require
from core.returns import back_url
from steering import selectors, services
from steering.choices import CycleStatus, Lamp, NoticeStatus, ReportStatus
from steering.filters import ProgrammeReviewFilterSet
from steering.forms import (
    AttachmentForm,
    AttachmentRemoveForm,
    CycleOpenForm,
    LampRuleForm,
    MilestoneForm,
    NoticeAnswerForm,
    NoticeCloseForm,
    NoticeIssueForm,
    ReportDecisionForm,
    ReportDraftForm,
    ReportingSettingsForm,
    UnitLinkForm,
)
from steering.models import LampRule, ReportingCycle
from steering.permissions import (
    is_unit_reporter,
    may_file_report,
    may_read_programme,
    may_run_programme,
)
from steering.views.common import REFUSED, valid_or_say


def _render(request, template, context, status=200):
    return render(request, template, {**context, "perms_operator": may_run_programme(request.user)}, status=status)


def _refused(request, text=None) -> None:
    messages.error(request, text or _("操作无效。"))


@login_required
@get_only
def programme_mine(request):
    """我的报送: the reports of the user's unit, those to file first, with lamps and return reasons."""
    require(is_unit_reporter(request.user))
    return _render(
        request,
        "steering/programme/mine.html",
        {"page": page_of(request, selectors.reports_for_unit_user(request.user)), "today": timezone.localdate()},
    )


def _report_act(request, report, action):
    """Call the service of one posted action of the report page; (done, form shown again)."""
    if action in ("save", "submit"):
        require(may_file_report(request.user, report))
        form = ReportDraftForm(request.POST)
        if not valid_or_say(request, form):
            return False, form
        if action == "save":
            done = page_action(
                request, services.report_save_draft, success=_("草稿已保存。"), report=report, **form.cleaned_data
            )
        else:
            done = page_action(
                request,
                services.report_submit,
                success=lambda v: _("已提交第%(n)d版，待运营管理人员审核。") % {"n": v.number},
                report=report,
                **form.cleaned_data,
            )
        return done.ok, form
    if action == "attach":
        require(may_file_report(request.user, report))
        form = AttachmentForm(request.POST, request.FILES)
        if not valid_or_say(request, form):
            return False, None
        return page_action(
            request,
            services.report_attach,
            success=_("附件已上传。"),
            report=report,
            uploaded_file=form.cleaned_data["file"],
        ).ok, None
    if action == "detach":
        require(may_file_report(request.user, report))
        form = AttachmentRemoveForm(request.POST)
        if not valid_or_say(request, form):
            return False, None
        attachment = get_object_or_404(report.attachments, pk=form.cleaned_data["attachment"])
        return page_action(
            request, services.report_attachment_remove, success=_("附件已移除。"), attachment=attachment
        ).ok, None
    if action == "decide":
        require(may_run_programme(request.user))
        form = ReportDecisionForm(request.POST)
        if not valid_or_say(request, form):
            return False, None
        service = services.report_accept if form.cleaned_data["decision"] == "accept" else services.report_return
        success = _("已采纳。") if service is services.report_accept else _("已退回，单位将收到退回理由。")
        return page_action(
            request, service, success=success, report=report, reason=form.cleaned_data["reason"]
        ).ok, None
    if action == "notice":
        require(may_run_programme(request.user))
        form = NoticeIssueForm(request.POST)
        if not valid_or_say(request, form):
            return False, None
        outcome = page_action(
            request, services.notice_issue, success=_("督办单已签发。"), report=report, **form.cleaned_data
        )
        return outcome.ok, None
    _refused(request)
    return False, None


REPORT_ACTIONS = ("save", "submit", "attach", "detach", "decide", "notice")


@login_required
@require_http_methods(["GET", "POST"])
def programme_report(request, pk):
    """One report: the draft form (unit staff), the files, the versions with their differences,
    the decision (operators), the 督办单; city leaders read it."""
    report = selectors.report_detail(request.user, pk)
    status = 200
    draft_form = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        done, draft_form = _report_act(request, report, action) if action in REPORT_ACTIONS else (False, None)
        if action not in REPORT_ACTIONS:
            _refused(request)
        if done:
            # A decision taken from the review queue goes back to it as the operator left it.
            back = back_url(request, "") if action == "decide" else ""
            if back.startswith(reverse("steering:programme-review")):
                return redirect(back)
            return redirect("steering:programme-report", pk=report.pk)
        status = REFUSED
        report = selectors.report_detail(request.user, pk)
    may_file = may_file_report(request.user, report)
    fileable = (
        may_file and report.cycle.is_open and report.status not in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
    )
    operator = may_run_programme(request.user)
    return _render(
        request,
        "steering/programme/report.html",
        {
            "report": report,
            "versions": selectors.version_differences(report.versions.all()),
            "draft_form": (
                draft_form
                or ReportDraftForm(
                    initial={
                        "narrative": report.narrative,
                        "percentage": report.percentage,
                        "problems": report.problems,
                        "next_steps": report.next_steps,
                    }
                )
            )
            if fileable
            else None,
            "attachment_form": AttachmentForm() if fileable else None,
            "decision_form": ReportDecisionForm() if operator and report.status == ReportStatus.SUBMITTED else None,
            "notice_form": NoticeIssueForm() if operator and report.lamp == Lamp.RED else None,
            "is_operator": operator,
        },
        status=status,
    )


@login_required
@get_only
def programme_attachment(request, pk):
    """A report's file, for whoever sees the report."""
    attachment = selectors.attachment_visible_to(request.user, pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
@get_only
def programme_tasks(request):
    """The six tasks: units, milestones, percentage with its method, lamps."""
    require(may_read_programme(request.user))
    return _render(request, "steering/programme/tasks.html", {"tasks": selectors.tasks_overview()})


@login_required
@require_http_methods(["GET", "POST"])
def programme_task(request, code):
    """One task: the policy text, units, milestones (operators edit them), open reports."""
    require(may_read_programme(request.user))
    task = selectors.task_detail(code)
    status = 200
    if request.method == "POST":
        require(may_run_programme(request.user))
        form = MilestoneForm(request.POST)
        if valid_or_say(request, form):
            data = dict(form.cleaned_data)
            milestone_id = data.pop("milestone")
            if milestone_id:
                milestone = get_object_or_404(task.milestones, pk=milestone_id)
                outcome = page_action(
                    request, services.milestone_update, success=_("里程碑已修改。"), milestone=milestone, **data
                )
            else:
                outcome = page_action(request, services.milestone_add, success=_("已添加里程碑。"), task=task, **data)
            if outcome.ok:
                return redirect("steering:programme-task", code=task.code)
        status = REFUSED
        task = selectors.task_detail(code)
    operator = may_run_programme(request.user)
    return _render(
        request,
        "steering/programme/task.html",
        {
            "task": task,
            "is_operator": operator,
            "milestone_forms": [
                (
                    m,
                    MilestoneForm(
                        initial={
                            **{f: getattr(m, f) for f in ("title", "due_on", "weight", "done_on", "note")},
                            "milestone": m.pk,
                        },
                        auto_id=f"m{m.pk}_%s",
                    ),
                )
                for m in task.milestones.all()
            ]
            if operator
            else [],
            "new_milestone_form": MilestoneForm() if operator else None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_cycles(request):
    """The reporting cycles with their counts and the reporting settings; operators open an ad hoc
    cycle and set the due day and reminder days."""
    require(may_read_programme(request.user))
    status = 200
    form = CycleOpenForm()
    current = selectors.reporting_settings_current()
    settings_form = ReportingSettingsForm(
        initial={
            "monthly_due_day": current.monthly_due_day,
            "remind_days_before": ",".join(map(str, current.remind_days_before)),
            "remind_days_after": ",".join(map(str, current.remind_days_after)),
        }
    )
    if request.method == "POST":
        require(may_run_programme(request.user))
        if request.POST.get("action") == "lamp_rule":
            rule_form = LampRuleForm(request.POST)
            if valid_or_say(request, rule_form):
                data = rule_form.cleaned_data
                rule = get_object_or_404(LampRule, pk=data.pop("rule"))
                if page_action(
                    request,
                    services.lamp_rule_update,
                    success=_("亮灯规则已保存，进行中期次的亮灯已重新计算。"),
                    rule=rule,
                    **data,
                ).ok:
                    return redirect("steering:programme-cycles")
        elif request.POST.get("action") == "settings":
            settings_form = ReportingSettingsForm(request.POST)
            if (
                valid_or_say(request, settings_form)
                and page_action(
                    request,
                    services.reporting_settings_update,
                    success=_("报送设置已保存。"),
                    **settings_form.cleaned_data,
                ).ok
            ):
                return redirect("steering:programme-cycles")
        else:
            form = CycleOpenForm(request.POST)
            if valid_or_say(request, form):
                outcome = page_action(
                    request, services.cycle_open_ad_hoc, success=_("已开启专项调度。"), **form.cleaned_data
                )
                if outcome.ok:
                    return redirect("steering:programme-cycle", pk=outcome.value.pk)
        status = REFUSED
    return _render(
        request,
        "steering/programme/cycles.html",
        {
            "page": page_of(request, selectors.cycles_list()),
            "open_form": form if may_run_programme(request.user) else None,
            "settings_form": settings_form if may_run_programme(request.user) else None,
            "settings": current,
            "lamp_rules": selectors.lamp_rules(),
            "may_edit_rules": may_run_programme(request.user),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_cycle(request, pk):
    """One cycle: the unit × task matrix of on time / late / missing; operators close it."""
    require(may_read_programme(request.user))
    cycle = get_object_or_404(ReportingCycle, pk=pk)
    status = 200
    if request.method == "POST":
        require(may_run_programme(request.user))
        if request.POST.get("action") == "close":
            if page_action(request, services.cycle_close, success=_("报送期次已关闭。"), cycle=cycle).ok:
                return redirect("steering:programme-cycle", pk=cycle.pk)
        else:
            _refused(request)
        status = REFUSED
        cycle.refresh_from_db()
    return _render(
        request,
        "steering/programme/cycle.html",
        {
            "cycle": cycle,
            "matrix": selectors.reporting_matrix(cycle=cycle),
            "may_close": may_run_programme(request.user) and cycle.status == CycleStatus.OPEN,
        },
        status=status,
    )


@login_required
@get_only
def programme_review(request):
    """The operators' review queue: submitted reports, the oldest first."""
    require(may_run_programme(request.user))
    filterset = ProgrammeReviewFilterSet(request.GET, queryset=selectors.review_queue())
    return _render(
        request, "steering/programme/review.html", {"page": page_of(request, filterset.qs), "filterset": filterset}
    )


@login_required
@get_only
def programme_notices(request):
    """督办单: operators and leaders see all, a unit its own."""
    require(may_read_programme(request.user))
    return _render(
        request,
        "steering/programme/notices.html",
        {"page": page_of(request, selectors.notices_visible_to(request.user)), "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_notice(request, pk):
    """One 督办单: the unit answers, an operator closes it."""
    notice = selectors.notice_detail(request.user, pk)
    may_answer = may_file_report(request.user, notice.report)
    operator = may_run_programme(request.user)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        done = False
        if action == "answer":
            require(may_answer)
            form = NoticeAnswerForm(request.POST)
            if valid_or_say(request, form):
                done = page_action(
                    request, services.notice_answer, success=_("已答复。"), notice=notice, **form.cleaned_data
                ).ok
        elif action == "close":
            require(operator)
            form = NoticeCloseForm(request.POST)
            if valid_or_say(request, form):
                done = page_action(
                    request, services.notice_close, success=_("督办单已办结。"), notice=notice, **form.cleaned_data
                ).ok
        else:
            _refused(request)
        if done:
            return redirect("steering:programme-notice", pk=notice.pk)
        status = REFUSED
        notice = selectors.notice_detail(request.user, pk)
    open_ = notice.status != NoticeStatus.CLOSED
    return _render(
        request,
        "steering/programme/notice.html",
        {
            "notice": notice,
            "answer_form": NoticeAnswerForm(initial={"response": notice.response}) if may_answer and open_ else None,
            "close_form": NoticeCloseForm() if operator and notice.status == NoticeStatus.ANSWERED else None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_units(request):
    """The responsible units and the organisations they are linked to; operators link them."""
    require(may_run_programme(request.user))
    status = 200
    if request.method == "POST":
        form = UnitLinkForm(request.POST)
        if valid_or_say(request, form):
            unit = get_object_or_404(selectors.units_list(), pk=form.cleaned_data["unit"])
            if page_action(
                request,
                services.unit_link,
                success=_("已更新关联。"),
                unit=unit,
                organisation=form.cleaned_data["organisation"],
            ).ok:
                return redirect("steering:programme-units")
        status = REFUSED
    from accounts.choices import OrganisationKind
    from accounts.models import Organisation

    return _render(
        request,
        "steering/programme/units.html",
        {
            "units": selectors.units_list(),
            "organisations": list(Organisation.objects.filter(kind=OrganisationKind.GOVERNMENT).order_by("name")),
        },
        status=status,
    )
