from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.models import Job, Notification


class EmptyIsNotNullMixin:
    """A nullable field of the JSON API that refuses an empty (or blank) string. DRF reads "" as null for a
    nullable related, decimal or boolean field (a convention of HTML forms, whose empty inputs DRF
    still reads as null before they get here); the API documents null for "none", so in JSON ""
    is a bad value, refused like any other (the schemathesis sweep found it accepted)."""

    default_error_messages = {"empty": _("不能为空字符串；没有时请传 null。")}

    def run_validation(self, data=serializers.empty):
        if self.allow_null and isinstance(data, str) and not data.strip():
            self.fail("empty")
        return super().run_validation(data)


class StrictCharField(serializers.CharField):
    """A text of the JSON API: a JSON string, nothing else. DRF's CharField turns a number into its
    text (`"reason": -2.4e306` closed a scenario with the reason "-2.4e+306"; the schemathesis
    sweep found it), though the schema says string."""

    default_error_messages = {"not_text": _("应为文本（字符串）。")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class StrictSlugRelatedField(EmptyIsNotNullMixin, serializers.SlugRelatedField):
    pass


class StrictPrimaryKeyRelatedField(EmptyIsNotNullMixin, serializers.PrimaryKeyRelatedField):
    pass


class StrictDecimalField(EmptyIsNotNullMixin, serializers.DecimalField):
    pass


class StrictBooleanField(EmptyIsNotNullMixin, serializers.BooleanField):
    # DRF also reads the text "null" as null for a nullable boolean; JSON has null itself.
    NULL_VALUES = {None}


class PortalDateTimeField(serializers.DateTimeField):
    """A time of the portal's own business: from 2000 to 2100. Earlier times are no event of the
    programme, and before 1901 Asia/Shanghai has its local mean time offset (+08:05:43), which is
    no valid RFC 3339 time in the answer (the schemathesis sweep stored an event in the year 258)."""

    default_error_messages = {"out_of_range": _("时间应在 2000 年至 2100 年之间。")}

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if not 2000 <= moment.year <= 2100:
            self.fail("out_of_range")
        return moment


class PortalModelSerializer(serializers.ModelSerializer):
    """The base of every ModelSerializer of the API: the fields it builds from the model refuse ""
    where DRF would read it as null (related fields, decimals, booleans), and times outside
    2000–2100. Fields a serializer
    declares itself use the Strict… classes above (tests/config/test_api_empty_strings.py walks
    every writable field of the API)."""

    serializer_related_field = StrictPrimaryKeyRelatedField
    serializer_related_to_field = StrictSlugRelatedField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.DecimalField: StrictDecimalField,
        models.BooleanField: StrictBooleanField,
        models.DateTimeField: PortalDateTimeField,
    }

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        # DRF drops allow_blank from a read-only field; keep it, so that the schema of an answer
        # says "" may come back for a text or choice the model lets stay blank (a draft's stage).
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs


class NotificationSerializer(PortalModelSerializer):
    # In the reader's language (the request's Accept-Language or ?lang), not the writer's.
    title = StrictCharField(source="title_shown", read_only=True)
    body = StrictCharField(source="body_shown", read_only=True)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "link", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class NotificationMarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=500)


class JobSerializer(PortalModelSerializer):
    title = StrictCharField(source="title_shown", read_only=True)
    state_display = StrictCharField(source="get_state_display", read_only=True)
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
    kind = StrictCharField(max_length=64)
    params = serializers.DictField(required=False, default=dict)
