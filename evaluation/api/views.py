"""The evaluation API under /api/v1/: the same permission rules as the pages (a foreign id is a 404)."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from evaluation import selectors, services
from evaluation.api.serializers import (
    EvaluationRoundSerializer,
    EvaluationSheetSerializer,
    OperatorRoundSerializer,
    RoundCreateSerializer,
    SheetReasonSerializer,
    SheetWriteSerializer,
)
from evaluation.filters import RoundFilterSet
from evaluation.models import EvaluationRound, EvaluationSheet
from evaluation.permissions import may_manage_rounds

# === Frameworks (评价指标体系, computed indicator rules) ===


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


class EvaluationRoundViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """评估轮次. Operators list, read and open rounds (with counts); experts read the rounds they are
    on; anyone else sees none (a foreign id is a 404)."""

    queryset = EvaluationRound.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = RoundFilterSet

    def get_queryset(self):
        return selectors.rounds_readable_by(self.request.user).order_by("-year", "-opened_at", "-id")

    def get_serializer_class(self):
        return OperatorRoundSerializer if may_manage_rounds(self.request.user) else EvaluationRoundSerializer

    @extend_schema(request=RoundCreateSerializer, responses=OperatorRoundSerializer)
    def create(self, request, *args, **kwargs):
        if not may_manage_rounds(request.user):
            raise PermissionDenied(_("只有运营管理人员可以执行此操作。"))
        data = RoundCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        round_ = services.round_open(actor=request.user, **data.validated_data)
        return Response(
            OperatorRoundSerializer(self.get_queryset().get(pk=round_.pk)).data, status=status.HTTP_201_CREATED
        )


class EvaluationSheetViewSet(viewsets.ReadOnlyModelViewSet):
    """评价表. An expert reads and writes only their own sheets: `save` keeps a draft, `submit` signs
    and locks; a sheet of another expert is a 404. `reopen` is the round lead's (or an operator's)."""

    queryset = EvaluationSheet.objects.none()
    serializer_class = EvaluationSheetSerializer

    def get_queryset(self):
        return selectors.sheets_of_expert(self.request.user)

    def _write(self, request, *, submit: bool):
        data = SheetWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subject = selectors.subject_for_expert(request.user, data.validated_data["subject"])
        lines = data.validated_data["scores"]
        sheet = services.evaluation_sheet_save(
            actor=request.user,
            subject=subject,
            points={line["indicator"]: line["points"] for line in lines},
            comments={line["indicator"]: line["comment"] for line in lines},
            red_line_hits=[line["indicator"] for line in lines if line["red_line_hit"]],
            submit=submit,
        )
        return Response(EvaluationSheetSerializer(self.get_queryset().get(pk=sheet.pk)).data)

    @extend_schema(request=SheetWriteSerializer, responses=EvaluationSheetSerializer)
    @action(detail=False, methods=["post"])
    def save(self, request, *args, **kwargs):
        return self._write(request, submit=False)

    @extend_schema(request=SheetWriteSerializer, responses=EvaluationSheetSerializer)
    @action(detail=False, methods=["post"])
    def submit(self, request, *args, **kwargs):
        return self._write(request, submit=True)

    @extend_schema(request=SheetReasonSerializer, responses={200: None})
    @action(detail=True, methods=["post"], queryset=EvaluationSheet.objects.none())
    def reopen(self, request, *args, **kwargs):
        sheet = selectors.sheet_for_round_lead(request.user, kwargs["pk"])
        data = SheetReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sheet = services.evaluation_sheet_reopen(actor=request.user, sheet=sheet, reason=data.validated_data["reason"])
        return Response({"id": sheet.pk, "status": sheet.status})


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


# === Typical cases (典型案例) and replications (复制推广) ===


# === Tolerance register (包容期 and 容错) ===
