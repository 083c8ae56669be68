from django.db import models  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

# === Targets ===

# === Programme tasks ===


class UnitRole(models.TextChoices):
    LEAD = "lead", _("牵头单位")
    SUPPORT = "support", _("配合单位")


class ProgressMethod(models.TextChoices):
    MILESTONES = "milestones", _("按里程碑权重计算")
    LEAD_REPORT = "lead_report", _("按牵头单位最近一次已采纳报送")


class CycleKind(models.TextChoices):
    MONTHLY = "monthly", _("月度调度")
    AD_HOC = "ad_hoc", _("专项调度")


class CycleStatus(models.TextChoices):
    OPEN = "open", _("报送中")
    CLOSED = "closed", _("已关闭")


class ReportStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未填报")
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已采纳")


# Reports still waiting for the unit: the due date and the reminders concern these.
REPORT_UNFILED = (ReportStatus.NOT_STARTED, ReportStatus.DRAFT, ReportStatus.RETURNED)


class Lamp(models.TextChoices):
    GREEN = "green", _("绿灯")
    BLUE = "blue", _("蓝灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")


# Worst colour wins: the higher the number, the worse.
LAMP_SEVERITY = {Lamp.GREEN: 0, Lamp.BLUE: 1, Lamp.YELLOW: 2, Lamp.RED: 3}


class LampRuleKind(models.TextChoices):
    DUE_WITHIN_DAYS = "due_within_days", _("临近截止")
    BEHIND_PLAN_POINTS = "behind_plan_points", _("落后序时进度")
    OVERDUE = "overdue", _("逾期未报")
    SILENT_DAYS = "silent_days", _("长期未报送")


class VersionDecision(models.TextChoices):
    PENDING = "", _("待审核")
    ACCEPTED = "accepted", _("已采纳")
    RETURNED = "returned", _("已退回")


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


# === SOE assessment ===

# === Cockpit ===

# === Reports ===
