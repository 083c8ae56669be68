"""Typical cases (典型案例) and replications (复制推广).

Evaluation pages: parse, authorise, call one service or selector, render."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.choices import Role
from accounts.permissions import require_role
from core.actions import page_action
from core.paging import page_of
from core.permissions import post_only, require
from core.returns import back_url
from evaluation import selectors, services
from evaluation.choices import CaseStatus
from evaluation.filters import CaseQueueFilterSet, ReplicationQueueFilterSet
from evaluation.forms import (
    CaseDecisionForm,
    CaseEditForm,
    CaseFilterForm,
    CaseProposeForm,
    NominationRuleForm,
    ReplicationForm,
    ReplicationVerifyForm,
)
from evaluation.permissions import (
    may_decide_cases,
    may_record_replication,
    works_for_case_subject,
)
from evaluation.views.common import REFUSED, valid_or_say


def case_list(request):
    """The public list of approved typical cases, filtered by level, year and domain."""
    form = CaseFilterForm(request.GET or None)
    page = page_of(request, selectors.cases_public(**form.values()))
    return render(request, "evaluation/case_list.html", {"form": form, "page": page})


def case_detail(request, pk):
    """A case's page: anyone sees an approved case; operators and the subject's organisations any."""
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    published = case.subject.published_results[0] if case.subject.published_results else None
    return render(
        request,
        "evaluation/case_detail.html",
        {
            "case": case,
            "result": published,
            "dimensions": (published.results or {}).get("dimensions", []) if published else [],
            "replications": selectors.case_replications_verified(case),
            "may_replicate": case.status == CaseStatus.APPROVED and may_record_replication(request.user, case),
            "may_decide": may_decide_cases(request.user),
            "may_supplement": may_decide_cases(request.user)
            or (case.status == CaseStatus.MORE_INFO and works_for_case_subject(request.user, case)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_replicate(request, pk):
    """A user of another organisation records a replication of an approved case."""
    case = get_object_or_404(selectors.cases_public(), pk=pk)
    require(may_record_replication(request.user, case))
    posted = request.method == "POST"
    form = ReplicationForm(request.POST if posted else None, request.FILES if posted else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = page_action(
            request,
            services.replication_record,
            form=form,
            success=_("已登记复制推广，待运营管理人员核实。"),
            case=case,
            **form.cleaned_data,
        )
        if outcome.ok:
            return redirect("evaluation:case-detail", pk=case.pk)
    status = REFUSED if posted else 200  # an accepted replication redirected
    return render(request, "evaluation/replication_form.html", {"case": case, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def case_supplement(request, pk):
    """The subject's organisation supplements a case asked for more (then resubmits it);
    operators edit a case's text here too."""
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    if not (may_decide_cases(request.user) or works_for_case_subject(request.user, case)):
        raise Http404
    initial = {field: getattr(case, field) for field in ("title", "problem", "solution", "outcomes", "supplier")}
    form = CaseEditForm(request.POST if request.method == "POST" else None, initial=initial, case=case)
    if request.method == "POST" and form.is_valid():
        outcome = page_action(
            request, services.case_edit, form=form, success=_("案例已保存。"), case=case, **form.cleaned_data
        )
        if outcome.ok and request.POST.get("resubmit"):
            outcome = page_action(request, services.case_resubmit, success=_("已提交补充材料。"), case=case)
        if outcome.ok:
            return redirect("evaluation:case-detail", pk=case.pk)
    status = REFUSED if request.method == "POST" else 200  # an accepted change redirected
    return render(request, "evaluation/case_supplement.html", {"case": case, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def case_queue(request):
    """Operators: proposed and asked-for-more cases, each with a decision form; the button that
    proposes cases from a closed round."""
    require_role(request.user, Role.OPERATOR)
    status = 200
    if request.method == "POST":
        if _case_queue_act(request):
            return redirect(request.get_full_path())  # the queue as it was: same search and filters
        status = REFUSED
    filterset = CaseQueueFilterSet(request.GET, queryset=selectors.case_queue())
    return render(
        request,
        "evaluation/case_queue.html",
        {
            "filterset": filterset,
            "page": page_of(request, filterset.qs),
            "propose_form": CaseProposeForm(),
            "rule": services.nomination_rule(),
        },
        status=status,
    )


def _case_queue_act(request) -> bool:
    """Propose cases from a closed round, or decide one case; whether it was accepted."""
    if "round" in request.POST:
        form = CaseProposeForm(request.POST)
        return valid_or_say(request, form) and (
            page_action(
                request,
                services.cases_propose,
                success=lambda cases: _("推荐典型案例 %(n)d 个。") % {"n": len(cases)},
                round=form.cleaned_data["round"],
            ).ok
        )
    form = CaseDecisionForm(request.POST)
    if not valid_or_say(request, form):
        return False
    case = get_object_or_404(selectors.case_queue(), pk=form.cleaned_data["case"])
    return page_action(
        request,
        services.case_decide,
        success=_("已审定：%(title)s") % {"title": case.title},
        case=case,
        decision=form.cleaned_data["decision"],
        reason=form.cleaned_data["reason"],
    ).ok


@login_required
@post_only
def case_decide(request, pk):
    """The decision on the case's own page; then back to the queue as the operator left it."""
    require_role(request.user, Role.OPERATOR)
    case = get_object_or_404(selectors.case_queue(), pk=pk)
    back = back_url(request, "")
    if not back.startswith(reverse("evaluation:case-queue")):
        back = ""
    here = reverse("evaluation:case-detail", args=[pk]) + (f"?{urlencode({'back': back})}" if back else "")
    form = CaseDecisionForm({**request.POST.dict(), "case": pk})
    if not valid_or_say(request, form):
        return redirect(here)
    outcome = page_action(
        request,
        services.case_decide,
        success=_("已审定：%(title)s") % {"title": case.title},
        case=case,
        decision=form.cleaned_data["decision"],
        reason=form.cleaned_data["reason"],
    )
    return redirect((back or reverse("evaluation:case-queue")) if outcome.ok else here)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_rule(request):
    """Operators: the typical-case nomination rule in force, the form that changes it (a new rule
    from now on, audited with a reason) and the rules before it."""
    require_role(request.user, Role.OPERATOR)
    current = services.nomination_rule()
    names = selectors.benefit_dimension_names()
    form = NominationRuleForm(
        request.POST if request.method == "POST" else None, initial=NominationRuleForm.initial_of(current), names=names
    )
    if request.method == "POST" and form.is_valid():
        outcome = page_action(
            request,
            services.nomination_rule_change,
            form=form,
            success=_("推荐规则已修改；此后推荐典型案例按新规则执行。"),
            **form.arguments(),
        )
        if outcome.ok:
            return redirect("evaluation:nomination-rule")
    page = page_of(request, selectors.nomination_rules())
    page.object_list = selectors.with_change_reasons(page.object_list)
    context = {"current": current, "form": form, "names": names, "page": page}
    return render(request, "evaluation/nomination_rule.html", context, status=REFUSED if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def replication_queue(request):
    """Operators: pending replications with their evidence, each with a verification form."""
    require_role(request.user, Role.OPERATOR)
    status = 200
    if request.method == "POST":
        form = ReplicationVerifyForm(request.POST)
        if valid_or_say(request, form):
            replication = get_object_or_404(selectors.replication_queue(), pk=form.cleaned_data["replication"])
            if page_action(
                request,
                services.replication_verify,
                success=_("已核实。"),
                replication=replication,
                approve=form.cleaned_data["decision"] == "verify",
                reason=form.cleaned_data["reason"],
            ).ok:
                return redirect(request.get_full_path())  # the queue as it was: same search and filters
        status = REFUSED
    filterset = ReplicationQueueFilterSet(request.GET, queryset=selectors.replication_queue())
    page = page_of(request, filterset.qs)
    return render(request, "evaluation/replication_queue.html", {"page": page, "filterset": filterset}, status=status)


@login_required
def replication_evidence(request, pk):
    """The evidence file of a replication: operators and the adopter only (others: 404)."""
    replication = get_object_or_404(selectors.replications_visible_to(request.user), pk=pk)
    if not replication.evidence:
        raise Http404
    return FileResponse(
        replication.evidence.open("rb"), as_attachment=True, filename=replication.evidence_name or "evidence"
    )
