from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contests.choices import BenefitKind, CooperationMode, InsuredKind, MilestoneKind, ObjectionStatus
from contests.models.contests import AWARD_CAP_LIMIT


class Objection(models.Model):
    """异议: raised during 公示 about a challenge's ranking (optionally one entry), and answered."""

    challenge = models.ForeignKey(
        "contests.Challenge", verbose_name=_("榜单"), on_delete=models.CASCADE, related_name="objections"
    )
    entry = models.ForeignKey(
        "contests.ContestEntry",
        verbose_name=_("涉及方案"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="objections",
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("异议内容"), max_length=2000)
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    answer = models.TextField(_("答复"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"异议：{self.entry or self.challenge}"


class Award(models.Model):
    """奖励: decided by an operator for an entry whose 信用核查 passed. The amount is at most the
    challenge's cap (≤ ¥1,000,000) and all awards of a contest sum to at most its budget; the
    database refuses anything else (check constraint here, triggers in migration 0003)."""

    entry = models.OneToOneField("contests.ContestEntry", on_delete=models.PROTECT, related_name="award")
    challenge = models.ForeignKey("contests.Challenge", on_delete=models.PROTECT, related_name="awards")
    contest = models.ForeignKey("contests.Contest", on_delete=models.PROTECT, related_name="awards")
    amount = models.DecimalField(_("奖励金额（元）"), max_digits=10, decimal_places=2)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("奖励")
        verbose_name_plural = _("奖励")
        ordering = ["challenge", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=AWARD_CAP_LIMIT), name="award_amount_at_most_1m"
            ),
        ]

    def __str__(self):
        return f"奖励：{self.entry.lead} ¥{self.amount:,.0f}"


class CooperationAgreement(models.Model):
    """How a winner and the 发榜方 work together: direct procurement, or joint development under a
    联合攻关任务书 between 市科技局, 发榜方 and 揭榜方."""

    entry = models.OneToOneField("contests.ContestEntry", on_delete=models.PROTECT, related_name="agreement")
    mode = models.CharField(_("合作方式"), max_length=12, choices=CooperationMode.choices)
    title = models.CharField(_("任务书名称"), max_length=100, blank=True)
    objectives = models.TextField(_("攻关目标与考核指标"), max_length=3000, blank=True)
    contract_amount = models.DecimalField(_("合同金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("合作方式")
        verbose_name_plural = _("合作方式")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="agreement_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(contract_amount__isnull=True) | Q(contract_amount__gt=0), name="agreement_amount_positive"
            ),
        ]

    def __str__(self):
        return f"联合攻关任务书：{self.title or self.entry}"


class Milestone(models.Model):
    agreement = models.ForeignKey(CooperationAgreement, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("节点"), max_length=16, choices=MilestoneKind.choices)
    due_on = models.DateField(_("计划完成日期"))
    completed_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("任务书节点")
        verbose_name_plural = _("任务书节点")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["agreement", "kind"], name="milestone_once_per_kind")]

    def __str__(self):
        return f"{self.agreement}：{self.get_kind_display()}"


class ProgressReport(models.Model):
    agreement = models.ForeignKey(CooperationAgreement, on_delete=models.CASCADE, related_name="progress_reports")
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("对应节点"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("进展情况"), max_length=3000)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return f"进展报告：{self.agreement}"


class PolicyBenefit(models.Model):
    """A policy benefit a winner receives (policy §三(四)): the year's 《重点自主创新产品目录》,
    the 首台套/首批次/首版次 insurance premium subsidy, or inclusion in 市重点研发计划."""

    entry = models.ForeignKey("contests.ContestEntry", on_delete=models.PROTECT, related_name="benefits")
    kind = models.CharField(_("政策"), max_length=12, choices=BenefitKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    insured_kind = models.CharField(_("保险类别"), max_length=16, choices=InsuredKind.choices, blank=True)
    premium = models.DecimalField(_("保费（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    subsidy_percent = models.DecimalField(_("补贴比例（%）"), max_digits=5, decimal_places=2, null=True, blank=True)
    subsidy_amount = models.DecimalField(_("补贴金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    reference = models.CharField(_("文号/项目编号"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("政策支持")
        verbose_name_plural = _("政策支持")
        ordering = ["year", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "kind", "year"], name="benefit_once_per_kind_and_year"),
            models.CheckConstraint(
                condition=~Q(kind="insurance")
                | (
                    Q(premium__gt=0)
                    & Q(subsidy_percent__gt=0)
                    & Q(subsidy_percent__lte=100)
                    & Q(subsidy_amount__isnull=False)
                    & ~Q(insured_kind="")
                ),
                name="benefit_insurance_has_premium_and_share",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.entry}（{self.year}）"
