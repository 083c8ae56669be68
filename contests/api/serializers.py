from decimal import Decimal

from rest_framework import serializers

from contests.choices import SheetStatus
from contests.models import (
    Award,
    Challenge,
    ConsortiumMember,
    Contest,
    ContestEntry,
    CooperationAgreement,
    Criterion,
    JudgeRelationship,
    Milestone,
    Objection,
    PanelMembership,
    PolicyBenefit,
    ProgressReport,
    Score,
    ScoreSheet,
)
from contests.sheets import TOO_MANY_LINES, repeated_lines_message
from core.api.serializers import PortalModelSerializer, StrictCharField


class ContestSerializer(PortalModelSerializer):
    current_round = serializers.SerializerMethodField()

    class Meta:
        model = Contest
        fields = [
            "id",
            "name",
            "year",
            "description",
            "award_budget",
            "entries_per_company",
            "challenges_open_at",
            "registration_open_at",
            "eligibility_open_at",
            "roadshow_open_at",
            "review_open_at",
            "notice_open_at",
            "results_open_at",
            "current_round",
        ]
        read_only_fields = fields

    def get_current_round(self, contest) -> str | None:
        return contest.current_round()


class ContestCreateSerializer(serializers.Serializer):
    name = StrictCharField(max_length=100)
    year = serializers.IntegerField(min_value=2020, max_value=2100)
    description = StrictCharField(max_length=3000, required=False, allow_blank=True, default="")
    award_budget = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    entries_per_company = serializers.IntegerField(min_value=1, max_value=20, default=3)
    challenges_open_at = serializers.DateTimeField()
    registration_open_at = serializers.DateTimeField()
    eligibility_open_at = serializers.DateTimeField()
    roadshow_open_at = serializers.DateTimeField()
    review_open_at = serializers.DateTimeField()
    notice_open_at = serializers.DateTimeField()
    results_open_at = serializers.DateTimeField()


class ContestRescheduleSerializer(serializers.Serializer):
    """调整日程: all seven round starts (as they stand, or moved) and the reason."""

    challenges_open_at = serializers.DateTimeField()
    registration_open_at = serializers.DateTimeField()
    eligibility_open_at = serializers.DateTimeField()
    roadshow_open_at = serializers.DateTimeField()
    review_open_at = serializers.DateTimeField()
    notice_open_at = serializers.DateTimeField()
    results_open_at = serializers.DateTimeField()
    reason = StrictCharField(max_length=500)


class ChallengeSerializer(PortalModelSerializer):
    scenario_title = StrictCharField(source="scenario.title", read_only=True)
    publisher = StrictCharField(source="scenario.publisher.name", read_only=True)

    class Meta:
        model = Challenge
        fields = [
            "id",
            "contest",
            "scenario",
            "scenario_title",
            "publisher",
            "title",
            "requirements",
            "award_cap",
            "created_at",
        ]
        read_only_fields = ["id", "scenario_title", "publisher", "created_at"]


class ChallengeCreateSerializer(serializers.Serializer):
    contest = serializers.IntegerField(min_value=1)
    scenario = serializers.IntegerField(min_value=1)
    title = StrictCharField(max_length=100, required=False, allow_blank=True, default="")
    requirements = StrictCharField(max_length=3000)
    award_cap = serializers.DecimalField(max_digits=10, decimal_places=2)


class ConsortiumMemberSerializer(PortalModelSerializer):
    organisation_name = StrictCharField(source="organisation.name", read_only=True)

    class Meta:
        model = ConsortiumMember
        fields = ["id", "organisation", "organisation_name", "status", "responded_at"]
        read_only_fields = fields


class ContestEntrySerializer(PortalModelSerializer):
    lead_name = StrictCharField(source="lead.name", read_only=True)
    members = ConsortiumMemberSerializer(many=True, read_only=True)

    class Meta:
        model = ContestEntry
        fields = [
            "id",
            "challenge",
            "lead",
            "lead_name",
            "title",
            "summary",
            "status",
            "submitted_at",
            "commitment_signed_at",
            "commitment_sha256",
            "eligibility_note",
            "credit_check",
            "credit_check_note",
            "members",
        ]
        read_only_fields = fields


class ContestEntryCreateSerializer(serializers.Serializer):
    challenge = serializers.IntegerField(min_value=1)
    title = StrictCharField(max_length=100)
    summary = StrictCharField(max_length=5000)
    members = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=10
    )


class ContestEntrySubmitSerializer(serializers.Serializer):
    credit_commitment = serializers.BooleanField(help_text="签署信用承诺（须为 true）")


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    reason = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


class CreditCheckSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    note = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


class ConsortiumAnswerSerializer(serializers.Serializer):
    member = serializers.IntegerField(min_value=1)
    accept = serializers.BooleanField()


class CriterionSerializer(PortalModelSerializer):
    class Meta:
        model = Criterion
        fields = ["dimension", "name", "description", "max_points"]


class RubricSerializer(serializers.Serializer):
    criteria = CriterionSerializer(many=True)


class JudgeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = StrictCharField()
    organisation = StrictCharField(source="organisation.name", default=None)
    expertise = serializers.SerializerMethodField()

    def get_expertise(self, judge) -> list[str]:
        profile = getattr(judge, "judge_profile", None)
        return profile.fields if profile else []


class RelationshipSerializer(PortalModelSerializer):
    class Meta:
        model = JudgeRelationship
        fields = ["id", "organisation", "kind", "ended_year", "note", "declared_at"]
        read_only_fields = ["id", "declared_at"]


class PanelAssignSerializer(serializers.Serializer):
    judge = serializers.IntegerField(min_value=1)
    is_chair = serializers.BooleanField(default=False)


class PanelMembershipSerializer(PortalModelSerializer):
    judge_name = StrictCharField(source="judge.display_name", read_only=True)

    class Meta:
        model = PanelMembership
        fields = ["judge", "judge_name", "is_chair", "assigned_at"]
        read_only_fields = fields


# ---- scoring, ranking, 公示, awards, cooperation ------------------------------------------------


class ScoreLineSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    # A number or its text (JSON has no decimal type): sheet_save reads it, with its own Chinese messages.
    points = serializers.CharField(allow_blank=True, max_length=10, help_text="0 到该项分值，最小单位 0.5；草稿可留空")
    comment = StrictCharField(allow_blank=True, required=False, default="", max_length=500)


# A rubric's criteria are whole points summing to 100: never more than 100 of them.
MAX_SHEET_LINES = 100


class ScoreSheetWriteSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    scores = ScoreLineSerializer(many=True, max_length=MAX_SHEET_LINES, error_messages={"max_length": TOO_MANY_LINES})
    submit = serializers.BooleanField(default=False, help_text="true：签名提交并锁定；false：保存草稿")

    def validate_scores(self, lines):
        refusal = repeated_lines_message(line["criterion"] for line in lines)
        if refusal:
            raise serializers.ValidationError(refusal)
        return lines


class ScoreSerializer(PortalModelSerializer):
    criterion_name = StrictCharField(source="criterion.name", read_only=True)

    class Meta:
        model = Score
        fields = ["criterion", "criterion_name", "points", "comment"]
        read_only_fields = fields


class ScoreSheetSerializer(PortalModelSerializer):
    scores = ScoreSerializer(many=True, read_only=True)
    total = serializers.SerializerMethodField()

    class Meta:
        model = ScoreSheet
        fields = ["id", "entry", "judge", "status", "submitted_at", "content_sha256", "scores", "total", "updated_at"]
        read_only_fields = fields

    def get_total(self, sheet) -> str:
        return str(sum((score.points for score in sheet.scores.all()), Decimal(0)))


class ReasonSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=500, allow_blank=True)


class SheetReopenedSerializer(serializers.Serializer):
    """What a reopen answers: the sheet and its state (a draft again). Evaluation sheets too."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=SheetStatus.choices)


class TieDecisionSerializer(serializers.Serializer):
    order = serializers.ListField(
        child=serializers.IntegerField(), min_length=2, help_text="并列方案编号，名次靠前的在前"
    )
    reason = StrictCharField(max_length=500, allow_blank=True)


class RankingRowSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    title = StrictCharField()
    lead = StrictCharField()
    rank = serializers.IntegerField(allow_null=True)
    complete = serializers.BooleanField()
    judges = serializers.IntegerField(help_text="已提交的专家数")
    expected = serializers.IntegerField(help_text="应评分的专家数")
    score = StrictCharField(allow_null=True)
    technical = StrictCharField(allow_null=True)
    business = StrictCharField(allow_null=True)
    originality = StrictCharField(allow_null=True)
    tie_break = StrictCharField()
    diagnostics = serializers.DictField(allow_null=True)


class RankingSerializer(serializers.Serializer):
    challenge = serializers.IntegerField()
    computed_at = serializers.DateTimeField(allow_null=True)
    method = StrictCharField(allow_null=True)
    parameters = serializers.DictField(allow_null=True)
    inputs_sha256 = StrictCharField(allow_null=True)
    complete = serializers.BooleanField(help_text="全部方案的全部专家已提交")
    locked = serializers.BooleanField(help_text="评审组长已结束评分")
    entries = RankingRowSerializer(many=True, help_text="评审组未全部提交前，专家看不到分数")
    judges = serializers.ListField(child=serializers.DictField(), help_text="专家宽严度（运营人员与评审组长）")


class NoticeRowSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    rank = serializers.IntegerField(allow_null=True)
    title = StrictCharField()
    lead = StrictCharField()
    score = StrictCharField(allow_null=True)
    technical = StrictCharField(allow_null=True)
    business = StrictCharField(allow_null=True)
    award = StrictCharField(allow_null=True, help_text="结果发布后的奖励金额（元）")


class NoticeChallengeSerializer(serializers.Serializer):
    challenge = serializers.IntegerField()
    title = StrictCharField()
    rows = NoticeRowSerializer(many=True, allow_null=True)


class ObjectionSerializer(PortalModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "challenge", "entry", "text", "status", "answer", "answered_at", "created_at"]
        read_only_fields = ["id", "status", "answer", "answered_at", "created_at"]


class AnswerSerializer(serializers.Serializer):
    answer = StrictCharField(max_length=2000, allow_blank=True)


class AwardSerializer(PortalModelSerializer):
    class Meta:
        model = Award
        fields = ["id", "entry", "challenge", "contest", "amount", "note", "decided_at"]
        read_only_fields = ["id", "challenge", "contest", "decided_at"]
        extra_kwargs = {"amount": {"coerce_to_string": True}}


class AwardDecideSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    # A number or its text: the service reads the amount, with its own Chinese messages (奖励金额…).
    amount = serializers.CharField(max_length=20, help_text="元，最多两位小数")
    note = StrictCharField(max_length=300, allow_blank=True, required=False, default="")


class MilestoneSerializer(PortalModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "kind", "due_on", "completed_on", "note"]
        read_only_fields = fields


class ProgressReportSerializer(PortalModelSerializer):
    class Meta:
        model = ProgressReport
        fields = ["id", "milestone", "text", "submitted_at"]
        read_only_fields = ["id", "submitted_at"]


class AgreementSerializer(PortalModelSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = CooperationAgreement
        fields = [
            "id",
            "entry",
            "mode",
            "title",
            "objectives",
            "contract_amount",
            "starts_on",
            "ends_on",
            "signed_on",
            "milestones",
            "updated_at",
        ]
        read_only_fields = ["id", "milestones", "updated_at"]


class AgreementWriteSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    mode = StrictCharField(max_length=12)
    title = StrictCharField(max_length=100, allow_blank=True, required=False, default="")
    objectives = StrictCharField(max_length=3000, allow_blank=True, required=False, default="")
    # A number or its text, read by the service (as amount above).
    contract_amount = serializers.CharField(max_length=20, allow_blank=True, required=False, default="")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    signed_on = serializers.DateField(required=False, allow_null=True, default=None)
    milestones = serializers.DictField(
        child=serializers.DateField(),
        required=False,
        default=dict,
        help_text="design / onsite_test / verification → 计划完成日期",
    )


class BenefitSerializer(PortalModelSerializer):
    class Meta:
        model = PolicyBenefit
        fields = [
            "id",
            "entry",
            "kind",
            "year",
            "insured_kind",
            "premium",
            "subsidy_percent",
            "subsidy_amount",
            "reference",
            "note",
            "recorded_at",
        ]
        read_only_fields = ["id", "subsidy_amount", "recorded_at"]
        extra_kwargs = {"premium": {"coerce_to_string": True}, "subsidy_percent": {"coerce_to_string": True}}


class BenefitWriteSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    kind = StrictCharField(max_length=12)
    year = serializers.IntegerField()
    insured_kind = StrictCharField(max_length=16, allow_blank=True, required=False, default="")
    premium = StrictCharField(max_length=20, allow_blank=True, required=False, default="")
    subsidy_percent = StrictCharField(max_length=10, allow_blank=True, required=False, default="")
    reference = StrictCharField(max_length=100, allow_blank=True, required=False, default="")
    note = StrictCharField(max_length=300, allow_blank=True, required=False, default="")
