"""SOE assessment (国资考核) and credit plus-points (policy §三(一), §四(三)).

The points are data (a scheme per year, one row per item); the counts are computed from the
records by steering.selectors.assessment and never stored. The one record kept here is the
verified use of a contest product (ProductUse), which the contests app does not hold."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from steering.choices import AssessmentItemCode, AssessmentSubject, ProductUseKind, ProductUseStatus


class AssessmentScheme(models.Model):
    """The points and caps of one year. Operators edit it until the year's scorecard is filed
    (filed_at set); after that it never changes, so a filed scorecard can always be recomputed."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    note = models.TextField(_("计分说明"), max_length=3000, blank=True)
    filed_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("考核计分方案")
        verbose_name_plural = _("考核计分方案")
        ordering = ["-year"]

    def __str__(self):
        return _("%(year)s 年度考核计分方案") % {"year": self.year}

    @property
    def is_filed(self) -> bool:
        return self.filed_at is not None


class AssessmentItem(models.Model):
    """One item of a scheme: points per counted record, and the cap of the item's points."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="items")
    subject = models.CharField(_("考核对象"), max_length=8, choices=AssessmentSubject.choices)
    code = models.CharField(_("指标"), max_length=32, choices=AssessmentItemCode.choices)
    label = models.CharField(_("指标名称"), max_length=60)
    points = models.DecimalField(_("每项分值"), max_digits=6, decimal_places=2)
    cap = models.DecimalField(_("分值上限"), max_digits=6, decimal_places=2)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "subject", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="assessment_item_once_per_scheme"),
            models.CheckConstraint(
                condition=Q(points__gt=0) & Q(cap__gte=F("points")), name="assessment_item_points_within_cap"
            ),
        ]

    def __str__(self):
        return f"{self.label}（{self.points} 分/项，上限 {self.cap} 分）"


class ProductUse(models.Model):
    """An organisation's actual use of a contest product (a 入围 entry, see
    steering.selectors.assessment.shortlisted_entries): a cooperation agreement or a procurement,
    with its contract and evidence. Counted once an operator verifies it, and only when used on
    or after the day the contest's results were published."""

    entry = models.ForeignKey(
        "contests.ContestEntry", verbose_name=_("大赛入围产品"), on_delete=models.PROTECT, related_name="product_uses"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("使用单位"), on_delete=models.PROTECT, related_name="product_uses"
    )
    agreement = models.ForeignKey(
        "contests.CooperationAgreement",
        verbose_name=_("来源合作协议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="product_uses",
    )
    kind = models.CharField(_("使用方式"), max_length=12, choices=ProductUseKind.choices)
    contract_number = models.CharField(_("合同编号"), max_length=64)
    amount = models.DecimalField(_("合同金额（元）"), max_digits=14, decimal_places=2)
    used_on = models.DateField(_("使用（签订）日期"))
    description = models.TextField(_("使用情况"), max_length=2000, blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to="steering/product-uses/%Y/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ProductUseStatus.choices, default=ProductUseStatus.PENDING, db_index=True
    )
    decision_reason = models.CharField(_("核实意见"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("入围产品使用")
        verbose_name_plural = _("入围产品使用")
        ordering = ["-used_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="product_use_amount_positive"),
            models.UniqueConstraint(
                fields=["entry", "organisation", "contract_number"],
                condition=~Q(status="rejected"),
                name="product_use_contract_once",
            ),
        ]

    def __str__(self):
        return _("入围产品使用：%(org)s 使用“%(entry)s”（%(number)s）") % {
            "org": self.organisation.name if self.organisation_id else "",
            "entry": self.entry.title if self.entry_id else "",
            "number": self.contract_number,
        }
