from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from accounts.errors import PermissionDenied
from accounts.models import Organisation, User
from accounts.permissions import IsOperator
from contests import selectors, services
from contests.api.serializers import (
    ChallengeCreateSerializer,
    ChallengeSerializer,
    ConsortiumAnswerSerializer,
    ContestCreateSerializer,
    ContestSerializer,
    CreditCheckSerializer,
    CriterionSerializer,
    EligibilitySerializer,
    ContestEntryCreateSerializer,
    ContestEntrySerializer,
    ContestEntrySubmitSerializer,
    JudgeSerializer,
    PanelAssignSerializer,
    PanelMembershipSerializer,
    RelationshipSerializer,
    RubricSerializer,
)
from contests.models import Challenge, ConsortiumMember, Contest, ContestEntry
from scenarios.selectors import scenario_for

ROUND_KEYS = ["challenges", "registration", "eligibility", "roadshow", "review", "notice", "results"]


class ContestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """场景大赛: anyone reads; operators create. The score sheet is at /api/v1/rubrics/{contest id}/."""

    queryset = Contest.objects.none()
    serializer_class = ContestSerializer
    filter_backends = []

    def get_permissions(self):
        return [AllowAny()] if self.action in ("list", "retrieve") else [IsAuthenticated()]

    def get_queryset(self):
        return Contest.objects.all()

    @extend_schema(request=ContestCreateSerializer, responses={201: ContestSerializer})
    def create(self, request, *args, **kwargs):
        data = ContestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        rounds = {key: values.pop(f"{key}_open_at") for key in ROUND_KEYS}
        contest = services.contest_create(actor=request.user, rounds=rounds, **values)
        return Response(ContestSerializer(contest).data, status=status.HTTP_201_CREATED)


class ChallengeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """榜单: public; a publisher creates one for its published scenario during 发榜."""

    queryset = Challenge.objects.none()
    serializer_class = ChallengeSerializer
    filter_backends = []

    def get_permissions(self):
        # Reading is public; every other action keeps its own permission classes (operators only).
        return [AllowAny()] if self.action in ("list", "retrieve") else super().get_permissions()

    def get_queryset(self):
        return selectors.open_challenges()

    @extend_schema(request=ChallengeCreateSerializer, responses={201: ChallengeSerializer})
    def create(self, request, *args, **kwargs):
        data = ChallengeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        contest = get_object_or_404(Contest, pk=values["contest"])
        scenario = scenario_for(request.user, values["scenario"])
        challenge = services.challenge_create(
            actor=request.user, contest=contest, scenario=scenario, award_cap=values["award_cap"], requirements=values["requirements"], title=values["title"]
        )
        return Response(ChallengeSerializer(challenge).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=PanelMembershipSerializer(many=True))
    @action(detail=True, methods=["get"], permission_classes=[IsOperator])
    def panel(self, request, *args, **kwargs):
        return Response(PanelMembershipSerializer(selectors.panel_of(self.get_object()), many=True).data)

    @extend_schema(request=PanelAssignSerializer, responses=PanelMembershipSerializer)
    @action(detail=True, methods=["post"], url_path="panel/assign", permission_classes=[IsOperator])
    def assign(self, request, *args, **kwargs):
        data = PanelAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        judge = get_object_or_404(User, pk=data.validated_data["judge"], role_assignments__role="judge")
        membership = services.panel_assign(actor=request.user, challenge=self.get_object(), judge=judge, is_chair=data.validated_data["is_chair"])
        return Response(PanelMembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=JudgeSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="panel/suggestions", permission_classes=[IsOperator])
    def suggestions(self, request, *args, **kwargs):
        return Response(JudgeSerializer([judge for judge, _shared, _load in services.suggest_judges(self.get_object())], many=True).data)


class EntryViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """揭榜方案: a company sees only its own entries (others are 404); judges see their panels'."""

    queryset = ContestEntry.objects.none()
    serializer_class = ContestEntrySerializer
    filter_backends = []

    def get_queryset(self):
        user = self.request.user
        if user.has_role("judge") and not user.has_role("operator"):
            ids = [entry.pk for entry in selectors.entries_for_judge(user)]
            return ContestEntry.objects.filter(pk__in=ids).select_related("lead").prefetch_related("members__organisation")
        return selectors.entries_visible_to(user)

    @extend_schema(request=ContestEntryCreateSerializer, responses={201: ContestEntrySerializer})
    def create(self, request, *args, **kwargs):
        data = ContestEntryCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        challenge = get_object_or_404(Challenge, pk=values["challenge"])
        members = list(Organisation.objects.filter(pk__in=values["members"]))
        entry = services.entry_create(actor=request.user, challenge=challenge, title=values["title"], summary=values["summary"], members=members)
        return Response(ContestEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContestEntrySubmitSerializer, responses=ContestEntrySerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        data = ContestEntrySubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(ContestEntrySerializer(services.entry_submit(actor=request.user, entry=self.get_object(), commitment_accepted=data.validated_data["credit_commitment"])).data)

    @extend_schema(request=ConsortiumAnswerSerializer, responses=ContestEntrySerializer)
    @action(detail=True, methods=["post"])
    def consortium(self, request, *args, **kwargs):
        data = ConsortiumAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = self.get_object()
        membership = get_object_or_404(ConsortiumMember, pk=data.validated_data["member"], entry=entry)
        services.consortium_respond(actor=request.user, membership=membership, accept=data.validated_data["accept"])
        return Response(ContestEntrySerializer(self.get_queryset().get(pk=entry.pk)).data)

    @extend_schema(request=EligibilitySerializer, responses=ContestEntrySerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsOperator])
    def eligibility(self, request, *args, **kwargs):
        data = EligibilitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_review_eligibility(actor=request.user, entry=self.get_object(), eligible=data.validated_data["eligible"], reason=data.validated_data["reason"])
        return Response(ContestEntrySerializer(entry).data)

    @extend_schema(request=CreditCheckSerializer, responses=ContestEntrySerializer)
    @action(detail=True, methods=["post"], url_path="credit-check", permission_classes=[IsOperator])
    def credit_check(self, request, *args, **kwargs):
        data = CreditCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_record_credit_check(actor=request.user, entry=self.get_object(), passed=data.validated_data["passed"], note=data.validated_data["note"])
        return Response(ContestEntrySerializer(entry).data)


class JudgeViewSet(viewsets.ReadOnlyModelViewSet):
    """评审专家库 for operators; a judge reads and declares their own relationships."""

    queryset = User.objects.none()
    serializer_class = JudgeSerializer
    filter_backends = []

    def get_queryset(self):
        user = self.request.user
        judges = User.objects.filter(role_assignments__role="judge").select_related("organisation", "judge_profile")
        if user.has_role("operator"):
            return judges
        return judges.filter(pk=user.pk)

    @extend_schema(methods=["GET"], responses=RelationshipSerializer(many=True))
    @extend_schema(methods=["POST"], request=RelationshipSerializer, responses=RelationshipSerializer)
    @action(detail=True, methods=["get", "post"])
    def relationships(self, request, *args, **kwargs):
        judge = self.get_object()
        if request.method == "POST":
            data = RelationshipSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = data.validated_data
            relationship = services.relationship_declare(
                actor=request.user, judge=judge, organisation=values["organisation"], kind=values["kind"], ended_year=values.get("ended_year"), note=values.get("note", "")
            )
            return Response(RelationshipSerializer(relationship).data, status=status.HTTP_201_CREATED)
        if not (request.user.pk == judge.pk or request.user.has_role("operator")):
            raise PermissionDenied("无权查看。")
        return Response(RelationshipSerializer(judge.declared_relationships.all(), many=True).data)


@extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="场景大赛编号")])
class RubricViewSet(viewsets.ViewSet):
    """评分表 of a contest, addressed by the contest's id: anyone reads, operators replace it."""

    def get_permissions(self):
        return [AllowAny()] if self.action == "retrieve" else [IsAuthenticated()]

    @extend_schema(responses=RubricSerializer)
    def retrieve(self, request, pk=None):
        contest = get_object_or_404(Contest, pk=pk)
        return Response({"criteria": CriterionSerializer(contest.criteria.all(), many=True).data})

    @extend_schema(request=RubricSerializer, responses=RubricSerializer)
    def update(self, request, pk=None):
        contest = get_object_or_404(Contest, pk=pk)
        data = RubricSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.rubric_update(actor=request.user, contest=contest, criteria=data.validated_data["criteria"])
        return Response({"criteria": CriterionSerializer(contest.criteria.all(), many=True).data})
