"""steering API serializers.py, one section per topic."""

# === Targets ===

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
