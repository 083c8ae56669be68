"""steering API serializers.py, one section per topic."""

# === Targets ===
from rest_framework import serializers  # noqa: E402


class TargetCardSerializer(serializers.Serializer):
    """One 十百千 metric: the live figure, its target, plan, completion and 口径."""

    code = serializers.CharField()
    label = serializers.CharField()
    value = serializers.IntegerField()
    target = serializers.IntegerField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    planned = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    ratio = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    lamp = serializers.CharField()
    status = serializers.CharField()
    as_of = serializers.DateTimeField()
    definition = serializers.CharField()
    version = serializers.IntegerField()
    url = serializers.CharField()


class TargetSeriesPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    value = serializers.IntegerField()
    planned = serializers.FloatField(allow_null=True)
    target = serializers.IntegerField(allow_null=True)
    rule_version = serializers.IntegerField()


class TargetContributorSerializer(serializers.Serializer):
    """A record a metric counts: its id, name, district, when it started counting, its page."""

    id = serializers.IntegerField(source="pk")
    name = serializers.SerializerMethodField()
    district = serializers.SerializerMethodField()
    counted_at = serializers.SerializerMethodField()

    def get_name(self, record) -> str:
        return getattr(record, "title", None) or getattr(getattr(record, "case", None), "title", None) or record.name

    def get_district(self, record) -> str | None:
        owner = getattr(record, "adopter", None) or record
        district = getattr(owner, "district", None)
        return district.name if district else None

    def get_counted_at(self, record) -> str | None:
        value = record.counted_at
        return value.isoformat() if value else None


# === Programme tasks ===

# === SOE assessment ===

# === Cockpit ===
from rest_framework import serializers  # noqa: E402


class CockpitDatasetSerializer(serializers.Serializer):
    """An ECharts dataset: dimensions ["key", "name", "value"], one row per item (money as a string)."""

    dimensions = serializers.ListField(child=serializers.CharField())
    source = serializers.ListField(child=serializers.ListField())


class CockpitChartSerializer(serializers.Serializer):
    """What /api/v1/cockpit/<code>/ answers (documentation only: the payload is built by steering.cockpit)."""

    dataset = CockpitDatasetSerializer()
    meta = serializers.DictField(help_text="code, title, definition (口径), unit, display, as_of, filters, items")


# === Reports ===
