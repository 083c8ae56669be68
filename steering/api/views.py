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
from drf_spectacular.utils import extend_schema  # noqa: E402
from rest_framework import mixins, viewsets  # noqa: E402
from rest_framework.decorators import action  # noqa: E402

from core.errors import PermissionDenied  # noqa: E402
from steering import selectors as programme_selectors  # noqa: E402
from steering import services as programme_services  # noqa: E402
from steering.api.serializers import (  # noqa: E402
    ProgrammeTaskSerializer,
    ReportDecisionSerializer,
    ReportingCycleSerializer,
    ReportSubmitSerializer,
    UnitReportSerializer,
    UnitReportVersionSerializer,
)
from steering.permissions import MayReadProgramme, MayRunProgramme, may_file_report  # noqa: E402


class ProgrammeTaskViewSet(viewsets.ViewSet):
    """The six tasks with their units and progress (planned and actual %, by the task's method)."""

    permission_classes = [MayReadProgramme]
    serializer_class = ProgrammeTaskSerializer

    def list(self, request):
        return Response(ProgrammeTaskSerializer(programme_selectors.tasks_overview(), many=True).data)


class ReportingCycleViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [MayReadProgramme]
    serializer_class = ReportingCycleSerializer

    def get_queryset(self):
        return programme_selectors.cycles_list()


class UnitReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reports the user sees (their unit's, or all for operators and city leaders); submit (unit
    staff), accept and return (operators) call the same services as the pages."""

    permission_classes = [MayReadProgramme]
    serializer_class = UnitReportSerializer
    filterset_fields = ["cycle", "status", "lamp"]
    ordering_fields = ["id"]

    def get_queryset(self):
        return programme_selectors.reports_visible_to(self.request.user).order_by("-cycle__due_on", "task__code", "id")

    def _fresh(self, report):
        return UnitReportSerializer(self.get_queryset().get(pk=report.pk)).data

    @extend_schema(request=ReportSubmitSerializer, responses=UnitReportVersionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        if not may_file_report(request.user, report):  # operators and leaders read it; its unit files it
            raise PermissionDenied(_("只有该责任单位的人员可以填报。"))
        data = ReportSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = programme_services.report_submit(actor=request.user, report=report, **data.validated_data)
        return Response(UnitReportVersionSerializer(version).data)

    @extend_schema(request=ReportDecisionSerializer, responses=UnitReportSerializer)
    @action(detail=True, methods=["post"], permission_classes=[MayRunProgramme])
    def accept(self, request, pk=None):
        report = self.get_object()
        data = ReportDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        programme_services.report_accept(actor=request.user, report=report, reason=data.validated_data["reason"])
        return Response(self._fresh(report))

    @extend_schema(request=ReportDecisionSerializer, responses=UnitReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", permission_classes=[MayRunProgramme])
    def return_(self, request, pk=None):
        report = self.get_object()
        data = ReportDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        programme_services.report_return(actor=request.user, report=report, reason=data.validated_data["reason"])
        return Response(self._fresh(report))


# === SOE assessment ===
from django.shortcuts import get_object_or_404  # noqa: E402
from drf_spectacular.utils import OpenApiParameter, extend_schema  # noqa: E402
from rest_framework import mixins, status, viewsets  # noqa: E402
from rest_framework.decorators import action  # noqa: E402

from core.permissions import require  # noqa: E402
from steering import selectors as steering_selectors  # noqa: E402
from steering import services as steering_services  # noqa: E402
from steering.api.serializers import (  # noqa: E402
    ProductUseCreateSerializer,
    ProductUseFromAgreementSerializer,
    ProductUseSerializer,
    ProductUseVerifySerializer,
    ScoreRowSerializer,
)
from steering.models import ProductUse  # noqa: E402
from steering.permissions import MaySteer, MayVerifyProductUse, may_record_product_use  # noqa: E402

YEAR_PARAMETER = OpenApiParameter("year", int, description="年度（默认今年）")


def _year_of(request) -> int:
    return steering_selectors.valid_year(request.query_params.get("year")) or steering_selectors.current_year()


class AssessmentScorecardViewSet(viewsets.ViewSet):
    """国企考核计分表: per SOE the year's counts, points, caps and total (operators and officials)."""

    permission_classes = [MaySteer]
    serializer_class = ScoreRowSerializer

    @extend_schema(parameters=[YEAR_PARAMETER], responses=ScoreRowSerializer(many=True))
    def list(self, request):
        return Response(ScoreRowSerializer(steering_selectors.soe_scorecard(year=_year_of(request)), many=True).data)


class CompanyCreditViewSet(viewsets.ViewSet):
    """企业信用加分: per company the year's shortlisted products, verified uses and plus-points."""

    permission_classes = [MaySteer]
    serializer_class = ScoreRowSerializer

    @extend_schema(parameters=[YEAR_PARAMETER], responses=ScoreRowSerializer(many=True))
    def list(self, request):
        return Response(ScoreRowSerializer(steering_selectors.company_credit(year=_year_of(request)), many=True).data)


class ProductUseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """入围产品使用: operators and officials read all, a publisher their organisation's; publishers
    and operators record (POST, multipart for the evidence; POST from-agreement/ for one step from
    a signed cooperation agreement); operators verify or reject (POST {id}/verify/)."""

    queryset = ProductUse.objects.none()
    serializer_class = ProductUseSerializer

    def get_queryset(self):
        return steering_selectors.product_uses_visible_to(self.request.user)

    @extend_schema(request=ProductUseCreateSerializer, responses={201: ProductUseSerializer})
    def create(self, request, *args, **kwargs):
        from accounts.models import Organisation

        require(may_record_product_use(request.user))  # the role before the payload
        data = ProductUseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        entry = get_object_or_404(steering_selectors.usable_entries(), pk=values.pop("entry"))
        organisation_id = values.pop("organisation", None)
        organisation = get_object_or_404(Organisation, pk=organisation_id) if organisation_id else None
        use = steering_services.product_use_record(actor=request.user, entry=entry, organisation=organisation, **values)
        return Response(ProductUseSerializer(self.get_queryset().get(pk=use.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProductUseFromAgreementSerializer, responses={201: ProductUseSerializer})
    @action(detail=False, methods=["post"], url_path="from-agreement")
    def from_agreement(self, request, *args, **kwargs):
        require(may_record_product_use(request.user))
        data = ProductUseFromAgreementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = get_object_or_404(
            steering_selectors.agreements_to_record(request.user), pk=data.validated_data["agreement"]
        )
        use = steering_services.product_use_from_agreement(
            actor=request.user, agreement=agreement, contract_number=data.validated_data["contract_number"]
        )
        return Response(ProductUseSerializer(self.get_queryset().get(pk=use.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProductUseVerifySerializer, responses=ProductUseSerializer)
    @action(detail=True, methods=["post"], permission_classes=[MayVerifyProductUse])
    def verify(self, request, *args, **kwargs):
        data = ProductUseVerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        use = steering_services.product_use_verify(actor=request.user, use=self.get_object(), **data.validated_data)
        return Response(ProductUseSerializer(self.get_queryset().get(pk=use.pk)).data)


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
