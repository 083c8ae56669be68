"""Results (aggregation, consensus, round close and report) and findings (问题清单).

Evaluation pages: parse, authorise, call one service or selector, render."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import is_official, is_operator
from core.actions import page_action
from core.paging import page_of
from core.permissions import require
from core.services import audit_record, job_create
from evaluation import selectors, services
from evaluation.filters import FindingFilterSet
from evaluation.forms import (
    ConsensusForm,
    FindingForm,
    FindingReturnForm,
    RectificationForm,
)
from evaluation.models import EvaluationRound, Indicator, Subject
from evaluation.permissions import (
    has_working_role,
    may_read_round_report,
    may_rectify,
)
from evaluation.radar import radar
from evaluation.reports import round_report_rows
from evaluation.services.results import REPORT_JOB
from evaluation.views.common import REFUSED, require_operator, valid_or_say


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
        # A finding is opened only by those who may act on it or oversee it; others read the row.
        "openable_findings": set(
            selectors.findings_visible_to(request.user).filter(subject=subject).values_list("pk", flat=True)
        ),
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
        if valid_or_say(request, form):
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
    require(may_read_round_report(request.user, round_))
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
        result = row["result"].results if row["result"] else None
        if result is None:
            row.update(scores=[None] * len(dimensions), red_line_names=[], pending_consensus=[], sheets_missing=None)
            continue
        scores = {item["id"]: item["score"] for item in result["dimensions"]}
        names = {leaf["id"]: f"{leaf['code']} {leaf['name']}" for leaf in result["leaves"]}
        row["scores"] = [scores.get(item.pk) for item in dimensions]
        row["red_line_names"] = [names[leaf["id"]] for leaf in result["leaves"] if leaf["red_line_hit"]]
        # Before the close, operators see what still holds it up: sheets to come, consensus to record.
        open_round = not round_.is_closed
        row["pending_consensus"] = (
            [names[i] for i in result.get("pending_consensus", []) if i in names] if open_round else []
        )
        row["sheets_missing"] = result.get("expected", 0) - result.get("submitted", 0) if open_round else None
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
    require(may_read_round_report(request.user, round_))
    job = round_.report_job
    if job is None or not job.result_file:
        raise Http404
    audit_record(actor=request.user, action="job.download", target=job)
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name or "report.xlsx")


@login_required
def findings(request):
    """The operators' findings tracker: filters, counts by status, a page of findings."""
    require_operator(request.user)
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
    require(has_working_role(request.user))
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
        return valid_or_say(request, form) and (
            page_action(
                request,
                services.finding_return,
                success=_("已退回整改单位。"),
                finding=item,
                reason=form.cleaned_data["reason"],
            ).ok
        )
    form = RectificationForm(request.POST)
    if not valid_or_say(request, form):
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


@login_required
def published(request):
    """Officials (and operators): the closed rounds with their grade distribution, each leading to
    the round's published report."""
    require(is_official(request.user) or is_operator(request.user))
    return render(request, "evaluation/published_rounds.html", {"rounds": selectors.published_rounds()})
