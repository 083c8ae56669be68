"""Scenario pages: the public catalogue, the publisher's editor, the operator's review queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.paging import PAGE_SIZES, page_of
from accounts.permissions import require_role
from core.services import job_create
from scenarios import selectors, services
from scenarios.extensions import detail_links
from scenarios.exports import EXPORT_DIRECT_LIMIT, scenario_workbook
from scenarios.filters import ScenarioFilterSet
from scenarios.forms import AttachmentForm, BulkReviewForm, DomainForm, InstrumentRequestForm, NeedItemFormSet, ScenarioForm, TransitionForm
from scenarios.models import Domain, InstrumentRequest, ScenarioAttachment
from scenarios.permissions import allowed_actions, can_create_scenario, can_edit_scenario, is_operator, is_publisher_of
from scenarios.workflow import TRANSITIONS, WAITING_FOR

def catalogue(request):
    filterset = ScenarioFilterSet(request.GET or None, queryset=selectors.catalogue(request.user))
    page = page_of(request, filterset.qs)
    return render(
        request,
        "scenarios/catalogue.html",
        {"filterset": filterset, "page": page, "page_sizes": PAGE_SIZES},
    )


def catalogue_export(request):
    """The filtered list as Excel: at once when small, as a background job when large."""
    filterset = ScenarioFilterSet(request.GET or None, queryset=selectors.catalogue(request.user))
    queryset = filterset.qs
    count = queryset.count()
    if count <= EXPORT_DIRECT_LIMIT:
        content = scenario_workbook(queryset.prefetch_related(None).select_related("publisher", "domain", "domain__parent", "district"), count)
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="scenarios.xlsx"'
        return response
    if not request.user.is_authenticated:
        messages.info(request, _("结果超过 %(limit)d 条，请登录后以后台任务导出。") % {"limit": EXPORT_DIRECT_LIMIT})
        return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")
    job = job_create(actor=request.user, kind="scenarios.catalogue_export", params={key: value for key, value in request.GET.items() if key != "page"})
    return redirect("core:job-detail", pk=job.pk)


def detail(request, pk):
    scenario = selectors.scenario_for(request.user, pk)
    actions = allowed_actions(request.user, scenario)
    context = {
        "scenario": scenario,
        "need_items": scenario.need_items.all(),
        "attachments": scenario.attachments.all(),
        "actions": [TRANSITIONS[action] for action in actions],
        "can_edit": can_edit_scenario(request.user, scenario),
        "is_publisher": is_publisher_of(request.user, scenario),
        "show_internal": is_operator(request.user) or is_publisher_of(request.user, scenario),
        "waiting_for": WAITING_FOR.get(scenario.status),
        "extra_links": detail_links(request.user, scenario),
    }
    if context["show_internal"]:
        context["timeline"] = scenario.status_changes.select_related("actor")
        context["instrument_requests"] = scenario.instrument_requests.select_related("instrument__institute")
    answerable = selectors.instrument_requests_answerable_by(request.user, scenario)
    if answerable:
        context["answerable_requests"] = answerable
    if context["is_publisher"] and scenario.is_public:
        context["instrument_form"] = InstrumentRequestForm()
    if context["can_edit"]:
        context["attachment_form"] = AttachmentForm()
    return render(request, "scenarios/detail.html", context)


def _need_items(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data and (form.cleaned_data.get("name") or form.cleaned_data.get("detail"))]


def _apply_validation_error(form, formset_errors: list, error: ValidationError) -> None:
    for field, field_errors in error.message_dict.items():
        if field == "need_items":
            formset_errors.extend(field_errors)
        elif field in form.fields:
            for message in field_errors:
                form.add_error(field, message)
        else:
            for message in field_errors:
                form.add_error(None, message)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk=None):
    """Create (pk None) or edit a scenario. Buttons: save draft, preview, submit for review."""
    scenario = selectors.scenario_for(request.user, pk) if pk else None
    if scenario is None and not can_create_scenario(request.user):
        raise Http404
    if scenario is not None and not can_edit_scenario(request.user, scenario):
        if is_publisher_of(request.user, scenario):
            messages.error(request, _("场景处于“%(status)s”状态，不能修改。") % {"status": scenario.get_status_display()})
            return redirect("scenarios:detail", pk=scenario.pk)
        raise Http404
    initial_needs = list(scenario.need_items.values("name", "detail")) if scenario else []
    form = ScenarioForm(request.POST or None, instance=scenario)
    # Initial rows only when showing the form: on POST every row is read as sent, so a row left
    # unchanged is still kept (an unchanged *initial* row would otherwise be read as empty).
    formset = NeedItemFormSet(request.POST, prefix="needs") if request.method == "POST" else NeedItemFormSet(initial=initial_needs, prefix="needs")
    formset_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {field: form.cleaned_data[field] for field in services.EDITABLE_FIELDS if field in form.cleaned_data}
        intent = request.POST.get("intent", "save")
        try:
            result = services.scenario_save(
                actor=request.user, scenario=scenario, data=data, need_items=_need_items(formset), submit=intent == "submit"
            )
        except ValidationError as error:
            _apply_validation_error(form, formset_errors, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            scenario = result.scenario
            if result.submit_refusal:
                # The draft is saved; only the submission was refused. Say both on the edit page.
                messages.warning(request, _("草稿已保存，但未能提交审核：%(reason)s") % {"reason": result.submit_refusal})
                return redirect("scenarios:edit", pk=scenario.pk)
            if result.submitted:
                messages.success(request, _("已提交审核：%(title)s") % {"title": scenario.title})
                return redirect("scenarios:detail", pk=scenario.pk)
            if intent == "preview":
                return redirect("scenarios:detail", pk=scenario.pk)
            messages.success(request, _("草稿已保存。"))
            return redirect("scenarios:edit", pk=scenario.pk)
    return render(
        request,
        "scenarios/edit.html",
        {"form": form, "formset": formset, "formset_errors": formset_errors, "scenario": scenario, "problems": services.submission_problems(scenario) if scenario else []},
    )


@require_POST
def validate(request):
    """htmx: check the form as the publisher types and return the problems, saving nothing."""
    if not can_create_scenario(request.user):
        raise Http404
    form = ScenarioForm(request.POST)
    formset = NeedItemFormSet(request.POST, prefix="needs")
    form.is_valid()
    formset.is_valid()
    return render(request, "scenarios/_validation.html", {"form": form, "formset": formset})


@login_required
def mine(request):
    if not can_create_scenario(request.user):
        raise Http404
    scenarios = selectors.organisation_scenarios(request.user)
    status = request.GET.get("status")
    if status:
        scenarios = scenarios.filter(status=status)
    page = page_of(request, scenarios)
    return render(request, "scenarios/mine.html", {"page": page, "waiting_for": WAITING_FOR})


@login_required
@require_POST
def transition(request, pk):
    scenario = selectors.scenario_for(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("原因不能超过 500 个字。"))
        return redirect("scenarios:detail", pk=pk)
    try:
        scenario = services.scenario_transition(actor=request.user, scenario=scenario, action=form.cleaned_data["action"], reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("操作成功，场景状态：%(status)s") % {"status": scenario.get_status_display()})
    return redirect(request.POST.get("next") if request.POST.get("next") == reverse("scenarios:review-queue") else reverse("scenarios:detail", args=[pk]))


@login_required
@require_POST
def attachment_add(request, pk):
    scenario = selectors.scenario_for(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(form.errors.get("file", [_("请选择文件。")])))
        return redirect("scenarios:detail", pk=pk)
    try:
        services.scenario_attachment_add(actor=request.user, scenario=scenario, uploaded_file=form.cleaned_data["file"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("附件已上传。"))
    return redirect("scenarios:detail", pk=pk)


@login_required
@require_POST
def attachment_remove(request, pk, attachment_pk):
    scenario = selectors.scenario_for(request.user, pk)
    attachment = get_object_or_404(ScenarioAttachment, pk=attachment_pk, scenario=scenario)
    try:
        services.scenario_attachment_remove(actor=request.user, attachment=attachment)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("scenarios:detail", pk=pk)


def attachment_download(request, pk, attachment_pk):
    scenario = selectors.scenario_for(request.user, pk)
    attachment = get_object_or_404(ScenarioAttachment, pk=attachment_pk, scenario=scenario)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@login_required
@require_POST
def instrument_request(request, pk):
    scenario = selectors.scenario_for(request.user, pk)
    form = InstrumentRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择仪器并说明用途。"))
        return redirect("scenarios:detail", pk=pk)
    try:
        services.instrument_request_create(actor=request.user, scenario=scenario, instrument=form.cleaned_data["instrument"], purpose=form.cleaned_data["purpose"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("仪器使用申请已发送。"))
    return redirect("scenarios:detail", pk=pk)


@login_required
@require_POST
def instrument_request_answer(request, pk, request_pk):
    """The instrument's institute (or an operator) agrees or declines."""
    scenario = selectors.scenario_for(request.user, pk)
    instrument_request = get_object_or_404(InstrumentRequest, pk=request_pk, scenario=scenario)
    try:
        services.instrument_request_answer(
            actor=request.user, request=instrument_request, approve=request.POST.get("decision") == "approve", answer=request.POST.get("answer", "")[:500]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已答复仪器使用申请。"))
    return redirect("scenarios:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def review_queue(request):
    require_role(request.user, "operator")
    form = BulkReviewForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            done, refused = 0, []
            for scenario in form.cleaned_data["scenarios"]:
                try:
                    services.scenario_transition(actor=request.user, scenario=scenario, action=form.cleaned_data["action"], reason=form.cleaned_data["reason"])
                    done += 1
                except DomainError as error:
                    refused.append(f"{scenario.title}：{error.message}")
            if done:
                messages.success(request, _("已处理 %(count)d 个场景。") % {"count": done})
            for message in refused:
                messages.error(request, message)
            return redirect("scenarios:review-queue")
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    page = page_of(request, selectors.review_queue(), sizes=(50, 100))
    return render(request, "scenarios/review_queue.html", {"page": page, "form": form})


@login_required
def domains(request):
    require_role(request.user, "operator")
    return render(request, "scenarios/domains.html", {"domains": selectors.domains_all().order_by("parent__sort_order", "parent_id", "sort_order")})


@login_required
@require_http_methods(["GET", "POST"])
def domain_edit(request, pk=None):
    require_role(request.user, "operator")
    domain = get_object_or_404(Domain, pk=pk) if pk else None
    form = DomainForm(request.POST or None, instance=domain)
    if request.method == "POST" and form.is_valid():
        try:
            services.domain_save(actor=request.user, domain=domain, data=form.cleaned_data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                for message in field_errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("领域已保存。"))
            return redirect("scenarios:domains")
    return render(request, "scenarios/domain_edit.html", {"form": form, "domain": domain})
