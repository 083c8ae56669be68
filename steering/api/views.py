"""steering API views.py, one section per topic."""

# === Targets ===
import datetime  # noqa: E402

from django.http import Http404  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from drf_spectacular.utils import extend_schema  # noqa: E402
from rest_framework import viewsets  # noqa: E402
from rest_framework.decorators import action  # noqa: E402
from rest_framework.exceptions import ValidationError  # noqa: E402
from rest_framework.response import Response  # noqa: E402

from steering import selectors  # noqa: E402
from steering.api.serializers import (  # noqa: E402
    TargetCardSerializer,
    TargetContributorSerializer,
    TargetSeriesPointSerializer,
)
from steering.choices import TargetMetric  # noqa: E402
from steering.forms import TargetFilterForm  # noqa: E402
from steering.permissions import MaySteer  # noqa: E402

SERIES_MAX_DAYS = 3 * 366


def _target_filters(request) -> dict:
    form = TargetFilterForm(request.query_params)
    if not form.is_valid():
        raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
    return form.cleaned_data


class TargetViewSet(viewsets.ViewSet):
    """十百千 targets: /api/v1/targets/ (the cards, ?district=&as_of=), /targets/<metric>/ (one card),
    /targets/<metric>/series/?district=&start=&end= (stored snapshots, zeros included, with the plan)
    and /targets/<metric>/contributors/?district=&as_of= (exactly the counted records, paged)."""

    permission_classes = [MaySteer]
    lookup_field = "metric"
    lookup_value_regex = "[a-z_]+"

    def _card(self, request, metric):
        if metric not in TargetMetric.values:
            raise Http404
        values = _target_filters(request)
        cards = selectors.target_cards(as_of=values.get("as_of"), district=values.get("district"))
        return next(card for card in cards if card["code"] == metric), values

    @extend_schema(responses=TargetCardSerializer(many=True))
    def list(self, request):
        values = _target_filters(request)
        cards = selectors.target_cards(as_of=values.get("as_of"), district=values.get("district"))
        return Response(TargetCardSerializer(cards, many=True).data)

    @extend_schema(responses=TargetCardSerializer)
    def retrieve(self, request, metric=None):
        card, _values = self._card(request, metric)
        return Response(TargetCardSerializer(card).data)

    @extend_schema(responses=TargetSeriesPointSerializer(many=True))
    @action(detail=True, methods=["get"])
    def series(self, request, metric=None):
        card, values = self._card(request, metric)
        end = _day_param(request, "end") or card["as_of_day"]
        start = _day_param(request, "start") or end - datetime.timedelta(days=365)
        if start > end:
            raise ValidationError({"start": [_("开始日期不能晚于结束日期。")]})
        if (end - start).days > SERIES_MAX_DAYS:
            raise ValidationError({"start": [_("一次最多查询 3 年。")]})
        rows = selectors.target_series(
            metric=metric, district=values.get("district"), start=start, end=end, target=card["target_obj"]
        )
        return Response(TargetSeriesPointSerializer(rows, many=True).data)

    @extend_schema(responses=TargetContributorSerializer(many=True))
    @action(detail=True, methods=["get"])
    def contributors(self, request, metric=None):
        card, values = self._card(request, metric)
        records = selectors.counted_records(metric, card["as_of_day"], values.get("district"))
        paginator = self.paginator
        page = paginator.paginate_queryset(records, request, view=self)
        return paginator.get_paginated_response(TargetContributorSerializer(page, many=True).data)

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            from config.pagination import PortalPagination

            self._paginator = PortalPagination()
        return self._paginator


def _day_param(request, name: str) -> datetime.date | None:
    text = request.query_params.get(name)
    if not text:
        return None
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({name: [_("日期格式应为 YYYY-MM-DD。")]}) from None
    if not datetime.date(2000, 1, 1) <= day <= timezone.localdate() + datetime.timedelta(days=3660):
        raise ValidationError({name: [_("日期超出范围。")]})
    return day


# === Programme tasks ===

# === SOE assessment ===

# === Cockpit ===
from drf_spectacular.utils import OpenApiParameter, extend_schema  # noqa: E402
from rest_framework.exceptions import NotFound  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

from steering import cockpit as cockpit_charts  # noqa: E402
from steering.api.serializers import CockpitChartSerializer  # noqa: E402
from steering.permissions import MaySteer  # noqa: E402


@extend_schema(
    responses=CockpitChartSerializer,
    parameters=[
        OpenApiParameter("code", str, OpenApiParameter.PATH, description="图表代码，如 key-figures"),
        OpenApiParameter("year", int, description="年度（2000–2100）"),
        OpenApiParameter("district", int, description="区县（市）id"),
    ],
)
class CockpitChartView(APIView):
    """GET /api/v1/cockpit/<code>/?year=&district=: one 驾驶舱 chart's ECharts dataset and meta
    (口径, unit, 数据截至, drill-down URL per item), cached and invalidated when its data changes."""

    permission_classes = [MaySteer]

    def get(self, request, code):
        if cockpit_charts.chart_or_none(code) is None:
            raise NotFound(_("没有这个图表。"))
        filters = cockpit_charts.parse_filters(request.query_params)  # a bad filter: DomainError → 400
        return Response(cockpit_charts.chart_payload(code, filters))


# === Reports ===
