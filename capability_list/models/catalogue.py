from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from capability_list.choices import (
    AgendaOutcome,
    CredentialKind,
    CredentialLevel,
    EnquiryStatus,
    EntryKind,
    EntryStatus,
    EventKind,
    Maturity,
    PriceBand,
)
from capability_list.entry_rules import FIRST_CREDENTIAL_YEAR
from core.choice_labels import ChoiceLabelsMixin
from core.messages import BilingualName


class Industry(BilingualName, models.Model):
    """GB/T 4754-2017 国民经济行业分类: sections (门类, A–T) and their divisions (大类, 01–97)."""

    code = models.CharField(_("代码"), max_length=2, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=120, blank=True)
    section = models.ForeignKey(
        "self", verbose_name=_("门类"), null=True, blank=True, on_delete=models.PROTECT, related_name="divisions"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("行业")
        verbose_name_plural = _("行业")

    def __str__(self):
        return f"{self.code} {self.name_shown}"


class StrategicArea(BilingualName, models.Model):
    """战略性新兴产业分类（2018）: the nine first-level areas."""

    code = models.CharField(_("代码"), max_length=2, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("战略性新兴产业领域")
        verbose_name_plural = _("战略性新兴产业领域")


class CapabilityEntry(ChoiceLabelsMixin, models.Model):
    """One technology or product of a company in the 能力清单."""

    company = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="capability_entries"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_via = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("代报协会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("技术（产品）名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=EntryKind.choices, default=EntryKind.PRODUCT)
    description = models.TextField(_("技术（产品）简介"), max_length=3000)
    application_cases = models.TextField(_("应用案例"), max_length=3000, blank=True)
    technology_fields = models.JSONField(
        _("技术领域"), default=list, blank=True, help_text=_("关键词，如：机器视觉、边缘计算")
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("所属行业"), null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    strategic_area = models.ForeignKey(
        StrategicArea,
        verbose_name=_("战略性新兴产业领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    maturity = models.CharField(_("成熟度"), max_length=14, choices=Maturity.choices, blank=True)
    price_band = models.CharField(_("价格区间"), max_length=12, choices=PriceBand.choices, blank=True)
    is_strategic_emerging = models.BooleanField(_("战略性新兴技术（产品）"), default=False)
    is_independent_innovation = models.BooleanField(_("自主创新产品"), default=False)

    status = models.CharField(
        _("状态"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.DRAFT, db_index=True
    )
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    listed_at = models.DateTimeField(_("入库时间"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(
        _("更新时间"), auto_now=True, db_index=True
    )  # rematches look up what changed since a fit
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["-listed_at", "-id"]
        verbose_name = _("能力清单条目")
        verbose_name_plural = _("能力清单条目")
        constraints = [
            # Re-importing the same workbook must not create the same entry twice.
            models.UniqueConstraint(fields=["company", "name"], name="entry_unique_name_per_company"),
        ]
        indexes = [models.Index(fields=["status", "listed_at"]), models.Index(fields=["company", "status"])]

    def __str__(self):
        return self.name


class Credential(models.Model):
    """A 三首 recognition of an entry: 首台套 / 首批次 / 首版次 with its certificate."""

    entry = models.ForeignKey(CapabilityEntry, on_delete=models.CASCADE, related_name="credentials")
    kind = models.CharField(_("认定类型"), max_length=14, choices=CredentialKind.choices)
    certificate_number = models.CharField(_("证书编号"), max_length=60)
    level = models.CharField(_("认定级别"), max_length=12, choices=CredentialLevel.choices)
    year = models.PositiveSmallIntegerField(
        _("认定年度"), validators=[MinValueValidator(FIRST_CREDENTIAL_YEAR), MaxValueValidator(2100)]
    )

    class Meta:
        ordering = ["kind", "-year"]
        verbose_name = _("三首认定")
        verbose_name_plural = _("三首认定")
        constraints = [
            models.UniqueConstraint(fields=["kind", "certificate_number"], name="credential_certificate_unique"),
            models.CheckConstraint(condition=Q(year__gte=FIRST_CREDENTIAL_YEAR), name="credential_year_plausible"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.certificate_number}"


class Edition(models.Model):
    """A published batch of the list: 《宁波市企业技术（产品）能力清单》, one workbook per batch."""

    class State(models.TextChoices):
        BUILDING = "building", _("生成中")
        PUBLISHED = "published", _("已发布")
        FAILED = "failed", _("生成失败")

    year = models.PositiveSmallIntegerField(_("年度"))
    batch = models.PositiveSmallIntegerField(_("批次"))
    title = models.CharField(_("标题"), max_length=100)
    entries = models.ManyToManyField(CapabilityEntry, verbose_name=_("条目"), related_name="editions")
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.BUILDING)
    workbook = models.FileField(_("清单文件"), upload_to="editions/", blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-batch"]
        verbose_name = _("能力清单版次")
        verbose_name_plural = _("能力清单版次")
        constraints = [models.UniqueConstraint(fields=["year", "batch"], name="edition_unique_batch")]

    def __str__(self):
        return self.title


class ImportBatch(models.Model):
    """One uploaded workbook: its dry-run report, then what was imported and what was handed back."""

    class State(models.TextChoices):
        CHECKING = "checking", _("检查中")
        CHECKED = "checked", _("已检查")
        IMPORTING = "importing", _("导入中")
        IMPORTED = "imported", _("已导入")
        FAILED = "failed", _("失败")

    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.CHECKING)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    existing_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": 5, "column": "统一社会信用代码", "message": "…"}]
    imported_count = models.PositiveIntegerField(default=0)
    rejects_file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    failure = models.TextField(blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Excel 导入")
        verbose_name_plural = _("Excel 导入")

    def __str__(self):
        return self.original_name

    @property
    def in_job(self) -> bool:
        """A job is checking or importing the file now (its progress is on the job's page)."""
        return self.job_id is not None and self.state in (self.State.CHECKING, self.State.IMPORTING)


class Enquiry(models.Model):
    """咨询对接: a company asks a scenario's publisher (or a department); the answer is due by a deadline."""

    company = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("提问企业"), on_delete=models.PROTECT, related_name="enquiries_asked"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提问人"), on_delete=models.PROTECT, related_name="+"
    )
    scenario = models.ForeignKey(
        "scenarios.Scenario",
        verbose_name=_("相关场景"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enquiries",
    )
    addressee = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("答复单位"), on_delete=models.PROTECT, related_name="enquiries_received"
    )
    subject = models.CharField(_("主题"), max_length=100)
    question = models.TextField(_("问题"), max_length=2000)
    status = models.CharField(
        _("状态"), max_length=10, choices=EnquiryStatus.choices, default=EnquiryStatus.OPEN, db_index=True
    )
    due_date = models.DateField(_("答复期限"))
    answer = models.TextField(_("答复"), max_length=3000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("满意度"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("评价"), max_length=300, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(_("升级督办时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提问时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("咨询对接")
        verbose_name_plural = _("咨询对接")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="enquiry_rating_1_to_5"
            )
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return self.subject


class Holiday(models.Model):
    """Public holidays and make-up working days (调休), so deadlines count real working days."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("调休上班"), default=False)
    name = models.CharField(_("名称"), max_length=30, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")

    def __str__(self):
        return f"{self.date} {self.name}"


class MatchmakingEvent(models.Model):
    """论证会 / 对接会: operators put scenario–entry pairs on the agenda and record the outcomes."""

    title = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=EventKind.choices, default=EventKind.MATCHMAKING)
    starts_at = models.DateTimeField(_("时间"))
    venue = models.CharField(_("地点"), max_length=200)
    host = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("说明"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("对接活动")
        verbose_name_plural = _("对接活动")

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    event = models.ForeignKey(MatchmakingEvent, on_delete=models.CASCADE, related_name="agenda")
    scenario = models.ForeignKey(
        "scenarios.Scenario", verbose_name=_("场景"), on_delete=models.PROTECT, related_name="+"
    )
    entry = models.ForeignKey(
        CapabilityEntry, verbose_name=_("技术（产品）"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    publisher_attended = models.BooleanField(_("发榜方出席"), null=True)
    company_attended = models.BooleanField(_("企业出席"), null=True)
    outcome = models.CharField(
        _("对接结果"), max_length=12, choices=AgendaOutcome.choices, default=AgendaOutcome.PENDING
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "scenario", "entry"], name="agenda_pair_once_per_event")
        ]

    def __str__(self):
        return f"{self.event}：{self.scenario} × {self.entry}"
