"""Capability list pages: the public list, companies' and associations' entries, operator review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.paging import PAGE_SIZES, page_of
from accounts.permissions import require_role
from core.services import job_create
from scenarios.permissions import is_publisher_of
from scenarios.selectors import scenario_for
from capability_list import selectors, services
from capability_list.editions import edition_publish as publish_edition
from capability_list.editions import entries_awaiting_edition
from capability_list.filters import EntryFilterSet
from capability_list import enquiries, events
from capability_list.choices import AgendaOutcome, DeclineReason
from capability_list.filters import MatchFilterSet
from capability_list.matching import selectors as match_selectors
from capability_list.matching.feedback import match_answer
from capability_list.forms import AgendaAddForm, AgendaRecordForm, AnswerForm, CredentialFormSet, EnquiryForm, EventForm, EntryForm, FilingCompanyForm, ImportForm, RatingForm, ReviewForm
from capability_list.imports import template_workbook
from capability_list.models import AgendaItem, Edition, ImportBatch, MatchFeedback, MatchingModel, MatchmakingEvent
from capability_list.permissions import can_edit_entry, can_manage_entry, is_association_member, is_operator

def entry_list(request):
    filterset = EntryFilterSet(request.GET or None, queryset=selectors.listed_entries())
    return render(request, "capability_list/list.html", {"filterset": filterset, "page": page_of(request, filterset.qs), "page_sizes": PAGE_SIZES})


def detail(request, pk):
    entry = selectors.entry_for(request.user, pk)
    return render(
        request,
        "capability_list/detail.html",
        {"entry": entry, "can_edit": can_edit_entry(request.user, entry), "can_manage": can_manage_entry(request.user, entry), "is_operator": is_operator(request.user)},
    )


@login_required
def mine(request):
    if not (request.user.has_role("company") or is_association_member(request.user)):
        raise Http404
    entries = selectors.entries_managed_by(request.user).order_by("-updated_at")
    return render(request, "capability_list/mine.html", {"page": page_of(request, entries)})


def _credentials(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data and any(form.cleaned_data.values())]


def _show_errors(form, company_form, formset_errors, error: ValidationError) -> None:
    for field, field_errors in error.message_dict.items():
        target = form if field in form.fields else company_form if company_form is not None and field in company_form.fields else None
        for message in field_errors:
            if field == "credentials":
                formset_errors.append(message)
            elif target is not None:
                target.add_error(field, message)
            else:
                form.add_error(None, message)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk=None):
    """Create or edit an entry. Companies file for themselves; associations name the company."""
    user = request.user
    entry = selectors.entry_for(user, pk) if pk else None
    if entry is None and not (user.has_role("company") or is_association_member(user)):
        raise Http404
    if entry is not None and not can_edit_entry(user, entry):
        if can_manage_entry(user, entry):
            messages.error(request, _("条目处于“%(status)s”状态，不能修改。") % {"status": entry.get_status_display()})
            return redirect("capability_list:detail", pk=entry.pk)
        raise Http404
    files_for_other = entry is None and is_association_member(user)
    form = EntryForm(request.POST or None, instance=entry)
    company_form = FilingCompanyForm(request.POST or None) if files_for_other else None
    initial = [{"kind": c.kind, "certificate_number": c.certificate_number, "level": c.level, "year": c.year} for c in entry.credentials.all()] if entry else []
    formset = CredentialFormSet(request.POST, prefix="credentials") if request.method == "POST" else CredentialFormSet(initial=initial, prefix="credentials")
    formset_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid() and (company_form is None or company_form.is_valid()):
        data = {field: form.cleaned_data[field] for field in services.ENTRY_FIELDS}
        filing_company = None
        if entry is None and company_form is not None:
            filing_company = {
                "credit_code": company_form.cleaned_data["company_credit_code"],
                "name": company_form.cleaned_data["company_name"],
                "district": company_form.cleaned_data["company_district"],
            }
        try:
            result = services.entry_save(
                actor=user, entry=entry, data=data, credentials=_credentials(formset), filing_company=filing_company,
                submit=request.POST.get("intent") == "submit",
            )
        except ValidationError as error:
            entry = selectors.entry_for(user, pk) if pk else None
            _show_errors(form, company_form, formset_errors, error)
        except DomainError as error:
            entry = selectors.entry_for(user, pk) if pk else None
            form.add_error(None, error.message)
        else:
            if result.submit_refusal:
                messages.warning(request, _("已保存，但未能提交审核：%(reason)s") % {"reason": result.submit_refusal})
                return redirect("capability_list:edit", pk=result.entry.pk)
            messages.success(request, _("已提交审核。") if result.submitted else _("已保存。"))
            return redirect("capability_list:detail", pk=result.entry.pk)
    return render(
        request,
        "capability_list/edit.html",
        {"form": form, "company_form": company_form, "formset": formset, "formset_errors": formset_errors, "entry": entry},
    )


@login_required
@require_POST
def action(request, pk):
    """submit / withdraw / reopen, by the company or its filing association."""
    entry = selectors.entry_for(request.user, pk)
    name = request.POST.get("action")
    handlers = {"submit": services.entry_submit, "withdraw": services.entry_withdraw, "reopen": services.entry_reopen}
    if name not in handlers:
        messages.error(request, _("未知的操作。"))
        return redirect("capability_list:detail", pk=pk)
    try:
        handlers[name](actor=request.user, entry=entry)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("操作成功。"))
    return redirect("capability_list:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def review_queue(request):
    require_role(request.user, "operator")
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            done, refused = 0, []
            for entry in form.cleaned_data["entries"]:
                try:
                    services.entry_review(actor=request.user, entry=entry, approve=form.cleaned_data["decision"] == "approve", note=form.cleaned_data["note"])
                    done += 1
                except DomainError as error:
                    refused.append(f"{entry.name}：{error.message}")
            if done:
                messages.success(request, _("已审核 %(count)d 个条目。") % {"count": done})
            for message in refused:
                messages.error(request, message)
            return redirect("capability_list:review-queue")
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return render(request, "capability_list/review_queue.html", {"page": page_of(request, selectors.review_queue())})


def editions(request):
    published = Edition.objects.filter(state=Edition.State.PUBLISHED).annotate(entry_count=Count("entries"))
    context = {"editions": published}
    if is_operator(request.user):
        context["awaiting"] = entries_awaiting_edition().count()
        context["building"] = Edition.objects.exclude(state=Edition.State.PUBLISHED).select_related("job")
    return render(request, "capability_list/editions.html", context)


@login_required
@require_POST
def edition_publish(request):
    require_role(request.user, "operator")
    try:
        edition = publish_edition(actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("capability_list:editions")
    return redirect("core:job-detail", pk=edition.job_id)


def edition_download(request, pk):
    edition = get_object_or_404(Edition, pk=pk, state=Edition.State.PUBLISHED)
    return FileResponse(edition.workbook.open("rb"), as_attachment=True, filename=f"{edition.title}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    if not services.may_import(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.import_upload(actor=request.user, uploaded=form.cleaned_data["file"])
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            if batch.job_id:
                return redirect("core:job-detail", pk=batch.job_id)
            return redirect("capability_list:import-detail", pk=batch.pk)
    batches = ImportBatch.objects.filter(uploaded_by=request.user)[:20]
    return render(request, "capability_list/import_upload.html", {"form": form, "batches": batches})


def import_template(request):
    response = HttpResponse(template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="capability-import-template.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk, uploaded_by=request.user)
    if request.method == "POST":
        try:
            batch = services.import_confirm(actor=request.user, batch=batch)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if batch.job_id and batch.state == ImportBatch.State.IMPORTING:
                return redirect("core:job-detail", pk=batch.job_id)
            messages.success(request, _("已导入 %(count)d 条。") % {"count": batch.imported_count})
        return redirect("capability_list:import-detail", pk=pk)
    return render(request, "capability_list/import_detail.html", {"batch": batch, "errors": batch.errors[:1000]})


@login_required
def import_rejects(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk, uploaded_by=request.user)
    if not batch.rejects_file:
        raise Http404
    return FileResponse(batch.rejects_file.open("rb"), as_attachment=True, filename=f"未导入-{batch.original_name}")


@login_required
@require_http_methods(["GET", "POST"])
def enquiry_create(request):
    if not enquiries.can_ask(request.user):
        raise Http404
    scenario = None
    scenario_id = request.POST.get("scenario") or request.GET.get("scenario")
    if scenario_id:
        try:
            scenario = scenario_for(request.user, int(scenario_id))
        except (TypeError, ValueError):
            raise Http404 from None
    form = EnquiryForm(request.POST or None, initial={"scenario": scenario.pk if scenario else None})
    if request.method == "POST" and form.is_valid():
        try:
            enquiry = enquiries.enquiry_ask(
                actor=request.user, subject=form.cleaned_data["subject"], question=form.cleaned_data["question"],
                scenario=scenario, department=None if scenario else form.cleaned_data["department"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("咨询已发送，答复期限：%(due)s。") % {"due": enquiry.due_date.isoformat()})
            return redirect("capability_list:enquiry-detail", pk=enquiry.pk)
    return render(request, "capability_list/enquiry_form.html", {"form": form, "scenario": scenario})


@login_required
def enquiry_list(request):
    queryset = enquiries.enquiries_visible_to(request.user)
    box = request.GET.get("box", "all")
    if box == "asked":
        queryset = queryset.filter(company_id=request.user.organisation_id)
    elif box == "received":
        queryset = queryset.filter(addressee_id=request.user.organisation_id)
    elif box == "overdue":
        queryset = queryset.filter(status="open", due_date__lt=timezone.localdate())
    return render(request, "capability_list/enquiries.html", {"page": page_of(request, queryset), "box": box, "today": timezone.localdate()})


@login_required
@require_http_methods(["GET", "POST"])
def enquiry_detail(request, pk):
    enquiry = get_object_or_404(enquiries.enquiries_visible_to(request.user), pk=pk)
    answer_form = AnswerForm(request.POST if request.POST.get("form") == "answer" else None)
    rating_form = RatingForm(request.POST if request.POST.get("form") == "rating" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "answer" and answer_form.is_valid():
                enquiries.enquiry_answer(actor=request.user, enquiry=enquiry, answer=answer_form.cleaned_data["answer"])
                messages.success(request, _("已答复。"))
                return redirect("capability_list:enquiry-detail", pk=pk)
            if request.POST.get("form") == "rating" and rating_form.is_valid():
                enquiries.enquiry_rate(actor=request.user, enquiry=enquiry, rating=rating_form.cleaned_data["rating"], comment=rating_form.cleaned_data["comment"])
                messages.success(request, _("感谢您的评价。"))
                return redirect("capability_list:enquiry-detail", pk=pk)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("capability_list:enquiry-detail", pk=pk)
    return render(
        request,
        "capability_list/enquiry_detail.html",
        {
            "enquiry": enquiry,
            "answer_form": answer_form if enquiries.can_answer(request.user, enquiry) and enquiry.status == "open" else None,
            "rating_form": rating_form if request.user.organisation_id == enquiry.company_id and enquiry.status == "answered" else None,
            "overdue": enquiry.status == "open" and enquiry.due_date < timezone.localdate(),
        },
    )


@login_required
def event_list(request):
    return render(request, "capability_list/events.html", {"events": events.events_visible_to(request.user).annotate(pairs=Count("agenda", distinct=True)), "is_operator": is_operator(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    require_role(request.user, "operator")
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = events.event_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("capability_list:event-detail", pk=event.pk)
    return render(request, "capability_list/event_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def event_detail(request, pk):
    event = get_object_or_404(events.events_visible_to(request.user), pk=pk)
    operator = is_operator(request.user)
    add_form = AgendaAddForm(request.POST if request.POST.get("form") == "add" else None)
    if request.method == "POST":
        require_role(request.user, "operator")
        try:
            if request.POST.get("form") == "add" and add_form.is_valid():
                scenario = scenario_for(request.user, add_form.cleaned_data["scenario"])
                entry = selectors.entry_for(request.user, add_form.cleaned_data["entry"])
                events.agenda_add(actor=request.user, event=event, scenario=scenario, entry=entry)
                messages.success(request, _("已加入议程并通知双方。"))
            elif request.POST.get("form") == "record":
                record = AgendaRecordForm(request.POST)
                if record.is_valid():
                    item = get_object_or_404(AgendaItem, pk=record.cleaned_data["item"], event=event)
                    events.agenda_record(
                        actor=request.user, item=item, publisher_attended=record.cleaned_data["publisher_attended"],
                        company_attended=record.cleaned_data["company_attended"], outcome=record.cleaned_data["outcome"], note=record.cleaned_data["note"],
                    )
                    messages.success(request, _("已记录。"))
                else:
                    messages.error(request, _("请检查对接结果。"))
            elif add_form.errors:
                messages.error(request, _("请填写场景编号和条目编号。"))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("capability_list:event-detail", pk=pk)
    agenda = event.agenda.select_related("scenario", "scenario__publisher", "entry", "entry__company")
    return render(request, "capability_list/event_detail.html", {"event": event, "agenda": agenda, "is_operator": operator, "add_form": add_form, "outcomes": AgendaOutcome.choices})


# ---- matching ------------------------------------------------------------------------------------

def _answer_from_post(request, match) -> None:
    try:
        match_answer(actor=request.user, match=match, decision=request.POST.get("decision", ""), reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已记录您的反馈。"))


@login_required
@require_http_methods(["GET", "POST"])
def scenario_suppliers(request, pk):
    """推荐供应商 of a scenario, with reasons; the publisher accepts or declines each."""
    scenario = scenario_for(request.user, pk)
    matches = match_selectors.suppliers_for(request.user, scenario)
    if request.method == "POST":
        _answer_from_post(request, get_object_or_404(matches, pk=request.POST.get("match") or 0))
        return redirect("capability_list:scenario-suppliers", pk=pk)
    return render(
        request, "capability_list/suppliers.html",
        {"scenario": scenario, "matches": matches[:50], "reasons": DeclineReason.choices, "can_answer": is_publisher_of(request.user, scenario)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendations(request):
    """推荐场景 for the entries of the user's company."""
    matches = match_selectors.scenarios_for_company(request.user)
    if request.method == "POST":
        _answer_from_post(request, get_object_or_404(matches, pk=request.POST.get("match") or 0))
        return redirect("capability_list:recommendations")
    return render(request, "capability_list/recommendations.html", {"page": page_of(request, matches), "reasons": DeclineReason.choices, "can_answer": True})


@login_required
@require_http_methods(["GET", "POST"])
def match_table(request):
    """Operators: every match with filters; put a pair on an event's agenda; rebuild the matches."""
    require_role(request.user, "operator")
    if request.method == "POST":
        if request.POST.get("action") == "rebuild":
            job = job_create(actor=request.user, kind="capability_list.matching_rebuild")
            return redirect("core:job-detail", pk=job.pk)
        match = get_object_or_404(match_selectors.active_matches(), pk=request.POST.get("match") or 0)
        event = get_object_or_404(events.events_visible_to(request.user), pk=request.POST.get("event") or 0)
        try:
            events.agenda_add(actor=request.user, event=event, scenario=match.scenario, entry=match.entry)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已加入议程并通知双方。"))
        return redirect(request.get_full_path())
    filters = MatchFilterSet(request.GET or None, queryset=match_selectors.active_matches().order_by("-score", "pk"))
    return render(
        request, "capability_list/match_table.html",
        {
            "filters": filters, "page": page_of(request, filters.qs), "model": MatchingModel.objects.filter(state="active").first(),
            "events": MatchmakingEvent.objects.filter(starts_at__gte=timezone.now()).order_by("starts_at")[:20],
            "labels": _label_summary(),
        },
    )


def _label_summary() -> list[tuple[str, int]]:
    """How both sides answered, for tuning the weights: accepted, then each decline reason."""
    counts = dict(MatchFeedback.objects.values_list("decision", "reason").annotate(count=Count("pk")).values_list("reason", "count"))
    accepted = MatchFeedback.objects.filter(decision="accepted").count()
    return [(_("接受"), accepted)] + [(label, counts.get(code, 0)) for code, label in DeclineReason.choices]
