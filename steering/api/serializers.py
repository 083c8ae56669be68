"""steering API serializers.py, one section per topic."""

# === Targets ===

# === Programme tasks ===

# === SOE assessment ===
from decimal import Decimal  # noqa: E402

from rest_framework import serializers  # noqa: E402

from steering.choices import ProductUseKind  # noqa: E402
from steering.models import ProductUse  # noqa: E402


class ScoreItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    cap = serializers.DecimalField(max_digits=6, decimal_places=2)
    score = serializers.DecimalField(max_digits=8, decimal_places=2)
    capped = serializers.BooleanField()


class ScoreRowSerializer(serializers.Serializer):
    """One organisation's row of the SOE scorecard or the company credit list."""

    organisation = serializers.IntegerField(source="organisation.pk")
    organisation_name = serializers.CharField(source="organisation.name")
    credit_code = serializers.CharField(source="organisation.credit_code")
    items = ScoreItemSerializer(many=True)
    total = serializers.DecimalField(max_digits=8, decimal_places=2)


class ProductUseSerializer(serializers.ModelSerializer):
    entry_title = serializers.CharField(source="entry.title", read_only=True)
    company = serializers.IntegerField(source="entry.lead_id", read_only=True)
    company_name = serializers.CharField(source="entry.lead.name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

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
    contract_number = serializers.CharField(max_length=64)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    used_on = serializers.DateField()
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    evidence = serializers.FileField(required=False, allow_null=True)


class ProductUseFromAgreementSerializer(serializers.Serializer):
    agreement = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    contract_number = serializers.CharField(max_length=64)


class ProductUseVerifySerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# === Cockpit ===

# === Reports ===
