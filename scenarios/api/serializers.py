from django.urls import reverse
from rest_framework import serializers

from accounts.models import District, Organisation
from core.api.serializers import (
    PortalModelSerializer,
    StrictCharField,
    StrictDecimalField,
    StrictPrimaryKeyRelatedField,
    StrictSlugRelatedField,
)
from scenarios.models import DemonstrationZone, Domain, LabInstrument, Scenario, ScenarioAttachment
from scenarios.permissions import allowed_actions
from scenarios.selectors import replication_candidates
from scenarios.services import EDITABLE_FIELDS, MAX_NEED_ITEMS


class DomainSerializer(PortalModelSerializer):
    parent = StrictSlugRelatedField(
        slug_field="code", queryset=Domain.objects.filter(parent__isnull=True), allow_null=True, required=False
    )

    class Meta:
        model = Domain
        fields = ["id", "code", "name", "name_en", "parent", "sort_order", "is_active"]


class ZoneSerializer(PortalModelSerializer):
    district = StrictSlugRelatedField(slug_field="code", queryset=District.objects.all())
    kind_display = StrictCharField(source="get_kind_display", read_only=True)

    class Meta:
        model = DemonstrationZone
        fields = ["id", "name", "kind", "kind_display", "district", "focus", "description"]


class InstrumentSerializer(PortalModelSerializer):
    institute = StrictPrimaryKeyRelatedField(queryset=Organisation.objects.filter(kind="institute"))
    institute_name = StrictCharField(source="institute.name", read_only=True)

    class Meta:
        model = LabInstrument
        fields = ["id", "name", "model_number", "institute", "institute_name", "category", "capabilities", "is_open"]


class NeedItemSerializer(serializers.Serializer):
    name = StrictCharField(max_length=60)
    detail = StrictCharField(max_length=300, required=False, allow_blank=True, default="")


class AttachmentSerializer(PortalModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ScenarioAttachment
        fields = ["id", "original_name", "size", "kind", "uploaded_at", "download_url"]

    def get_download_url(self, attachment) -> str:
        return reverse("scenarios:attachment-download", args=[attachment.scenario_id, attachment.pk])


class ScenarioListSerializer(PortalModelSerializer):
    publisher = StrictCharField(source="publisher.name", read_only=True)
    domain = StrictSlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # none on a draft
    domain_name = serializers.SerializerMethodField()
    district = StrictSlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    status_display = StrictCharField(source="get_status_display", read_only=True)
    need_items = serializers.SerializerMethodField()
    # How well a scenario matches ?q (null when the list is not a search).
    relevance = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Scenario
        fields = [
            "id",
            "title",
            "summary",
            "publisher",
            "domain",
            "domain_name",
            "district",
            "stage",
            "funding_level",
            "funding_share",
            "funding_amount",
            "track",
            "is_flagship",
            "required_credential",
            "local_suppliers_only",
            "status",
            "status_display",
            "need_items",
            "published_at",
            "relevance",
        ]
        read_only_fields = fields

    def get_domain_name(self, scenario) -> str | None:
        return str(scenario.domain) if scenario.domain_id else None

    def get_need_items(self, scenario) -> list[str]:
        return [item.name for item in scenario.need_items.all()]


class ScenarioDetailSerializer(ScenarioListSerializer):
    need_items = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    # "" when none was given or the reader is signed out, so not documented with the "email" format.
    contact_email = StrictCharField(read_only=True)

    class Meta(ScenarioListSerializer.Meta):
        fields = [
            *ScenarioListSerializer.Meta.fields,
            "need_description",
            "location",
            "start_date",
            "end_date",
            "tolerance_start",
            "tolerance_end",
            "contact_name",
            "contact_phone",
            "contact_email",
            "zone",
            "replication_of",
            "status_reason",
            "submitted_at",
            "created_at",
            "updated_at",
            "attachments",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_need_items(self, scenario) -> list[dict]:
        return [{"name": item.name, "detail": item.detail} for item in scenario.need_items.all()]

    def to_representation(self, scenario):
        data = super().to_representation(scenario)
        if not self.context["request"].user.is_authenticated:
            # A contact person's phone and e-mail are for signed-in users, not for harvesting.
            data["contact_phone"] = data["contact_email"] = ""
        return data

    def get_allowed_actions(self, scenario) -> list[str]:
        return allowed_actions(self.context["request"].user, scenario)


class ScenarioWriteSerializer(PortalModelSerializer):
    """What a publisher may send. Types and sizes are checked here; the rules in the service."""

    domain = StrictSlugRelatedField(
        slug_field="code", queryset=Domain.objects.filter(is_active=True), required=False, allow_null=True
    )
    district = StrictSlugRelatedField(
        slug_field="code", queryset=District.objects.filter(is_active=True), required=False, allow_null=True
    )
    zone = StrictPrimaryKeyRelatedField(queryset=DemonstrationZone.objects.all(), required=False, allow_null=True)
    replication_of = StrictPrimaryKeyRelatedField(queryset=replication_candidates(), required=False, allow_null=True)
    funding_amount = StrictDecimalField(max_digits=15, decimal_places=2, min_value=0, required=False, allow_null=True)
    need_items = NeedItemSerializer(many=True, required=False, max_length=MAX_NEED_ITEMS)

    class Meta:
        model = Scenario
        fields = [*EDITABLE_FIELDS, "need_items"]  # what a publisher writes, as the editor


class TransitionSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=500, required=False, allow_blank=True, default="")
