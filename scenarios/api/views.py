from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from core.api.cached_lists import CachedPublicListMixin
from core.errors import PermissionDenied
from core.permissions import require
from scenarios import selectors, services
from scenarios.api.serializers import (
    DomainSerializer,
    InstrumentSerializer,
    ScenarioDetailSerializer,
    ScenarioListSerializer,
    ScenarioWriteSerializer,
    TransitionSerializer,
    ZoneSerializer,
)
from scenarios.filters import ScenarioFilterSet
from scenarios.models import DemonstrationZone, Domain, LabInstrument, Scenario
from scenarios.permissions import IsOperatorOrReadOnly, can_create_scenario, is_operator, may_open_instruments
from scenarios.workflow import OFFERED, TRANSITIONS


class ScenarioViewSet(
    CachedPublicListMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """应用场景. Anyone reads published scenarios; publishers write their own; workflow actions below."""

    queryset = Scenario.objects.none()
    # The list without ?scope= is the public catalogue, the same rows as the catalogue page shows.
    public_list_scope = selectors.CATALOGUE_PAGES
    filterset_class = ScenarioFilterSet
    ordering_fields = []  # the filterset's `sort` orders the list

    def get_permissions(self):
        return [AllowAny()] if self.action in ("list", "retrieve") else [IsAuthenticated()]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "scope", str, enum=["mine", "review"], description="mine: 本单位全部场景；review: 待审核（运营）"
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if self.action == "list":
            # ?scope=mine: the organisation's own scenarios in every state (the "my scenarios" page);
            # ?scope=review: the operators' review queue. Default: the public catalogue.
            scope = self.request.query_params.get("scope")
            if scope == "mine":
                return selectors.organisation_scenarios(self.request.user)
            if scope == "review" and is_operator(self.request.user):
                return selectors.review_queue()
            return selectors.catalogue(self.request.user)
        return selectors.scenarios_for_api(self.request.user).prefetch_related("attachments")

    def get_serializer_class(self):
        if self.action == "list":
            return ScenarioListSerializer
        if self.action in ("create", "update", "partial_update"):
            return ScenarioWriteSerializer
        return ScenarioDetailSerializer

    def _detail(self, scenario):
        scenario = self.get_queryset().get(pk=scenario.pk)
        return ScenarioDetailSerializer(scenario, context=self.get_serializer_context()).data

    @extend_schema(request=ScenarioWriteSerializer, responses={201: ScenarioDetailSerializer})
    def create(self, request, *args, **kwargs):
        if not can_create_scenario(request.user):  # the role before the payload
            raise PermissionDenied(_("只有发榜单位的用户可以发布应用场景。"))
        serializer = ScenarioWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        need_items = data.pop("need_items", [])
        scenario = services.scenario_create(actor=request.user, data=data, need_items=need_items)
        return Response(self._detail(scenario), status=status.HTTP_201_CREATED)

    @extend_schema(request=ScenarioWriteSerializer, responses=ScenarioDetailSerializer)
    def update(self, request, *args, **kwargs):
        scenario = self.get_object()
        serializer = ScenarioWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        need_items = data.pop("need_items", None)
        scenario = services.scenario_update(actor=request.user, scenario=scenario, data=data, need_items=need_items)
        return Response(self._detail(scenario))

    def _transition(self, request, name):
        scenario = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        scenario = services.scenario_transition(
            actor=request.user, scenario=scenario, action=name, reason=serializer.validated_data["reason"]
        )
        return Response(self._detail(scenario))


def _transition_action(name: str):
    def transition(self, request, *args, **kwargs):
        return self._transition(request, name)

    # The name must be right before @action reads it: the router maps POST to this attribute name.
    transition.__name__ = name
    decorated = action(detail=True, methods=["post"], url_path=name.replace("_", "-"), url_name=name.replace("_", "-"))(
        transition
    )
    return extend_schema(
        request=TransitionSerializer, responses=ScenarioDetailSerializer, summary=str(TRANSITIONS[name].label)
    )(decorated)


# One POST action per workflow step: /api/v1/scenarios/{id}/submit/, …/approve/, …
for _name in OFFERED:
    setattr(ScenarioViewSet, _name, _transition_action(_name))


class DomainViewSet(viewsets.ModelViewSet):
    """场景领域: anyone reads; operators add and change (never delete: scenarios refer to them)."""

    queryset = Domain.objects.none()
    serializer_class = DomainSerializer
    permission_classes = [IsOperatorOrReadOnly]
    pagination_class = None
    filter_backends = []
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.domains_all()

    def perform_create(self, serializer):
        serializer.instance = services.domain_save(actor=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.domain_save(
            actor=self.request.user, domain=serializer.instance, data=serializer.validated_data
        )


class ZoneViewSet(viewsets.ModelViewSet):
    queryset = DemonstrationZone.objects.none()
    serializer_class = ZoneSerializer
    permission_classes = [IsOperatorOrReadOnly]
    filter_backends = []
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.zones_all()

    def perform_create(self, serializer):
        serializer.instance = services.zone_save(actor=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.zone_save(
            actor=self.request.user, zone=serializer.instance, data=serializer.validated_data
        )


class InstrumentViewSet(viewsets.ModelViewSet):
    """Open lab instruments: anyone reads; the owning institute or an operator writes."""

    queryset = LabInstrument.objects.none()
    serializer_class = InstrumentSerializer
    filter_backends = []
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_permissions(self):
        return [AllowAny()] if self.action in ("list", "retrieve") else [IsAuthenticated()]

    def get_queryset(self):
        return selectors.instruments_open() if self.action == "list" else selectors.instruments_all()

    def create(self, request, *args, **kwargs):
        require(may_open_instruments(request.user))  # the role before the payload
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.instrument_save(actor=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.instrument_save(
            actor=self.request.user, instrument=serializer.instance, data=serializer.validated_data
        )
