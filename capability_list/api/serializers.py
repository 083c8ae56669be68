from rest_framework import serializers

from capability_list.choices import CredentialKind, CredentialLevel
from capability_list.models import CapabilityEntry, Credential, Industry, StrategicArea
from capability_list.permissions import can_edit_entry
from capability_list.services import MAX_CREDENTIALS


class IndustrySerializer(serializers.ModelSerializer):
    section = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Industry
        fields = ["code", "name", "name_en", "section"]


class StrategicAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = StrategicArea
        fields = ["code", "name", "name_en"]


class CredentialSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=CredentialKind.choices)
    level = serializers.ChoiceField(choices=CredentialLevel.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)

    class Meta:
        model = Credential
        fields = ["kind", "certificate_number", "level", "year"]
        extra_kwargs = {"certificate_number": {"validators": []}}


class EntrySerializer(serializers.ModelSerializer):
    company = serializers.CharField(source="company.name", read_only=True)
    company_credit_code = serializers.CharField(source="company.credit_code", read_only=True)
    submitted_via = serializers.CharField(source="submitted_via.name", read_only=True, default=None)
    industry = serializers.SlugRelatedField(slug_field="code", read_only=True)
    strategic_area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    credentials = CredentialSerializer(many=True, read_only=True)
    editable = serializers.SerializerMethodField()

    class Meta:
        model = CapabilityEntry
        fields = [
            "id", "name", "kind", "company", "company_credit_code", "submitted_via", "description", "application_cases",
            "technology_fields", "industry", "strategic_area", "maturity", "price_band", "is_strategic_emerging",
            "is_independent_innovation", "credentials", "status", "status_display", "review_note", "listed_at", "editable",
        ]
        read_only_fields = fields

    def get_editable(self, entry) -> bool:
        return can_edit_entry(self.context["request"].user, entry)


class EntryWriteSerializer(serializers.ModelSerializer):
    industry = serializers.SlugRelatedField(slug_field="code", queryset=Industry.objects.filter(section__isnull=False), required=False, allow_null=True)
    strategic_area = serializers.SlugRelatedField(slug_field="code", queryset=StrategicArea.objects.all(), required=False, allow_null=True)
    technology_fields = serializers.ListField(child=serializers.CharField(max_length=20), max_length=10, required=False)
    credentials = CredentialSerializer(many=True, required=False, max_length=MAX_CREDENTIALS)
    company_credit_code = serializers.CharField(max_length=18, required=False, help_text="协会代报时填写企业的统一社会信用代码")
    company_name = serializers.CharField(max_length=100, required=False)
    company_district = serializers.CharField(max_length=32, required=False)

    class Meta:
        model = CapabilityEntry
        fields = [
            "name", "kind", "description", "application_cases", "technology_fields", "industry", "strategic_area", "maturity",
            "price_band", "is_strategic_emerging", "is_independent_innovation", "credentials", "company_credit_code",
            "company_name", "company_district",
        ]
        validators = []  # the service checks the name is unique per company, with its own message


class ReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
