from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.messages import shown


class Notification(models.Model):
    """站内消息: one row per recipient, so 'read' is per person."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    # The untranslated message behind title and body (core.messages), so each reader sees it in
    # their own language; empty for plain text and for rows written before messages were kept.
    title_message = models.JSONField(null=True, blank=True)
    body_message = models.JSONField(null=True, blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        # The name it had when the model lived in accounts.
        indexes = [models.Index(fields=["recipient", "read_at"], name="accounts_no_recipie_82f910_idx")]

    def __str__(self):
        return self.title

    @property
    def title_shown(self) -> str:
        return shown(self.title, self.title_message)

    @property
    def body_shown(self) -> str:
        return shown(self.body, self.body_message)
