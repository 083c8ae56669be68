from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import selectors, services
from core.api.serializers import (
    JobCreateSerializer,
    JobSerializer,
    NotificationMarkReadSerializer,
    NotificationSerializer,
)
from core.models import Job, Notification


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

    @extend_schema(
        request=NotificationMarkReadSerializer,
        responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}),
    )
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
            job = services.job_start_requested(
                actor=request.user, kind=data.validated_data["kind"], params=data.validated_data["params"]
            )
        job.refresh_from_db()
        return Response(JobSerializer(job, context={"request": request}).data, status=status.HTTP_201_CREATED)
