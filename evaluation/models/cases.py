"""典型案例 and their replication (复制推广)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluation.choices import CaseStatus, ReplicationKind, ReplicationStatus


class CaseNominationRule(models.Model):
    """The rule that proposes typical cases from a closed round, as data; the newest row is in force.
    Default: total ≥ 85, 效益 ≥ 80 % of its weight, no red line."""

    min_total = models.DecimalField(_("最低总分"), max_digits=5, decimal_places=2, default=Decimal("85"))
    benefit_dimension = models.CharField(_("效益维度名称"), max_length=20, default="效益")
    min_benefit_share = models.DecimalField(
        _("效益得分占其权重的最低比例"), max_digits=3, decimal_places=2, default=Decimal("0.80")
    )
    exclude_red_line = models.BooleanField(_("触及红线的不推荐"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("典型案例推荐规则")
        verbose_name_plural = _("典型案例推荐规则")
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self):
        return _("推荐规则 #%(pk)s") % {"pk": self.pk}


class TypicalCase(models.Model):
    """A subject proposed as 典型案例 by the nomination rule, decided by an operator; an approved
    case has a public page."""

    subject = models.OneToOneField("evaluation.Subject", on_delete=models.PROTECT, related_name="typical_case")
    status = models.CharField(_("状态"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.PROPOSED)
    rule = models.JSONField(_("推荐依据"), default=dict)  # the rule's values and the subject's figures
    title = models.CharField(_("案例名称"), max_length=100)
    problem = models.TextField(_("场景问题"), max_length=3000, blank=True)
    solution = models.TextField(_("解决方案"), max_length=3000, blank=True)
    supplier = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("解决方案提供单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcomes = models.TextField(_("应用成效"), max_length=3000, blank=True)
    decision_reason = models.CharField(_("决定理由"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    proposed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        ordering = ["-decided_at", "-proposed_at"]

    def __str__(self):
        return self.title


class Replication(models.Model):
    """An adoption of a typical case by another organisation: a new scenario linked with
    `replication_of`, or a described adoption with evidence; counted once an operator verifies it."""

    case = models.ForeignKey(TypicalCase, on_delete=models.PROTECT, related_name="replications")
    adopter = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("推广应用单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("方式"), max_length=10, choices=ReplicationKind.choices)
    scenario = models.ForeignKey(
        "scenarios.Scenario",
        verbose_name=_("复制场景"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("应用情况"), max_length=3000)
    evidence = models.FileField(_("佐证材料"), upload_to="evaluation/replications/%Y/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReplicationStatus.choices, default=ReplicationStatus.PENDING
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    decision_reason = models.CharField(_("核实意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("复制推广")
        verbose_name_plural = _("复制推广")
        ordering = ["-recorded_at", "-id"]

    def __str__(self):
        return _("复制推广 #%(pk)s") % {"pk": self.pk}
