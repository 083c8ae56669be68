"""Frameworks (评价指标体系, computed indicator rules).

Evaluation pages: parse, authorise, call one service or selector, render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.actions import page_action
from core.ids import id_or_404
from core.permissions import post_only
from evaluation import selectors
from evaluation.choices import FrameworkStatus, Level
from evaluation.forms import (
    FrameworkNewForm,
    FrameworkRevisionForm,
    GradeBandsForm,
    IndicatorForm,
)
from evaluation.permissions import (
    may_manage_frameworks,
    may_read_frameworks,
)
from evaluation.services import frameworks as framework_services
from evaluation.views.common import REFUSED, refused


def _require(allowed: bool) -> None:
    """A page a person may not use answers 404: it does not reveal that it exists."""
    if not allowed:
        raise Http404


def _framework(request, pk):
    """A framework the person may read (drafts: operators only), else 404."""
    _require(may_read_frameworks(request.user))
    return get_object_or_404(selectors.frameworks_visible_to(request.user), pk=pk)


@login_required
def framework_list(request):
    """Every level's versions with their status; operators start a draft here."""
    _require(may_read_frameworks(request.user))
    return _framework_list_page(request)


def _framework_list_page(request, status: int = 200):
    frameworks = list(selectors.frameworks_visible_to(request.user))
    levels = [
        {
            "value": value,
            "label": label,
            "versions": [item for item in frameworks if item.level == value],
            "has_draft": any(item.level == value and item.status == FrameworkStatus.DRAFT for item in frameworks),
        }
        for value, label in Level.choices
    ]
    manager = may_manage_frameworks(request.user)
    return render(
        request,
        "evaluation/framework_list.html",
        {"levels": levels, "manager": manager, "new_form": FrameworkNewForm() if manager else None},
        status=status,
    )


@login_required
@post_only
def framework_new(request):
    """An operator starts the next draft of a level, based on its newest published version."""
    _require(may_manage_frameworks(request.user))
    form = FrameworkNewForm(request.POST)
    if not form.is_valid():
        refused(request, form)
        return _framework_list_page(request, status=REFUSED)
    level = form.cleaned_data["level"]
    based_on = (
        selectors.frameworks_visible_to(request.user)
        .filter(level=level, status=FrameworkStatus.PUBLISHED)
        .order_by("-version")
        .first()
    )
    outcome = page_action(
        request,
        framework_services.framework_draft_create,
        success=_("已新建草稿版本。"),
        level=level,
        based_on=based_on,
        change_note=form.cleaned_data["change_note"],
    )
    if outcome.ok:
        return redirect("evaluation:framework-edit", pk=outcome.value.pk)
    return _framework_list_page(request, status=REFUSED)


@login_required
def framework_detail(request, pk):
    """The tree as a nested table (code, name, definition, weight, absolute weight, method, maximum,
    rule and target, evidence, red line) and the grade bands."""
    return _framework_detail_page(request, _framework(request, pk))


def _framework_detail_page(request, framework, status: int = 200):
    manager = may_manage_frameworks(request.user)
    return render(
        request,
        "evaluation/framework_detail.html",
        {
            "framework": framework,
            "rows": selectors.framework_rows(framework),
            "bands": framework.grade_bands.all(),
            "manager": manager,
            "revision_form": FrameworkRevisionForm() if manager and framework.is_published else None,
        },
        status=status,
    )


@login_required
@post_only
def framework_new_version(request, pk):
    """新建修订版本: a draft copying a published version."""
    _require(may_manage_frameworks(request.user))
    framework = _framework(request, pk)
    form = FrameworkRevisionForm(request.POST)
    if not form.is_valid():
        refused(request, form)
        return _framework_detail_page(request, framework, status=REFUSED)
    outcome = page_action(
        request,
        framework_services.framework_draft_create,
        success=_("已新建修订版本，请修改后发布。"),
        level=framework.level,
        based_on=framework,
        change_note=form.cleaned_data["change_note"],
    )
    if outcome.ok:
        return redirect("evaluation:framework-edit", pk=outcome.value.pk)
    return _framework_detail_page(request, framework, status=REFUSED)


def _edit_indicator(request, framework, form, indicator):
    if indicator is None:
        parent_id = form.cleaned_data.get("parent")
        parent = get_object_or_404(framework.indicators, pk=parent_id) if parent_id else None
        values = {key: value for key, value in form.cleaned_data.items() if key != "parent"}
        return page_action(
            request,
            framework_services.indicator_add,
            form=form,
            success=_("已增加指标。"),
            framework=framework,
            parent=parent,
            **values,
        )
    return page_action(
        request,
        framework_services.indicator_update,
        form=form,
        success=_("已保存指标。"),
        indicator=indicator,
        **form.cleaned_data,
    )


@login_required
@require_http_methods(["GET", "POST"])
def framework_edit(request, pk):
    """The draft editor: add, edit and delete indicators, set the bands, publish or discard. A
    published version is not editable (its detail page offers 新建修订版本)."""
    _require(may_manage_frameworks(request.user))
    framework = _framework(request, pk)
    if framework.is_published:
        messages.error(request, _("已发布的指标体系不能修改；如需调整，请新建修订版本。"))
        if request.method == "POST":
            return _framework_detail_page(request, framework, status=REFUSED)
        return redirect("evaluation:framework-detail", pk=pk)
    indicators = list(framework.indicators.all())
    parents = [item for item in indicators if item.tier < 3]
    editing = None
    if request.GET.get("indicator"):
        wanted = id_or_404(request.GET["indicator"])
        editing = next((item for item in indicators if item.pk == wanted), None)
        if editing is None:
            raise Http404
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "indicator":
        indicator_form = IndicatorForm(request.POST, framework=framework, parents=parents, editing=editing is not None)
        if indicator_form.is_valid() and _edit_indicator(request, framework, indicator_form, editing).ok:
            return redirect("evaluation:framework-edit", pk=pk)
    elif editing is not None:
        indicator_form = IndicatorForm(
            framework=framework,
            editing=True,
            initial={name: getattr(editing, name) for name in framework_services.EDITABLE_FIELDS},
        )
    else:
        indicator_form = IndicatorForm(framework=framework, parents=parents)
    bands_form = GradeBandsForm(request.POST if action == "bands" else None, bands=framework.grade_bands.all())
    publish_errors = []
    if action == "bands" and bands_form.is_valid():
        outcome = page_action(
            request,
            framework_services.grade_bands_set,
            form=bands_form,
            success=_("评价等级已保存。"),
            framework=framework,
            bands=bands_form.bands(),
        )
        if outcome.ok:
            return redirect("evaluation:framework-edit", pk=pk)
    elif action == "delete":
        indicator = get_object_or_404(framework.indicators, pk=id_or_404(request.POST.get("indicator")))
        if page_action(request, framework_services.indicator_delete, success=_("已删除指标。"), indicator=indicator).ok:
            return redirect("evaluation:framework-edit", pk=pk)
    elif action == "publish":
        publish_form = forms.Form({})
        publish_form.is_valid()
        outcome = page_action(
            request,
            framework_services.framework_publish,
            form=publish_form,  # the refusal is shown on the page, listed, not as a flash message
            success=_("指标体系已发布。"),
            framework=framework,
        )
        if outcome.ok:
            return redirect("evaluation:framework-detail", pk=pk)
        publish_errors = framework_services.framework_problems(framework) or [outcome.error]
    elif action == "discard":
        if page_action(
            request, framework_services.framework_draft_delete, success=_("草稿已删除。"), framework=framework
        ).ok:
            return redirect("evaluation:framework-list")
    elif request.method == "POST" and action not in ("indicator", "bands"):
        refused(request)
    return render(
        request,
        "evaluation/framework_edit.html",
        {
            "framework": framework,
            "rows": selectors.framework_rows(framework, indicators),
            "indicator_form": indicator_form,
            "editing": editing,
            "bands_form": bands_form,
            "publish_errors": publish_errors,
            "problems": framework_services.framework_problems(framework, indicators=indicators),
        },
        status=REFUSED if request.method == "POST" else 200,  # an accepted change redirected
    )


@login_required
def framework_diff(request, pk):
    """What changed against the version this one is based on, by indicator code, then the bands."""
    framework = _framework(request, pk)
    based_on = None
    if framework.based_on_id:
        based_on = selectors.frameworks_visible_to(request.user).filter(pk=framework.based_on_id).first()
    return render(
        request,
        "evaluation/framework_diff.html",
        {
            "framework": framework,
            "based_on": based_on,
            "changes": framework_services.framework_diff(based_on, framework) if based_on else [],
        },
    )
