"""Serializers of the evaluation API."""

from rest_framework import serializers

from evaluation.models import EvaluationRound, EvaluationSheet, Framework, IndicatorScore

# === Frameworks (评价指标体系, computed indicator rules) ===


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


class EvaluationRoundSerializer(serializers.ModelSerializer):
    # Plain strings (with their labels beside): choice fields named "level"/"status" would collide
    # with other apps' enums in the OpenAPI schema (drf_spectacular.W001).
    level = serializers.CharField(read_only=True, help_text="city / industry / enterprise")
    status = serializers.CharField(read_only=True, help_text="preparing / self_assessment / scoring / closed")
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

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
    title = serializers.CharField(max_length=100)
    level = serializers.CharField(max_length=12, help_text="city（城市级）/ industry（产业级）/ enterprise（企业级）")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    framework = serializers.PrimaryKeyRelatedField(queryset=Framework.objects.all())
    self_assessment_due = serializers.DateField(required=False, allow_null=True)
    scoring_due = serializers.DateField(required=False, allow_null=True)


class IndicatorScoreSerializer(serializers.ModelSerializer):
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)

    class Meta:
        model = IndicatorScore
        fields = ["indicator", "indicator_name", "points", "comment", "red_line_hit"]
        read_only_fields = fields


class EvaluationSheetSerializer(serializers.ModelSerializer):
    """An expert's own sheet (never anyone else's: the queryset is the expert's own)."""

    round = serializers.IntegerField(source="subject.round_id", read_only=True)
    subject_title = serializers.CharField(source="subject.title", read_only=True)
    scores = IndicatorScoreSerializer(many=True, read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft / submitted")

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
    points = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="专家评分：0–满分，0.5 分为单位；系统计算/导入指标：confirm 表示确认",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    red_line_hit = serializers.BooleanField(required=False, default=False)


class SheetWriteSerializer(serializers.Serializer):
    subject = serializers.IntegerField(help_text="评价对象编号")
    scores = SheetLineSerializer(many=True)


class SheetReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True)


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


# === Typical cases (典型案例) and replications (复制推广) ===


# === Tolerance register (包容期 and 容错) ===
