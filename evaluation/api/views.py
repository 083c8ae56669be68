"""The evaluation API under /api/v1/: the same permission rules as the pages (a foreign id is a 404)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.choices import Role
from accounts.permissions import organisation_acted_for
from contests.api.serializers import SheetReopenedSerializer
from core.errors import PermissionDenied
from core.permissions import require
from evaluation import selectors, services
from evaluation.api.serializers import (
    CaseDecideSerializer,
    CheckpointAddSerializer,
    CheckpointCompleteSerializer,
    EvaluationRoundSerializer,
    EvaluationSheetSerializer,
    ExtensionDecideSerializer,
    ExtensionRequestSerializer,
    FindingNoteSerializer,
    FindingRectificationSerializer,
    FindingReturnSerializer,
    FindingSerializer,
    FrameworkNewVersionSerializer,
    FrameworkSerializer,
    IncidentDecideSerializer,
    IncidentRecordSerializer,
    OperatorRoundSerializer,
    PeriodEndSerializer,
    ReplicationCreateSerializer,
    ReplicationSerializer,
    ReplicationVerifySerializer,
    RoundCreateSerializer,
    SheetReasonSerializer,
    SheetWriteSerializer,
    SubjectResultSerializer,
    TolerancePeriodOpenSerializer,
    TolerancePeriodSerializer,
    TypicalCaseSerializer,
)
from evaluation.filters import (
    FindingFilterSet,
    ReplicationFilterSet,
    RoundFilterSet,
    TolerancePeriodFilterSet,
    TypicalCaseFilterSet,
)
from evaluation.models import (
    EvaluationRound,
    EvaluationSheet,
    Finding,
    Framework,
    Replication,
    SubjectResult,
    TolerancePeriod,
    TypicalCase,
)
from evaluation.permissions import (
    IsOperator,
    MayDecideCases,
    has_working_role,
    is_expert,
    may_manage_rounds,
    may_manage_tolerance,
    may_rectify,
)
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
    @action(detail=True, methods=["post"], permission_classes=[IsOperator])
    def publish(self, request, pk=None):
        framework = self.get_object()
        framework_services.framework_publish(actor=request.user, framework=framework)
        return Response(self._fresh(framework))

    @extend_schema(request=FrameworkNewVersionSerializer, responses=FrameworkSerializer)
    @action(detail=True, methods=["post"], url_path="new-version", permission_classes=[IsOperator])
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
            raise Http404  # as if the action did not exist, like every other refusal of a person
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
        require(is_expert(request.user))  # the role before the payload
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

    @extend_schema(request=SheetReasonSerializer, responses=SheetReopenedSerializer)
    @action(detail=True, methods=["post"], queryset=EvaluationSheet.objects.none())
    def reopen(self, request, *args, **kwargs):
        sheet = selectors.sheet_for_round_lead(request.user, kwargs["pk"])
        data = SheetReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sheet = services.evaluation_sheet_reopen(actor=request.user, sheet=sheet, reason=data.validated_data["reason"])
        return Response({"id": sheet.pk, "status": sheet.status})


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

    def _rectified_finding(self):
        """The finding (a foreign one is not found), refused with 403 before the payload is read to
        whoever sees it but does not rectify it (operators, officials, a round's lead)."""
        finding = self.get_object()
        if not may_rectify(self.request.user, finding):
            raise PermissionDenied(_("只有整改单位的业务人员可以填报整改情况。"))
        return finding

    @extend_schema(request=FindingNoteSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, *args, **kwargs):
        finding = self._rectified_finding()
        data = FindingNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = services.finding_progress(actor=request.user, finding=finding, note=data.validated_data["note"])
        return self._answer(finding)

    @extend_schema(request=FindingRectificationSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        finding = self._rectified_finding()
        data = FindingRectificationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = services.finding_submit(
            actor=request.user, finding=finding, rectification=data.validated_data["rectification"]
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


class TypicalCaseViewSet(viewsets.ReadOnlyModelViewSet):
    """典型案例: anyone reads approved cases (filters level, year, status); operators read all and
    decide (POST …/decide/); a subject's organisation reads its own cases."""

    queryset = TypicalCase.objects.none()
    serializer_class = TypicalCaseSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TypicalCaseFilterSet

    def get_permissions(self):
        # Reading is public; the decide action keeps its own permission class (operators only).
        return [AllowAny()] if self.action in ("list", "retrieve") else super().get_permissions()

    def get_queryset(self):
        return selectors.cases_visible_to(self.request.user).order_by("-decided_at", "-id")

    @extend_schema(request=CaseDecideSerializer, responses=TypicalCaseSerializer)
    @action(detail=True, methods=["post"], permission_classes=[MayDecideCases])
    def decide(self, request, *args, **kwargs):
        data = CaseDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_decide(actor=request.user, case=self.get_object(), **data.validated_data)
        return Response(TypicalCaseSerializer(self.get_queryset().get(pk=case.pk)).data)


class ReplicationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """复制推广: operators read all and verify (POST …/verify/); an adopter reads its own and
    records one (POST, multipart for the evidence file)."""

    queryset = Replication.objects.none()
    serializer_class = ReplicationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReplicationFilterSet

    def get_queryset(self):
        return selectors.replications_visible_to(self.request.user)

    @extend_schema(request=ReplicationCreateSerializer, responses={201: ReplicationSerializer})
    def create(self, request, *args, **kwargs):
        require(has_working_role(request.user))  # the role before the payload
        data = ReplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = get_object_or_404(selectors.cases_public(), pk=values.pop("case"))
        scenario_id = values.pop("scenario", None)
        scenario = None
        if scenario_id is not None:
            from scenarios.models import Scenario

            scenario = get_object_or_404(
                Scenario.objects.filter(publisher_id=organisation_acted_for(request.user, Role.PUBLISHER)),
                pk=scenario_id,
            )
        replication = services.replication_record(actor=request.user, case=case, scenario=scenario, **values)
        return Response(ReplicationSerializer(replication).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReplicationVerifySerializer, responses=ReplicationSerializer)
    @action(detail=True, methods=["post"], permission_classes=[MayDecideCases])
    def verify(self, request, *args, **kwargs):
        data = ReplicationVerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        replication = services.replication_verify(
            actor=request.user, replication=self.get_object(), **data.validated_data
        )
        return Response(ReplicationSerializer(replication).data)


# === Tolerance register (包容期 and 容错) ===


def _require_tolerance_manager(user) -> None:
    """Operators decide and end; the scenario's publisher, who sees the period, gets 403 before the
    payload is read."""
    if not may_manage_tolerance(user):
        raise PermissionDenied(_("只有运营管理人员可以办理该事项。"))


class TolerancePeriodViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """包容期: operators read all and open one (POST), decide incidents and extensions and end a
    period; a publisher's users read their organisation's periods, add and complete checkpoints,
    record incidents and request extensions. Checkpoints, incidents and extensions are nested."""

    queryset = TolerancePeriod.objects.none()
    serializer_class = TolerancePeriodSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TolerancePeriodFilterSet

    def get_queryset(self):
        return (
            selectors.tolerance_periods_visible_to(self.request.user)
            .prefetch_related("checkpoints", "incidents", "extensions")
            .order_by("ends_on", "id")
        )

    def _answer(self, period, code=status.HTTP_200_OK):
        return Response(TolerancePeriodSerializer(self.get_queryset().get(pk=period.pk)).data, status=code)

    def _data(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(request=TolerancePeriodOpenSerializer, responses={201: TolerancePeriodSerializer})
    def create(self, request, *args, **kwargs):
        from scenarios.models import Scenario

        require(may_manage_tolerance(request.user))  # the role before the payload
        values = self._data(TolerancePeriodOpenSerializer)
        scenario = get_object_or_404(Scenario, pk=values.pop("scenario"))
        period = services.tolerance_period_open(actor=request.user, scenario=scenario, **values)
        return self._answer(period, status.HTTP_201_CREATED)

    @extend_schema(request=CheckpointAddSerializer, responses=TolerancePeriodSerializer)
    @action(detail=True, methods=["post"], url_path="checkpoints")
    def checkpoint_add(self, request, *args, **kwargs):
        period = self.get_object()
        services.checkpoint_add(actor=request.user, period=period, **self._data(CheckpointAddSerializer))
        return self._answer(period, status.HTTP_201_CREATED)

    @extend_schema(request=CheckpointCompleteSerializer, responses=TolerancePeriodSerializer)
    @action(detail=True, methods=["post"], url_path="checkpoints/complete")
    def checkpoint_complete(self, request, *args, **kwargs):
        period = self.get_object()
        values = self._data(CheckpointCompleteSerializer)
        checkpoint = get_object_or_404(period.checkpoints, pk=values.pop("checkpoint"))
        services.checkpoint_complete(actor=request.user, checkpoint=checkpoint, **values)
        return self._answer(period)

    @extend_schema(request=IncidentRecordSerializer, responses=TolerancePeriodSerializer)
    @action(detail=True, methods=["post"], url_path="incidents")
    def incident_record(self, request, *args, **kwargs):
        period = self.get_object()
        services.incident_record(actor=request.user, period=period, **self._data(IncidentRecordSerializer))
        return self._answer(period, status.HTTP_201_CREATED)

    @extend_schema(request=IncidentDecideSerializer, responses=TolerancePeriodSerializer)
    @action(detail=True, methods=["post"], url_path="incidents/decide")
    def incident_decide(self, request, *args, **kwargs):
        period = self.get_object()
        _require_tolerance_manager(request.user)
        values = self._data(IncidentDecideSerializer)
        incident = get_object_or_404(period.incidents, pk=values.pop("incident"))
        services.incident_decide(actor=request.user, incident=incident, **values)
        return self._answer(period)

    @extend_schema(request=ExtensionRequestSerializer, responses=TolerancePeriodSerializer)
    @action(detail=True, methods=["post"], url_path="extensions")
    def extension_request(self, request, *args, **kwargs):
        period = self.get_object()
        services.extension_request(actor=request.user, period=period, **self._data(ExtensionRequestSerializer))
        return self._answer(period, status.HTTP_201_CREATED)

    @extend_schema(request=ExtensionDecideSerializer, responses=TolerancePeriodSerializer)
    @action(detail=True, methods=["post"], url_path="extensions/decide")
    def extension_decide(self, request, *args, **kwargs):
        period = self.get_object()
        _require_tolerance_manager(request.user)
        values = self._data(ExtensionDecideSerializer)
        extension = get_object_or_404(period.extensions, pk=values.pop("extension"))
        services.extension_decide(actor=request.user, extension=extension, **values)
        return self._answer(period)

    @extend_schema(request=PeriodEndSerializer, responses=TolerancePeriodSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, *args, **kwargs):
        period = self.get_object()
        _require_tolerance_manager(request.user)
        services.tolerance_period_end(actor=request.user, period=period, **self._data(PeriodEndSerializer))
        return self._answer(period)
