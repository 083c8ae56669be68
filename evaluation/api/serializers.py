"""Serializers of the evaluation API."""

from django.utils import timezone
from rest_framework import serializers

from evaluation.choices import FindingStatus
from evaluation.models import Finding, SubjectResult

# === Frameworks (评价指标体系, computed indicator rules) ===


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


class SubjectResultSerializer(serializers.ModelSerializer):
    """A subject's computed result (evaluation.scoring): total, grade, red line, dimensions and the
    per-indicator detail; the stored inputs reproduce it (their SHA-256 is given)."""

    subject_title = serializers.CharField(source="subject.title", read_only=True)
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


class FindingSerializer(serializers.ModelSerializer):
    subject_title = serializers.CharField(source="subject.title", read_only=True)
    round = serializers.IntegerField(source="subject.round_id", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
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
    note = serializers.CharField(max_length=3000)


class FindingRectificationSerializer(serializers.Serializer):
    rectification = serializers.CharField(max_length=3000)


class FindingReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


# === Typical cases (典型案例) and replications (复制推广) ===


# === Tolerance register (包容期 and 容错) ===
