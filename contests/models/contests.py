from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contests.choices import ROUND_ORDER, Round

# Policy §三(三): each award is at most ¥1,000,000.
AWARD_CAP_LIMIT = Decimal("1000000.00")
ROUND_FIELDS = {
    Round.CHALLENGES: "challenges_open_at",
    Round.REGISTRATION: "registration_open_at",
    Round.ELIGIBILITY: "eligibility_open_at",
    Round.ROADSHOW: "roadshow_open_at",
    Round.REVIEW: "review_open_at",
    Round.NOTICE: "notice_open_at",
    Round.RESULTS: "results_open_at",
}


class Contest(models.Model):
    """场景大赛: rounds with start times; a round lasts until the next one starts."""

    name = models.CharField(_("名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    description = models.TextField(_("说明"), max_length=3000, blank=True)
    award_budget = models.DecimalField(_("奖励预算（元）"), max_digits=14, decimal_places=2)
    entries_per_company = models.PositiveSmallIntegerField(_("每家企业限报数"), default=3)
    challenges_open_at = models.DateTimeField(_("发榜开始"))
    registration_open_at = models.DateTimeField(_("揭榜报名开始"))
    eligibility_open_at = models.DateTimeField(_("资格审查开始（报名截止）"))
    roadshow_open_at = models.DateTimeField(_("路演评审开始"))
    review_open_at = models.DateTimeField(_("复议开始"))
    notice_open_at = models.DateTimeField(_("公示开始"))
    results_open_at = models.DateTimeField(_("结果发布"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("场景大赛")
        verbose_name_plural = _("场景大赛")
        constraints = [
            models.CheckConstraint(condition=Q(award_budget__gt=0), name="contest_budget_positive"),
            models.CheckConstraint(
                condition=Q(registration_open_at__gt=F("challenges_open_at"))
                & Q(eligibility_open_at__gt=F("registration_open_at"))
                & Q(roadshow_open_at__gt=F("eligibility_open_at"))
                & Q(review_open_at__gt=F("roadshow_open_at"))
                & Q(notice_open_at__gt=F("review_open_at"))
                & Q(results_open_at__gt=F("notice_open_at")),
                name="contest_rounds_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    def round_start(self, round_name: str):
        return getattr(self, ROUND_FIELDS[round_name])

    def round_end(self, round_name: str):
        index = ROUND_ORDER.index(round_name)
        return self.round_start(ROUND_ORDER[index + 1]) if index + 1 < len(ROUND_ORDER) else None

    def current_round(self, now=None) -> str | None:
        """The round in force now, or None before 发榜 opens."""
        now = now or timezone.now()
        current = None
        for round_name in ROUND_ORDER:
            if self.round_start(round_name) <= now:
                current = round_name
        return current

    @property
    def current_round_label(self) -> str:
        current = self.current_round()
        return str(Round(current).label) if current else ""

    def is_at_or_after(self, round_name: str, now=None) -> bool:
        current = self.current_round(now)
        return current is not None and ROUND_ORDER.index(current) >= ROUND_ORDER.index(round_name)


class Challenge(models.Model):
    """榜单: a published scenario put into a contest by its publisher, with an award cap."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("场景大赛"), on_delete=models.PROTECT, related_name="challenges"
    )
    scenario = models.ForeignKey(
        "scenarios.Scenario", verbose_name=_("应用场景"), on_delete=models.PROTECT, related_name="challenges"
    )
    title = models.CharField(_("榜单名称"), max_length=100)
    requirements = models.TextField(_("揭榜要求"), max_length=3000)
    award_cap = models.DecimalField(_("奖励上限（元）"), max_digits=10, decimal_places=2)
    drafters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("榜单起草人"), blank=True, related_name="drafted_challenges"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contest", "id"]
        verbose_name = _("榜单")
        verbose_name_plural = _("榜单")
        constraints = [
            models.UniqueConstraint(fields=["contest", "scenario"], name="challenge_scenario_once_per_contest"),
            models.CheckConstraint(
                condition=Q(award_cap__gt=0) & Q(award_cap__lte=AWARD_CAP_LIMIT), name="challenge_award_cap_at_most_1m"
            ),
        ]

    def __str__(self):
        return self.title


class EligibilityRule(models.Model):
    """A condition an entrant must meet. The kinds are fixed (contests.eligibility): none of them
    may look at company size or market results (policy §四(二))."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="eligibility_rules")
    kind = models.CharField(_("条件"), max_length=32)
    parameter = models.CharField(_("参数"), max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "kind"], name="eligibility_rule_once_per_contest")]

    def __str__(self):
        return f"{self.contest}：{self.get_kind_display()} {self.parameter}"
