"""SOE assessment (国资考核) and credit pages: the scorecard and its workbook, the company credit
list and its workbook, the drill-downs, the year's scheme, and the uses of contest products.

Operators and officials read the assessment (officials read only); publishers record and read
their own organisation's uses; operators verify them. Everyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.choices import OrganisationKind
from accounts.models import Organisation
from core.actions import page_action
from core.ids import id_or_404
from core.paging import page_of
from core.permissions import get_only, require
from core.returns import back_url
from core.services import audit_record
from steering import selectors, services
from steering.assessment_workbooks import credit_workbook, scorecard_workbook
from steering.choices import COMPANY_ITEM_CODES, SOE_ITEM_CODES, AssessmentSubject, ProductUseStatus
from steering.filters import ProductUseQueueFilterSet
from steering.forms import (
    AssessmentItemForm,
    ProductUseForm,
    ProductUseFromAgreementForm,
    ProductUseVerifyForm,
)
from steering.permissions import may_record_product_use, may_steer, may_verify_product_use
from steering.views.common import REFUSED, valid_or_say

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year_asked(request) -> int:
    return selectors.valid_year(request.GET.get("year")) or selectors.current_year()


def _year_of_path(year) -> int:
    valid = selectors.valid_year(year)
    if valid is None:
        raise Http404
    return valid


def _years(year: int) -> list[int]:
    return sorted({*selectors.scheme_years(), selectors.current_year(), year}, reverse=True)


# ---- the scorecard and the credit list ---------------------------------------------------------


@login_required
@get_only
def assessment_scorecard(request):
    """Per SOE the year's counts, points, caps and total; each count links to its records."""
    require(may_steer(request.user))
    year = _year_asked(request)
    scheme = selectors.scheme_of(year)
    context = {
        "year": year,
        "years": _years(year),
        "scheme": scheme,
        "items": selectors.scheme_items(scheme, AssessmentSubject.SOE),
        "rows": selectors.soe_scorecard(year=year, scheme=scheme),
        "definitions": selectors.ITEM_DEFINITIONS,
        "may_edit": may_verify_product_use(request.user),
    }
    return render(request, "steering/assessment/scorecard.html", context)


@login_required
@get_only
def assessment_scorecard_export(request, year):
    require(may_steer(request.user))
    year = _year_of_path(year)
    scheme = selectors.scheme_of(year)
    content = scorecard_workbook(
        year=year,
        scheme=scheme,
        rows=selectors.soe_scorecard(year=year, scheme=scheme),
        items=selectors.scheme_items(scheme, AssessmentSubject.SOE),
    )
    # An export leaves an audit record (who took which year's figures out), as a job download does.
    audit_record(actor=request.user, action="steering.assessment.export", target=scheme, after={"year": year})
    return _xlsx(content, f"soe-assessment-{year}.xlsx")


@login_required
@get_only
def assessment_credit(request):
    """Per company the year's shortlisted products and verified uses, and the plus-points."""
    require(may_steer(request.user))
    year = _year_asked(request)
    scheme = selectors.scheme_of(year)
    context = {
        "year": year,
        "years": _years(year),
        "scheme": scheme,
        "items": selectors.scheme_items(scheme, AssessmentSubject.COMPANY),
        "rows": selectors.company_credit(year=year, scheme=scheme),
        "definitions": selectors.ITEM_DEFINITIONS,
    }
    return render(request, "steering/assessment/credit.html", context)


@login_required
@get_only
def assessment_credit_export(request, year):
    require(may_steer(request.user))
    year = _year_of_path(year)
    scheme = selectors.scheme_of(year)
    content = credit_workbook(
        year=year,
        scheme=scheme,
        rows=selectors.company_credit(year=year, scheme=scheme),
        items=selectors.scheme_items(scheme, AssessmentSubject.COMPANY),
    )
    audit_record(actor=request.user, action="steering.credit.export", target=scheme, after={"year": year})
    return _xlsx(content, f"company-credit-{year}.xlsx")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@get_only
def assessment_records(request, year, pk, code):
    """The records one organisation's count of one item is made of (same query as the count)."""
    require(may_steer(request.user))
    year = _year_of_path(year)
    organisation = get_object_or_404(Organisation, pk=id_or_404(pk))
    if organisation.kind == OrganisationKind.SOE and code in SOE_ITEM_CODES:
        records = selectors.soe_item_records(soe=organisation, year=year, item_code=code)
        back = "steering:assessment-scorecard"
    elif code in COMPANY_ITEM_CODES:
        records = selectors.company_item_records(company=organisation, year=year, item_code=code)
        back = "steering:assessment-credit"
    else:
        raise Http404
    context = {
        "year": year,
        "organisation": organisation,
        "code": code,
        "label": dict(selectors.ITEM_LABELS)[code],
        "definition": selectors.ITEM_DEFINITIONS[code],
        "page": page_of(request, records),
        "back": back,
        "kind": "use"
        if code in ("products_used", "products_in_use")
        else ("entry" if code == "products_shortlisted" else "scenario"),
    }
    return render(request, "steering/assessment/records.html", context)


# ---- the scheme --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assessment_scheme(request):
    """The year's points and caps; operators create a year's scheme, edit items until filed, file."""
    require(may_steer(request.user))
    year = _year_asked(request)
    status = 200
    if request.method == "POST":
        require(may_verify_product_use(request.user))
        year = selectors.valid_year(request.POST.get("year")) or year
        if _scheme_act(request, year):
            return redirect(f"{request.path}?year={year}")
        status = REFUSED
    scheme = selectors.scheme_of(year)
    context = {
        "year": year,
        "years": _years(year),
        "scheme": scheme,
        "soe_items": selectors.scheme_items(scheme, AssessmentSubject.SOE),
        "company_items": selectors.scheme_items(scheme, AssessmentSubject.COMPANY),
        "definitions": selectors.ITEM_DEFINITIONS,
        "may_edit": may_verify_product_use(request.user),
    }
    return render(request, "steering/assessment/scheme.html", context, status=status)


def _scheme_act(request, year: int) -> bool:
    action = request.POST.get("action")
    if action == "create":
        return page_action(
            request,
            services.assessment_scheme_create,
            success=_("已建立 %(year)s 年度计分方案。") % {"year": year},
            year=year,
        ).ok
    scheme = selectors.scheme_of(year)
    if scheme is None:
        raise Http404
    if action == "file":
        return page_action(
            request, services.assessment_scheme_file, success=_("考核表已报送，计分方案已锁定。"), scheme=scheme
        ).ok
    form = AssessmentItemForm(request.POST)
    if not valid_or_say(request, form):
        return False
    item = selectors.scheme_item_of(scheme, form.cleaned_data["item"])
    if item is None:
        raise Http404
    return page_action(
        request,
        services.assessment_item_update,
        success=_("已修改：%(label)s") % {"label": item.label},
        item=item,
        points=form.cleaned_data["points"],
        cap=form.cleaned_data["cap"],
        reason=form.cleaned_data["reason"],
    ).ok


# ---- uses of contest products ------------------------------------------------------------------


def _may_see_uses(user) -> bool:
    return may_steer(user) or may_record_product_use(user)


@login_required
@get_only
def product_use_list(request):
    """Operators and officials: every use; a publisher: their organisation's."""
    require(_may_see_uses(request.user))
    uses = selectors.product_uses_visible_to(request.user)
    status = request.GET.get("status")
    if status in ProductUseStatus.values:
        uses = uses.filter(status=status)
    context = {
        "page": page_of(request, uses),
        "statuses": ProductUseStatus.choices,
        "status": status,
        "may_record": may_record_product_use(request.user),
        "may_verify": may_verify_product_use(request.user),
    }
    return render(request, "steering/assessment/use_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def product_use_create(request):
    """Record a use of a 入围 contest product (publishers for their own organisation)."""
    require(may_record_product_use(request.user))
    posted = request.method == "POST"
    organisations = selectors.using_organisations() if may_verify_product_use(request.user) else None
    form = ProductUseForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        entries=selectors.usable_entries(),
        organisations=organisations,
    )
    if posted and form.is_valid():
        outcome = page_action(
            request,
            services.product_use_record,
            form=form,
            success=_("已登记，待运营管理人员核实。"),
            **form.cleaned_data,
        )
        if outcome.ok:
            return redirect("steering:product-use-detail", pk=outcome.value.pk)
    return render(request, "steering/assessment/use_form.html", {"form": form}, status=REFUSED if posted else 200)


@login_required
@require_http_methods(["GET", "POST"])
def product_use_from_agreement(request):
    """Signed cooperation agreements not yet recorded, each turned into a use in one step."""
    require(may_record_product_use(request.user))
    agreements = selectors.agreements_to_record(request.user)
    status = 200
    if request.method == "POST":
        form = ProductUseFromAgreementForm(request.POST)
        if valid_or_say(request, form):
            agreement = get_object_or_404(agreements, pk=form.cleaned_data["agreement"])
            outcome = page_action(
                request,
                services.product_use_from_agreement,
                success=_("已按合作协议登记，待运营管理人员核实。"),
                agreement=agreement,
                contract_number=form.cleaned_data["contract_number"],
            )
            if outcome.ok:
                return redirect("steering:product-use-detail", pk=outcome.value.pk)
        status = REFUSED
    return render(
        request, "steering/assessment/use_from_agreement.html", {"page": page_of(request, agreements)}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_use_detail(request, pk):
    """A use with its contract, evidence and verification; operators decide a pending one here."""
    use = get_object_or_404(selectors.product_uses_visible_to(request.user), pk=id_or_404(pk))
    status = 200
    if request.method == "POST":
        require(may_verify_product_use(request.user))
        if _verify(request, use):
            # From the queue, back to it as the operator left it (search and filters).
            back = back_url(request, "")
            if back.startswith(reverse("steering:product-use-queue")):
                return redirect(back)
            return redirect("steering:product-use-detail", pk=use.pk)
        status = REFUSED
    context = {
        "use": use,
        "may_verify": may_verify_product_use(request.user) and use.status == ProductUseStatus.PENDING,
    }
    return render(request, "steering/assessment/use_detail.html", context, status=status)


def _verify(request, use) -> bool:
    form = ProductUseVerifyForm(request.POST)
    if not valid_or_say(request, form):
        return False
    if form.cleaned_data["use"] != use.pk:
        raise Http404
    return page_action(
        request,
        services.product_use_verify,
        success=_("已核实。") if form.cleaned_data["decision"] == "verify" else _("已退回，不予计分。"),
        use=use,
        approve=form.cleaned_data["decision"] == "verify",
        reason=form.cleaned_data["reason"],
    ).ok


@login_required
@require_http_methods(["GET", "POST"])
def product_use_queue(request):
    """Operators: pending uses, oldest first, each with a verify / reject form."""
    require(may_verify_product_use(request.user))
    status = 200
    if request.method == "POST":
        form = ProductUseVerifyForm(request.POST)
        if valid_or_say(request, form):
            use = get_object_or_404(selectors.product_use_queue(), pk=form.cleaned_data["use"])
            if _verify(request, use):
                return redirect(request.get_full_path())  # the queue as it was: same search and filters
        status = REFUSED
    filterset = ProductUseQueueFilterSet(request.GET, queryset=selectors.product_use_queue())
    page = page_of(request, filterset.qs)
    return render(request, "steering/assessment/use_queue.html", {"page": page, "filterset": filterset}, status=status)


@login_required
@get_only
def product_use_evidence(request, pk):
    use = get_object_or_404(selectors.product_uses_visible_to(request.user), pk=id_or_404(pk))
    if not use.evidence:
        raise Http404
    return FileResponse(use.evidence.open("rb"), as_attachment=True, filename=use.evidence_name or "evidence")
