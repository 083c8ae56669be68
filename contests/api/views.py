"""/api/v1/ for 场景大赛. ViewSets declare their queryset (a selector scoped to the person), their
serializers, filters and permission classes, and call the same services as the pages; a
service's refusal becomes a 400 with its message (config.api_errors), a foreign id a 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from accounts.models import Organisation, User
from contests import selectors, services
from contests.api.serializers import (
    AgreementSerializer,
    AgreementWriteSerializer,
    AnswerSerializer,
    AwardDecideSerializer,
    AwardSerializer,
    BenefitSerializer,
    BenefitWriteSerializer,
    ChallengeCreateSerializer,
    ChallengeSerializer,
    ConsortiumAnswerSerializer,
    ContestCreateSerializer,
    ContestEntryCreateSerializer,
    ContestEntrySerializer,
    ContestEntrySubmitSerializer,
    ContestRescheduleSerializer,
    ContestSerializer,
    CreditCheckSerializer,
    CriterionSerializer,
    EligibilitySerializer,
    JudgeSerializer,
    NoticeChallengeSerializer,
    ObjectionSerializer,
    PanelAssignSerializer,
    PanelMembershipSerializer,
    ProgressReportSerializer,
    RankingSerializer,
    ReasonSerializer,
    RelationshipSerializer,
    RubricSerializer,
    ScoreSheetSerializer,
    ScoreSheetWriteSerializer,
    SheetReopenedSerializer,
    TieDecisionSerializer,
)
from contests.choices import Round
from contests.filters import (
    AgreementFilterSet,
    AwardFilterSet,
    BenefitFilterSet,
    ChallengeFilterSet,
    ContestFilterSet,
    EntryFilterSet,
    ObjectionFilterSet,
    ScoreSheetFilterSet,
)
from contests.models import (
    Award,
    Challenge,
    ConsortiumMember,
    Contest,
    ContestEntry,
    CooperationAgreement,
    Objection,
    PolicyBenefit,
    ScoreSheet,
)
from contests.permissions import (
    MayManageContest,
    acts_for_consortium_member,
    can_enter_contests,
    can_publish_challenges,
    can_report_progress,
    is_judge,
    is_lead_of,
    is_panel_chair,
    may_act_for_judge,
    may_manage_contest,
    may_raise_objection,
    require_contest_manager,
)
from core.errors import PermissionDenied
from core.permissions import require
from scenarios.selectors import scenario_for

ROUND_KEYS = ["challenges", "registration", "eligibility", "roadshow", "review", "notice", "results"]


class ContestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """场景大赛: anyone reads; operators create. The score sheet is at /api/v1/rubrics/{contest id}/."""

    queryset = Contest.objects.none()
    serializer_class = ContestSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ContestFilterSet

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [AllowAny()]
        return [MayManageContest()] if self.action == "reschedule" else [IsAuthenticated()]

    def get_queryset(self):
        return Contest.objects.all()

    @extend_schema(request=ContestCreateSerializer, responses={201: ContestSerializer})
    def create(self, request, *args, **kwargs):
        require(may_manage_contest(request.user))  # the role before the payload
        data = ContestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        rounds = {key: values.pop(f"{key}_open_at") for key in ROUND_KEYS}
        contest = services.contest_create(actor=request.user, rounds=rounds, **values)
        return Response(ContestSerializer(contest).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContestRescheduleSerializer, responses={200: ContestSerializer})
    @action(detail=True, methods=["post"], permission_classes=[MayManageContest])
    def reschedule(self, request, pk=None):
        """调整日程 (contest_reschedule): no round that has begun moves into the future."""
        contest = self.get_object()
        data = ContestRescheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        rounds = {key: values[f"{key}_open_at"] for key in ROUND_KEYS}
        contest = services.contest_reschedule(
            actor=request.user, contest=contest, rounds=rounds, reason=values["reason"]
        )
        return Response(ContestSerializer(contest).data)


class ChallengeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """榜单: public; a publisher creates one for its published scenario during 发榜."""

    queryset = Challenge.objects.none()
    serializer_class = ChallengeSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ChallengeFilterSet

    def get_permissions(self):
        # Reading is public; every other action keeps its own permission classes (operators only).
        return [AllowAny()] if self.action in ("list", "retrieve") else super().get_permissions()

    def get_queryset(self):
        return selectors.open_challenges()

    @extend_schema(request=ChallengeCreateSerializer, responses={201: ChallengeSerializer})
    def create(self, request, *args, **kwargs):
        require(can_publish_challenges(request.user))  # the role before the payload
        data = ChallengeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        contest = get_object_or_404(Contest, pk=values["contest"])
        scenario = scenario_for(request.user, values["scenario"])
        challenge = services.challenge_create(
            actor=request.user,
            contest=contest,
            scenario=scenario,
            award_cap=values["award_cap"],
            requirements=values["requirements"],
            title=values["title"],
        )
        return Response(ChallengeSerializer(challenge).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=PanelMembershipSerializer(many=True))
    @action(detail=True, methods=["get"], permission_classes=[MayManageContest], pagination_class=None)
    def panel(self, request, *args, **kwargs):
        return Response(PanelMembershipSerializer(selectors.panel_of(self.get_object()), many=True).data)

    @extend_schema(request=PanelAssignSerializer, responses=PanelMembershipSerializer)
    @action(detail=True, methods=["post"], url_path="panel/assign", permission_classes=[MayManageContest])
    def assign(self, request, *args, **kwargs):
        data = PanelAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        judge = selectors.judge_for_panel(data.validated_data["judge"])
        membership = services.panel_assign(
            actor=request.user, challenge=self.get_object(), judge=judge, is_chair=data.validated_data["is_chair"]
        )
        return Response(PanelMembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=JudgeSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        url_path="panel/suggestions",
        permission_classes=[MayManageContest],
        pagination_class=None,
    )
    def suggestions(self, request, *args, **kwargs):
        return Response(
            JudgeSerializer(
                [suggestion.judge for suggestion in selectors.suggest_judges(self.get_object())], many=True
            ).data
        )


class EntryViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """揭榜方案: a company sees only its own entries (others are 404); judges see their panels'."""

    queryset = ContestEntry.objects.none()
    serializer_class = ContestEntrySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = EntryFilterSet

    def get_queryset(self):
        return selectors.entries_readable_by(self.request.user)

    @extend_schema(request=ContestEntryCreateSerializer, responses={201: ContestEntrySerializer})
    def create(self, request, *args, **kwargs):
        require(can_enter_contests(request.user))  # the role before the payload
        data = ContestEntryCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        challenge = get_object_or_404(Challenge, pk=values["challenge"])
        members = list(Organisation.objects.filter(pk__in=values["members"]))
        entry = services.entry_create(
            actor=request.user, challenge=challenge, title=values["title"], summary=values["summary"], members=members
        )
        return Response(ContestEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContestEntrySubmitSerializer, responses=ContestEntrySerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        entry = self.get_object()  # a foreign entry is not found, whatever was sent
        if not is_lead_of(request.user, entry):  # a judge or an operator sees it; the lead submits it
            raise PermissionDenied(_("只有牵头单位可以提交。"))
        data = ContestEntrySubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            ContestEntrySerializer(
                services.entry_submit(
                    actor=request.user,
                    entry=entry,
                    commitment_accepted=data.validated_data["credit_commitment"],
                )
            ).data
        )

    @extend_schema(request=ConsortiumAnswerSerializer, responses=ContestEntrySerializer)
    @action(detail=True, methods=["post"])
    def consortium(self, request, *args, **kwargs):
        entry = self.get_object()  # a foreign entry is not found, whatever was sent
        if not any(acts_for_consortium_member(request.user, member.organisation_id) for member in entry.members.all()):
            raise PermissionDenied(_("只有被邀请单位可以确认。"))  # before the payload: the lead, a judge …
        data = ConsortiumAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = get_object_or_404(ConsortiumMember, pk=data.validated_data["member"], entry=entry)
        services.consortium_respond(actor=request.user, membership=membership, accept=data.validated_data["accept"])
        return Response(ContestEntrySerializer(self.get_queryset().get(pk=entry.pk)).data)

    @extend_schema(request=EligibilitySerializer, responses=ContestEntrySerializer)
    @action(detail=True, methods=["post"], permission_classes=[MayManageContest])
    def eligibility(self, request, *args, **kwargs):
        data = EligibilitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_review_eligibility(
            actor=request.user,
            entry=self.get_object(),
            eligible=data.validated_data["eligible"],
            reason=data.validated_data["reason"],
        )
        return Response(ContestEntrySerializer(entry).data)

    @extend_schema(request=CreditCheckSerializer, responses=ContestEntrySerializer)
    @action(detail=True, methods=["post"], url_path="credit-check", permission_classes=[MayManageContest])
    def credit_check(self, request, *args, **kwargs):
        data = CreditCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_record_credit_check(
            actor=request.user,
            entry=self.get_object(),
            passed=data.validated_data["passed"],
            note=data.validated_data["note"],
        )
        return Response(ContestEntrySerializer(entry).data)


class JudgeViewSet(viewsets.ReadOnlyModelViewSet):
    """评审专家库 for operators; a judge reads and declares their own relationships."""

    queryset = User.objects.none()
    serializer_class = JudgeSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.judges_visible_to(self.request.user)

    @extend_schema(methods=["GET"], responses=RelationshipSerializer(many=True))
    @extend_schema(methods=["POST"], request=RelationshipSerializer, responses=RelationshipSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def relationships(self, request, *args, **kwargs):
        judge = self.get_object()
        if request.method == "POST":
            data = RelationshipSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = data.validated_data
            relationship = services.relationship_declare(
                actor=request.user,
                judge=judge,
                organisation=values["organisation"],
                kind=values["kind"],
                ended_year=values.get("ended_year"),
                note=values.get("note", ""),
            )
            return Response(RelationshipSerializer(relationship).data, status=status.HTTP_201_CREATED)
        if not may_act_for_judge(request.user, judge):
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


# ---- scoring, ranking, 公示, awards, cooperation ------------------------------------------------


class ScoreSheetViewSet(viewsets.ReadOnlyModelViewSet):
    """评分表. A judge reads and writes only their own sheets (POST saves a draft or, with
    submit=true, signs and locks it); operators read all; the panel chair may reopen one."""

    queryset = ScoreSheet.objects.none()
    serializer_class = ScoreSheetSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ScoreSheetFilterSet

    def get_queryset(self):
        return selectors.sheets_visible_to(self.request.user)

    @extend_schema(request=ScoreSheetWriteSerializer, responses=ScoreSheetSerializer)
    def create(self, request, *args, **kwargs):
        require(is_judge(request.user))  # the role before the payload: nobody else learns what it needs
        data = ScoreSheetWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        entry = selectors.entry_for_judge(request.user, values["entry"])
        points = {line["criterion"]: line["points"] for line in values["scores"]}
        comments = {line["criterion"]: line["comment"] for line in values["scores"]}
        sheet = services.sheet_save(
            actor=request.user, entry=entry, points=points, comments=comments, submit=values["submit"]
        )
        return Response(ScoreSheetSerializer(self.get_queryset().get(pk=sheet.pk)).data)

    @extend_schema(request=ReasonSerializer, responses=SheetReopenedSerializer)
    @action(detail=True, methods=["post"], queryset=ScoreSheet.objects.none())
    def reopen(self, request, *args, **kwargs):
        # The chair addresses sheets of their panel without seeing their points.
        sheet = selectors.sheet_chaired_by(request.user, kwargs["pk"])
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sheet = services.sheet_reopen(actor=request.user, sheet=sheet, reason=data.validated_data["reason"])
        return Response({"id": sheet.pk, "status": sheet.status})


def _ranking_payload(challenge, access) -> dict:
    snapshot = access["snapshot"]
    rows = snapshot.results["entries"] if snapshot else []
    if not access["scores"]:
        hidden = {
            "score": None,
            "technical": None,
            "business": None,
            "originality": None,
            "diagnostics": None,
            "rank": None,
            "tie_break": "",
        }
        rows = [dict(row, **hidden) for row in rows]
    return {
        "challenge": challenge.pk,
        "computed_at": snapshot.computed_at if snapshot else None,
        "method": snapshot.method if snapshot else None,
        "parameters": snapshot.parameters if snapshot else None,
        "inputs_sha256": snapshot.inputs_sha256 if snapshot else None,
        "complete": access["complete"],
        "locked": selectors.scoring_locked(challenge),
        "entries": rows,
        "judges": snapshot.results["judges"] if snapshot and access["judges"] else [],
    }


@extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="榜单编号")])
class RankingViewSet(viewsets.ViewSet):
    """A challenge's ranking, addressed by the challenge's id: operators see everything; panel
    members see scores once every expected sheet is in; anyone else gets 404. The chair locks and
    unlocks scoring; operators record tie decisions."""

    permission_classes = [IsAuthenticated]

    def _challenge(self, pk):
        return get_object_or_404(Challenge.objects.select_related("contest"), pk=pk)

    @extend_schema(responses=RankingSerializer)
    def retrieve(self, request, pk=None):
        challenge = self._challenge(pk)
        return Response(
            RankingSerializer(_ranking_payload(challenge, selectors.ranking_access(request.user, challenge))).data
        )

    @extend_schema(request=None, responses=RankingSerializer)
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        challenge = self._challenge(pk)
        access = selectors.ranking_access(request.user, challenge)
        services.scoring_lock(actor=request.user, challenge=challenge)
        return Response(RankingSerializer(_ranking_payload(challenge, access)).data)

    @extend_schema(request=ReasonSerializer, responses=RankingSerializer)
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        challenge = self._challenge(pk)
        access = selectors.ranking_access(request.user, challenge)
        if not is_panel_chair(request.user, challenge):  # the chair's, before the payload is read
            raise PermissionDenied(_("只有评审组长可以执行此操作。"))
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.scoring_unlock(actor=request.user, challenge=challenge, reason=data.validated_data["reason"])
        return Response(RankingSerializer(_ranking_payload(challenge, access)).data)

    @extend_schema(request=TieDecisionSerializer, responses=RankingSerializer)
    @action(detail=True, methods=["post"], url_path="tie-decision")
    def tie_decision(self, request, pk=None):
        challenge = self._challenge(pk)
        selectors.ranking_access(request.user, challenge)
        require_contest_manager(request.user)  # 403: the ranking is visible, the decision is not theirs
        data = TieDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.tie_decide(
            actor=request.user,
            challenge=challenge,
            order=data.validated_data["order"],
            reason=data.validated_data["reason"],
        )
        return Response(
            RankingSerializer(_ranking_payload(challenge, selectors.ranking_access(request.user, challenge))).data
        )


@extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="场景大赛编号")])
class NoticeViewSet(viewsets.ViewSet):
    """公示 of a contest, addressed by the contest's id: ranks, totals and subtotals per challenge
    (no per-judge data); the awards once results are out. Public."""

    permission_classes = [AllowAny]

    @extend_schema(responses=NoticeChallengeSerializer(many=True))
    def retrieve(self, request, pk=None):
        contest = get_object_or_404(Contest, pk=pk)
        if not contest.is_at_or_after(Round.NOTICE):
            raise Http404
        boards = [
            {
                "challenge": board["challenge"].pk,
                "title": board["challenge"].title,
                "rows": [dict(row, award=str(row["award"].amount) if row["award"] else None) for row in board["rows"]]
                if board["rows"] is not None
                else None,
            }
            for board in selectors.notice_boards(contest)
        ]
        return Response(NoticeChallengeSerializer(boards, many=True).data)


class ObjectionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """异议 during 公示: anyone signed in raises one; they see their own, operators all and answer."""

    queryset = Objection.objects.none()
    serializer_class = ObjectionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ObjectionFilterSet

    def get_queryset(self):
        return selectors.objections_visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        require(may_raise_objection(request.user))
        data = ObjectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        objection = services.objection_raise(
            actor=request.user, challenge=values["challenge"], entry=values.get("entry"), text=values["text"]
        )
        return Response(ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnswerSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"], permission_classes=[MayManageContest])
    def answer(self, request, *args, **kwargs):
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            ObjectionSerializer(
                services.objection_answer(
                    actor=request.user, objection=self.get_object(), answer=data.validated_data["answer"]
                )
            ).data
        )


class AwardViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """奖励: operators and officials read; operators decide (POST creates or changes an entry's
    award) and withdraw. Each ≤ the challenge cap ≤ ¥1,000,000; all within the contest budget."""

    queryset = Award.objects.none()
    serializer_class = AwardSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AwardFilterSet

    def get_queryset(self):
        return selectors.awards_visible_to(self.request.user)

    @extend_schema(request=AwardDecideSerializer, responses=AwardSerializer)
    def create(self, request, *args, **kwargs):
        require(may_manage_contest(request.user))  # the role before the payload
        data = AwardDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        entry = get_object_or_404(selectors.entries_of(), pk=values["entry"])
        award = services.award_decide(actor=request.user, entry=entry, amount=values["amount"], note=values["note"])
        return Response(AwardSerializer(award).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses={204: None})
    @action(detail=True, methods=["post"], permission_classes=[MayManageContest])
    def withdraw(self, request, *args, **kwargs):
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.award_withdraw(actor=request.user, award=self.get_object(), reason=data.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class AgreementViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """合作方式 and 联合攻关任务书 of winners: operators record them (POST creates or updates);
    the 发榜方 and 揭榜方 read theirs and report progress."""

    queryset = CooperationAgreement.objects.none()
    serializer_class = AgreementSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AgreementFilterSet

    def get_queryset(self):
        return selectors.agreements_visible_to(self.request.user)

    @extend_schema(request=AgreementWriteSerializer, responses=AgreementSerializer)
    def create(self, request, *args, **kwargs):
        require(may_manage_contest(request.user))  # operators record them: the role before the payload
        data = AgreementWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        entry = get_object_or_404(selectors.winner_entries_visible_to(request.user), pk=values.pop("entry"))
        agreement = services.agreement_save(actor=request.user, entry=entry, **values)
        return Response(
            AgreementSerializer(self.get_queryset().get(pk=agreement.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(methods=["GET"], responses=ProgressReportSerializer(many=True))
    @extend_schema(methods=["POST"], request=ProgressReportSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def reports(self, request, *args, **kwargs):
        agreement = self.get_object()
        if request.method == "POST":
            if not can_report_progress(request.user, agreement):  # e.g. an official: reads, reports nothing
                raise PermissionDenied(_("只有任务书各方可以报送进展。"))
            data = ProgressReportSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            milestone = data.validated_data.get("milestone")
            if milestone is not None and milestone.agreement_id != agreement.pk:
                raise Http404
            report = services.progress_report_add(
                actor=request.user, agreement=agreement, text=data.validated_data["text"], milestone=milestone
            )
            return Response(ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)
        return Response(ProgressReportSerializer(agreement.progress_reports.all(), many=True).data)


class BenefitViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """政策支持 recorded per winner: operators record; the parties read theirs."""

    queryset = PolicyBenefit.objects.none()
    serializer_class = BenefitSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = BenefitFilterSet

    def get_queryset(self):
        return selectors.benefits_visible_to(self.request.user)

    @extend_schema(request=BenefitWriteSerializer, responses=BenefitSerializer)
    def create(self, request, *args, **kwargs):
        require(may_manage_contest(request.user))  # operators record them: the role before the payload
        data = BenefitWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        entry = get_object_or_404(selectors.winner_entries_visible_to(request.user), pk=values.pop("entry"))
        benefit = services.benefit_record(actor=request.user, entry=entry, **values)
        return Response(BenefitSerializer(benefit).data, status=status.HTTP_201_CREATED)
