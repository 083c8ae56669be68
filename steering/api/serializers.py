"""steering API serializers.py, one section per topic."""

# === Targets ===
from rest_framework import serializers  # noqa: E402

from core.api.serializers import PortalModelSerializer, StrictCharField  # noqa: E402


class TargetCardSerializer(serializers.Serializer):
    """One 十百千 metric: the live figure, its target, plan, completion and 口径."""

    code = StrictCharField()
    label = StrictCharField()
    value = serializers.IntegerField()
    target = serializers.IntegerField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    planned = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    ratio = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    lamp = StrictCharField()
    status = StrictCharField()
    as_of = serializers.DateTimeField()
    definition = StrictCharField()
    version = serializers.IntegerField()
    url = StrictCharField()


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
        return district.name_shown if district else None

    def get_counted_at(self, record) -> str | None:
        value = record.counted_at
        return value.isoformat() if value else None


# === Programme tasks ===
from rest_framework import serializers  # noqa: E402

from steering.models import ProgrammeTask, ReportingCycle, UnitReport, UnitReportVersion  # noqa: E402


class ProgrammeTaskSerializer(PortalModelSerializer):
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


class ReportingCycleSerializer(PortalModelSerializer):
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


class UnitReportVersionSerializer(PortalModelSerializer):
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


class UnitReportSerializer(PortalModelSerializer):
    cycle = StrictCharField(source="cycle.label", read_only=True)
    task = serializers.IntegerField(source="task.code", read_only=True)
    unit = StrictCharField(source="unit.short_name", read_only=True)
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
    narrative = StrictCharField(max_length=5000)
    percentage = serializers.IntegerField(min_value=0, max_value=100)
    problems = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")
    next_steps = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")


class ReportDecisionSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=1000, required=False, allow_blank=True, default="")


# === SOE assessment ===
from decimal import Decimal  # noqa: E402

from rest_framework import serializers  # noqa: E402

from steering.choices import ProductUseKind  # noqa: E402
from steering.models import ProductUse  # noqa: E402


class ScoreItemSerializer(serializers.Serializer):
    code = StrictCharField()
    label = StrictCharField()
    count = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    cap = serializers.DecimalField(max_digits=6, decimal_places=2)
    score = serializers.DecimalField(max_digits=8, decimal_places=2)
    capped = serializers.BooleanField()


class ScoreRowSerializer(serializers.Serializer):
    """One organisation's row of the SOE scorecard or the company credit list."""

    organisation = serializers.IntegerField(source="organisation.pk")
    organisation_name = StrictCharField(source="organisation.name")
    credit_code = StrictCharField(source="organisation.credit_code")
    items = ScoreItemSerializer(many=True)
    total = serializers.DecimalField(max_digits=8, decimal_places=2)


class ProductUseSerializer(PortalModelSerializer):
    entry_title = StrictCharField(source="entry.title", read_only=True)
    company = serializers.IntegerField(source="entry.lead_id", read_only=True)
    company_name = StrictCharField(source="entry.lead.name", read_only=True)
    organisation_name = StrictCharField(source="organisation.name", read_only=True)

    class Meta:
        model = ProductUse
        fields = [
            "id",
            "entry",
            "entry_title",
            "company",
            "company_name",
            "organisation",
            "organisation_name",
            "agreement",
            "kind",
            "contract_number",
            "amount",
            "used_on",
            "description",
            "evidence_name",
            "status",
            "decision_reason",
            "recorded_at",
            "verified_at",
        ]
        read_only_fields = fields


class ProductUseCreateSerializer(serializers.Serializer):
    entry = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    organisation = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=ProductUseKind.choices)
    contract_number = StrictCharField(max_length=64)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    used_on = serializers.DateField()
    description = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")
    evidence = serializers.FileField(required=False, allow_null=True)


class ProductUseFromAgreementSerializer(serializers.Serializer):
    agreement = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    contract_number = StrictCharField(max_length=64)


class ProductUseVerifySerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


# === Cockpit ===
from rest_framework import serializers  # noqa: E402


class CockpitDatasetSerializer(serializers.Serializer):
    """An ECharts dataset: dimensions ["key", "name", "value"], one row per item (money as a string)."""

    dimensions = serializers.ListField(child=StrictCharField())
    source = serializers.ListField(child=serializers.ListField())


class CockpitChartSerializer(serializers.Serializer):
    """What /api/v1/cockpit/<code>/ answers (documentation only: the payload is built by steering.cockpit)."""

    dataset = CockpitDatasetSerializer()
    meta = serializers.DictField(help_text="code, title, definition (口径), unit, display, as_of, filters, items")


# === Reports ===
