"""steering API views.py, one section per topic."""

# === Targets ===

# === Programme tasks ===

# === SOE assessment ===

# === Cockpit ===
from django.utils.translation import gettext as _  # noqa: E402
from drf_spectacular.utils import OpenApiParameter, extend_schema  # noqa: E402
from rest_framework.exceptions import NotFound  # noqa: E402
from rest_framework.response import Response  # noqa: E402
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
