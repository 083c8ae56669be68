from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.generics import RetrieveAPIView
from rest_framework.response import Response

from accounts import selectors, services
from accounts.api.serializers import (
    AuditRecordSerializer,
    DistrictSerializer,
    MeSerializer,
    OrganisationRejectSerializer,
    OrganisationSerializer,
    OrganisationVerifySerializer,
)
from accounts.filters import AuditRecordFilterSet, OrganisationFilterSet
from accounts.models import District, Organisation
from accounts.permissions import IsAuditor, IsOperator
from core.models import AuditRecord


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
