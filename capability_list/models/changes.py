from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from capability_list.choices import OPEN_CHANGE_STATUSES, ChangeStatus, CredentialKind
from core.uploads import PrivatePath

from .catalogue import CapabilityEntry


class CapabilityEntryRevision(models.Model):
    """A company's change to a listed entry, kept beside the listed version until an operator decides.

    Shape: the proposed values are a JSON snapshot next to the listed row, not a second
    CapabilityEntry row. `data` holds the editable fields (capability_list.services.ENTRY_FIELDS;
    the industry and the 战新 area as their ids) and `credentials` the 三首 credentials as the
    editor's dicts (kind, certificate_number, level, year). Why:

    - Every reader of entries — the catalogue, the detail page, matching's documents and rematch,
      editions, enquiries and agenda items, the (company, name) uniqueness — reads CapabilityEntry
      rows and filters on status. A second row would be a row each of them must learn to skip; a
      snapshot cannot be shown or matched by mistake, so the listed version stays the only public
      one until approval, and matching reads only listed versions without being told.
    - On approval the snapshot is written onto the listed row through the same checks as any edit,
      and saving the row queues its rematch after commit (matching.signals), as for any approved entry.
    - Editions and agenda items keep pointing at the same entry id across changes.

    The snapshot is validated when saved (so the company sees its errors at once) and again when
    approved (a certificate number may have been taken meanwhile). A draft (未提交) is a saved row:
    leaving the page loses nothing. At most one open change (未提交 / 待审核 / 已退回) per entry,
    held by a constraint; approved and discarded ones stay as the entry's history.
    """

    entry = models.ForeignKey(
        CapabilityEntry, verbose_name=_("条目"), on_delete=models.CASCADE, related_name="revisions"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ChangeStatus.choices, default=ChangeStatus.DRAFT, db_index=True
    )
    data = models.JSONField(_("修改后的内容"), default=dict)
    credentials = models.JSONField(_("修改后的三首认定"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("能力清单条目修改")
        verbose_name_plural = _("能力清单条目修改")
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(status__in=[status.value for status in OPEN_CHANGE_STATUSES]),
                name="entry_one_open_revision",
            )
        ]

    def __str__(self):
        return f"{self.entry}（{self.get_status_display()}）"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CHANGE_STATUSES

    @property
    def editable(self) -> bool:
        """The company may still change it (not while an operator has it)."""
        return self.status in (ChangeStatus.DRAFT, ChangeStatus.RETURNED)


class CredentialEvidence(models.Model):
    """A scan or PDF of a 三首 certificate, for the operator who reviews the entry.

    Tied to the entry and the certificate (kind + number) rather than to a Credential row: the
    credential rows are replaced on every save, and the credentials of a change waiting for review
    have no rows yet. Stored under private/ and served only through a permission-checked view.
    """

    entry = models.ForeignKey(CapabilityEntry, on_delete=models.CASCADE, related_name="evidence")
    credential_kind = models.CharField(_("认定类型"), max_length=14, choices=CredentialKind.choices)
    certificate_number = models.CharField(_("证书编号"), max_length=60)
    file = models.FileField(_("文件"), upload_to=PrivatePath("capability_evidence"))
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    kind = models.CharField(_("文件类型"), max_length=10)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("三首认定证明材料")
        verbose_name_plural = _("三首认定证明材料")
        indexes = [models.Index(fields=["entry", "credential_kind", "certificate_number"])]

    def __str__(self):
        return self.original_name
