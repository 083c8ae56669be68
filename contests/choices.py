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
