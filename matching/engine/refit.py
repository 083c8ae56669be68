"""The nightly refit: people's accept/decline answers (MatchFeedback) tune the score.

- Weights. Each answered pair's stored parts are the features; accepted is 1, declined as 不相关,
  技术不成熟, 预算不符 or 地域不符 is 0 (已有供应商 says nothing about the pair and is left out). A
  logistic regression with weights kept non-negative (projected gradient descent) gives the new
  weights, scaled to sum to 1. The answers are split in two sets by scenario (odd and even ids);
  the new weights are kept (in_use) only if, on each set, they order the answers at least as well
  as the weights in use (the share of accepted–declined pairs of one scenario ranked the right
  way round). Every refit is stored with its figures, kept or not; the match table shows the
  weights in use.
- Affinities. For each scenario domain × 战新 area, and each domain × technology field, with
  answers (a pair answers for its scenario's domain with its entry's area and each of its fields),
  the affinity in use is the operator's weight moved towards the share accepted, by
  n / (n + AFFINITY_PRIOR) of the way (n answers): a few answers nudge it, many decide it.
  Recomputed from the operator's weight each night (never compounded), so an operator's edit
  keeps counting.
"""

import numpy as np
from django.db import transaction

from matching.engine.scoring import DEFAULT_WEIGHTS, PARTS
from matching.engine.text import field_key
from matching.models import DomainAreaAffinity, DomainFieldAffinity, Match, MatchFeedback, ScoreWeights

MIN_LABELS = 20
AFFINITY_PRIOR = 20
NEGATIVE_REASONS = ("irrelevant", "immature", "budget", "location")


def answered_pairs() -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[int, int, list]]]:
    """(parts per answered pair, label, scenario id, (domain id, area id, the entry's technology
    fields)) of the stored pairs answered. Where both sides answered, a decline wins (either side
    can stop a pair)."""
    labels: dict[tuple[int, int], int] = {}
    for scenario_id, entry_id, decision, reason in MatchFeedback.objects.values_list(
        "scenario_id", "entry_id", "decision", "reason"
    ):
        if decision == "accepted":
            labels.setdefault((scenario_id, entry_id), 1)
        elif reason in NEGATIVE_REASONS:
            labels[(scenario_id, entry_id)] = 0
    features, targets, groups, contexts = [], [], [], []
    stored = Match.objects.filter(scenario_id__in={pair[0] for pair in labels}).values_list(
        "scenario_id", "entry_id", "scenario__domain_id", "entry__strategic_area_id", "entry__technology_fields", *PARTS
    )
    for scenario_id, entry_id, domain_id, area_id, fields, *parts in stored:
        label = labels.get((scenario_id, entry_id))
        if label is not None:
            features.append(parts)
            targets.append(label)
            groups.append(scenario_id)
            contexts.append((domain_id, area_id, fields if isinstance(fields, list) else []))
    return (
        np.array(features, dtype=np.float64).reshape(-1, len(PARTS)),
        np.array(targets, dtype=np.float64),
        np.array(groups, dtype=np.int64),
        contexts,
    )


def fit_weights(features: np.ndarray, targets: np.ndarray, steps: int = 2000, rate: float = 0.5) -> dict:
    """Non-negative logistic regression weights, scaled to sum to 1."""
    coefficients, intercept = np.full(features.shape[1], 1.0 / features.shape[1]), 0.0
    for _step in range(steps):
        predicted = 1 / (1 + np.exp(-(features @ coefficients + intercept)))
        error = predicted - targets
        coefficients = np.maximum(0.0, coefficients - rate * (features.T @ error / len(targets) + 1e-3 * coefficients))
        intercept -= rate * error.mean()
    total = coefficients.sum()
    if total <= 0:
        return dict(DEFAULT_WEIGHTS)
    return {name: round(float(value / total), 4) for name, value in zip(PARTS, coefficients)}


def ordering_figure(features: np.ndarray, targets: np.ndarray, groups: np.ndarray, weights: dict) -> float | None:
    """Share of (accepted, declined) pairs of the same scenario that the weights order the right way
    round (ties count half); None when the set has no such pair."""
    scores = features @ np.array([weights[name] for name in PARTS])
    right = total = 0.0
    for group in np.unique(groups):
        mine = groups == group
        accepted, declined = scores[mine & (targets == 1)], scores[mine & (targets == 0)]
        if len(accepted) and len(declined):
            difference = accepted[:, None] - declined[None, :]
            right += (difference > 0).sum() + 0.5 * (difference == 0).sum()
            total += difference.size
    return right / total if total else None


@transaction.atomic
def refit() -> ScoreWeights | None:
    """Refit the weights and the affinities on the answers; returns the stored refit (None with
    fewer than MIN_LABELS answers)."""
    features, targets, groups, contexts = answered_pairs()
    _adjust_affinities(targets, contexts)
    if len(targets) < MIN_LABELS or len(set(targets.tolist())) < 2:
        return None
    current = ScoreWeights.objects.filter(in_use=True).order_by("-pk").first()
    in_use = dict(DEFAULT_WEIGHTS) if current is None else current.weights
    proposed = fit_weights(features, targets)
    figures, keep = {}, True
    for name, half in (("odd", groups % 2 == 1), ("even", groups % 2 == 0)):
        before = ordering_figure(features[half], targets[half], groups[half], in_use)
        after = ordering_figure(features[half], targets[half], groups[half], proposed)
        figures[name] = {"in_use": before, "refitted": after}
        if before is not None and (after is None or after < before):
            keep = False
    if keep:
        ScoreWeights.objects.filter(in_use=True).update(in_use=False)
    return ScoreWeights.objects.create(weights=proposed, in_use=keep, labels=len(targets), figures=figures)


def _adjust_affinities(targets: np.ndarray, contexts: list[tuple[int, int, list]]) -> None:
    by_area: dict[tuple, list[float]] = {}
    by_field: dict[tuple, list[float]] = {}
    for (domain_id, area_id, fields), label in zip(contexts, targets.tolist()):
        if not domain_id:
            continue
        if area_id:
            by_area.setdefault((domain_id, area_id), []).append(label)
        for key in {field_key(value) for value in fields if isinstance(value, str)}:
            by_field.setdefault((domain_id, key), []).append(label)
    for rows, answers, key_of in (
        (DomainAreaAffinity.objects.all(), by_area, lambda row: (row.domain_id, row.area_id)),
        (DomainFieldAffinity.objects.all(), by_field, lambda row: (row.domain_id, row.key)),
    ):
        for row in rows:
            labels = answers.get(key_of(row))
            if not labels:
                learned, count = None, 0
            else:
                count = len(labels)
                learned = round(row.weight + count / (count + AFFINITY_PRIOR) * (sum(labels) / count - row.weight), 3)
            if (row.learned_weight, row.answers) != (learned, count):
                row.learned_weight, row.answers = learned, count
                type(row).objects.filter(pk=row.pk).update(learned_weight=learned, answers=count)
