"""steering API views.py, one section per topic."""

# === Targets ===

# === Programme tasks ===

# === SOE assessment ===
from django.shortcuts import get_object_or_404  # noqa: E402
from drf_spectacular.utils import OpenApiParameter, extend_schema  # noqa: E402
from rest_framework import mixins, status, viewsets  # noqa: E402
from rest_framework.decorators import action  # noqa: E402
from rest_framework.response import Response  # noqa: E402

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
from steering.permissions import MaySteer, MayVerifyProductUse  # noqa: E402

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

# === Reports ===
