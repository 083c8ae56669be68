"""Capability list pages: the public list, companies' and associations' entries, operator review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.choices import Role
from accounts.permissions import require_role
from capability_list import selectors, services
from capability_list.filters import EntryFilterSet, ReviewQueueFilterSet
from capability_list.forms import (
    CredentialFormSet,
    EntryForm,
    EntryReviewForm,
    FilingCompanyForm,
    ImportForm,
    ReviewForm,
    credentials_from,
)
from capability_list.import_workbooks import template_workbook
from capability_list.models import ImportBatch
from capability_list.permissions import (
    can_change_listed_entry,
    can_edit_entry,
    can_file_entries,
    can_import,
    can_manage_entry,
    is_association_member,
    is_operator,
)
from capability_list.selectors import REVIEW_QUEUE_PAGES
from capability_list.views.changes import evidence_context
from core.actions import FormGroup, action_redirect, batch_action, errors_text, page_action
from core.page_cache import cached_value
from core.paging import PAGE_SIZES, page_of
from core.permissions import post_only, require
from core.returns import back_url


def entry_list(request):
    filterset = EntryFilterSet(request.GET or None, queryset=selectors.listed_entries())
    return render(
        request,
        "capability_list/list.html",
        {"filterset": filterset, "page": page_of(request, filterset.qs), "page_sizes": PAGE_SIZES},
    )


def detail(request, pk):
    """The entry as listed (what everyone sees); for the company also its change in progress,
    against the listed version; for its managers and operators the credentials' evidence files."""
    user = request.user
    entry = selectors.entry_for(user, pk)
    context = {
        "entry": entry,
        "can_edit": can_edit_entry(user, entry),
        "can_manage": can_manage_entry(user, entry),
        "can_change": can_change_listed_entry(user, entry),
        "is_operator": is_operator(user),
    }
    if context["can_change"]:
        change = selectors.open_change_of(entry)
        context.update(change=change, diff=selectors.change_diff(entry, change) if change else None)
    context.update(evidence_context(user, entry))
    return render(request, "capability_list/detail.html", context)


@login_required
def mine(request):
    require(can_file_entries(request.user))
    entries = selectors.entries_managed_by(request.user).order_by("-updated_at")
    return render(request, "capability_list/mine.html", {"page": page_of(request, entries)})


def _after_save(request, result: services.EntrySaveResult):
    """Say what the editor's action did and go on: back to the editor, or to the entry's page."""
    if result.submit_refusal:
        messages.warning(request, _("已保存，但未能提交审核：%(reason)s") % {"reason": result.submit_refusal})
        return redirect("capability_list:edit", pk=result.entry.pk)
    messages.success(request, _("已提交审核。") if result.submitted else _("已保存。"))
    return redirect("capability_list:detail", pk=result.entry.pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk=None):
    """Create or edit an entry. Companies file for themselves; associations name the company."""
    user = request.user
    entry = selectors.entry_for(user, pk) if pk else None
    if entry is None and not can_file_entries(user):
        raise Http404
    if entry is not None and not can_edit_entry(user, entry):
        if can_change_listed_entry(user, entry):  # a listed entry changes through review
            return redirect("capability_list:change-edit", pk=entry.pk)
        if can_manage_entry(user, entry):
            messages.error(request, _("条目处于“%(status)s”状态，不能修改。") % {"status": entry.get_status_display()})
            return redirect("capability_list:detail", pk=entry.pk)
        raise Http404
    files_for_other = entry is None and is_association_member(user)
    form = EntryForm(request.POST or None, instance=entry)
    company_form = FilingCompanyForm(request.POST or None) if files_for_other else None
    formset = (
        CredentialFormSet(request.POST, prefix="credentials")
        if request.method == "POST"
        else CredentialFormSet(initial=selectors.credentials_initial(entry), prefix="credentials")
    )
    formset_errors: list[str] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and formset.is_valid()
        and (company_form is None or company_form.is_valid())
    ):
        filing_company = None
        if entry is None and company_form is not None:
            filing_company = {
                "credit_code": company_form.cleaned_data["company_credit_code"],
                "name": company_form.cleaned_data["company_name"],
                "district": company_form.cleaned_data["company_district"],
            }
        saved = page_action(
            request,
            services.entry_save,
            form=FormGroup(form, company_form, lists={"credentials": formset_errors}),
            entry=entry,
            data={field: form.cleaned_data[field] for field in services.ENTRY_FIELDS},
            credentials=credentials_from(formset),
            filing_company=filing_company,
            submit=request.POST.get("intent") == "submit",
        )
        if saved.ok:
            return _after_save(request, saved.value)
        entry = selectors.entry_for(user, pk) if pk else None  # the form changed the instance it was given
    return render(
        request,
        "capability_list/edit.html",
        {
            "form": form,
            "company_form": company_form,
            "formset": formset,
            "formset_errors": formset_errors,
            "entry": entry,
        },
    )


# The buttons on an entry's page, for the company or its filing association.
ENTRY_ACTIONS = {"submit": services.entry_submit, "withdraw": services.entry_withdraw, "reopen": services.entry_reopen}


@login_required
@post_only
def action(request, pk):
    """submit / withdraw / reopen, by the company or its filing association."""
    entry = selectors.entry_for(request.user, pk)
    service = ENTRY_ACTIONS.get(request.POST.get("action"))
    if service is None:
        messages.error(request, _("未知的操作。"))
        return redirect("capability_list:detail", pk=pk)
    return action_redirect(
        request, service, to=reverse("capability_list:detail", args=[pk]), success=_("操作成功。"), entry=entry
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_queue(request):
    require_role(request.user, Role.OPERATOR)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            batch_action(
                request,
                services.entry_review_many,
                success=lambda count: _("已审核 %(count)d 个条目。") % {"count": count},
                entries=form.cleaned_data["entries"],
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
            return redirect(request.get_full_path())  # the queue as it was: same search and filters
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    parts = cached_value(REVIEW_QUEUE_PAGES, request, "entry-review-queue", lambda: _review_queue_parts(request))
    # Our own templates' output (escaped when rendered), from the cache or rendered now.
    filters, rows, pagination, changes = (mark_safe(part) for part in parts)  # noqa: S308  # nosec B308 B703
    return render(
        request,
        "capability_list/review_queue.html",
        {"filters": filters, "rows": rows, "pagination": pagination, "changes": changes},
    )


def _review_queue_parts(request) -> tuple[str, ...]:
    """The queue's filters, rows, pagination and changes as HTML: the same for every operator (no
    token, no name but the change's author), stored per address and version of REVIEW_QUEUE_PAGES
    (issue #20: rendering the rows with their credentials and the filter form was most of the
    page's time). The review form around the rows keeps its CSRF token per request."""
    filterset = ReviewQueueFilterSet(request.GET, queryset=selectors.review_queue_page())
    context = {
        "request": request,
        "filterset": filterset,
        "page": page_of(request, filterset.qs),
        "changes": selectors.changes_awaiting_review(),
    }
    return tuple(
        render_to_string(template, context)
        for template in (
            "capability_list/_review_queue_filters.html",
            "capability_list/_review_queue_rows.html",
            "includes/_pagination.html",
            "capability_list/_review_queue_changes.html",
        )
    )


@login_required
@post_only
def review(request, pk):
    """Approve or return one entry from its own page; then back to the queue as the operator left it."""
    require_role(request.user, Role.OPERATOR)
    entry = selectors.entry_for(request.user, pk)
    form = EntryReviewForm(request.POST)
    back = back_url(request, "")
    if not back.startswith(reverse("capability_list:review-queue")):
        back = ""
    here = reverse("capability_list:detail", args=[pk]) + (f"?{urlencode({'back': back})}" if back else "")
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(here)
    approve = form.cleaned_data["decision"] == "approve"
    outcome = page_action(
        request,
        services.entry_review,
        success=(_("已列入清单：%(name)s") if approve else _("已退回修改：%(name)s")) % {"name": entry.name},
        entry=entry,
        approve=approve,
        note=form.cleaned_data["note"],
    )
    return redirect((back or reverse("capability_list:review-queue")) if outcome.ok else here)


def editions(request):
    context = {"editions": selectors.editions_published()}
    if is_operator(request.user):
        context["awaiting"] = selectors.entries_awaiting_edition().count()
        context["building"] = selectors.editions_building()
    return render(request, "capability_list/editions.html", context)


@login_required
@post_only
def edition_publish(request):
    require_role(request.user, Role.OPERATOR)
    published = page_action(request, services.edition_publish)
    if published.ok:
        return redirect("core:job-detail", pk=published.value.job_id)
    return redirect("capability_list:editions")


def edition_download(request, pk):
    edition = selectors.edition_published(pk)
    return FileResponse(edition.workbook.open("rb"), as_attachment=True, filename=f"{edition.title}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    require(can_import(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = page_action(request, services.import_upload, form=form, uploaded=form.cleaned_data["file"])
        if uploaded.ok:
            return _follow(uploaded.value)
    batches = selectors.import_batches_of(request.user)[:20]
    return render(request, "capability_list/import_upload.html", {"form": form, "batches": batches})


def _follow(batch: ImportBatch):
    """Where to follow an import: the job's page while a job works on it, else the import's page."""
    if batch.in_job:
        return redirect("core:job-detail", pk=batch.job_id)
    return redirect("capability_list:import-detail", pk=batch.pk)


def import_template(request):
    response = HttpResponse(
        template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="capability-import-template.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request, pk):
    batch = selectors.import_batch_for(request.user, pk)
    if request.method == "POST":
        confirmed = page_action(
            request,
            services.import_confirm,
            batch=batch,
            success=lambda batch: "" if batch.in_job else _("已导入 %(count)d 条。") % {"count": batch.imported_count},
        )
        return _follow(confirmed.value) if confirmed.ok else redirect("capability_list:import-detail", pk=pk)
    return render(request, "capability_list/import_detail.html", {"batch": batch, "errors": batch.errors[:1000]})


@login_required
def import_rejects(request, pk):
    batch = selectors.import_batch_for(request.user, pk)
    if not batch.rejects_file:
        raise Http404
    return FileResponse(batch.rejects_file.open("rb"), as_attachment=True, filename=f"未导入-{batch.original_name}")
