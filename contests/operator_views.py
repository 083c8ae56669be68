"""The operators' contest pages: opening a contest (新建大赛), moving its round dates (调整日程), and
the 资格审查 queue with the decision taken on the entry's own page.

Operators only (contests.permissions.may_manage_contest); everyone else gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from contests import operator_selectors, services
from contests.filters import EligibilityQueueFilterSet
from contests.forms import EligibilityForm
from contests.models import Contest
from contests.operator_forms import ContestForm, RescheduleForm
from contests.permissions import may_manage_contest
from core.actions import errors_text, page_action
from core.paging import page_of
from core.permissions import post_only, require
from core.returns import back_url


@login_required
@require_http_methods(["GET", "POST"])
def contest_create(request):
    """新建大赛: name, year, budget, the per-company limit and the seven round starts."""
    require(may_manage_contest(request.user))
    form = ContestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = page_action(
            request,
            services.contest_create,
            form=form,
            success=_("大赛已创建。请设置资格条件和评分表，并通知发榜方发榜。"),
            name=data["name"],
            year=data["year"],
            award_budget=data["award_budget"],
            entries_per_company=data["entries_per_company"],
            description=data["description"],
            rounds=form.rounds(),
        )
        if outcome.ok:
            return redirect("contests:detail", pk=outcome.value.pk)
    return render(request, "contests/contest_form.html", {"form": form}, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def contest_reschedule(request, pk):
    """调整日程: the seven round starts as they stand, the round in force, and a required reason."""
    require(may_manage_contest(request.user))
    contest = get_object_or_404(Contest, pk=pk)
    form = RescheduleForm(request.POST or None, contest=contest)
    if request.method == "POST" and form.is_valid():
        outcome = page_action(
            request,
            services.contest_reschedule,
            form=form,
            success=_("日程已调整。"),
            contest=contest,
            rounds=form.rounds(),
            reason=form.reason,
        )
        if outcome.ok:
            return redirect("contests:detail", pk=pk)
    return render(
        request,
        "contests/reschedule.html",
        {"contest": contest, "form": form, "rounds": operator_selectors.rounds_table(contest)},
        status=400 if form.is_bound else 200,
    )


@login_required
def eligibility_queue(request):
    """资格审查: every submitted entry, searchable and filtered by status, contest and district."""
    require(may_manage_contest(request.user))
    data = request.GET.copy()
    data.setdefault("status", "submitted")  # waiting for a decision, unless the operator asks otherwise
    filterset = EligibilityQueueFilterSet(data, queryset=operator_selectors.eligibility_queue())
    return render(
        request,
        "contests/eligibility_queue.html",
        {"filterset": filterset, "page": page_of(request, filterset.qs)},
    )


@login_required
@post_only
def entry_eligibility(request, pk):
    """The decision on the entry's own page; then back to the queue as the operator left it."""
    require(may_manage_contest(request.user))
    entry = get_object_or_404(operator_selectors.eligibility_queue(), pk=pk)
    form = EligibilityForm(request.POST)
    back = back_url(request, "")
    if not back.startswith(reverse("contests:eligibility-queue")):
        back = ""
    here = reverse("contests:entry-detail", args=[pk]) + (f"?{urlencode({'back': back})}" if back else "")
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(here)
    outcome = page_action(
        request,
        services.entry_review_eligibility,
        success=_("已记录资格审查结果：%(title)s") % {"title": entry.title},
        entry=entry,
        eligible=form.cleaned_data["decision"] == "eligible",
        reason=form.cleaned_data["reason"],
    )
    return redirect(back if outcome.ok and back else here)
