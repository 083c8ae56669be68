"""The reports centre: every build of the monthly 调度 report with its progress or error, a form to
build a month's report, a failed build run again, the permission-checked download, and links to
the portal's other workbooks. Operators and officials; everyone else 404."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.actions import page_action
from core.paging import page_of
from core.permissions import get_only, require
from core.services import audit_record
from steering import selectors, services
from steering.permissions import may_steer
from steering.views.common import REFUSED


@login_required
@require_http_methods(["GET", "POST"])
def reports(request):
    """GET: the builds (paged, newest first) and the other workbooks. POST action=build month=YYYY-MM:
    build a month's report; action=rerun job=<id>: run a failed build again."""
    require(may_steer(request.user))
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "build":
            outcome = page_action(
                request,
                services.monthly_report_request,
                month=request.POST.get("month", ""),
                success=_("已开始生成月度调度报告，完成后可在下表下载。"),
            )
        elif action == "rerun":
            job = selectors.monthly_report_build(request.user, request.POST.get("job", ""))
            if job is None:
                raise Http404
            outcome = page_action(
                request, services.monthly_report_rerun, job=job, success=_("已重新开始生成月度调度报告。")
            )
        else:
            raise Http404
        if outcome.ok:
            return redirect("steering:reports")
        status = REFUSED
    page = page_of(request, selectors.monthly_report_builds())
    context = {
        "page": page,
        "running": any(not job.is_finished for job in page.object_list),
        "cycles": selectors.monthly_cycles(),
        "others": selectors.other_workbooks(request.user),
    }
    return render(request, "steering/reports/centre.html", context, status=status)


@login_required
@get_only
def report_download(request, pk):
    """A build's workbook, for operators and officials (core's job download is the requester's only)."""
    job = selectors.monthly_report_build(request.user, pk)
    if job is None or not job.result_file:
        raise Http404
    audit_record(actor=request.user, action="job.download", target=job)
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name or "report.xlsx")
