"""The evaluation API under /api/v1/: the same permission rules as the pages (a foreign id is a 404)."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from evaluation import selectors, services
from evaluation.api.serializers import (
    FindingNoteSerializer,
    FindingRectificationSerializer,
    FindingReturnSerializer,
    FindingSerializer,
    SubjectResultSerializer,
)
from evaluation.filters import FindingFilterSet
from evaluation.models import Finding, SubjectResult
from evaluation.permissions import IsOperator

# === Frameworks (评价指标体系, computed indicator rules) ===


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


class SubjectResultViewSet(viewsets.ReadOnlyModelViewSet):
    """评估结果: operators every result; team members those of subjects they have submitted their own
    sheet for; the subjects' organisations and officials the published ones of closed rounds."""

    queryset = SubjectResult.objects.none()
    serializer_class = SubjectResultSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["subject", "is_published"]

    def get_queryset(self):
        return selectors.results_visible_to(self.request.user)


class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    """问题清单: operators and officials every finding, a round's lead its subjects', an organisation's
    people with a working role their own. The organisation reports progress and submits; operators
    verify or return."""

    queryset = Finding.objects.none()
    serializer_class = FindingSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = FindingFilterSet

    def get_queryset(self):
        return selectors.findings_visible_to(self.request.user)

    def _answer(self, finding):
        return Response(FindingSerializer(selectors.findings_visible_to(self.request.user).get(pk=finding.pk)).data)

    @extend_schema(request=FindingNoteSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, *args, **kwargs):
        data = FindingNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = services.finding_progress(
            actor=request.user, finding=self.get_object(), note=data.validated_data["note"]
        )
        return self._answer(finding)

    @extend_schema(request=FindingRectificationSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        data = FindingRectificationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = services.finding_submit(
            actor=request.user, finding=self.get_object(), rectification=data.validated_data["rectification"]
        )
        return self._answer(finding)

    @extend_schema(request=None, responses=FindingSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsOperator])
    def verify(self, request, *args, **kwargs):
        return self._answer(services.finding_verify(actor=request.user, finding=self.get_object()))

    @extend_schema(request=FindingReturnSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"], url_path="return", permission_classes=[IsOperator])
    def return_(self, request, *args, **kwargs):
        data = FindingReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = services.finding_return(
            actor=request.user, finding=self.get_object(), reason=data.validated_data["reason"]
        )
        return self._answer(finding)


# === Typical cases (典型案例) and replications (复制推广) ===


# === Tolerance register (包容期 and 容错) ===
