from django.db import models
from django.utils.translation import gettext_lazy as _


class Round(models.TextChoices):
    """The rounds of a contest, in order. Each has a start date; it ends when the next begins."""

    CHALLENGES = "challenges", _("发榜")
    REGISTRATION = "registration", _("揭榜报名")
    ELIGIBILITY = "eligibility", _("资格审查")
    ROADSHOW = "roadshow", _("路演评审")
    REVIEW = "review", _("复议")
    NOTICE = "notice", _("公示")
    RESULTS = "results", _("结果发布")


ROUND_ORDER = [choice.value for choice in Round]


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    ELIGIBLE = "eligible", _("资格审查通过")
    INELIGIBLE = "ineligible", _("资格审查未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class CreditCheck(models.TextChoices):
    PENDING = "pending", _("待核查")
    PASSED = "passed", _("核查通过")
    FAILED = "failed", _("核查未通过")


class MembershipStatus(models.TextChoices):
    INVITED = "invited", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已拒绝")


class RelationshipKind(models.TextChoices):
    EMPLOYMENT = "employment", _("任职（含近三年）")
    SHAREHOLDING = "shareholding", _("持股")
    COLLABORATION = "collaboration", _("近三年合作")


class Dimension(models.TextChoices):
    TECHNICAL = "technical", _("技术")
    BUSINESS = "business", _("商务")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")


class CooperationMode(models.TextChoices):
    PROCUREMENT = "procurement", _("直接采购")
    JOINT = "joint", _("联合攻关")


class MilestoneKind(models.TextChoices):
    DESIGN = "design", _("方案设计")
    ONSITE_TEST = "onsite_test", _("现场测试")
    VERIFICATION = "verification", _("验证评价")


class BenefitKind(models.TextChoices):
    CATALOGUE = "catalogue", _("列入《重点自主创新产品目录》")
    INSURANCE = "insurance", _("首台套/首批次/首版次保险补偿")
    RD_PLAN = "rd_plan", _("纳入市重点研发计划")


class InsuredKind(models.TextChoices):
    FIRST_SET = "first_set", _("首台（套）")
    FIRST_BATCH = "first_batch", _("首批次")
    FIRST_EDITION = "first_edition", _("首版次")
