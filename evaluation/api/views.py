"""The evaluation API under /api/v1/: the same permission rules as the pages (a foreign id is a 404)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from evaluation import selectors
from evaluation.api.serializers import FrameworkNewVersionSerializer, FrameworkSerializer
from evaluation.models import Framework
from evaluation.services import frameworks as framework_services

# === Frameworks (评价指标体系, computed indicator rules) ===


class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    """评价指标体系 with their nested indicators and grade bands. Operators see drafts too; experts
    and subject organisations' users the published versions; others none. Operators publish a
    draft (refusals: 400 with every problem named) and start a new version of a published one."""

    queryset = Framework.objects.none()
    serializer_class = FrameworkSerializer
    filterset_fields = ["level", "status"]
    ordering_fields = ["level", "version"]

    def get_queryset(self):
        return selectors.frameworks_with_tree(self.request.user)

    def _fresh(self, framework):
        return FrameworkSerializer(self.get_queryset().get(pk=framework.pk)).data

    @extend_schema(request=None, responses=FrameworkSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        framework = self.get_object()
        framework_services.framework_publish(actor=request.user, framework=framework)
        return Response(self._fresh(framework))

    @extend_schema(request=FrameworkNewVersionSerializer, responses=FrameworkSerializer)
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        framework = self.get_object()
        data = FrameworkNewVersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft = framework_services.framework_draft_create(
            actor=request.user,
            level=framework.level,
            based_on=framework,
            change_note=data.validated_data["change_note"],
        )
        return Response(self._fresh(draft), status=status.HTTP_201_CREATED)


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


# === Typical cases (典型案例) and replications (复制推广) ===


# === Tolerance register (包容期 and 容错) ===
