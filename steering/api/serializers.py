"""steering API serializers.py, one section per topic."""

# === Targets ===

# === Programme tasks ===
from rest_framework import serializers  # noqa: E402

from steering.models import ProgrammeTask, ReportingCycle, UnitReport, UnitReportVersion  # noqa: E402


class ProgrammeTaskSerializer(serializers.ModelSerializer):
    lead_units = serializers.SerializerMethodField()
    support_units = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = ProgrammeTask
        fields = [
            "id",
            "code",
            "title",
            "policy_text",
            "progress_method",
            "starts_on",
            "ends_on",
            "lead_units",
            "support_units",
            "progress",
        ]

    def get_lead_units(self, task) -> list[str]:
        return [unit.short_name for unit in task.lead_units]

    def get_support_units(self, task) -> list[str]:
        return [unit.short_name for unit in task.support_units]

    def get_progress(self, task) -> dict:
        return task.progress


class ReportingCycleSerializer(serializers.ModelSerializer):
    total = serializers.IntegerField(read_only=True)
    filed = serializers.IntegerField(read_only=True)
    missing = serializers.IntegerField(read_only=True)
    red = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReportingCycle
        fields = [
            "id",
            "label",
            "kind",
            "opens_on",
            "due_on",
            "status",
            "closed_at",
            "total",
            "filed",
            "missing",
            "red",
        ]


class UnitReportVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitReportVersion
        fields = [
            "number",
            "narrative",
            "percentage",
            "problems",
            "next_steps",
            "submitted_at",
            "decision",
            "decision_reason",
            "decided_at",
        ]


class UnitReportSerializer(serializers.ModelSerializer):
    cycle = serializers.CharField(source="cycle.label", read_only=True)
    task = serializers.IntegerField(source="task.code", read_only=True)
    unit = serializers.CharField(source="unit.short_name", read_only=True)
    version_number = serializers.IntegerField(read_only=True, allow_null=True)
    reported = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = UnitReport
        fields = [
            "id",
            "cycle",
            "task",
            "unit",
            "role",
            "status",
            "lamp",
            "lamp_reasons",
            "lamp_since",
            "version_number",
            "reported",
        ]


class ReportSubmitSerializer(serializers.Serializer):
    narrative = serializers.CharField(max_length=5000)
    percentage = serializers.IntegerField(min_value=0, max_value=100)
    problems = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    next_steps = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ReportDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


# === SOE assessment ===

# === Cockpit ===

# === Reports ===
