"""steering API views.py, one section per topic."""

# === Targets ===

# === Programme tasks ===
from drf_spectacular.utils import extend_schema  # noqa: E402
from rest_framework import mixins, viewsets  # noqa: E402
from rest_framework.decorators import action  # noqa: E402
from rest_framework.response import Response  # noqa: E402

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
from steering.permissions import MayReadProgramme, MayRunProgramme  # noqa: E402


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

# === Cockpit ===

# === Reports ===
