from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contests.choices import Dimension, RelationshipKind


class JudgeProfile(models.Model):
    """评审专家库: an expert's fields and affiliation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judge_profile")
    title = models.CharField(_("职称"), max_length=50, blank=True)
    fields = models.JSONField(_("专业领域"), default=list, blank=True)
    affiliation_credit_code = models.CharField(
        _("工作单位信用代码"), max_length=18, blank=True, help_text=_("工作单位未在门户注册时填写，用于回避核对。")
    )

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")

    def __str__(self):
        return str(self.user)


class JudgeRelationship(models.Model):
    """A relationship a judge declares with an organisation (employment, shareholding, collaboration)."""

    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_relationships")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("相关单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("关系"), max_length=16, choices=RelationshipKind.choices)
    ended_year = models.PositiveSmallIntegerField(_("结束年份"), null=True, blank=True, help_text=_("仍在持续的留空。"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.judge} — {self.organisation}（{self.get_kind_display()}）"


class PanelMembership(models.Model):
    """A judge on a challenge's panel; one member chairs it."""

    challenge = models.ForeignKey("contests.Challenge", on_delete=models.CASCADE, related_name="panel")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_memberships")
    is_chair = models.BooleanField(_("评审组长"), default=False)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "judge"], name="panel_member_once"),
            models.UniqueConstraint(fields=["challenge"], condition=Q(is_chair=True), name="panel_one_chair"),
        ]

    def __str__(self):
        return f"评审组：{self.challenge} — {self.judge}"


class RecusalCommitment(models.Model):
    """回避承诺: signed by a judge for a contest before any entry is shown."""

    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recusal_commitments")
    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)
    text_sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["judge", "contest"], name="recusal_commitment_once")]

    def __str__(self):
        return f"回避承诺：{self.judge}（{self.contest}）"


class Recusal(models.Model):
    """A judge steps back from one entry (a conflict found later, or declared on the day)."""

    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recusals")
    entry = models.ForeignKey("contests.ContestEntry", on_delete=models.CASCADE, related_name="recusals")
    reason = models.CharField(_("原因"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["judge", "entry"], name="recusal_once")]

    def __str__(self):
        return f"回避：{self.judge}（{self.entry}）"


class Criterion(models.Model):
    """A line of a contest's score sheet, under 技术 or 商务, with its maximum points."""

    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="criteria")
    dimension = models.CharField(_("维度"), max_length=10, choices=Dimension.choices)
    name = models.CharField(_("评分项"), max_length=50)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    max_points = models.PositiveSmallIntegerField(_("分值"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="criterion_name_once_per_contest"),
            models.CheckConstraint(
                condition=Q(max_points__gt=0) & Q(max_points__lte=100), name="criterion_points_1_to_100"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.max_points} 分）"


class RunningOrderDraw(models.Model):
    """The lot drawn for a challenge's roadshow order: the seed and the result are kept."""

    challenge = models.OneToOneField("contests.Challenge", on_delete=models.CASCADE, related_name="running_order_draw")
    seed = models.CharField(max_length=64)
    order = models.JSONField()  # entry ids in running order
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"出场顺序抽签：{self.challenge}"


class RoadshowSlot(models.Model):
    entry = models.OneToOneField("contests.ContestEntry", on_delete=models.CASCADE, related_name="roadshow_slot")
    position = models.PositiveSmallIntegerField(_("出场顺序"))
    starts_at = models.DateTimeField(_("开始时间"))
    room = models.CharField(_("会场"), max_length=50)

    class Meta:
        ordering = ["starts_at", "position"]

    def __str__(self):
        return f"{self.entry}：第 {self.position} 位出场"
