"""十百千 targets (policy §一(三)): the values operators set, the daily snapshots of what the
records count, and the 高成长性科技企业 list's history and imports.

The figures themselves are never stored by hand: steering/target_rules.py counts them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steering.choices import HighGrowthImportState, TargetMetric


class Target(models.Model):
    """What a metric should reach by a deadline, for the city (district empty) or one district.
    A new horizon is a new Target; an archived one stays readable."""

    metric = models.CharField(_("指标"), max_length=20, choices=TargetMetric.choices)
    district = models.ForeignKey(
        "accounts.District",
        verbose_name=_("范围（空为全市）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("目标名称"), max_length=100)
    target_value = models.PositiveIntegerField(_("目标值"))
    baseline = models.PositiveIntegerField(_("基数"), default=0)
    starts_on = models.DateField(_("起算日期"))
    deadline = models.DateField(_("完成期限"))
    note = models.TextField(_("说明"), max_length=2000, blank=True)
    is_archived = models.BooleanField(_("已归档"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("十百千目标")
        verbose_name_plural = _("十百千目标")
        ordering = ["is_archived", "metric", "-deadline", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(target_value__gt=0), name="steering_target_value_positive"),
            models.CheckConstraint(condition=Q(deadline__gt=models.F("starts_on")), name="steering_target_dates_order"),
        ]

    def __str__(self):
        scope = self.district.name_shown if self.district_id else _("全市")
        return f"{self.title}（{scope}，{self.target_value}，{self.deadline:%Y-%m-%d}）"

    @property
    def has_ended(self) -> bool:
        """Its deadline has passed (Beijing time): kept and readable, no longer the one in force."""
        return self.deadline < timezone.localdate()


class TargetPlanPoint(models.Model):
    """One point of a target's planned trajectory; between points the plan is interpolated."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="plan_points")
    day = models.DateField(_("日期"))
    planned_value = models.PositiveIntegerField(_("计划值"))

    class Meta:
        verbose_name = _("目标计划节点")
        verbose_name_plural = _("目标计划节点")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["target", "day"], name="steering_plan_point_once_a_day")]

    def __str__(self):
        return f"{self.target.title}：{self.day:%Y-%m-%d} {self.planned_value}"


class TargetSnapshot(models.Model):
    """What a metric's rule counted at the end of a day (Asia/Shanghai), city-wide (district
    empty) or in one district, with the rule's version. Written only by targets_snapshot_take."""

    metric = models.CharField(_("指标"), max_length=20, choices=TargetMetric.choices)
    district = models.ForeignKey("accounts.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("日期"))
    value = models.PositiveIntegerField(_("数值"))
    rule_version = models.PositiveSmallIntegerField(_("口径版本"))
    taken_at = models.DateTimeField(_("生成时间"), auto_now=True)

    class Meta:
        verbose_name = _("目标快照")
        verbose_name_plural = _("目标快照")
        ordering = ["metric", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "day"], condition=Q(district__isnull=True), name="steering_snapshot_city_once"
            ),
            models.UniqueConstraint(
                fields=["metric", "district", "day"],
                condition=Q(district__isnull=False),
                name="steering_snapshot_district_once",
            ),
        ]
        indexes = [models.Index(fields=["metric", "district", "day"])]

    def __str__(self):
        scope = self.district.name_shown if self.district_id else _("全市")
        return f"{self.get_metric_display()}（{scope}）{self.day:%Y-%m-%d}：{self.value}"


class HighGrowthImport(models.Model):
    """An uploaded 高成长性科技企业 list: its dry-run difference against the current list, then
    (when an operator applies it) the change it made."""

    file = models.FileField(_("文件"), upload_to="steering/high_growth/%Y/")
    file_name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # {"added": [{"id", "name", "credit_code"}], "removed": [...], "unchanged": [...],
    #  "errors": [{"row", "message"}]}
    diff = models.JSONField(_("差异"), default=dict)
    state = models.CharField(
        _("状态"), max_length=10, choices=HighGrowthImportState.choices, default=HighGrowthImportState.CHECKED
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(_("生效时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("高成长性科技企业名单导入")
        verbose_name_plural = _("高成长性科技企业名单导入")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.file_name}（{self.get_state_display()}）"

    def counts(self) -> dict:
        return {key: len(self.diff.get(key, [])) for key in ("added", "removed", "unchanged", "errors")}


class HighGrowthListing(models.Model):
    """A company's time on the 高成长性科技企业 list: from listed_on until the day before
    delisted_on (open while empty). Organisation.is_high_growth is the current flag, kept in step
    by the services."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="high_growth_listings"
    )
    listed_on = models.DateField(_("列入日期"))
    delisted_on = models.DateField(_("移出日期"), null=True, blank=True)
    source = models.ForeignKey(
        HighGrowthImport, null=True, blank=True, on_delete=models.PROTECT, related_name="listings"
    )

    class Meta:
        verbose_name = _("高成长性科技企业名单记录")
        verbose_name_plural = _("高成长性科技企业名单记录")
        ordering = ["listed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(delisted_on__isnull=True), name="steering_one_open_listing"
            ),
        ]

    def __str__(self):
        until = f"{self.delisted_on:%Y-%m-%d}" if self.delisted_on else "—"
        return f"{self.organisation.name}：{self.listed_on:%Y-%m-%d} — {until}"
