"""Matching pages: 推荐供应商 of a scenario (the publisher accepts or declines each supplier, then
asks an accepted one or invites it to an event), 推荐场景 of a company's entries (the company
answers there too), and the operators' match table."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.choices import Role
from accounts.permissions import organisation_acted_for, require_role
from capability_list import selectors as capability_selectors
from capability_list import services as capability_services
from core.actions import action_redirect, page_action
from core.ids import id_or_404
from core.page_cache import TOKEN_PLACEHOLDER
from core.paging import page_of
from core.permissions import require
from core.services import job_create
from matching import selectors, services
from matching.choices import DeclineReason
from matching.filters import MatchFilterSet
from matching.forms import SupplierEnquiryForm
from matching.recommendation_rows import recommendation_rows
from scenarios.permissions import is_publisher_of
from scenarios.selectors import scenario_for


def _posted(queryset, request, name: str):
    """The object a form posted by id, from the queryset the page may show; anything else is 404
    (a missing or non-numeric id included)."""
    return get_object_or_404(queryset, pk=id_or_404(request.POST.get(name)))


def _posted_domain(domains, request):
    pk = id_or_404(request.POST.get("domain"))
    domain = next((item for item in domains if item.pk == pk), None)
    if domain is None:
        raise Http404
    return domain


def _answer_from_post(request, match, success=None) -> None:
    page_action(
        request,
        services.match_answer,
        success=success or _("已记录您的反馈。"),
        match=match,
        decision=request.POST.get("decision", ""),
        reason=request.POST.get("reason", ""),
    )


@login_required
@require_http_methods(["GET", "POST"])
def scenario_suppliers(request, pk):
    """推荐供应商 of a scenario, with reasons; the publisher accepts or declines each, and for an
    accepted one takes the next step: an enquiry (supplier_enquiry) or an invitation to an event."""
    scenario = scenario_for(request.user, pk)
    matches = selectors.suppliers_for(request.user, scenario)
    can_answer = is_publisher_of(request.user, scenario)
    if request.method == "POST":
        match = _posted(matches, request, "match")
        if request.POST.get("action") == "invite":
            event = _posted(capability_selectors.events_upcoming(), request, "event")
            page_action(
                request,
                services.match_invite,
                success=_("已邀请 %(company)s 参加“%(event)s”。")
                % {"company": match.entry.company.name, "event": event.title},
                match=match,
                event=event,
            )
        else:
            _answer_from_post(
                request,
                match,
                success=_("已接受。下一步：向该供应商发起询问，或邀请其参加对接活动。")
                if can_answer and request.POST.get("decision") == "accepted"
                else None,
            )
        return redirect(reverse("matching:scenario-suppliers", args=[pk]) + f"#match-{match.pk}")
    return render(
        request,
        "matching/suppliers.html",
        {
            "scenario": scenario,
            "matches": matches[:50],
            "reasons": DeclineReason.choices,
            "can_answer": can_answer,
            "events": list(capability_selectors.events_upcoming()[:20]) if can_answer else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def supplier_enquiry(request, pk, match_pk):
    """发起询问: the publisher asks an accepted recommended supplier about the scenario, starting
    from a pre-filled enquiry."""
    scenario = scenario_for(request.user, pk)
    require(is_publisher_of(request.user, scenario))
    match = get_object_or_404(selectors.suppliers_for(request.user, scenario), pk=match_pk)
    form = SupplierEnquiryForm(request.POST or None, initial=selectors.enquiry_draft(match))
    if request.method == "POST" and form.is_valid():
        outcome = page_action(
            request,
            services.match_enquire,
            form=form,
            success=lambda enquiry: _("询问已发送，答复期限：%(due)s。") % {"due": enquiry.due_date.isoformat()},
            match=match,
            subject=form.cleaned_data["subject"],
            question=form.cleaned_data["question"],
        )
        if outcome.ok:
            return redirect(reverse("matching:scenario-suppliers", args=[pk]) + f"#match-{match.pk}")
    return render(request, "matching/supplier_enquiry.html", {"scenario": scenario, "match": match, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def recommendations(request):
    """推荐场景 for the entries of the user's company: the company role's page (404 to everyone else,
    who would see an empty list of a page that is not theirs). The rows are the company's, rendered
    once and kept until they change (matching.recommendation_rows)."""
    require_role(request.user, Role.COMPANY)
    if request.method == "POST":
        _answer_from_post(request, _posted(selectors.scenarios_for_company(request.user), request, "match"))
        return redirect("matching:recommendations")
    # The matches' query is built only when the rows are rendered: building it (four subqueries of
    # answers) cost the ORM more than reading the stored rows (issue #20).
    rows, pagination = recommendation_rows(
        request,
        organisation_acted_for(request.user, Role.COMPANY),
        lambda: _recommendation_rows(request, selectors.scenarios_for_company(request.user)),
    )
    return render(request, "matching/recommendations.html", {"rows": rows, "pagination": pagination})


def _recommendation_rows(request, matches) -> tuple[str, str, list[int]]:
    """The page's rows and pagination as any member of the company sees them, and its scenarios:
    a placeholder for the CSRF token, a marker where each row's calls to action go."""
    page = page_of(request, matches)
    context = {"page": page, "reasons": DeclineReason.choices, "can_answer": True, "csrf_token": TOKEN_PLACEHOLDER}
    return (
        render_to_string("matching/_recommendation_rows.html", context),
        render_to_string("includes/_pagination.html", {"page": page, "request": request}),
        list(dict.fromkeys(match.scenario_id for match in page)),
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
        match = _posted(selectors.active_matches(), request, "match")
        event = _posted(capability_selectors.events_visible_to(request.user), request, "event")
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
            "weights": selectors.weights_in_use(),
            "refit": selectors.weights_refit_last(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def affinities(request):
    """Operators: how well each 战新 area and each technology field serves each scenario domain
    (part of every match's score), as seeded, as set by operators, and as adjusted by the answers
    of both sides. Fields can be added and removed."""
    require_role(request.user, Role.OPERATOR)
    rows, field_rows = selectors.affinity_rows(), selectors.field_affinity_rows()
    domains = selectors.affinity_domains()
    if request.method == "POST":
        saved = _("已保存，下次重建匹配时生效。")
        if "field_affinity" in request.POST:
            affinity = _posted(field_rows, request, "field_affinity")
            if "remove" in request.POST:
                page_action(request, services.field_affinity_remove, success=saved, affinity=affinity)
            else:
                page_action(
                    request,
                    services.field_affinity_update,
                    success=saved,
                    affinity=affinity,
                    weight=request.POST.get("weight", ""),
                )
        elif "field" in request.POST:
            page_action(
                request,
                services.field_affinity_add,
                success=saved,
                domain=_posted_domain(domains, request),
                field=request.POST.get("field", ""),
                weight=request.POST.get("weight", ""),
            )
        else:
            page_action(
                request,
                services.affinity_update,
                success=saved,
                affinity=_posted(rows, request, "affinity"),
                weight=request.POST.get("weight", ""),
            )
        return redirect(f"{reverse('matching:affinities')}?domain={request.POST.get('domain', '')}")
    chosen = request.GET.get("domain", "")
    domain = next((item for item in domains if str(item.pk) == chosen), domains[0] if domains else None)
    return render(
        request,
        "matching/affinities.html",
        {
            "domains": domains,
            "domain": domain,
            "rows": rows.filter(domain=domain) if domain else rows.none(),
            "field_rows": field_rows.filter(domain=domain) if domain else field_rows.none(),
        },
    )
