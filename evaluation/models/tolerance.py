"""包容期 and 容错 (policy §一(二), §四(二)): the register of a 前瞻性 scenario's tolerance period."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from evaluation.choices import ExtensionStatus, ToleranceDecision, ToleranceStatus


class TolerancePeriod(models.Model):
    scenario = models.OneToOneField(
        "scenarios.Scenario", verbose_name=_("场景"), on_delete=models.PROTECT, related_name="tolerance_period"
    )
    starts_on = models.DateField(_("包容期开始"))
    ends_on = models.DateField(_("包容期结束"))
    original_ends_on = models.DateField(_("原定结束"))
    status = models.CharField(_("状态"), max_length=12, choices=ToleranceStatus.choices, default=ToleranceStatus.ACTIVE)
    ended_on = models.DateField(_("实际结束"), null=True, blank=True)
    end_reason = models.CharField(_("结束说明"), max_length=500, blank=True)
    end_reminded_on = models.DateField(null=True, blank=True)  # "ends within 30 days", sent once per end date
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("包容期")
        verbose_name_plural = _("包容期")
        ordering = ["ends_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="tolerance_ends_after_start")
        ]

    def __str__(self):
        return str(self.scenario)

    @property
    def is_running(self) -> bool:
        return self.status in (ToleranceStatus.ACTIVE, ToleranceStatus.EXTENDED)


class ToleranceCheckpoint(models.Model):
    period = models.ForeignKey(TolerancePeriod, on_delete=models.CASCADE, related_name="checkpoints")
    title = models.CharField(_("节点"), max_length=100)
    due_on = models.DateField(_("计划日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    reminded_on = models.DateField(null=True, blank=True)  # "due within 7 days", sent once

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.period}：{self.title}"


class ToleranceIncident(models.Model):
    """An incident inside a period (a failed trial, a delay, a loss) and the operator's 容错 decision;
    免责 inside a running period is not held against the subject in an evaluation."""

    period = models.ForeignKey(TolerancePeriod, on_delete=models.CASCADE, related_name="incidents")
    occurred_on = models.DateField(_("发生日期"))
    description = models.CharField(_("事件描述"), max_length=1000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(_("容错认定"), max_length=14, choices=ToleranceDecision.choices, blank=True)
    decision_basis = models.CharField(_("认定依据"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("认定时间"), null=True, blank=True)

    class Meta:
        ordering = ["occurred_on", "id"]

    def __str__(self):
        return f"{self.period}：{self.occurred_on} 事件"


class ToleranceExtension(models.Model):
    period = models.ForeignKey(TolerancePeriod, on_delete=models.CASCADE, related_name="extensions")
    requested_until = models.DateField(_("申请延至"))
    reason = models.CharField(_("申请理由"), max_length=1000)
    status = models.CharField(
        _("状态"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.REQUESTED
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("审批意见"), max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.period}：申请延期至 {self.requested_until}"
