"""Pages of the ground floor: one's messages and one's background jobs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core import selectors, services
from core.paging import page_of
from core.permissions import post_only


@login_required
def notifications(request):
    page = page_of(request, selectors.notifications_for(request.user))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@post_only
def notification_open(request, pk):
    """Mark one message read and follow its link (only links inside the portal)."""
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    services.notification_mark_read(user=request.user, notification_ids=[notification.pk])
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(notification.link)
    return redirect("core:notifications")


@login_required
@post_only
def notifications_mark_all_read(request):
    count = services.notification_mark_read(user=request.user)
    messages.success(request, _("已将 %(count)d 条消息标为已读。") % {"count": count})
    return redirect("core:notifications")


@login_required
def jobs(request):
    page = page_of(request, selectors.jobs_visible_to(request.user))
    return render(request, "core/jobs.html", {"page": page})


@login_required
def job_detail(request, pk):
    job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=pk)
    return render(request, "core/job_detail.html", {"job": job})


@login_required
def job_status(request, pk):
    """The progress fragment the job page polls with htmx until the job has finished."""
    job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=pk)
    return render(request, "core/_job_status.html", {"job": job})


@login_required
def job_download(request, pk):
    job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=pk)
    if not job.result_file:
        raise Http404
    services.audit_record(actor=request.user, action="job.download", target=job)
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name or "result.xlsx")
