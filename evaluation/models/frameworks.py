"""评价指标体系: a versioned tree of indicators per level, with its grade bands.

How an indicator counts (evaluation/scoring.py computes it):
    absolute weight = weight × parent's absolute weight / 100 (a first-tier indicator's is its weight)
    a leaf's share  = its aggregated points / max_points × its absolute weight
    total           = sum of the leaves' shares (out of 100); a first tier's score is the sum over
                      its leaves (out of its weight)
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluation.choices import FrameworkStatus, Level, ScoringMethod


class Framework(models.Model):
    """One version of a level's indicator framework. A published version is immutable: a change is
    a new version (based_on the old one) with its own change note."""

    level = models.CharField(_("评价层级"), max_length=12, choices=Level.choices)
    version = models.PositiveSmallIntegerField(_("版本"))
    name = models.CharField(_("名称"), max_length=100)
    status = models.CharField(_("状态"), max_length=10, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT)
    based_on = models.ForeignKey(
        "self", verbose_name=_("基于版本"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    change_note = models.CharField(_("修订说明"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评价指标体系")
        verbose_name_plural = _("评价指标体系")
        ordering = ["level", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["level", "version"], name="framework_version_once_per_level"),
            models.UniqueConstraint(
                fields=["level"], condition=Q(status="draft"), name="framework_one_draft_per_level"
            ),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == FrameworkStatus.PUBLISHED


class Indicator(models.Model):
    """A node of the tree: first tier 决策 / 过程 / 产出 / 效益 by default, then two tiers below.
    Only leaves are scored; siblings' weights sum to 100."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级指标"), on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    tier = models.PositiveSmallIntegerField(_("层级"))
    code = models.CharField(_("编号"), max_length=12)  # "2.1.3": stable across versions, for the diff
    name = models.CharField(_("指标名称"), max_length=60)
    definition = models.CharField(_("指标解释"), max_length=500, blank=True)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2)
    method = models.CharField(_("评分方式"), max_length=10, choices=ScoringMethod.choices, default=ScoringMethod.EXPERT)
    max_points = models.DecimalField(_("满分"), max_digits=5, decimal_places=1, default=Decimal("10"))
    rule = models.CharField(
        _("计算规则"),
        max_length=60,
        blank=True,
        help_text=_("系统计算指标的规则代码（evaluation/indicator_rules.py）。"),
    )
    target = models.DecimalField(
        _("满分目标值"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("系统计算或导入的数值达到此值即得满分，按比例计分。"),
    )
    evidence_required = models.BooleanField(_("须提供佐证材料"), default=False)
    is_red_line = models.BooleanField(_("红线指标"), default=False, help_text=_("触及红线的，等级最高为“差”。"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("评价指标")
        verbose_name_plural = _("评价指标")
        ordering = ["tier", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="indicator_code_once_per_framework"),
            models.CheckConstraint(condition=Q(tier__gte=1) & Q(tier__lte=3), name="indicator_tier_1_to_3"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=100), name="indicator_weight_0_to_100"),
            models.CheckConstraint(
                condition=Q(max_points__gt=0) & Q(max_points__lte=100), name="indicator_max_points_0_to_100"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class GradeBand(models.Model):
    """优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below, by default: data of a framework version, frozen with it."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="grade_bands")
    name = models.CharField(_("等级"), max_length=10)
    min_total = models.DecimalField(_("最低总分"), max_digits=5, decimal_places=2)
    is_lowest = models.BooleanField(_("最低等级"), default=False, help_text=_("触及红线时封顶的等级。"))

    class Meta:
        verbose_name = _("评价等级")
        verbose_name_plural = _("评价等级")
        ordering = ["-min_total"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="grade_band_name_once"),
            models.UniqueConstraint(fields=["framework"], condition=Q(is_lowest=True), name="grade_band_one_lowest"),
        ]

    def __str__(self):
        return self.name
