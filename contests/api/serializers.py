from rest_framework import serializers

from contests.models import Challenge, ConsortiumMember, Contest, ContestEntry, Criterion, JudgeRelationship, PanelMembership


class ContestSerializer(serializers.ModelSerializer):
    current_round = serializers.SerializerMethodField()

    class Meta:
        model = Contest
        fields = [
            "id", "name", "year", "description", "award_budget", "entries_per_company", "challenges_open_at", "registration_open_at",
            "eligibility_open_at", "roadshow_open_at", "review_open_at", "notice_open_at", "results_open_at", "current_round",
        ]
        read_only_fields = fields

    def get_current_round(self, contest) -> str | None:
        return contest.current_round()


class ContestCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    year = serializers.IntegerField(min_value=2020, max_value=2100)
    description = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")
    award_budget = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    entries_per_company = serializers.IntegerField(min_value=1, max_value=20, default=3)
    challenges_open_at = serializers.DateTimeField()
    registration_open_at = serializers.DateTimeField()
    eligibility_open_at = serializers.DateTimeField()
    roadshow_open_at = serializers.DateTimeField()
    review_open_at = serializers.DateTimeField()
    notice_open_at = serializers.DateTimeField()
    results_open_at = serializers.DateTimeField()


class ChallengeSerializer(serializers.ModelSerializer):
    scenario_title = serializers.CharField(source="scenario.title", read_only=True)
    publisher = serializers.CharField(source="scenario.publisher.name", read_only=True)

    class Meta:
        model = Challenge
        fields = ["id", "contest", "scenario", "scenario_title", "publisher", "title", "requirements", "award_cap", "created_at"]
        read_only_fields = ["id", "scenario_title", "publisher", "created_at"]


class ChallengeCreateSerializer(serializers.Serializer):
    contest = serializers.IntegerField(min_value=1)
    scenario = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    requirements = serializers.CharField(max_length=3000)
    award_cap = serializers.DecimalField(max_digits=10, decimal_places=2)


class ConsortiumMemberSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = ConsortiumMember
        fields = ["id", "organisation", "organisation_name", "status", "responded_at"]
        read_only_fields = fields


class ContestEntrySerializer(serializers.ModelSerializer):
    lead_name = serializers.CharField(source="lead.name", read_only=True)
    members = ConsortiumMemberSerializer(many=True, read_only=True)

    class Meta:
        model = ContestEntry
        fields = [
            "id", "challenge", "lead", "lead_name", "title", "summary", "status", "submitted_at", "commitment_signed_at", "commitment_sha256",
            "eligibility_note", "credit_check", "credit_check_note", "members",
        ]
        read_only_fields = fields


class ContestEntryCreateSerializer(serializers.Serializer):
    challenge = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=100)
    summary = serializers.CharField(max_length=5000)
    members = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=10)


class ContestEntrySubmitSerializer(serializers.Serializer):
    credit_commitment = serializers.BooleanField(help_text="签署信用承诺（须为 true）")


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CreditCheckSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ConsortiumAnswerSerializer(serializers.Serializer):
    member = serializers.IntegerField(min_value=1)
    accept = serializers.BooleanField()


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["dimension", "name", "description", "max_points"]


class RubricSerializer(serializers.Serializer):
    criteria = CriterionSerializer(many=True)


class JudgeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name", default=None)
    expertise = serializers.SerializerMethodField()

    def get_expertise(self, judge) -> list[str]:
        profile = getattr(judge, "judge_profile", None)
        return profile.fields if profile else []


class RelationshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = JudgeRelationship
        fields = ["id", "organisation", "kind", "ended_year", "note", "declared_at"]
        read_only_fields = ["id", "declared_at"]


class PanelAssignSerializer(serializers.Serializer):
    judge = serializers.IntegerField(min_value=1)
    is_chair = serializers.BooleanField(default=False)


class PanelMembershipSerializer(serializers.ModelSerializer):
    judge_name = serializers.CharField(source="judge.display_name", read_only=True)

    class Meta:
        model = PanelMembership
        fields = ["judge", "judge_name", "is_chair", "assigned_at"]
        read_only_fields = fields
