"""The 驾驶舱 (cockpit) pages: the charts with their filters, and each item's drill-down list.

Pages: parse, authorise, call one selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.navigation import scopes_read_with_menu
from core.page_cache import NOT_STORED, scope_store
from core.paging import page_of
from core.permissions import get_only, require
from steering import cockpit as charts
from steering.permissions import is_unit_reporter, may_steer
from steering.views.common import REFUSED


def _filters_or_say(request) -> tuple[charts.Filters, int]:
    """The filters of the query string, or none with the refusal shown (status 400)."""
    try:
        return charts.parse_filters(request.GET), 200
    except DomainError as error:
        messages.error(request, error.message)
        return charts.Filters(), REFUSED


@login_required
@get_only
def cockpit(request):
    """The 驾驶舱: key figures with their 口径 and 数据截至, every chart (drawn by cockpit.js from the
    embedded datasets, each with a table of links to the drill-down lists), the year and district
    filters, and the 需关注 list. Department staff see their unit's reports of the open cycles first;
    the 十百千 cards lead for everyone. Nothing on the page writes: city leaders only read."""
    require(may_steer(request.user))
    filters, status = _filters_or_say(request)
    heading, figures = _shared_parts(request, filters)
    return render(
        request,
        "steering/cockpit/cockpit.html",
        {
            # Our own templates' output (escaped when rendered), from the cache or rendered now.
            "heading": mark_safe(heading),  # noqa: S308  # nosec B308 B703
            "figures": mark_safe(figures),  # noqa: S308  # nosec B308 B703
            "my_reports": _my_open_reports(request.user),
            # The words cockpit.js writes into the charts, in the reader's language.
            "chart_labels": {"planned": _("序时计划"), "target": _("目标")},
        },
        status=status,
    )


def _shared_parts(request, filters: charts.Filters) -> tuple[str, str]:
    """The page's heading (title and filters) and figures (cards, charts with their tables, lamp
    matrix, 需关注) as HTML: the same for every official — nothing in them depends on the reader —, so
    rendered once per language, filters, year and version of the charts' data and read from the cache
    in one round trip after that (issue #20: rendering them was most of the page's time). The menu,
    the tabs, the person and their unit's reports are rendered for each request around them."""
    this_year = timezone.localdate().year
    key = f"cockpit:page:{get_language()}:{filters.cache_part()}:{this_year}"
    parts, version = scopes_read_with_menu(request, {key: charts.PAGE_SCOPE})[key]  # the menu in the same read
    if parts is NOT_STORED:
        parts = (_heading_rendered(filters, this_year), _figures_rendered(filters))
        scope_store(key, version, parts)
    return parts


def _heading_rendered(filters, this_year: int) -> str:
    districts = charts.district_options()
    return render_to_string(
        "steering/_cockpit_heading.html",
        {
            "filters": filters,
            "district_name": dict(districts).get(filters.district, ""),
            "districts": districts,
            "years": list(range(this_year + 1, 2019, -1)),
        },
    )


def _figures_rendered(filters) -> str:
    payloads = charts.chart_payloads([chart.code for chart in charts.charts_in_order()], filters)
    by_code = {p["meta"]["code"]: p for p in payloads}
    key_figures, attention = by_code.get("key-figures"), by_code.get("attention")
    targets, lamps = by_code.get("targets"), by_code.get("lamp-matrix")
    drawn = [p for p in payloads if p not in (key_figures, attention, lamps)]
    return render_to_string(
        "steering/_cockpit_figures.html",
        {
            "target_cards": _rows(targets),
            "targets_meta": targets["meta"] if targets else None,
            "lamp_matrix": _lamp_rows(lamps),
            "lamps_meta": lamps["meta"] if lamps else None,
            "key_figures": _rows(key_figures),
            "key_figures_meta": key_figures["meta"] if key_figures else None,
            "attention": _rows(attention),
            "attention_meta": attention["meta"] if attention else None,
            "charts": [
                {"payload": p, "rows": _rows(p), "element_id": f"chart-data-{p['meta']['code']}"} for p in drawn
            ],
        },
    )


def _my_open_reports(user) -> list | None:
    """A unit reporter's reports in open cycles (to file first, then by due date); None for anyone
    not in a unit. One query (the user's units are cached on the user)."""
    from steering.choices import CycleStatus
    from steering.selectors.programme import reports_for_unit_user

    if not is_unit_reporter(user):
        return None
    return list(reports_for_unit_user(user).filter(cycle__status=CycleStatus.OPEN))


def _lamp_rows(payload) -> list[dict]:
    """The lamp matrix's rows: the task with its link and, per cycle, the cell's colour and link."""
    if payload is None:
        return []
    items = payload["meta"]["items"]
    return [
        {"key": key, "name": name, "red": value, "url": items[key]["drill_url"], "cells": items[key]["cells"]}
        for key, name, value in payload["dataset"]["source"]
    ]


def _rows(payload) -> list[dict]:
    """The payload's items as rows a template shows (name, value, unit, definition, drill URL)."""
    if payload is None:
        return []
    items = payload["meta"]["items"]
    return [
        {"key": key, "name": name, "value": value, **items[key]} for key, name, value in payload["dataset"]["source"]
    ]


@login_required
@get_only
def cockpit_drill(request, code):
    """The records behind one chart item: the same query the figure counts, paged, each linking to
    its own page. An unknown chart or item answers 404; a bad filter or no item, 400."""
    require(may_steer(request.user))
    chart = charts.chart_or_none(code)
    if chart is None:
        raise Http404
    filters, status = _filters_or_say(request)
    key = request.GET.get("key", "")
    if status == 200 and not key:
        messages.error(request, _("请选择要查看的统计项。"))
        status = REFUSED
    page, columns, name = None, [], ""
    if status == 200:
        payload = charts.chart_payload(code, filters)
        names = {row[0]: row[1] for row in payload["dataset"]["source"]}
        if key not in names and not _known_outside_dataset(chart, filters, key):
            raise Http404
        name = names.get(key, key)
        try:
            records = chart.records(filters, key)
        except LookupError as error:
            raise Http404 from error
        kind = chart.record_kind(key)
        columns = [str(label) for label, _getter in kind.columns]
        page = page_of(request, records.order_by("-pk"))
        page.rows = [
            {"cells": [getter(record) for _label, getter in kind.columns], "url": kind.link(request.user, record)}
            for record in page.object_list
        ]
    return render(
        request,
        "steering/cockpit/drill.html",
        {
            "chart": chart,
            "item_name": name,
            "filters": filters,
            "district_name": dict(charts.district_options()).get(filters.district, ""),
            "columns": columns,
            "page": page,
            "back_query": urlencode(filters.query()),
        },
        status=status,
    )


def _known_outside_dataset(chart, filters, key) -> bool:
    """A grouped chart lists only the keys it found or expects; a key of another district's tile,
    say, is still a valid (empty) list. Anything else is unknown."""
    return isinstance(chart, charts.GroupedChart) and key == charts.NONE_KEY


def official_home_panel(request) -> dict:
    """The officials' home page leads with the 驾驶舱: the city's 十百千 cards and key figures, and
    for department staff their unit's reports of the open cycles."""
    payload = charts.chart_payload("key-figures", charts.Filters())
    targets = charts.chart_payload("targets", charts.Filters())
    return {
        "figures": _rows(payload),
        "as_of": payload["meta"]["as_of"],
        "target_cards": _rows(targets),
        "my_reports": _my_open_reports(request.user),
    }
