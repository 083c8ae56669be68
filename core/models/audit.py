from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import AuditKind


class AuditRecord(models.Model):
    """Who did what to which object, from where, with the values before and after.

    Written only by services (core.services.audit_record); never updated or deleted. The records
    form a hash chain (core.audit_chain): each stores the SHA-256 of its own content and a link
    hash over its place in the chain, the previous record's link hash and that content hash, so
    `manage.py audit_verify` finds any record changed, removed or slipped in afterwards. On
    PostgreSQL the table refuses UPDATE and DELETE (core migration 0007) and the chain is formed
    when the transaction commits; elsewhere when the record is written.
    """

    # Set when the record is built, not by the database: its content hash includes the time.
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the record still says who it was if the account is removed.
    actor_label = models.CharField(_("操作人"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("来源 IP"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=300, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_label = models.CharField(_("对象"), max_length=300, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    kind = models.CharField(
        _("事件类别"), max_length=16, choices=AuditKind.choices, default=AuditKind.CHANGE, db_index=True
    )
    # The chain (core.audit_chain). Empty on PostgreSQL until the writing transaction commits.
    chain_position = models.PositiveBigIntegerField(_("链序号"), null=True, blank=True, unique=True, editable=False)
    content_sha256 = models.CharField(_("内容摘要"), max_length=64, blank=True, editable=False)
    previous_sha256 = models.CharField(_("前一条的链接摘要"), max_length=64, blank=True, editable=False)
    record_sha256 = models.CharField(_("链接摘要"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        # The index keeps the name it had when the model lived in accounts (renaming it buys nothing).
        indexes = [models.Index(fields=["object_type", "object_id"], name="accounts_au_object__c30b9b_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field whose value differs."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(key, before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)]
