"""The monthly 调度 report (reports centre): the frozen data of a month's cycle, so that a report
downloaded later gives the month's numbers whatever has changed since."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steering.choices import FreezeOrigin


class DispatchReport(models.Model):
    """What the monthly report of a cycle shows, frozen when the cycle closes (or, if that failed,
    at the first build after it). The 十百千 figures are not in it: they come from the stored
    TargetSnapshot rows of the month's last day, which are never rewritten; the targets and plans
    in force at the freeze are in it (a later edit of a target leaves the month's report as it was)."""

    cycle = models.OneToOneField(
        "steering.ReportingCycle", verbose_name=_("报送期次"), on_delete=models.PROTECT, related_name="dispatch_report"
    )
    month = models.DateField(_("所属月份"), unique=True)  # first day of the month
    frozen_at = models.DateTimeField(_("冻结时间"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("冻结人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    origin = models.CharField(_("冻结方式"), max_length=16, choices=FreezeOrigin.choices)
    data = models.JSONField(_("冻结数据"), default=dict)

    class Meta:
        verbose_name = _("月度调度报告数据")
        verbose_name_plural = _("月度调度报告数据")
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y年%m月}调度报告"
