from rest_framework import serializers

from accounts.models import District, Organisation, User
from core.models import AuditRecord


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["code", "name", "name_en"]


class OrganisationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    verification_status_display = serializers.CharField(source="get_verification_status_display", read_only=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "credit_code",
            "kind",
            "kind_display",
            "district",
            "is_high_growth",
            "is_specialised",
            "is_high_tech",
            "is_sme",
            "verification_status",
            "verification_status_display",
            "verified_at",
            "member_count",
            "created_at",
        ]
        read_only_fields = fields


class OrganisationRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class OrganisationVerifySerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "roles", "is_organisation_admin", "organisation"]

    def get_roles(self, user) -> list[str]:
        return sorted(user.roles)


class AuditRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditRecord
        fields = [
            "id",
            "created_at",
            "actor",
            "actor_label",
            "ip_address",
            "action",
            "object_type",
            "object_id",
            "object_label",
            "before",
            "after",
            "reason",
        ]
        read_only_fields = fields
