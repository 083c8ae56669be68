"""Tolerance register (包容期 and 容错).

Evaluation pages: parse, authorise, call one service or selector, render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.choices import Role
from accounts.permissions import require_role
from core.actions import page_action
from core.paging import page_of
from evaluation import selectors, services
from evaluation.choices import ToleranceDecision
from evaluation.forms import (
    CheckpointCompleteForm,
    CheckpointForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    IncidentDecideForm,
    IncidentForm,
    PeriodEndForm,
    ToleranceFilterForm,
    TolerancePeriodOpenForm,
)
from evaluation.permissions import (
    is_tolerance_publisher,
    may_manage_tolerance,
)
from evaluation.views.common import REFUSED, refused, valid_or_say


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
        if valid_or_say(request, form):
            outcome = page_action(
                request, services.tolerance_period_open, success=_("已登记包容期。"), **form.cleaned_data
            )
            if outcome.ok:
                return redirect("evaluation:tolerance-detail", pk=outcome.value.pk)
        status = REFUSED
    filters = ToleranceFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    periods = selectors.tolerance_register(
        request.user,
        status=values.get("status", ""),
        ending_within_days=30 if values.get("ending") else None,
        waiting=values.get("waiting", ""),
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
            refused(request)
        else:
            form = TOLERANCE_ACTIONS[action](request.POST)
            if valid_or_say(request, form) and _tolerance_act(request, period, action, dict(form.cleaned_data)).ok:
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
