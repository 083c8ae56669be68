"""Matching pages: 推荐供应商 of a scenario, 推荐场景 of a company's entries (both sides accept or
decline each pair there), and the operators' match table."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.choices import Role
from accounts.permissions import require_role
from capability_list import selectors as capability_selectors
from capability_list import services as capability_services
from core.actions import action_redirect, page_action
from core.paging import page_of
from core.services import job_create
from matching import selectors, services
from matching.choices import DeclineReason
from matching.filters import MatchFilterSet
from scenarios.permissions import is_publisher_of
from scenarios.selectors import scenario_for


def _answer_from_post(request, match) -> None:
    page_action(
        request,
        services.match_answer,
        success=_("已记录您的反馈。"),
        match=match,
        decision=request.POST.get("decision", ""),
        reason=request.POST.get("reason", ""),
    )


@login_required
@require_http_methods(["GET", "POST"])
def scenario_suppliers(request, pk):
    """推荐供应商 of a scenario, with reasons; the publisher accepts or declines each."""
    scenario = scenario_for(request.user, pk)
    matches = selectors.suppliers_for(request.user, scenario)
    if request.method == "POST":
        _answer_from_post(request, get_object_or_404(matches, pk=request.POST.get("match") or 0))
        return redirect("matching:scenario-suppliers", pk=pk)
    return render(
        request,
        "matching/suppliers.html",
        {
            "scenario": scenario,
            "matches": matches[:50],
            "reasons": DeclineReason.choices,
            "can_answer": is_publisher_of(request.user, scenario),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendations(request):
    """推荐场景 for the entries of the user's company."""
    matches = selectors.scenarios_for_company(request.user)
    if request.method == "POST":
        _answer_from_post(request, get_object_or_404(matches, pk=request.POST.get("match") or 0))
        return redirect("matching:recommendations")
    return render(
        request,
        "matching/recommendations.html",
        {"page": page_of(request, matches), "reasons": DeclineReason.choices, "can_answer": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def match_table(request):
    """Operators: every match with filters; put a pair on an event's agenda; rebuild the matches."""
    require_role(request.user, Role.OPERATOR)
    if request.method == "POST":
        if request.POST.get("action") == "rebuild":
            job = job_create(actor=request.user, kind="matching.rebuild")
            return redirect("core:job-detail", pk=job.pk)
        match = get_object_or_404(selectors.active_matches(), pk=request.POST.get("match") or 0)
        event = get_object_or_404(
            capability_selectors.events_visible_to(request.user), pk=request.POST.get("event") or 0
        )
        return action_redirect(
            request,
            capability_services.agenda_add,
            to=request.get_full_path(),
            success=_("已加入议程并通知双方。"),
            event=event,
            scenario=match.scenario,
            entry=match.entry,
        )
    filters = MatchFilterSet(request.GET or None, queryset=selectors.active_matches().order_by("-score", "pk"))
    return render(
        request,
        "matching/match_table.html",
        {
            "filters": filters,
            "page": page_of(request, filters.qs),
            "model": selectors.matching_model_active(),
            "events": capability_selectors.events_upcoming()[:20],
            "labels": selectors.match_answer_summary(),
        },
    )
