from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import RetrieveAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api.authentication import ApiTokenAuthentication
from accounts.api.serializers import (
    AuditRecordSerializer,
    DistrictSerializer,
    MeSerializer,
    OrganisationRejectSerializer,
    OrganisationSerializer,
    OrganisationVerifySerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from accounts.api.throttles import PortalScopedThrottle
from accounts.filters import AuditRecordFilterSet, OrganisationFilterSet
from accounts.models import District, Organisation
from accounts.permissions import IsAuditor, IsOperator
from accounts.second_factor import has_confirmed_device, needs_second_factor
from accounts.sign_in import locked_message, sign_in_locked_until
from core.models import AuditRecord
from core.request_context import current_origin
from core.services import audit_reading_record


class MeView(RetrieveAPIView):
    """The signed-in person, with roles and organisation."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = District.objects.none()  # the schema reads the model from here; requests use get_queryset
    serializer_class = DistrictSerializer
    lookup_field = "code"
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return selectors.districts_active()


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Operators and officials see every organisation; others only their own (a foreign id is 404)."""

    queryset = Organisation.objects.none()
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        return selectors.organisations_visible_to(self.request.user).order_by("name")

    @extend_schema(request=OrganisationVerifySerializer, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsOperator])
    def verify(self, request, *args, **kwargs):
        organisation = self.get_object()
        data = OrganisationVerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.organisation_verify(actor=request.user, organisation=organisation, note=data.validated_data["note"])
        return Response(self.get_serializer(self.get_queryset().get(pk=organisation.pk)).data)

    @extend_schema(request=OrganisationRejectSerializer, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsOperator])
    def reject(self, request, *args, **kwargs):
        organisation = self.get_object()
        data = OrganisationRejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.organisation_reject(
            actor=request.user, organisation=organisation, reason=data.validated_data["reason"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=organisation.pk)).data)


class AuditRecordViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log, for auditors only."""

    queryset = AuditRecord.objects.none()
    serializer_class = AuditRecordSerializer
    permission_classes = [IsAuditor]
    filterset_class = AuditRecordFilterSet

    def get_queryset(self):
        return selectors.audit_records_visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        """The records; the search itself is recorded (after it is read, so it is not in its own answer)."""
        response = super().list(request, *args, **kwargs)
        filters = {
            name: value
            for name, value in request.query_params.items()
            if value and (name in AuditRecordFilterSet.base_filters or name in ("page", "page_size", "ordering"))
        }
        count = response.data.get("count") if isinstance(response.data, dict) else len(response.data)
        audit_reading_record(actor=request.user, action="audit.search", filters=filters, count=count)
        return response

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        audit_reading_record(actor=request.user, action="audit.view", filters={}, record=record)
        return Response(self.get_serializer(record).data)


class ApiTokenView(APIView):
    """POST: a new API token for a name and password (and the second factor, for the roles that
    need one); the key is in this answer only. DELETE: revoke every token of the caller."""

    authentication_classes = [SessionAuthentication, ApiTokenAuthentication]
    throttle_classes = [PortalScopedThrottle]
    throttle_scope = "token"

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_authenticators(self):
        # Issuing a token needs no session: no CSRF check for a script posting its password.
        if getattr(self, "request", None) is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer)
    def post(self, request, *args, **kwargs):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username, password = data.validated_data["username"], data.validated_data["password"]
        user = authenticate(request._request, username=username, password=password)
        if user is None:
            until = sign_in_locked_until(username, current_origin().ip_address)
            if until is not None:
                raise ValidationError({"detail": locked_message(until)})
            raise ValidationError({"detail": _("用户名或密码不正确。")})
        if user.password_change_required:
            raise ValidationError({"detail": _("请先登录网页修改密码，再获取令牌。")})
        if needs_second_factor(user):
            if not has_confirmed_device(user):
                raise ValidationError({"detail": _("请先登录网页设置两步验证，再获取令牌。")})
            if not data.validated_data["code"]:
                raise ValidationError({"code": [_("请填写两步验证码。")]})
            services.second_factor_verify(user=user, code=data.validated_data["code"])
        token, key = services.api_token_issue(actor=user)
        return Response(TokenSerializer({"token": key, "expires_at": token.expires_at}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, *args, **kwargs):
        services.api_tokens_revoke(user=request.user, reason="本人撤销")
        return Response(status=204)
