from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contests.choices import SheetStatus


class ScoreSheet(models.Model):
    """One judge's 评分表 for one entry. Submitting signs it (time and a hash of its content) and
    locks it; only the panel chair may reopen it."""

    entry = models.ForeignKey("contests.ContestEntry", on_delete=models.PROTECT, related_name="score_sheets")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="score_sheets")
    status = models.CharField(_("状态"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    submitted_at = models.DateTimeField(_("签名时间"), null=True, blank=True)
    content_sha256 = models.CharField(_("内容摘要"), max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        constraints = [
            models.UniqueConstraint(fields=["entry", "judge"], name="score_sheet_once_per_judge"),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(submitted_at__isnull=False) & ~Q(content_sha256="")),
                name="score_sheet_signed_when_submitted",
            ),
        ]

    def __str__(self):
        return f"评分表：{self.entry} — {self.judge}"

    @property
    def is_submitted(self) -> bool:
        return self.status == SheetStatus.SUBMITTED


class Score(models.Model):
    """The points a judge gives on one criterion (0 to the criterion's maximum, in half points)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("contests.Criterion", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("得分"), max_digits=4, decimal_places=1)
    comment = models.CharField(_("评语"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(condition=Q(points__gte=0) & Q(points__lte=100), name="score_points_0_to_100"),
        ]

    def __str__(self):
        return f"{self.criterion}：{self.points}"


class ScoringLock(models.Model):
    """The chair closes a panel's scoring; no sheet is saved or submitted while it stands."""

    challenge = models.OneToOneField("contests.Challenge", on_delete=models.CASCADE, related_name="scoring_lock")
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    locked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"评分结束：{self.challenge}"


class TieDecision(models.Model):
    """The recorded decision that orders entries still tied after 技术 subtotal and 首创性."""

    challenge = models.ForeignKey("contests.Challenge", on_delete=models.CASCADE, related_name="tie_decisions")
    order = models.JSONField()  # entry ids, best first
    reason = models.CharField(_("决定依据"), max_length=500)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"并列排序决定：{self.challenge}"


class RankingSnapshot(models.Model):
    """A computed ranking of a challenge's entries, with everything needed to recompute it:
    the sheets it read (inputs), the method and its parameters, and the result."""

    challenge = models.ForeignKey("contests.Challenge", on_delete=models.CASCADE, related_name="ranking_snapshots")
    method = models.CharField(max_length=40)
    parameters = models.JSONField()
    inputs = models.JSONField()
    inputs_sha256 = models.CharField(max_length=64)
    results = models.JSONField()
    trigger = models.CharField(max_length=40)
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-computed_at", "-id"]
        get_latest_by = ["computed_at", "id"]

    def __str__(self):
        return f"排名快照：{self.challenge}"
