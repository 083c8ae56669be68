from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.choices import OrganisationKind, VerificationStatus
from accounts.validators import validate_credit_code
from core.messages import BilingualName
from core.uploads import PrivatePath


class District(BilingualName, models.Model):
    """A district of Ningbo (海曙, 江北 … 前湾新区). Data, not code: the list changes."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=64, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("区县（市）")
        verbose_name_plural = _("区县（市）")


class Organisation(models.Model):
    name = models.CharField(_("机构名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code])
    kind = models.CharField(_("机构类型"), max_length=16, choices=OrganisationKind.choices)
    district = models.ForeignKey(
        District, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="organisations"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    description = models.TextField(_("简介"), max_length=2000, blank=True)

    # Company flags the programme tracks (policy §三(六): 1000 家高成长性科技企业).
    is_high_growth = models.BooleanField(_("高成长性科技企业"), default=False)
    is_specialised = models.BooleanField(_("专精特新企业"), default=False)
    is_high_tech = models.BooleanField(_("高新技术企业"), default=False)
    is_sme = models.BooleanField(_("科技型中小企业"), default=False)

    verification_status = models.CharField(
        _("认证状态"), max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    verified_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "accounts.User", verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verification_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        indexes = [models.Index(fields=["kind", "verification_status"])]

    def __str__(self):
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    @property
    def company_flag_labels(self) -> list[str]:
        flags = ("is_high_growth", "is_specialised", "is_high_tech", "is_sme")
        return [str(self._meta.get_field(flag).verbose_name) for flag in flags if getattr(self, flag)]


class VerificationEvidence(models.Model):
    """A file an organisation gives the operators who verify it (营业执照, 证明材料): PDF, JPG or PNG,
    stored under private/ and served only to the organisation's admins and to operators."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="verification_evidence")
    file = models.FileField(_("文件"), upload_to=PrivatePath("verification_evidence"))
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    kind = models.CharField(_("文件类型"), max_length=10)
    uploaded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("机构认证材料")
        verbose_name_plural = _("机构认证材料")

    def __str__(self):
        return self.original_name
