from django.db import models  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

# === Targets ===


class TargetMetric(models.TextChoices):
    """The 十百千 metrics (policy §一(三)); each is a counting rule in steering/target_rules.py."""

    FLAGSHIP = "flagship", _("特色示范性场景")
    REPLICATIONS = "replications", _("复制推广典型应用")
    HIGH_GROWTH = "high_growth", _("高成长性科技企业")


class HighGrowthImportState(models.TextChoices):
    CHECKED = "checked", _("已试导入")
    APPLIED = "applied", _("已生效")


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


class AssessmentSubject(models.TextChoices):
    """Who an assessment item scores: SOEs (国资考核) or companies (信用评价加分)."""

    SOE = "soe", _("国有企业考核")
    COMPANY = "company", _("企业信用加分")


class AssessmentItemCode(models.TextChoices):
    """The items the portal counts (steering.selectors.assessment holds each one's 口径)."""

    SCENARIOS_OPENED = "scenarios_opened", _("开放场景数（提交审核）")
    SCENARIOS_PUBLISHED = "scenarios_published", _("发布场景数")
    SCENARIOS_IN_CONTEST = "scenarios_in_contest", _("纳入场景大赛场景数")
    SCENARIOS_IN_IMPLEMENTATION = "scenarios_in_implementation", _("进入实施场景数")
    SCENARIOS_DEMONSTRATED = "scenarios_demonstrated", _("形成示范场景数")
    PRODUCTS_USED = "products_used", _("使用大赛入围产品数（已核实）")
    PRODUCTS_SHORTLISTED = "products_shortlisted", _("大赛入围产品数")
    PRODUCTS_IN_USE = "products_in_use", _("入围产品获实际使用数（已核实）")


SOE_ITEM_CODES = [
    AssessmentItemCode.SCENARIOS_OPENED,
    AssessmentItemCode.SCENARIOS_PUBLISHED,
    AssessmentItemCode.SCENARIOS_IN_CONTEST,
    AssessmentItemCode.SCENARIOS_IN_IMPLEMENTATION,
    AssessmentItemCode.SCENARIOS_DEMONSTRATED,
    AssessmentItemCode.PRODUCTS_USED,
]
COMPANY_ITEM_CODES = [AssessmentItemCode.PRODUCTS_SHORTLISTED, AssessmentItemCode.PRODUCTS_IN_USE]


class ProductUseKind(models.TextChoices):
    AGREEMENT = "agreement", _("合作协议")
    PROCUREMENT = "procurement", _("采购")


class ProductUseStatus(models.TextChoices):
    PENDING = "pending", _("待核实")
    VERIFIED = "verified", _("已核实")
    REJECTED = "rejected", _("未通过")


# === Cockpit ===

# === Reports ===


class FreezeOrigin(models.TextChoices):
    CYCLE_CLOSE = "cycle_close", _("期次关闭时冻结")
    BUILD = "build", _("生成报告时补冻结")
