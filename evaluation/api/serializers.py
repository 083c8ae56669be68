"""Serializers of the evaluation API."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from rest_framework import serializers

from contests.sheets import TOO_MANY_LINES, repeated_lines_message
from core.api.serializers import PortalModelSerializer, StrictCharField, StrictPrimaryKeyRelatedField
from evaluation.choices import CaseDecision, FindingStatus, Level, ReplicationKind, ToleranceDecision
from evaluation.indicator_rules import rule_for
from evaluation.models import (
    EvaluationRound,
    EvaluationSheet,
    Finding,
    Framework,
    GradeBand,
    IndicatorScore,
    Replication,
    SubjectResult,
    ToleranceCheckpoint,
    ToleranceExtension,
    ToleranceIncident,
    TolerancePeriod,
    TypicalCase,
)


def _invalid_choice(choices: dict) -> str:
    listed = "、".join(f"{value}（{label}）" for value, label in choices.items())
    return _("“{input}”不是有效的选项，可选：%(choices)s。") % {"choices": listed}


class ListedChoiceField(serializers.ChoiceField):
    """A choice field whose refusal (400) names every valid value with its label, in the request's
    language; the schema documents the enum (named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices, **kwargs)
        self.error_messages["invalid_choice"] = lazy(_invalid_choice, str)(self.choices)


# === Frameworks (评价指标体系, computed indicator rules) ===


class GradeBandSerializer(PortalModelSerializer):
    class Meta:
        model = GradeBand
        fields = ["name", "min_total", "is_lowest"]


def _indicator_tree(framework: Framework) -> list[dict]:
    """The prefetched indicators as a nested tree, each with its absolute weight and rule label."""
    from evaluation.services.frameworks import framework_tree

    roots, children = framework_tree(framework.indicators.all())

    def node(item, parent_absolute):
        absolute = item.weight * parent_absolute / Decimal("100")
        rule = rule_for(item.rule)
        kids = children.get(item.pk, [])
        return {
            "id": item.pk,
            "code": item.code,
            "tier": item.tier,
            "name": item.name,
            "definition": item.definition,
            "weight": str(item.weight),
            "absolute_weight": str(absolute.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)),
            "method": item.method,
            "max_points": str(item.max_points),
            "rule": item.rule,
            "rule_label": str(rule.label) if rule else "",
            "target": None if item.target is None else str(item.target),
            "evidence_required": item.evidence_required,
            "is_red_line": item.is_red_line,
            "children": [node(kid, absolute) for kid in kids],
        }

    return [node(item, Decimal("100")) for item in roots]


class FrameworkSerializer(PortalModelSerializer):
    indicators = serializers.SerializerMethodField()
    grade_bands = GradeBandSerializer(many=True, read_only=True)
    indicator_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Framework
        fields = [
            "id",
            "level",
            "version",
            "name",
            "status",
            "based_on",
            "change_note",
            "published_at",
            "indicator_count",
            "indicators",
            "grade_bands",
        ]

    def get_indicators(self, framework) -> list[dict]:
        return _indicator_tree(framework)


class FrameworkNewVersionSerializer(serializers.Serializer):
    change_note = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


class EvaluationRoundSerializer(PortalModelSerializer):
    # level and status are the model's choice fields; their enums are named in
    # SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] (EvaluationLevelEnum, RoundStatusEnum).
    level_label = StrictCharField(source="get_level_display", read_only=True)
    status_label = StrictCharField(source="get_status_display", read_only=True)

    class Meta:
        model = EvaluationRound
        fields = [
            "id",
            "title",
            "level",
            "level_label",
            "year",
            "framework",
            "status",
            "status_label",
            "self_assessment_due",
            "scoring_due",
            "opened_at",
        ]
        read_only_fields = fields


class OperatorRoundSerializer(EvaluationRoundSerializer):
    subject_count = serializers.IntegerField(read_only=True)
    expert_count = serializers.IntegerField(read_only=True)
    sheets_submitted = serializers.IntegerField(read_only=True)

    class Meta(EvaluationRoundSerializer.Meta):
        fields = [*EvaluationRoundSerializer.Meta.fields, "subject_count", "expert_count", "sheets_submitted"]
        read_only_fields = fields


class RoundCreateSerializer(serializers.Serializer):
    title = StrictCharField(max_length=100)
    level = ListedChoiceField(choices=Level.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    framework = StrictPrimaryKeyRelatedField(queryset=Framework.objects.all())
    self_assessment_due = serializers.DateField(required=False, allow_null=True)
    scoring_due = serializers.DateField(required=False, allow_null=True)


class IndicatorScoreSerializer(PortalModelSerializer):
    indicator_name = StrictCharField(source="indicator.name", read_only=True)

    class Meta:
        model = IndicatorScore
        fields = ["indicator", "indicator_name", "points", "comment", "red_line_hit"]
        read_only_fields = fields


class EvaluationSheetSerializer(PortalModelSerializer):
    """An expert's own sheet (never anyone else's: the queryset is the expert's own)."""

    round = serializers.IntegerField(source="subject.round_id", read_only=True)
    subject_title = StrictCharField(source="subject.title", read_only=True)
    scores = IndicatorScoreSerializer(many=True, read_only=True)

    class Meta:
        model = EvaluationSheet
        fields = [
            "id",
            "round",
            "subject",
            "subject_title",
            "status",
            "submitted_at",
            "content_sha256",
            "scores",
            "updated_at",
        ]
        read_only_fields = fields


class SheetLineSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    # A number or its text (JSON has no decimal type): the service reads it, with its own Chinese messages.
    points = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="专家评分：0–满分，0.5 分为单位；系统计算/导入指标：confirm 表示确认",
    )
    comment = StrictCharField(required=False, allow_blank=True, default="", max_length=500)
    red_line_hit = serializers.BooleanField(required=False, default=False)


# Far more leaves than the sheet page itself can post (DATA_UPLOAD_MAX_NUMBER_FIELDS, four fields a leaf).
MAX_SHEET_LINES = 1000


class SheetWriteSerializer(serializers.Serializer):
    subject = serializers.IntegerField(help_text="评价对象编号")
    # Each leaf indicator once; a longer list is refused before any line is read.
    scores = SheetLineSerializer(many=True, max_length=MAX_SHEET_LINES, error_messages={"max_length": TOO_MANY_LINES})

    def validate_scores(self, lines):
        refusal = repeated_lines_message(line["indicator"] for line in lines)
        if refusal:
            raise serializers.ValidationError(refusal)
        return lines


class SheetReasonSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=500, allow_blank=True)


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


class SubjectResultSerializer(PortalModelSerializer):
    """A subject's computed result (evaluation.scoring): total, grade, red line, dimensions and the
    per-indicator detail; the stored inputs reproduce it (their SHA-256 is given)."""

    subject_title = StrictCharField(source="subject.title", read_only=True)
    round = serializers.IntegerField(source="subject.round_id", read_only=True)

    class Meta:
        model = SubjectResult
        fields = [
            "id",
            "subject",
            "subject_title",
            "round",
            "total",
            "grade",
            "red_line_hit",
            "is_published",
            "computed_at",
            "inputs_sha256",
            "results",
        ]
        read_only_fields = fields


class FindingSerializer(PortalModelSerializer):
    subject_title = StrictCharField(source="subject.title", read_only=True)
    round = serializers.IntegerField(source="subject.round_id", read_only=True)
    organisation_name = StrictCharField(source="organisation.name", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id",
            "subject",
            "subject_title",
            "round",
            "indicator",
            "severity",
            "description",
            "recommendation",
            "organisation",
            "organisation_name",
            "due_date",
            "status",
            "overdue",
            "rectification",
            "rectified_at",
            "verified_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_overdue(self, finding) -> bool:
        return finding.status != FindingStatus.VERIFIED and finding.due_date < timezone.localdate()


class FindingNoteSerializer(serializers.Serializer):
    note = StrictCharField(max_length=3000)


class FindingRectificationSerializer(serializers.Serializer):
    rectification = StrictCharField(max_length=3000)


class FindingReturnSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=500)


# === Typical cases (典型案例) and replications (复制推广) ===


class TypicalCaseSerializer(PortalModelSerializer):
    level = serializers.ChoiceField(source="subject.round.level", choices=Level.choices, read_only=True)
    year = serializers.IntegerField(source="subject.round.year", read_only=True)
    scenario = serializers.IntegerField(source="subject.scenario_id", read_only=True, allow_null=True)
    supplier_name = StrictCharField(source="supplier.name", read_only=True, default="")
    grade = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()

    class Meta:
        model = TypicalCase
        fields = [
            "id",
            "status",
            "title",
            "level",
            "year",
            "scenario",
            "problem",
            "solution",
            "supplier",
            "supplier_name",
            "outcomes",
            "grade",
            "total",
            "decided_at",
        ]

    def _published(self, case):
        results = getattr(case.subject, "published_results", None)
        return results[0] if results else None

    def get_grade(self, case) -> str:
        result = self._published(case)
        return result.grade if result else ""

    def get_total(self, case) -> str | None:
        result = self._published(case)
        return str(result.total) if result and result.total is not None else None


class CaseDecideSerializer(serializers.Serializer):
    decision = ListedChoiceField(choices=CaseDecision.choices)
    reason = StrictCharField(max_length=500, allow_blank=True)


class ReplicationSerializer(PortalModelSerializer):
    adopter_name = StrictCharField(source="adopter.name", read_only=True)
    case_title = StrictCharField(source="case.title", read_only=True)

    class Meta:
        model = Replication
        fields = [
            "id",
            "case",
            "case_title",
            "adopter",
            "adopter_name",
            "kind",
            "scenario",
            "description",
            "evidence_name",
            "status",
            "recorded_at",
            "verified_at",
            "decision_reason",
        ]


class ReplicationCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    kind = ListedChoiceField(choices=ReplicationKind.choices)
    scenario = serializers.IntegerField(required=False, allow_null=True)
    description = StrictCharField(max_length=3000, required=False, allow_blank=True, default="")
    evidence = serializers.FileField(required=False, allow_null=True)


class ReplicationVerifySerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


# === Tolerance register (包容期 and 容错) ===


class ToleranceCheckpointSerializer(PortalModelSerializer):
    class Meta:
        model = ToleranceCheckpoint
        fields = ["id", "title", "due_on", "done_on", "note"]


class ToleranceIncidentSerializer(PortalModelSerializer):
    class Meta:
        model = ToleranceIncident
        fields = ["id", "occurred_on", "description", "decision", "decision_basis", "decided_at", "recorded_at"]


class ToleranceExtensionSerializer(PortalModelSerializer):
    class Meta:
        model = ToleranceExtension
        fields = ["id", "requested_until", "reason", "status", "requested_at", "decided_at", "decision_reason"]


class TolerancePeriodSerializer(PortalModelSerializer):
    scenario_title = StrictCharField(source="scenario.title", read_only=True)
    publisher = serializers.IntegerField(source="scenario.publisher_id", read_only=True)
    checkpoints = ToleranceCheckpointSerializer(many=True, read_only=True)
    incidents = ToleranceIncidentSerializer(many=True, read_only=True)
    extensions = ToleranceExtensionSerializer(many=True, read_only=True)

    class Meta:
        model = TolerancePeriod
        fields = [
            "id",
            "scenario",
            "scenario_title",
            "publisher",
            "starts_on",
            "ends_on",
            "original_ends_on",
            "status",
            "ended_on",
            "end_reason",
            "checkpoints",
            "incidents",
            "extensions",
        ]


class TolerancePeriodOpenSerializer(serializers.Serializer):
    scenario = serializers.IntegerField()
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)


class CheckpointAddSerializer(serializers.Serializer):
    title = StrictCharField(max_length=100)
    due_on = serializers.DateField()


class CheckpointCompleteSerializer(serializers.Serializer):
    checkpoint = serializers.IntegerField()
    done_on = serializers.DateField()
    note = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


class IncidentRecordSerializer(serializers.Serializer):
    occurred_on = serializers.DateField()
    description = StrictCharField(max_length=1000)


class IncidentDecideSerializer(serializers.Serializer):
    incident = serializers.IntegerField()
    decision = ListedChoiceField(choices=ToleranceDecision.choices)
    basis = StrictCharField(max_length=1000, allow_blank=True)
    reason = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


class ExtensionRequestSerializer(serializers.Serializer):
    requested_until = serializers.DateField()
    reason = StrictCharField(max_length=1000, allow_blank=True)


class ExtensionDecideSerializer(serializers.Serializer):
    extension = serializers.IntegerField()
    approve = serializers.BooleanField()
    reason = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


class PeriodEndSerializer(serializers.Serializer):
    early = serializers.BooleanField()
    reason = StrictCharField(max_length=500, required=False, allow_blank=True, default="")
