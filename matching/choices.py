from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchingModelState(models.TextChoices):
    BUILDING = "building", _("构建中")
    ACTIVE = "active", _("使用中")
    SUPERSEDED = "superseded", _("已替换")
    FAILED = "failed", _("失败")


class MatchSide(models.TextChoices):
    PUBLISHER = "publisher", _("发榜方")
    COMPANY = "company", _("企业")


class MatchDecision(models.TextChoices):
    ACCEPTED = "accepted", _("接受")
    DECLINED = "declined", _("不接受")


class DeclineReason(models.TextChoices):
    """Why a side declines a recommendation; kept as labels for tuning the weights."""

    IRRELEVANT = "irrelevant", _("不相关")
    IMMATURE = "immature", _("技术不成熟")
    BUDGET = "budget", _("预算不符")
    LOCATION = "location", _("地域不符")
    HAS_SUPPLIER = "has_supplier", _("已有供应商")
