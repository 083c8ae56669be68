from rest_framework import serializers

from core.api.serializers import PortalModelSerializer, StrictCharField
from matching.choices import DeclineReason, MatchDecision
from matching.explanations import explanation_shown
from matching.models import Match


class MatchSerializer(PortalModelSerializer):
    scenario_title = StrictCharField(source="scenario.title", read_only=True)
    entry_name = StrictCharField(source="entry.name", read_only=True)
    company = serializers.IntegerField(source="entry.company_id", read_only=True)
    company_name = StrictCharField(source="entry.company.name", read_only=True)
    parts = serializers.SerializerMethodField()
    publisher_decision = StrictCharField(read_only=True, allow_null=True)
    company_decision = StrictCharField(read_only=True, allow_null=True)

    explanation = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = [
            "id",
            "scenario",
            "scenario_title",
            "entry",
            "entry_name",
            "company",
            "company_name",
            "score",
            "parts",
            "covered",
            "gaps",
            "explanation",
            "publisher_decision",
            "company_decision",
            "updated_at",
        ]
        read_only_fields = fields

    def get_explanation(self, match) -> str:
        return explanation_shown(match.explanation)

    def get_parts(self, match) -> dict:
        return {name: getattr(match, name) for name in ("text", "coverage", "fields", "credential", "fit", "district")}


class MatchAnswerSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=MatchDecision.choices,
        error_messages={"invalid_choice": "请选择 accepted（接受）或 declined（不接受）。"},
    )
    reason = serializers.ChoiceField(choices=DeclineReason.choices, required=False, allow_blank=True, default="")
