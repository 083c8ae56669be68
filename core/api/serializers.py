from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.models import Job, Notification


class EmptyIsNotNullMixin:
    """A related field of the JSON API that refuses an empty string. DRF reads "" as null for a
    nullable related field (a convention of HTML forms); the API documents null for "none", so ""
    is a bad value there, refused like any other (the schemathesis sweep found it accepted)."""

    default_error_messages = {"empty": _("不能为空字符串；没有时请传 null。")}

    def run_validation(self, data=serializers.empty):
        if data == "":
            self.fail("empty")
        return super().run_validation(data)


class StrictSlugRelatedField(EmptyIsNotNullMixin, serializers.SlugRelatedField):
    pass


class StrictPrimaryKeyRelatedField(EmptyIsNotNullMixin, serializers.PrimaryKeyRelatedField):
    pass


class NotificationSerializer(serializers.ModelSerializer):
    # In the reader's language (the request's Accept-Language or ?lang), not the writer's.
    title = serializers.CharField(source="title_shown", read_only=True)
    body = serializers.CharField(source="body_shown", read_only=True)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "link", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class NotificationMarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=500)


class JobSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="title_shown", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "params",
            "state",
            "state_display",
            "progress",
            "progress_message",
            "result_name",
            "download_url",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_download_url(self, job) -> str | None:
        from django.urls import reverse

        return reverse("core:job-download", args=[job.pk]) if job.result_file else None


class JobCreateSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=64)
    params = serializers.DictField(required=False, default=dict)
