"""The matching's records: the fitted models, the recommended pairs and both sides' answers to them.

The rows were capability_list's until the app moved out (capability_list 0011 renamed the tables,
matching 0001 took the models over; see matching/migrations/)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from capability_list.models import CapabilityEntry
from matching.choices import DeclineReason, MatchDecision, MatchingModelState, MatchSide
from matching.engine.text import field_key


class MatchingModel(models.Model):
    """A fitted matching vocabulary (its file under MEDIA_ROOT/matching/). One is active; a rebuild
    fits a new one, then in one transaction rewrites the matches whose shown content changed and
    activates it, so a rebuild that dies part-way leaves the previous matches and model serving."""

    state = models.CharField(
        _("状态"), max_length=12, choices=MatchingModelState.choices, default=MatchingModelState.BUILDING, db_index=True
    )
    path = models.CharField(max_length=200, blank=True)
    scenarios = models.PositiveIntegerField(default=0)
    entries = models.PositiveIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0)
    stats = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    fitted_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("匹配模型")
        verbose_name_plural = _("匹配模型")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["state"], condition=models.Q(state="active"), name="one_active_matching_model"
            )
        ]

    def __str__(self):
        return f"匹配模型 {self.pk}（{self.state}）"


class Match(models.Model):
    """A recommended scenario–entry pair (one row per pair), with its score parts and explanation.

    signature is a hash of everything the row shows (score, parts, covered needs, explanation
    inputs): a rebuild compares it and rewrites only the rows that changed, so match ids stay put
    and an unchanged corpus costs no writes."""

    # The fitted model that last wrote the row (rows nobody changed keep an older one). Provenance
    # only, so no database constraint: a first build would check one parent row 380,000 times.
    generation = models.ForeignKey(
        MatchingModel, on_delete=models.PROTECT, related_name="matches", db_index=False, db_constraint=False
    )
    # Indexed by the constraint and the index below (their first column), not separately.
    scenario = models.ForeignKey("scenarios.Scenario", on_delete=models.CASCADE, related_name="matches", db_index=False)
    entry = models.ForeignKey(CapabilityEntry, on_delete=models.CASCADE, related_name="matches", db_index=False)
    score = models.FloatField(_("匹配度"))
    text = models.FloatField()
    coverage = models.FloatField()
    fields = models.FloatField()
    district = models.FloatField()
    credential = models.FloatField()
    fit = models.FloatField()
    covered = models.JSONField(default=list)
    gaps = models.JSONField(default=list)
    shares = models.JSONField(default=list)  # [[need, share of it covered 0–1], …] in the scenario's order
    explanation = models.CharField(_("匹配理由"), max_length=500)
    signature = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scenario", "entry"], name="match_once_per_pair")]
        indexes = [models.Index(fields=["entry", "-score"], name="match_by_entry")]

    def __str__(self):
        return f"推荐：{self.scenario} × {self.entry}"

    @property
    def is_weak(self) -> bool:
        """弱匹配: shown (every scenario shows its best suppliers) but labelled as a weak fit."""
        from matching.engine.scoring import WEAK_BELOW

        return self.score < WEAK_BELOW


class MatchFeedback(models.Model):
    """A side's answer to a recommended pair (kept across rebuilds: it belongs to the pair, not to a
    generation), with a reason code when declined — the labels for tuning the weights."""

    scenario = models.ForeignKey("scenarios.Scenario", on_delete=models.CASCADE, related_name="match_feedback")
    entry = models.ForeignKey(CapabilityEntry, on_delete=models.CASCADE, related_name="match_feedback")
    side = models.CharField(_("反馈方"), max_length=10, choices=MatchSide.choices)
    decision = models.CharField(_("决定"), max_length=10, choices=MatchDecision.choices)
    reason = models.CharField(_("原因"), max_length=14, choices=DeclineReason.choices, blank=True)
    score = models.FloatField(null=True, blank=True)  # the score shown when the label was given
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scenario", "entry", "side"], name="match_feedback_once_per_side"),
            models.CheckConstraint(
                condition=models.Q(decision="accepted", reason="")
                | models.Q(decision="declined") & ~models.Q(reason=""),
                name="match_decline_has_reason",
            ),
        ]

    def __str__(self):
        return f"推荐反馈：{self.scenario} × {self.entry}（{self.decision}）"


class Affinity(models.Model):
    """An operator's weight (0–1) of how well something serves a scenario domain, the weight the
    answers moved it to (engine/refit.py) and how many answers did."""

    weight = models.FloatField(_("关联度"), validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    # The operator's weight moved towards the share of answers accepted (engine/refit.py); what
    # scoring reads when present. Recomputed from `weight` each night, so an operator's edit counts.
    learned_weight = models.FloatField(_("按反馈调整后"), null=True, blank=True)
    answers = models.PositiveIntegerField(_("反馈数"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def in_use(self) -> float:
        return self.weight if self.learned_weight is None else self.learned_weight


class DomainAreaAffinity(Affinity):
    """How well a 战略性新兴产业 area serves a scenario domain (0–1): half of the score's fields part.
    Operators edit it on the affinities page (audited); seeded by a migration from the domains'
    usual suppliers, every pair above zero."""

    domain = models.ForeignKey(
        "scenarios.Domain", verbose_name=_("场景领域"), on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(
        "capability_list.StrategicArea", verbose_name=_("战新产业领域"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("领域关联度")
        verbose_name_plural = _("领域关联度")
        ordering = ["domain_id", "-weight", "area_id"]
        constraints = [models.UniqueConstraint(fields=["domain", "area"], name="affinity_once_per_pair")]

    def __str__(self):
        return f"{self.domain} × {self.area}：{self.in_use:.2f}"


class DomainFieldAffinity(Affinity):
    """How well a technology field (an entry's keyword, e.g. 车牌识别) serves a scenario domain (0–1).
    The score's fields part is half the area's affinity and half the better of the entry's fields
    named in the scenario's text and its best field here, so an entry whose fields are the usual
    ones of the domain counts although the scenario words its need otherwise. Operators add, edit
    and remove them on the affinities page (audited); seeded by a migration; answers adjust them."""

    domain = models.ForeignKey(
        "scenarios.Domain", verbose_name=_("场景领域"), on_delete=models.CASCADE, related_name="+"
    )
    field = models.CharField(_("技术领域"), max_length=20)
    # The field as entries' fields are compared with it (text.field_key: synonyms, case, spaces).
    key = models.CharField(max_length=40, editable=False)

    class Meta:
        verbose_name = _("技术领域关联度")
        verbose_name_plural = _("技术领域关联度")
        ordering = ["domain_id", "-weight", "field"]
        constraints = [models.UniqueConstraint(fields=["domain", "key"], name="field_affinity_once_per_domain")]

    def __str__(self):
        return f"{self.domain} × {self.field}：{self.in_use:.2f}"

    def save(self, *args, **kwargs):
        self.key = field_key(self.field)
        super().save(*args, **kwargs)


class ScoreWeights(models.Model):
    """The weights of the score's parts; the row in use is what scoring reads (the defaults in
    matching/engine/scoring.py until a refit on people's answers keeps one)."""

    weights = models.JSONField()
    in_use = models.BooleanField(default=False)
    labels = models.PositiveIntegerField(default=0)  # accept/decline answers the weights were fitted on
    figures = models.JSONField(default=dict, blank=True)  # the check that kept or refused them
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评分权重")
        verbose_name_plural = _("评分权重")
        ordering = ["-id"]

    def __str__(self):
        return f"评分权重 {self.pk}"
