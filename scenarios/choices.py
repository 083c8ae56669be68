from django.db import models
from django.utils.translation import gettext_lazy as _


class ScenarioStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已审核待发布")
    PUBLISHED = "published", _("已发布")
    IN_CONTEST = "in_contest", _("大赛中")
    MATCHED = "matched", _("已对接")
    IN_IMPLEMENTATION = "in_implementation", _("实施中")
    DEMONSTRATED = "demonstrated", _("已示范")
    CLOSED = "closed", _("已结束")
    REJECTED = "rejected", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


# Visible to everyone, without logging in.
PUBLIC_STATUSES = frozenset(
    {
        ScenarioStatus.PUBLISHED,
        ScenarioStatus.IN_CONTEST,
        ScenarioStatus.MATCHED,
        ScenarioStatus.IN_IMPLEMENTATION,
        ScenarioStatus.DEMONSTRATED,
        ScenarioStatus.CLOSED,
    }
)
# The publisher may change the content only in these.
EDITABLE_STATUSES = frozenset({ScenarioStatus.DRAFT, ScenarioStatus.REJECTED})


class Track(models.TextChoices):
    FORWARD_LOOKING = "forward_looking", _("前瞻性/验证性/试验性")
    MATURE = "mature", _("成熟技术")


class Stage(models.TextChoices):
    UNDER_CONSTRUCTION = "under_construction", _("在建")
    PLANNED = "planned", _("待建")


class FundingLevel(models.TextChoices):
    CITY = "city", _("市级财政")
    DISTRICT = "district", _("区级财政")


class FundingShare(models.TextChoices):
    FULL = "full", _("全额投资")
    PARTIAL = "partial", _("部分投资")


class ZoneKind(models.TextChoices):
    NATIONAL_HIGH_TECH = "national_high_tech", _("国家级高新区")
    PROVINCIAL_HIGH_TECH = "provincial_high_tech", _("省级高新区")
    INCUBATOR = "incubator", _("科技企业孵化器")
    INDUSTRIAL_BASE = "industrial_base", _("产业基地")


class InstrumentRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("待答复")
    APPROVED = "approved", _("已同意")
    DECLINED = "declined", _("已婉拒")


class RequiredCredential(models.TextChoices):
    """A 三首 recognition the publisher requires of suppliers (same codes as the capability list)."""

    NONE = "", _("不限")
    FIRST_SET = "first_set", _("首台套")
    FIRST_BATCH = "first_batch", _("首批次")
    FIRST_VERSION = "first_version", _("首版次")
