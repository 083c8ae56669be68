from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import RetrieveAPIView
from rest_framework.response import Response

from accounts import selectors, services
from accounts.api.serializers import (
    AuditRecordSerializer,
    DistrictSerializer,
    JobCreateSerializer,
    JobSerializer,
    MeSerializer,
    NotificationMarkReadSerializer,
    NotificationSerializer,
    OrganisationRejectSerializer,
    OrganisationSerializer,
    OrganisationVerifySerializer,
)
from accounts.filters import AuditRecordFilterSet, OrganisationFilterSet
from accounts.models import AuditRecord, District, Job, Notification, Organisation
from accounts.permissions import IsAuditor, IsOperator


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
        services.organisation_reject(actor=request.user, organisation=organisation, reason=data.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=organisation.pk)).data)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Notification.objects.none()
    serializer_class = NotificationSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.notifications_for(self.request.user)

    @extend_schema(responses=inline_serializer("UnreadCount", {"unread": serializers.IntegerField()}))
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request, *args, **kwargs):
        return Response({"unread": selectors.unread_notification_count(request.user)})

    @extend_schema(request=NotificationMarkReadSerializer, responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request, *args, **kwargs):
        data = NotificationMarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.notification_mark_read(user=request.user, notification_ids=data.validated_data.get("ids"))
        return Response({"marked": marked})


class JobViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Long-running jobs of the signed-in person: start one, follow its progress."""

    queryset = Job.objects.none()
    serializer_class = JobSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.jobs_visible_to(self.request.user)

    @extend_schema(request=JobCreateSerializer, responses={201: JobSerializer})
    def create(self, request, *args, **kwargs):
        data = JobCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            job = services.job_create(actor=request.user, kind=data.validated_data["kind"], params=data.validated_data["params"])
        job.refresh_from_db()
        return Response(JobSerializer(job, context={"request": request}).data, status=status.HTTP_201_CREATED)


class AuditRecordViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log, for auditors only."""

    queryset = AuditRecord.objects.none()
    serializer_class = AuditRecordSerializer
    permission_classes = [IsAuditor]
    filterset_class = AuditRecordFilterSet

    def get_queryset(self):
        return selectors.audit_records_visible_to(self.request.user)


__all__ = ["AuditRecordViewSet", "DistrictViewSet", "JobViewSet", "MeView", "NotificationViewSet", "OrganisationViewSet"]
