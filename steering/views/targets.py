"""十百千 targets: the cards, a metric's series and the records it counted, target editing, and
the 高成长性科技企业 list import. Operators and officials read; operators edit.

Pages: parse, authorise, call one service or selector, render."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import is_operator
from core.actions import page_action
from core.paging import page_of
from core.permissions import get_only, post_only, require
from steering import selectors, services
from steering.choices import TargetMetric
from steering.forms import HighGrowthUploadForm, TargetArchiveForm, TargetFilterForm, TargetForm
from steering.models import Target
from steering.permissions import may_steer
from steering.views.common import REFUSED, valid_or_say

SERIES_MAX_DAYS = 3 * 366


def _filters(request) -> tuple[TargetFilterForm, dict]:
    form = TargetFilterForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


@login_required
@get_only
def target_list(request):
    """Each metric's card (live figure, target, plan, lamp, 口径) and the targets of the scope."""
    require(may_steer(request.user))
    filters, values = _filters(request)
    district = values.get("district")
    return render(
        request,
        "steering/targets/list.html",
        {
            "filters": filters,
            "district": district,
            "cards": selectors.target_cards(as_of=values.get("as_of"), district=district),
            "targets": selectors.targets_all(district=district),
            "may_edit": is_operator(request.user),
        },
    )


@login_required
@get_only
def target_detail(request, metric):
    """A metric: its card, the stored series against plan and target, and exactly the records
    it counts (filters: district, as-of date)."""
    require(may_steer(request.user))
    if metric not in TargetMetric.values:
        raise Http404
    filters, values = _filters(request)
    district, as_of = values.get("district"), values.get("as_of")
    card = next(card for card in selectors.target_cards(as_of=as_of, district=district) if card["code"] == metric)
    day = card["as_of_day"]
    target = card["target_obj"]
    start = target.starts_on if target else day - datetime.timedelta(days=365)
    start = max(start, day - datetime.timedelta(days=SERIES_MAX_DAYS))
    series = selectors.target_series(metric=metric, district=district, start=start, end=day, target=target)
    return render(
        request,
        f"steering/targets/detail_{metric}.html",
        {
            "filters": filters,
            "card": card,
            "metric": metric,
            "district": district,
            "series": series,
            "page": page_of(request, selectors.counted_records(metric, day, district)),
            "is_operator": is_operator(request.user),
        },
    )


def _target_arguments(data: dict) -> dict:
    return {
        "title": data["title"],
        "target_value": data["target_value"],
        "baseline": data["baseline"] or 0,
        "starts_on": data["starts_on"],
        "deadline": data["deadline"],
        "note": data.get("note", ""),
        "plan": data["plan"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def target_create(request):
    require(is_operator(request.user))
    status = 200
    if request.method == "POST":
        form = TargetForm(request.POST)
        if valid_or_say(request, form):
            data = form.cleaned_data
            outcome = page_action(
                request,
                services.target_create,
                success=_("已设定目标。"),
                form=form,
                metric=data["metric"],
                district=data["district"],
                **_target_arguments(data),
            )
            if outcome.ok:
                return redirect("steering:target-list")
        status = REFUSED
    else:
        today = timezone.localdate()
        form = TargetForm(initial={"starts_on": today, "baseline": 0})
    return render(request, "steering/targets/edit.html", {"form": form, "target": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request, pk):
    require(is_operator(request.user))
    target = get_object_or_404(Target.objects.prefetch_related("plan_points"), pk=pk)
    status = 200
    if request.method == "POST":
        form = TargetForm(request.POST, editing=True)
        if valid_or_say(request, form):
            outcome = page_action(
                request,
                services.target_update,
                success=_("已保存目标。"),
                form=form,
                target=target,
                reason=form.cleaned_data.get("reason", ""),
                **_target_arguments(form.cleaned_data),
            )
            if outcome.ok:
                return redirect("steering:target-list")
        status = REFUSED
    else:
        form = TargetForm(
            editing=True,
            initial={
                "title": target.title,
                "target_value": target.target_value,
                "baseline": target.baseline,
                "starts_on": target.starts_on,
                "deadline": target.deadline,
                "note": target.note,
                "plan": TargetForm.plan_text(target),
            },
        )
    return render(
        request,
        "steering/targets/edit.html",
        {"form": form, "target": target, "archive_form": TargetArchiveForm()},
        status=status,
    )


@login_required
@post_only
def target_archive(request, pk):
    require(is_operator(request.user))
    target = get_object_or_404(Target, pk=pk)
    form = TargetArchiveForm(request.POST)
    if valid_or_say(request, form):
        outcome = page_action(
            request,
            services.target_archive,
            success=_("已归档目标。"),
            target=target,
            reason=form.cleaned_data["reason"],
        )
        if outcome.ok:
            return redirect("steering:target-list")
    return redirect("steering:target-edit", pk=target.pk)


@login_required
@require_http_methods(["GET", "POST"])
def high_growth_imports(request):
    """Upload a 高成长性科技企业 list (the dry run follows) and the history of uploads."""
    require(is_operator(request.user))
    status = 200
    if request.method == "POST":
        form = HighGrowthUploadForm(request.POST, request.FILES)
        if valid_or_say(request, form):
            outcome = page_action(
                request,
                services.high_growth_import_check,
                success=_("已完成试导入，请核对差异后确认生效。"),
                uploaded=form.cleaned_data["file"],
            )
            if outcome.ok:
                return redirect("steering:high-growth-import", pk=outcome.value.pk)
        status = REFUSED
    else:
        form = HighGrowthUploadForm()
    return render(
        request,
        "steering/targets/high_growth_imports.html",
        {"form": form, "page": page_of(request, selectors.high_growth_imports())},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def high_growth_import(request, pk):
    """One upload: the difference (added / removed / unchanged, row errors); apply it."""
    require(is_operator(request.user))
    upload = get_object_or_404(selectors.high_growth_imports(), pk=pk)
    status = 200
    if request.method == "POST":
        outcome = page_action(
            request,
            services.high_growth_import_apply,
            success=lambda done: (
                _("名单已生效：新增 %(a)d 家，移出 %(r)d 家。")
                % {"a": done.counts()["added"], "r": done.counts()["removed"]}
            ),
            upload=upload,
        )
        if outcome.ok:
            return redirect("steering:high-growth-import", pk=upload.pk)
        status = REFUSED
    return render(
        request,
        "steering/targets/high_growth_import.html",
        {"upload": upload, "counts": upload.counts()},
        status=status,
    )


@login_required
@get_only
def high_growth_template(request):
    require(is_operator(request.user))
    response = HttpResponse(
        services.high_growth_template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''high-growth-template.xlsx"
    return response
