from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choice_labels import ChoiceLabelsMixin
from core.messages import BilingualName
from scenarios.choices import (
    EDITABLE_STATUSES,
    PUBLIC_STATUSES,
    FundingLevel,
    FundingShare,
    InstrumentRequestStatus,
    RequiredCredential,
    ScenarioStatus,
    Stage,
    Track,
    ZoneKind,
)


class Domain(BilingualName, models.Model):
    """A scenario domain. Two levels: categories (产业发展 …) and their fields (产业园区 …).

    Data, not code: the policy says the list is adjusted as industries evolve, so operators edit it.
    """

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级领域"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("场景领域")
        verbose_name_plural = _("场景领域")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="domain_name_unique_in_parent"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="domain_not_own_parent"),
        ]

    def __str__(self):
        return f"{self.parent.name_shown} · {self.name_shown}" if self.parent_id else self.name_shown


class DemonstrationZone(models.Model):
    """应用场景示范区: high-tech zones, incubators and industrial bases that group scenarios."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=24, choices=ZoneKind.choices)
    district = models.ForeignKey(
        "accounts.District", verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+"
    )
    focus = models.CharField(_("重点方向"), max_length=200, blank=True)
    description = models.TextField(_("简介"), max_length=2000, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("示范区")
        verbose_name_plural = _("示范区")

    def __str__(self):
        return self.name


class LabInstrument(models.Model):
    """A large research instrument an institute opens to scenarios (大型科研仪器开放共享)."""

    name = models.CharField(_("仪器名称"), max_length=100)
    model_number = models.CharField(_("型号"), max_length=100, blank=True)
    institute = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="lab_instruments"
    )
    category = models.CharField(_("类别"), max_length=50, blank=True)
    capabilities = models.TextField(_("主要功能"), max_length=2000, blank=True)
    is_open = models.BooleanField(_("开放共享"), default=True)

    class Meta:
        ordering = ["institute__name", "name"]
        verbose_name = _("大型科研仪器")
        verbose_name_plural = _("大型科研仪器")

    def __str__(self):
        return f"{self.name}（{self.institute}）"


class Scenario(ChoiceLabelsMixin, models.Model):
    """应用场景: a funded project, under construction or planned, that needs a new technology."""

    title = models.CharField(_("场景名称"), max_length=100)
    publisher = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("发榜单位"), on_delete=models.PROTECT, related_name="scenarios"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    domain = models.ForeignKey(
        Domain, verbose_name=_("场景领域"), null=True, blank=True, on_delete=models.PROTECT, related_name="scenarios"
    )
    summary = models.CharField(_("一句话简介"), max_length=200, blank=True)
    need_description = models.TextField(_("需求描述"), max_length=5000, blank=True)
    track = models.CharField(_("场景类型"), max_length=20, choices=Track.choices, default=Track.MATURE)
    stage = models.CharField(_("建设阶段"), max_length=20, choices=Stage.choices, blank=True)
    funding_level = models.CharField(_("资金来源"), max_length=10, choices=FundingLevel.choices, blank=True)
    funding_share = models.CharField(_("投资方式"), max_length=10, choices=FundingShare.choices, blank=True)
    funding_amount = models.DecimalField(
        _("项目投资额（元）"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), message=_("投资额不能为负数。"))],
    )
    district = models.ForeignKey(
        "accounts.District",
        verbose_name=_("所在区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.CharField(_("建设地点"), max_length=200, blank=True)
    start_date = models.DateField(_("计划开始"), null=True, blank=True)
    end_date = models.DateField(_("计划完成"), null=True, blank=True)
    tolerance_start = models.DateField(_("包容期开始"), null=True, blank=True)
    tolerance_end = models.DateField(_("包容期结束"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    is_flagship = models.BooleanField(_("特色示范性场景"), default=False)
    required_credential = models.CharField(
        _("供应商须具备的三首认定"),
        max_length=14,
        choices=RequiredCredential.choices,
        blank=True,
        help_text=_("选填：推荐供应商时只考虑具备该认定的产品。"),
    )
    local_suppliers_only = models.BooleanField(
        _("仅推荐本区域企业"), default=False, help_text=_("勾选后只推荐注册地在场景所在区域的企业。")
    )
    zone = models.ForeignKey(
        DemonstrationZone,
        verbose_name=_("示范区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scenarios",
    )
    replication_of = models.ForeignKey(
        "self",
        verbose_name=_("复制推广自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replications",
        help_text=_("本场景复制推广的典型案例场景。"),
    )

    status = models.CharField(
        _("状态"), max_length=20, choices=ScenarioStatus.choices, default=ScenarioStatus.DRAFT, db_index=True
    )
    status_reason = models.CharField(_("状态说明"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(
        _("更新时间"), auto_now=True, db_index=True
    )  # rematches look up what changed since a fit

    # Title, needs, description and publisher in one column, kept by the services, so that the
    # catalogue's keyword search reads one column instead of joining four tables.
    search_text = models.TextField(editable=False, blank=True)
    needs_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("应用场景")
        verbose_name_plural = _("应用场景")
        constraints = [
            models.CheckConstraint(
                condition=Q(funding_amount__gte=0) | Q(funding_amount__isnull=True),
                name="scenario_funding_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="scenario_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(tolerance_start__isnull=True)
                | Q(tolerance_end__isnull=True)
                | Q(tolerance_end__gte=F("tolerance_start")),
                name="scenario_tolerance_end_not_before_start",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["publisher", "status"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class NeedItem(models.Model):
    """One technology or product the scenario wants (技术需求), so that matching can cover each."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="need_items")
    name = models.CharField(_("技术需求"), max_length=60)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("技术需求")
        verbose_name_plural = _("技术需求")

    def __str__(self):
        return self.name


class ScenarioAttachment(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="scenarios/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    kind = models.CharField(_("文件类型"), max_length=10)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.original_name


class ScenarioStatusChange(models.Model):
    """The scenario's own timeline (who moved it where and why), shown on its page."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="status_changes")
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, choices=ScenarioStatus.choices)
    to_status = models.CharField(max_length=20, choices=ScenarioStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.scenario}：{self.from_status} → {self.to_status}"


class InstrumentRequest(models.Model):
    """A publisher asks to use an institute's instrument for a scenario."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="instrument_requests")
    instrument = models.ForeignKey(LabInstrument, on_delete=models.PROTECT, related_name="requests")
    purpose = models.CharField(_("用途"), max_length=500)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=12, choices=InstrumentRequestStatus.choices, default=InstrumentRequestStatus.REQUESTED
    )
    answer = models.CharField(_("答复"), max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "instrument"],
                condition=Q(status="requested"),
                name="instrument_request_one_open_per_pair",
            )
        ]

    def __str__(self):
        return f"仪器使用申请：{self.instrument}（{self.scenario}）"
