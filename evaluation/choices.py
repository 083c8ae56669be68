from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The three levels of the policy's §四(三) evaluation."""

    CITY = "city", _("城市级")
    INDUSTRY = "industry", _("产业级")
    ENTERPRISE = "enterprise", _("企业级")


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class ScoringMethod(models.TextChoices):
    EXPERT = "expert", _("专家评分")
    COMPUTED = "computed", _("系统计算")
    IMPORTED = "imported", _("导入数据")


class RoundStatus(models.TextChoices):
    PREPARING = "preparing", _("筹备中")
    SELF_ASSESSMENT = "self_assessment", _("自评中")
    SCORING = "scoring", _("专家评分中")
    CLOSED = "closed", _("已结束")


class SubjectRole(models.TextChoices):
    """Why an organisation belongs to an evaluation subject."""

    PUBLISHER = "publisher", _("场景发布单位")
    SUPPLIER = "supplier", _("场景承接单位")
    RESPONSIBLE = "responsible", _("责任单位")


class FigureSource(models.TextChoices):
    COMPUTED = "computed", _("系统计算")
    IMPORTED = "imported", _("导入数据")


class FindingSeverity(models.TextChoices):
    SERIOUS = "serious", _("严重")
    GENERAL = "general", _("一般")
    MINOR = "minor", _("轻微")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    IN_PROGRESS = "in_progress", _("整改中")
    SUBMITTED = "submitted", _("待核实")
    VERIFIED = "verified", _("已核实")


class CaseStatus(models.TextChoices):
    PROPOSED = "proposed", _("待决定")
    MORE_INFO = "more_info", _("待补充材料")
    APPROVED = "approved", _("已入选")
    DISMISSED = "dismissed", _("未入选")


class CaseDecision(models.TextChoices):
    """An operator's decision on a proposed typical case."""

    APPROVE = "approve", _("入选")
    MORE_INFO = "more_info", _("要求补充材料")
    DISMISS = "dismiss", _("不入选")


class ReplicationKind(models.TextChoices):
    SCENARIO = "scenario", _("复制为新场景")
    ADOPTION = "adoption", _("推广应用")


class ReplicationStatus(models.TextChoices):
    PENDING = "pending", _("待核实")
    VERIFIED = "verified", _("已核实")
    REJECTED = "rejected", _("未通过")


class ToleranceStatus(models.TextChoices):
    ACTIVE = "active", _("包容期内")
    EXTENDED = "extended", _("已延期")
    ENDED = "ended", _("正常结束")
    ENDED_EARLY = "ended_early", _("提前终止")


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已同意")
    DECLINED = "declined", _("未同意")


class ToleranceDecision(models.TextChoices):
    """容错 decision on an incident (policy §四(二))."""

    EXEMPT = "exempt", _("免责")
    REDUCED = "reduced", _("减责")
    NOT_TOLERATED = "not_tolerated", _("不予容错")
