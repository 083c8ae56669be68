from rest_framework import serializers

from capability_list.choices import CredentialKind, CredentialLevel
from capability_list.entry_rules import MAX_CREDENTIALS
from capability_list.models import (
    AgendaItem,
    CapabilityEntry,
    Credential,
    Enquiry,
    Industry,
    MatchmakingEvent,
    StrategicArea,
)
from capability_list.permissions import can_edit_entry
from capability_list.services import ENTRY_FIELDS
from core.api.serializers import PortalModelSerializer, StrictBooleanField, StrictCharField, StrictSlugRelatedField


class IndustrySerializer(PortalModelSerializer):
    section = StrictSlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # a section has none

    class Meta:
        model = Industry
        fields = ["code", "name", "name_en", "section"]


class StrategicAreaSerializer(PortalModelSerializer):
    class Meta:
        model = StrategicArea
        fields = ["code", "name", "name_en"]


class CredentialSerializer(PortalModelSerializer):
    kind = serializers.ChoiceField(choices=CredentialKind.choices)
    level = serializers.ChoiceField(choices=CredentialLevel.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)

    class Meta:
        model = Credential
        fields = ["kind", "certificate_number", "level", "year"]
        extra_kwargs = {"certificate_number": {"validators": []}}


class EntrySerializer(PortalModelSerializer):
    company = StrictCharField(source="company.name", read_only=True)
    company_credit_code = StrictCharField(source="company.credit_code", read_only=True)
    submitted_via = StrictCharField(source="submitted_via.name", read_only=True, default=None, allow_null=True)
    industry = StrictSlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    strategic_area = StrictSlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    status_display = StrictCharField(source="get_status_display", read_only=True)
    credentials = CredentialSerializer(many=True, read_only=True)
    editable = serializers.SerializerMethodField()

    class Meta:
        model = CapabilityEntry
        fields = [
            "id",
            "name",
            "kind",
            "company",
            "company_credit_code",
            "submitted_via",
            "description",
            "application_cases",
            "technology_fields",
            "industry",
            "strategic_area",
            "maturity",
            "price_band",
            "is_strategic_emerging",
            "is_independent_innovation",
            "credentials",
            "status",
            "status_display",
            "review_note",
            "listed_at",
            "editable",
        ]
        read_only_fields = fields

    def get_editable(self, entry) -> bool:
        return can_edit_entry(self.context["request"].user, entry)


class EntryWriteSerializer(PortalModelSerializer):
    industry = StrictSlugRelatedField(
        slug_field="code", queryset=Industry.objects.filter(section__isnull=False), required=False, allow_null=True
    )
    strategic_area = StrictSlugRelatedField(
        slug_field="code", queryset=StrategicArea.objects.all(), required=False, allow_null=True
    )
    technology_fields = serializers.ListField(child=StrictCharField(max_length=20), max_length=10, required=False)
    credentials = CredentialSerializer(many=True, required=False, max_length=MAX_CREDENTIALS)
    company_credit_code = StrictCharField(
        max_length=18, required=False, help_text="协会代报时填写企业的统一社会信用代码"
    )
    company_name = StrictCharField(max_length=100, required=False)
    company_district = StrictCharField(max_length=32, required=False)

    class Meta:
        model = CapabilityEntry
        fields = [*ENTRY_FIELDS, "credentials", "company_credit_code", "company_name", "company_district"]
        validators = []  # the service checks the name is unique per company, with its own message


class ReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


class EnquirySerializer(PortalModelSerializer):
    company = StrictCharField(source="company.name", read_only=True)
    addressee = StrictCharField(source="addressee.name", read_only=True)
    status_display = StrictCharField(source="get_status_display", read_only=True)

    class Meta:
        model = Enquiry
        fields = [
            "id",
            "subject",
            "question",
            "company",
            "addressee",
            "scenario",
            "status",
            "status_display",
            "due_date",
            "answer",
            "answered_at",
            "rating",
            "rating_comment",
            "escalated_at",
            "created_at",
        ]
        read_only_fields = fields


class EnquiryCreateSerializer(serializers.Serializer):
    subject = StrictCharField(max_length=100)
    question = StrictCharField(max_length=2000)
    scenario = serializers.IntegerField(required=False, min_value=1)
    department = serializers.IntegerField(required=False, min_value=1)


class EnquiryAnswerSerializer(serializers.Serializer):
    answer = StrictCharField(max_length=3000)


class EnquiryRateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = StrictCharField(max_length=300, required=False, allow_blank=True, default="")


class AgendaItemSerializer(PortalModelSerializer):
    scenario_title = StrictCharField(source="scenario.title", read_only=True)
    entry_name = StrictCharField(source="entry.name", read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "position",
            "scenario",
            "scenario_title",
            "entry",
            "entry_name",
            "publisher_attended",
            "company_attended",
            "outcome",
            "note",
        ]
        read_only_fields = fields


class EventSerializer(PortalModelSerializer):
    agenda = AgendaItemSerializer(many=True, read_only=True)
    host = StrictCharField(source="host.name", read_only=True)

    class Meta:
        model = MatchmakingEvent
        fields = ["id", "title", "kind", "starts_at", "venue", "host", "description", "agenda"]
        read_only_fields = ["id", "host", "agenda"]


class AgendaAddSerializer(serializers.Serializer):
    scenario = serializers.IntegerField(min_value=1)
    entry = serializers.IntegerField(min_value=1)


class AgendaRecordSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1)
    publisher_attended = StrictBooleanField(allow_null=True, required=False, default=None)
    company_attended = StrictBooleanField(allow_null=True, required=False, default=None)
    outcome = StrictCharField(max_length=12)
    note = StrictCharField(max_length=500, required=False, allow_blank=True, default="")
