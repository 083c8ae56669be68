"""Capability list pages for meeting suppliers: enquiries (咨询对接) and matchmaking events (对接活动)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.choices import Role
from accounts.permissions import require_role
from capability_list import selectors, services
from capability_list.choices import AgendaOutcome, EnquiryStatus
from capability_list.filters import EnquiryListFilterSet
from capability_list.forms import (
    AgendaAddForm,
    AgendaRecordForm,
    AnswerForm,
    EnquiryForm,
    EventForm,
    RatingForm,
)
from capability_list.permissions import (
    can_answer,
    can_ask,
    is_asker_of,
    is_operator,
    may_see_events,
    uses_enquiries,
)
from core.actions import action_redirect, page_action
from core.paging import page_of
from core.permissions import require
from scenarios.selectors import scenario_for


@login_required
@require_http_methods(["GET", "POST"])
def enquiry_create(request):
    require(can_ask(request.user))
    scenario = None
    scenario_id = request.POST.get("scenario") or request.GET.get("scenario")
    if scenario_id:
        try:
            scenario = scenario_for(request.user, int(scenario_id))
        except (TypeError, ValueError):
            raise Http404 from None
    form = EnquiryForm(request.POST or None, initial={"scenario": scenario.pk if scenario else None})
    if request.method == "POST" and form.is_valid():
        asked = page_action(
            request,
            services.enquiry_ask,
            form=form,
            subject=form.cleaned_data["subject"],
            question=form.cleaned_data["question"],
            scenario=scenario,
            department=None if scenario else form.cleaned_data["department"],
            success=lambda enquiry: _("咨询已发送，答复期限：%(due)s。") % {"due": enquiry.due_date.isoformat()},
        )
        if asked.ok:
            return redirect("capability_list:enquiry-detail", pk=asked.value.pk)
    return render(request, "capability_list/enquiry_form.html", {"form": form, "scenario": scenario})


@login_required
def enquiry_list(request):
    require(uses_enquiries(request.user))
    box = request.GET.get("box", "all")
    filterset = EnquiryListFilterSet(request.GET, queryset=selectors.enquiries_in_box(request.user, box))
    return render(
        request,
        "capability_list/enquiries.html",
        {"page": page_of(request, filterset.qs), "box": box, "today": timezone.localdate(), "filterset": filterset},
    )


@login_required
@require_http_methods(["GET", "POST"])
def enquiry_detail(request, pk):
    enquiry = get_object_or_404(selectors.enquiries_visible_to(request.user), pk=pk)
    answer_form = AnswerForm(request.POST if request.POST.get("form") == "answer" else None)
    rating_form = RatingForm(request.POST if request.POST.get("form") == "rating" else None)
    here = reverse("capability_list:enquiry-detail", args=[pk])
    if request.method == "POST" and request.POST.get("form") == "answer" and answer_form.is_valid():
        return action_redirect(
            request,
            services.enquiry_answer,
            to=here,
            success=_("已答复。"),
            enquiry=enquiry,
            answer=answer_form.cleaned_data["answer"],
        )
    if request.method == "POST" and request.POST.get("form") == "rating" and rating_form.is_valid():
        return action_redirect(
            request,
            services.enquiry_rate,
            to=here,
            success=_("感谢您的评价。"),
            enquiry=enquiry,
            **rating_form.cleaned_data,
        )
    return render(
        request,
        "capability_list/enquiry_detail.html",
        {
            "enquiry": enquiry,
            "answer_form": answer_form
            if can_answer(request.user, enquiry) and enquiry.status == EnquiryStatus.OPEN
            else None,
            "rating_form": rating_form
            if is_asker_of(request.user, enquiry) and enquiry.status == EnquiryStatus.ANSWERED
            else None,
            "overdue": enquiry.status == EnquiryStatus.OPEN and enquiry.due_date < timezone.localdate(),
        },
    )


@login_required
def event_list(request):
    require(may_see_events(request.user))
    return render(
        request,
        "capability_list/events.html",
        {"events": selectors.events_listed_for(request.user), "is_operator": is_operator(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    require_role(request.user, Role.OPERATOR)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = page_action(request, services.event_create, form=form, **form.cleaned_data)
        if created.ok:
            return redirect("capability_list:event-detail", pk=created.value.pk)
    return render(request, "capability_list/event_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def event_detail(request, pk):
    event = get_object_or_404(selectors.events_visible_to(request.user), pk=pk)
    add_form = AgendaAddForm(request.POST if request.POST.get("form") == "add" else None)
    if request.method == "POST":
        require_role(request.user, Role.OPERATOR)
        _event_post(request, event, add_form)
        return redirect("capability_list:event-detail", pk=pk)
    return render(
        request,
        "capability_list/event_detail.html",
        {
            "event": event,
            "agenda": selectors.agenda_of(event),
            "is_operator": is_operator(request.user),
            "add_form": add_form,
            "outcomes": AgendaOutcome.choices,
        },
    )


def _event_post(request, event, add_form) -> None:
    """The operator's two forms on an event's page: add a pair to the agenda, record a pair's outcome."""
    if request.POST.get("form") == "add" and add_form.is_valid():
        scenario = scenario_for(request.user, add_form.cleaned_data["scenario"])
        entry = selectors.entry_for(request.user, add_form.cleaned_data["entry"])
        page_action(
            request,
            services.agenda_add,
            success=_("已加入议程并通知双方。"),
            event=event,
            scenario=scenario,
            entry=entry,
        )
    elif request.POST.get("form") == "record":
        record = AgendaRecordForm(request.POST)
        if not record.is_valid():
            messages.error(request, _("请检查对接结果。"))
            return
        item = selectors.agenda_item_of(event, record.cleaned_data.pop("item"))
        page_action(request, services.agenda_record, success=_("已记录。"), item=item, **record.cleaned_data)
    elif add_form.errors:
        messages.error(request, _("请填写场景编号和条目编号。"))
