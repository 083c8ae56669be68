"""Serializers of the evaluation API."""

from decimal import ROUND_HALF_UP, Decimal

from rest_framework import serializers

from evaluation.indicator_rules import rule_for
from evaluation.models import Framework, GradeBand

# === Frameworks (评价指标体系, computed indicator rules) ===


class GradeBandSerializer(serializers.ModelSerializer):
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


class FrameworkSerializer(serializers.ModelSerializer):
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
    change_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


# === Typical cases (典型案例) and replications (复制推广) ===


# === Tolerance register (包容期 and 容错) ===
