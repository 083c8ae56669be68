"""The six programme tasks of policy §三 and their 定期调度 (§四(四)): the responsible units, the
milestones, the reporting cycles, each unit's report per task and cycle with its frozen versions,
the lamps (亮灯) from rules held as data, and the 督办单 that follows a red lamp."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from steering.choices import (
    CycleKind,
    CycleStatus,
    Lamp,
    LampRuleKind,
    NoticeStatus,
    ProgressMethod,
    ReportStatus,
    UnitRole,
    VersionDecision,
)


class ProgrammeUnit(models.Model):
    """A responsible unit named in the policy (市科技局 …, or a district's government or 管委会 for
    task 五). Its organisation on the portal may come later: until it is linked, nobody files for it."""

    short_name = models.CharField(_("简称"), max_length=32, unique=True)
    full_name = models.CharField(_("全称"), max_length=100)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("门户机构"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programme_units",
    )
    district = models.OneToOneField(
        "accounts.District",
        verbose_name=_("所属区（县、市）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_unit",
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.short_name


class ProgrammeTask(models.Model):
    code = models.PositiveSmallIntegerField(_("任务序号"), unique=True)
    title = models.CharField(_("任务名称"), max_length=100)
    policy_text = models.TextField(_("政策原文"))
    progress_method = models.CharField(
        _("进度计算方法"), max_length=16, choices=ProgressMethod.choices, default=ProgressMethod.MILESTONES
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("完成日期"))
    units = models.ManyToManyField(ProgrammeUnit, through="TaskUnit", related_name="tasks")

    class Meta:
        verbose_name = _("主要任务")
        verbose_name_plural = _("主要任务")
        ordering = ["code"]

    def __str__(self):
        return f"任务{self.policy_numeral}：{self.title}"

    @property
    def policy_numeral(self) -> str:
        """一 … 六, as the policy numbers its tasks (records, audit labels and workbooks)."""
        return "一二三四五六七八九十"[self.code - 1] if 1 <= self.code <= 10 else str(self.code)

    @property
    def numeral(self) -> str:
        """The number shown on pages: 任务一 in Chinese, Task 1 in the English interface."""
        return self.policy_numeral if (get_language() or "zh-hans").startswith("zh") else str(self.code)


class TaskUnit(models.Model):
    task = models.ForeignKey(ProgrammeTask, on_delete=models.CASCADE, related_name="task_units")
    unit = models.ForeignKey(ProgrammeUnit, on_delete=models.PROTECT, related_name="task_units")
    role = models.CharField(_("职责"), max_length=8, choices=UnitRole.choices)

    class Meta:
        verbose_name = _("任务责任单位")
        verbose_name_plural = _("任务责任单位")
        ordering = ["task__code", "role", "unit__sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="steering_task_unit_once")]

    def __str__(self):
        return f"{self.task}：{self.unit}（{self.get_role_display()}）"


class TaskMilestone(models.Model):
    task = models.ForeignKey(ProgrammeTask, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("里程碑"), max_length=200)
    due_on = models.DateField(_("计划完成日期"))
    weight = models.PositiveSmallIntegerField(_("权重"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("任务里程碑")
        verbose_name_plural = _("任务里程碑")
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.task}：{self.title}"


class ReportingSettings(models.Model):
    """One row (pk=1): the monthly due day and the reminder days, data an operator may change."""

    monthly_due_day = models.PositiveSmallIntegerField(_("月度报送截止日"), default=25)
    remind_days_before = models.JSONField(_("截止前提醒（天）"), default=list)
    remind_days_after = models.JSONField(_("逾期后提醒（天）"), default=list)

    class Meta:
        verbose_name = _("调度报送设置")
        verbose_name_plural = _("调度报送设置")

    def __str__(self):
        return f"每月{self.monthly_due_day}日截止"


class ReportingCycle(models.Model):
    label = models.CharField(_("报送期次"), max_length=40)
    kind = models.CharField(_("类型"), max_length=8, choices=CycleKind.choices, default=CycleKind.MONTHLY)
    month = models.DateField(_("所属月份"), null=True, blank=True)  # first day of the month, monthly cycles
    opens_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("截止日期"))
    status = models.CharField(_("状态"), max_length=8, choices=CycleStatus.choices, default=CycleStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("报送期次")
        verbose_name_plural = _("报送期次")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["month"], condition=Q(kind=CycleKind.MONTHLY), name="steering_one_monthly_cycle"
            ),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("opens_on")), name="steering_cycle_due_after_open"),
        ]

    def __str__(self):
        return self.label

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN


class UnitReport(models.Model):
    """One unit's progress report on one task in one cycle: the current draft, its status and lamp."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="reports")
    task = models.ForeignKey(ProgrammeTask, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(ProgrammeUnit, on_delete=models.PROTECT, related_name="reports")
    role = models.CharField(_("职责"), max_length=8, choices=UnitRole.choices)
    status = models.CharField(_("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.NOT_STARTED)
    narrative = models.TextField(_("工作进展"), blank=True)
    percentage = models.PositiveSmallIntegerField(_("完成百分比"), null=True, blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下一步计划"), blank=True)
    lamp = models.CharField(_("亮灯"), max_length=8, choices=Lamp.choices, default=Lamp.GREEN)
    lamp_reasons = models.JSONField(_("亮灯原因"), default=list, blank=True)
    lamp_since = models.DateTimeField(_("亮灯时间"), null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("单位报送")
        verbose_name_plural = _("单位报送")
        ordering = ["cycle__due_on", "task__code", "unit__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "task", "unit"], name="steering_report_once_per_cycle"),
            models.CheckConstraint(
                condition=Q(percentage__isnull=True) | Q(percentage__lte=100), name="steering_report_percentage_max"
            ),
        ]

    def __str__(self):
        return f"{self.cycle}：{self.unit} 报送任务{self.task.policy_numeral}"


class ReportAttachment(models.Model):
    """A file attached to a report. It stays in the draft until removed; a submitted version keeps
    the files it was submitted with, so a file in a version is never deleted."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="steering/reports/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    in_draft = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("报送附件")
        verbose_name_plural = _("报送附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name


class UnitReportVersion(models.Model):
    """What the unit submitted, frozen; and the operator's decision on it."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    narrative = models.TextField(_("工作进展"))
    percentage = models.PositiveSmallIntegerField(_("完成百分比"))
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下一步计划"), blank=True)
    attachments = models.ManyToManyField(ReportAttachment, blank=True, related_name="versions")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"))
    decision = models.CharField(_("审核结果"), max_length=8, choices=VersionDecision.choices, blank=True)
    decision_reason = models.CharField(_("审核意见"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报送版本")
        verbose_name_plural = _("报送版本")
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="steering_version_number_once")]

    def __str__(self):
        return f"{self.report} 第{self.number}版"


class LampRule(models.Model):
    """One rule of the lamps, held as data. Parameters by kind: due_within_days {"days": 3};
    behind_plan_points {"min_points": 10, "max_points": 30} (max may be null); overdue {};
    silent_days {"days": 30}."""

    kind = models.CharField(_("规则类型"), max_length=20, choices=LampRuleKind.choices)
    parameters = models.JSONField(_("参数"), default=dict, blank=True)
    colour = models.CharField(_("灯色"), max_length=8, choices=Lamp.choices)
    label = models.CharField(_("亮灯说明"), max_length=100)
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("亮灯规则")
        verbose_name_plural = _("亮灯规则")
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.get_colour_display()}：{self.label}"


class SupervisionNotice(models.Model):
    """督办单: issued to a unit on a red-lamp report; the unit answers by the due date; an operator closes it."""

    report = models.ForeignKey(UnitReport, on_delete=models.PROTECT, related_name="notices")
    unit = models.ForeignKey(ProgrammeUnit, on_delete=models.PROTECT, related_name="notices")
    reason = models.CharField(_("督办事由"), max_length=1000)
    response_due_on = models.DateField(_("答复期限"))
    status = models.CharField(_("状态"), max_length=8, choices=NoticeStatus.choices, default=NoticeStatus.OPEN)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    response = models.TextField(_("答复内容"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closing_note = models.CharField(_("办结意见"), max_length=500, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ["-issued_at", "-id"]

    def __str__(self):
        return f"督办单：{self.unit}（{self.report.cycle}）"
