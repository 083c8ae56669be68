from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    TECHNOLOGY = "technology", _("技术")
    PRODUCT = "product", _("产品")
    SOLUTION = "solution", _("解决方案")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    LISTED = "listed", _("已入库")
    RETURNED = "returned", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


class ChangeStatus(models.TextChoices):
    """A proposed change to a listed entry (CapabilityEntryRevision)."""

    DRAFT = "draft", _("未提交")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已生效")
    DISCARDED = "discarded", _("已撤销")


# A change still in the company's or the operator's hands: at most one per entry.
OPEN_CHANGE_STATUSES = (ChangeStatus.DRAFT, ChangeStatus.SUBMITTED, ChangeStatus.RETURNED)


class Maturity(models.TextChoices):
    PROTOTYPE = "prototype", _("样机/原型")
    PILOT = "pilot", _("中试")
    DEMONSTRATED = "demonstrated", _("示范应用")
    MASS = "mass", _("规模化应用")


class PriceBand(models.TextChoices):
    UNDER_100K = "lt_10w", _("10 万元以下")
    TO_500K = "10w_50w", _("10–50 万元")
    TO_2M = "50w_200w", _("50–200 万元")
    TO_10M = "200w_1000w", _("200–1000 万元")
    OVER_10M = "gt_1000w", _("1000 万元以上")


class CredentialKind(models.TextChoices):
    """三首: the policy's first-of-kind recognitions."""

    FIRST_SET = "first_set", _("首台套")
    FIRST_BATCH = "first_batch", _("首批次")
    FIRST_VERSION = "first_version", _("首版次")


class CredentialLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")


class EnquiryStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已关闭")


class EventKind(models.TextChoices):
    ARGUMENTATION = "argumentation", _("论证会")
    MATCHMAKING = "matchmaking", _("对接会")


class AgendaOutcome(models.TextChoices):
    PENDING = "pending", _("待定")
    NO_INTEREST = "no_interest", _("暂无意向")
    INTENT = "intent", _("达成意向")
    FOLLOW_UP = "follow_up", _("继续跟进")
    CONTRACT = "contract", _("签订合同")
