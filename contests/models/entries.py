from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contests.choices import CreditCheck, EntryStatus, MembershipStatus


class ContestEntry(models.Model):
    """揭榜: a company's solution for a challenge, alone or as the lead of a consortium (联合体)."""

    challenge = models.ForeignKey(
        "contests.Challenge", verbose_name=_("榜单"), on_delete=models.PROTECT, related_name="entries"
    )
    lead = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("揭榜单位（牵头）"),
        on_delete=models.PROTECT,
        related_name="contest_entries",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("方案名称"), max_length=100)
    summary = models.TextField(_("方案摘要"), max_length=5000)
    status = models.CharField(
        _("状态"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    commitment_signed_at = models.DateTimeField(_("信用承诺签署时间"), null=True, blank=True)
    commitment_sha256 = models.CharField(_("信用承诺摘要"), max_length=64, blank=True)
    eligibility_note = models.CharField(_("资格审查意见"), max_length=500, blank=True)
    eligibility_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    credit_check = models.CharField(
        _("信用核查"), max_length=8, choices=CreditCheck.choices, default=CreditCheck.PENDING
    )
    credit_check_note = models.CharField(_("信用核查说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["challenge", "id"]
        verbose_name = _("揭榜方案")
        verbose_name_plural = _("揭榜方案")
        constraints = [models.UniqueConstraint(fields=["challenge", "lead"], name="entry_one_per_lead_per_challenge")]

    def __str__(self):
        return self.title


class ConsortiumMember(models.Model):
    entry = models.ForeignKey(ContestEntry, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("联合体成员"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("确认状态"), max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.INVITED
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "organisation"], name="consortium_member_once")]

    def __str__(self):
        return f"联合体成员：{self.organisation}（{self.entry}）"


class EntryAttachment(models.Model):
    entry = models.ForeignKey(ContestEntry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="contest-entries/%Y/%m/")
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    kind = models.CharField(max_length=10)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.original_name}（{self.entry}）"
