from rest_framework import serializers

from accounts.models import District, Organisation, User
from core.api.serializers import PortalModelSerializer, StrictCharField, StrictSlugRelatedField
from core.models import AuditRecord


class DistrictSerializer(PortalModelSerializer):
    class Meta:
        model = District
        fields = ["code", "name", "name_en"]


class OrganisationSerializer(PortalModelSerializer):
    kind_display = StrictCharField(source="get_kind_display", read_only=True)
    district = StrictSlugRelatedField(slug_field="code", read_only=True)
    verification_status_display = StrictCharField(source="get_verification_status_display", read_only=True)
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
    reason = StrictCharField(max_length=500)


class OrganisationVerifySerializer(serializers.Serializer):
    note = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


class MeOrganisationSerializer(OrganisationSerializer):
    """One's own organisation in /me/: without the member count the organisation list annotates."""

    class Meta(OrganisationSerializer.Meta):
        fields = [name for name in OrganisationSerializer.Meta.fields if name != "member_count"]


class MeSerializer(PortalModelSerializer):
    roles = serializers.SerializerMethodField()
    organisation = MeOrganisationSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "roles", "is_organisation_admin", "organisation"]

    def get_roles(self, user) -> list[str]:
        return sorted(user.roles)


class AuditRecordSerializer(PortalModelSerializer):
    class Meta:
        model = AuditRecord
        fields = [
            "id",
            "created_at",
            "actor",
            "actor_label",
            "ip_address",
            "kind",
            "action",
            "object_type",
            "object_id",
            "object_label",
            "before",
            "after",
            "reason",
            "chain_position",
            "record_sha256",
        ]
        read_only_fields = fields


class TokenRequestSerializer(serializers.Serializer):
    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    code = StrictCharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="两步验证：验证器应用中的 6 位验证码，或一个恢复码（需要两步验证的角色必填）。",
    )


class TokenSerializer(serializers.Serializer):
    token = StrictCharField(help_text="只显示这一次；门户只保存其摘要。")
    expires_at = serializers.DateTimeField()
