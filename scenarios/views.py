"""Scenario pages: the public catalogue, the publisher's editor, the operator's review queue."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.choices import Role
from accounts.permissions import require_role
from core.actions import FormGroup, action_redirect, batch_action, page_action
from core.navigation import scopes_read_with_menu
from core.page_cache import cached_for_visitors, cached_part, cached_value
from core.paging import PAGE_SIZES, page_of
from core.permissions import post_only, require
from core.returns import back_url
from core.services import job_create
from scenarios import selectors, services
from scenarios.exports import EXPORT_DIRECT_LIMIT, scenario_workbook
from scenarios.extensions import detail_links, scenario_calls, scenario_calls_change_at
from scenarios.filters import ReviewQueueFilterSet, ScenarioFilterSet
from scenarios.forms import (
    AttachmentForm,
    BulkReviewForm,
    DomainForm,
    InstrumentRequestForm,
    NeedItemFormSet,
    ScenarioForm,
    TransitionForm,
)
from scenarios.permissions import (
    allowed_actions,
    can_create_scenario,
    can_edit_scenario,
    can_manage_instrument,
    is_operator,
    is_publisher_of,
)
from scenarios.selectors import CATALOGUE_PAGES, REVIEW_QUEUE_PAGES, SCENARIO_PAGES
from scenarios.workflow import TRANSITIONS, WAITING_FOR


@cached_for_visitors(CATALOGUE_PAGES)
def catalogue(request):
    """The public catalogue. Its filters and rows are the same for everyone (selectors.catalogue),
    so they are rendered once per address and data version and stored: a signed-in person's page
    renders only the frame around them (issue #20: the rows and filters were most of its time)."""
    listing = cached_part(
        CATALOGUE_PAGES,
        request,
        "catalogue",
        lambda: _catalogue_listing(request),
        read=partial(scopes_read_with_menu, request),  # the menu in the same round trip
    )
    return render(request, "scenarios/catalogue.html", {"listing": listing})


def _catalogue_listing(request) -> str:
    filterset = ScenarioFilterSet(request.GET or None, queryset=selectors.catalogue(request.user))
    page = page_of(request, filterset.qs)
    return render_to_string(
        "scenarios/_catalogue_listing.html",
        {"filterset": filterset, "page": page, "page_sizes": PAGE_SIZES},
        request=request,
    )


def catalogue_export(request):
    """The filtered list as Excel: at once when small, as a background job when large."""
    filterset = ScenarioFilterSet(request.GET or None, queryset=selectors.catalogue(request.user))
    queryset = filterset.qs
    count = queryset.count()
    if count <= EXPORT_DIRECT_LIMIT:
        content = scenario_workbook(selectors.export_rows(queryset), count)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="scenarios.xlsx"'
        return response
    if not request.user.is_authenticated:
        messages.info(request, _("结果超过 %(limit)d 条，请登录后以后台任务导出。") % {"limit": EXPORT_DIRECT_LIMIT})
        return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")
    job = job_create(
        actor=request.user,
        kind="scenarios.catalogue_export",
        params={key: value for key, value in request.GET.items() if key != "page"},
    )
    return redirect("core:job-detail", pk=job.pk)


@cached_for_visitors(SCENARIO_PAGES, fresh_until=lambda request, pk: scenario_calls_change_at([pk]))
def detail(request, pk):
    """A scenario's page. Visitors get it from the cache (issue #20) until a model it shows changes or
    a contest's call on it changes with the time; a scenario they may not see is a 404, never stored."""
    scenario = selectors.scenario_for(request.user, pk)
    actions = allowed_actions(request.user, scenario)
    context = {
        "scenario": scenario,
        "need_items": selectors.need_items_of(scenario),
        "attachments": selectors.attachments_of(scenario),
        "actions": [TRANSITIONS[action] for action in actions],
        "can_edit": can_edit_scenario(request.user, scenario),
        "is_publisher": is_publisher_of(request.user, scenario),
        "show_internal": is_operator(request.user) or is_publisher_of(request.user, scenario),
        "waiting_for": WAITING_FOR.get(scenario.status),
        "extra_links": detail_links(request.user, scenario),
        "calls": scenario_calls(request.user, [scenario.pk]).get(scenario.pk, []),
    }
    if context["show_internal"]:
        context["timeline"] = selectors.timeline_of(scenario)
        context["instrument_requests"] = selectors.instrument_requests_of(scenario)
    answerable = selectors.instrument_requests_answerable_by(request.user, scenario)
    if answerable:
        context["answerable_requests"] = answerable
    if context["is_publisher"] and scenario.is_public:
        context["instrument_form"] = InstrumentRequestForm()
    if context["can_edit"]:
        context["attachment_form"] = AttachmentForm()
    return render(request, "scenarios/detail.html", context)


def _need_items(formset) -> list[dict]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and (form.cleaned_data.get("name") or form.cleaned_data.get("detail"))
    ]


def _after_save(request, result: services.ScenarioSaveResult, intent: str):
    """Say what the editor's action did and go on: back to the editor, or to the scenario's page."""
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


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk=None):
    """Create (pk None) or edit a scenario. Buttons: save draft, preview, submit for review."""
    scenario = selectors.scenario_for(request.user, pk) if pk else None
    if scenario is None and not can_create_scenario(request.user):
        raise Http404
    if scenario is not None and not can_edit_scenario(request.user, scenario):
        if is_publisher_of(request.user, scenario):
            messages.error(
                request, _("场景处于“%(status)s”状态，不能修改。") % {"status": scenario.get_status_display()}
            )
            return redirect("scenarios:detail", pk=scenario.pk)
        raise Http404
    form = ScenarioForm(request.POST or None, instance=scenario)
    # Initial rows only when showing the form: on POST every row is read as sent, so a row left
    # unchanged is still kept (an unchanged *initial* row would otherwise be read as empty).
    formset = (
        NeedItemFormSet(request.POST, prefix="needs")
        if request.method == "POST"
        else NeedItemFormSet(initial=selectors.need_items_initial(scenario), prefix="needs")
    )
    formset_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {field: form.cleaned_data[field] for field in services.EDITABLE_FIELDS if field in form.cleaned_data}
        intent = request.POST.get("intent", "save")
        saved = page_action(
            request,
            services.scenario_save,
            form=FormGroup(form, lists={"need_items": formset_errors}),
            scenario=scenario,
            data=data,
            need_items=_need_items(formset),
            submit=intent == "submit",
        )
        if saved.ok:
            return _after_save(request, saved.value, intent)
    return render(
        request,
        "scenarios/edit.html",
        {
            "form": form,
            "formset": formset,
            "formset_errors": formset_errors,
            "scenario": scenario,
            "problems": services.submission_problems(scenario) if scenario else [],
        },
    )


@post_only
def validate(request):
    """htmx: check the form as the publisher types and return the problems, saving nothing."""
    require(can_create_scenario(request.user))
    form = ScenarioForm(request.POST)
    formset = NeedItemFormSet(request.POST, prefix="needs")
    form.is_valid()
    formset.is_valid()
    return render(request, "scenarios/_validation.html", {"form": form, "formset": formset})


@login_required
def mine(request):
    require(can_create_scenario(request.user))
    page = page_of(request, selectors.organisation_scenarios(request.user, status=request.GET.get("status")))
    return render(request, "scenarios/mine.html", {"page": page, "waiting_for": WAITING_FOR})


@login_required
@post_only
def transition(request, pk):
    scenario = selectors.scenario_for(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("原因不能超过 500 个字。"))
        return redirect("scenarios:detail", pk=pk)
    # From the review queue, the operator goes back to it as they left it (search and filters).
    back = back_url(request, "")
    if not back.startswith(reverse("scenarios:review-queue")):
        back = ""
    here = reverse("scenarios:detail", args=[pk]) + (f"?{urlencode({'back': back})}" if back else "")
    outcome = page_action(
        request,
        services.scenario_transition,
        scenario=scenario,
        action=form.cleaned_data["action"],
        reason=form.cleaned_data["reason"],
        success=lambda scenario: _("操作成功，场景状态：%(status)s") % {"status": scenario.get_status_display()},
    )
    return redirect(back if outcome.ok and back else here)


@login_required
@post_only
def attachment_add(request, pk):
    scenario = selectors.scenario_for(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(form.errors.get("file", [_("请选择文件。")])))
        return redirect("scenarios:detail", pk=pk)
    return action_redirect(
        request,
        services.scenario_attachment_add,
        to=reverse("scenarios:detail", args=[pk]),
        success=_("附件已上传。"),
        scenario=scenario,
        uploaded_file=form.cleaned_data["file"],
    )


@login_required
@post_only
def attachment_remove(request, pk, attachment_pk):
    scenario = selectors.scenario_for(request.user, pk)
    attachment = selectors.attachment_of(scenario, attachment_pk)
    return action_redirect(
        request, services.scenario_attachment_remove, to=reverse("scenarios:detail", args=[pk]), attachment=attachment
    )


def attachment_download(request, pk, attachment_pk):
    scenario = selectors.scenario_for(request.user, pk)
    attachment = selectors.attachment_of(scenario, attachment_pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@login_required
@post_only
def instrument_request(request, pk):
    scenario = selectors.scenario_for(request.user, pk)
    require(is_publisher_of(request.user, scenario))
    form = InstrumentRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择仪器并说明用途。"))
        return redirect("scenarios:detail", pk=pk)
    return action_redirect(
        request,
        services.instrument_request_create,
        to=reverse("scenarios:detail", args=[pk]),
        success=_("仪器使用申请已发送。"),
        scenario=scenario,
        instrument=form.cleaned_data["instrument"],
        purpose=form.cleaned_data["purpose"],
    )


@login_required
@post_only
def instrument_request_answer(request, pk, request_pk):
    """The instrument's institute (or an operator) agrees or declines; anyone else is told nothing
    exists here."""
    scenario = selectors.scenario_for(request.user, pk)
    instrument_request = selectors.instrument_request_of(scenario, request_pk)
    require(can_manage_instrument(request.user, instrument_request.instrument.institute_id))
    return action_redirect(
        request,
        services.instrument_request_answer,
        to=reverse("scenarios:detail", args=[pk]),
        success=_("已答复仪器使用申请。"),
        request=instrument_request,
        approve=request.POST.get("decision") == "approve",
        answer=request.POST.get("answer", "")[:500],
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_queue(request):
    require_role(request.user, Role.OPERATOR)
    form = BulkReviewForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            batch_action(
                request,
                services.scenario_transition_many,
                success=lambda count: _("已处理 %(count)d 个场景。") % {"count": count},
                scenarios=form.cleaned_data["scenarios"],
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
            return redirect(request.get_full_path())  # the queue as it was: same search and filters
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    parts = cached_value(REVIEW_QUEUE_PAGES, request, "scenario-review-queue", lambda: _review_queue_parts(request))
    # Our own templates' output (escaped when rendered), from the cache or rendered now.
    filters, rows, pagination = (mark_safe(part) for part in parts)  # noqa: S308  # nosec B308 B703
    return render(
        request,
        "scenarios/review_queue.html",
        {"form": form, "filters": filters, "rows": rows, "pagination": pagination},
    )


def _review_queue_parts(request) -> tuple[str, str, str]:
    """The queue's filters, rows and pagination as HTML: the same for every operator (no token, no
    name), stored per address and version of REVIEW_QUEUE_PAGES, which every save of a scenario bumps
    (issue #20: rendering 50 rows and the filter form was most of the page's time). The bulk action
    form around the rows keeps its CSRF token per request."""
    filterset = ReviewQueueFilterSet(request.GET, queryset=selectors.review_queue_page())
    context = {"request": request, "filterset": filterset, "page": page_of(request, filterset.qs, sizes=(50, 100))}
    return tuple(
        render_to_string(template, context)
        for template in (
            "scenarios/_review_queue_filters.html",
            "scenarios/_review_queue_rows.html",
            "includes/_pagination.html",
        )
    )


@login_required
def domains(request):
    require_role(request.user, Role.OPERATOR)
    return render(
        request,
        "scenarios/domains.html",
        {"domains": selectors.domains_all().order_by("parent__sort_order", "parent_id", "sort_order")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def domain_edit(request, pk=None):
    require_role(request.user, Role.OPERATOR)
    domain = get_object_or_404(selectors.domains_all(), pk=pk) if pk else None
    form = DomainForm(request.POST or None, instance=domain)
    if request.method == "POST" and form.is_valid():
        if page_action(
            request, services.domain_save, form=form, success=_("领域已保存。"), domain=domain, data=form.cleaned_data
        ).ok:
            return redirect("scenarios:domains")
    return render(request, "scenarios/domain_edit.html", {"form": form, "domain": domain})
