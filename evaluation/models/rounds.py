"""Evaluation rounds: subjects, the expert team, self-assessments and evidence, the experts' sheets,
figures for computed and imported indicators, consensus decisions, results and findings."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contests.choices import SheetStatus
from evaluation.choices import FigureSource, FindingSeverity, FindingStatus, Level, RoundStatus, SubjectRole


class EvaluationRound(models.Model):
    """评估轮次: a level, a year and one published framework version, frozen for the round."""

    title = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("评价层级"), max_length=12, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("评价年度"))
    framework = models.ForeignKey(
        "evaluation.Framework", verbose_name=_("指标体系"), on_delete=models.PROTECT, related_name="rounds"
    )
    status = models.CharField(_("状态"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.PREPARING)
    self_assessment_due = models.DateField(_("自评截止"), null=True, blank=True)
    scoring_due = models.DateField(_("评分截止"), null=True, blank=True)
    consensus_spread = models.DecimalField(
        _("合议阈值"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.40"),
        help_text=_("专家评分极差超过该指标满分的此比例时，须由组长合议。"),
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    report_job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("评估轮次")
        verbose_name_plural = _("评估轮次")
        ordering = ["-year", "-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consensus_spread__gt=0) & Q(consensus_spread__lte=1), name="round_consensus_spread_0_to_1"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == RoundStatus.CLOSED


class RoundExpert(models.Model):
    """An expert of the round's team (from the judge pool); one leads it and records consensus."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="experts")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluation_teams")
    is_lead = models.BooleanField(_("专家组长"), default=False)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "expert"], name="round_expert_once"),
            models.UniqueConstraint(fields=["round"], condition=Q(is_lead=True), name="round_one_lead"),
        ]

    def __str__(self):
        return f"{self.round}：{self.expert}"


class EvaluationCommitment(models.Model):
    """回避承诺 for a round, signed before any subject's material is shown (the contests' text)."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="commitments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)
    text_sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "expert"], name="evaluation_commitment_once")]

    def __str__(self):
        return f"回避承诺：{self.expert}（{self.round}）"


class Subject(models.Model):
    """What is evaluated: 企业级 one scenario's application; 产业级 a domain or a 战新 area with its
    scenarios; 城市级 the programme as a whole (no district) or one district."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="subjects")
    title = models.CharField(_("评价对象"), max_length=100)
    scenario = models.ForeignKey(
        "scenarios.Scenario", verbose_name=_("场景"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    domain = models.ForeignKey(
        "scenarios.Domain", verbose_name=_("领域"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    strategic_area = models.ForeignKey(
        "capability_list.StrategicArea",
        verbose_name=_("战略性新兴产业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    district = models.ForeignKey(
        "accounts.District",
        verbose_name=_("区县（市）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisations = models.ManyToManyField(
        "accounts.Organisation", through="SubjectOrganisation", related_name="evaluation_subjects"
    )
    self_assessment = models.TextField(_("自评报告"), max_length=10000, blank=True)
    self_assessment_submitted_at = models.DateTimeField(_("自评提交时间"), null=True, blank=True)
    self_assessment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("评价对象")
        verbose_name_plural = _("评价对象")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "scenario"], condition=Q(scenario__isnull=False), name="subject_scenario_once"
            )
        ]

    def __str__(self):
        return self.title


class SubjectOrganisation(models.Model):
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="subject_organisations")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("角色"), max_length=12, choices=SubjectRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject", "organisation"], name="subject_organisation_once")]

    def __str__(self):
        return f"{self.organisation}（{self.get_role_display()}）"


class EvidenceFile(models.Model):
    """Self-assessment evidence (checked by core.uploads.check_upload), optionally for one indicator."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(
        "evaluation.Indicator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.FileField(_("文件"), upload_to="evaluation/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    kind = models.CharField(_("文件类型"), max_length=10)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return f"{self.original_name}（{self.subject}）"


class EvaluationSheet(models.Model):
    """One expert's sheet for one subject: drafts, then signed (time and SHA-256) and locked, the
    same way as a contest score sheet."""

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="sheets")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluation_sheets")
    status = models.CharField(_("状态"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    submitted_at = models.DateTimeField(_("签名时间"), null=True, blank=True)
    content_sha256 = models.CharField(_("内容摘要"), max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评价表")
        verbose_name_plural = _("评价表")
        constraints = [
            models.UniqueConstraint(fields=["subject", "expert"], name="evaluation_sheet_once_per_expert"),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(submitted_at__isnull=False) & ~Q(content_sha256="")),
                name="evaluation_sheet_signed_when_submitted",
            ),
        ]

    def __str__(self):
        # No joins: audit records label their target with str() inside services.
        return _("评价表 #%(pk)s") % {"pk": self.pk}

    @property
    def is_submitted(self) -> bool:
        return self.status == SheetStatus.SUBMITTED


class IndicatorScore(models.Model):
    """An expert's points on one leaf indicator (0 to its maximum in half points) with a comment; on
    a computed or imported indicator the expert confirms the figure's points instead of typing."""

    sheet = models.ForeignKey(EvaluationSheet, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey("evaluation.Indicator", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    comment = models.CharField(_("评语"), max_length=500, blank=True)
    red_line_hit = models.BooleanField(_("触及红线"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "indicator"], name="indicator_score_once"),
            models.CheckConstraint(
                condition=Q(points__gte=0) & Q(points__lte=100), name="indicator_score_points_0_to_100"
            ),
        ]

    def __str__(self):
        return f"{self.indicator}：{self.points}"


class IndicatorFigure(models.Model):
    """The value of a computed indicator (its rule's result, with the ids it counted) or an imported
    figure, and the points it gives (value / target × max_points, capped)."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="figures")
    indicator = models.ForeignKey("evaluation.Indicator", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=10, choices=FigureSource.choices)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)
    points = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    detail = models.JSONField(_("明细"), default=dict, blank=True)  # {"rule": ..., "counted": [ids], "note": ...}
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject", "indicator"], name="indicator_figure_once")]

    def __str__(self):
        return f"{self.subject} — {self.indicator}：{self.value}"


class ConsensusDecision(models.Model):
    """合议: the team lead records the agreed points of an indicator whose expert scores spread
    widely, with a reason; it overrides the trimmed mean for that indicator."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="consensus_decisions")
    indicator = models.ForeignKey("evaluation.Indicator", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("合议得分"), max_digits=5, decimal_places=1)
    red_line_hit = models.BooleanField(_("触及红线"), default=False)
    reason = models.CharField(_("合议理由"), max_length=500)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject", "indicator"], name="consensus_once_per_indicator")]

    def __str__(self):
        return f"合议：{self.subject} — {self.indicator}"


class SubjectResult(models.Model):
    """A subject's computed result, with the inputs that reproduce it (evaluation.scoring); the one
    marked published is what the subject and the public see, frozen when the round closes."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="results")
    inputs = models.JSONField()
    inputs_sha256 = models.CharField(max_length=64)
    results = models.JSONField()
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=10, blank=True)
    red_line_hit = models.BooleanField(_("触及红线"), default=False)
    is_published = models.BooleanField(_("已发布"), default=False)
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-computed_at", "-id"]
        get_latest_by = ["computed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject"], condition=Q(is_published=True), name="subject_result_one_published"
            )
        ]

    def __str__(self):
        return f"评估结果：{self.subject}（{self.total if self.total is not None else '—'} {self.grade}）"


class Finding(models.Model):
    """问题清单: a finding of a round, the organisation that must rectify it by a due date, and the
    rectification the organisation reports and the operator verifies."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="findings")
    indicator = models.ForeignKey(
        "evaluation.Indicator",
        verbose_name=_("相关指标"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    severity = models.CharField(_("严重程度"), max_length=10, choices=FindingSeverity.choices)
    description = models.CharField(_("问题描述"), max_length=1000)
    recommendation = models.CharField(_("整改建议"), max_length=1000)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("整改单位"),
        on_delete=models.PROTECT,
        related_name="evaluation_findings",
    )
    due_date = models.DateField(_("整改期限"))
    status = models.CharField(_("整改状态"), max_length=12, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    rectification = models.TextField(_("整改情况"), max_length=3000, blank=True)
    rectified_at = models.DateTimeField(_("整改提交时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True)  # the beat task notifies once per overdue spell
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("问题清单")
        verbose_name_plural = _("问题清单")
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.description[:50]
