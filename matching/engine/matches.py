"""Scored pairs → Match rows: need coverage, the score parts, the explanation and the signature
(a hash of everything the row shows: a rebuild rewrites only the rows whose signature changed)."""

import numpy as np
from django.utils.translation import get_language

from matching.engine import similarity
from matching.engine.documents import EntryDoc, ScenarioDoc, digest64
from matching.engine.model import TextModel
from matching.engine.scoring import (
    DEFAULT_WEIGHTS,
    ENTRY_SHOWS,
    SCENARIO_SHOWS,
    explain,
    explanation_phrases,
    score_pair,
)
from matching.engine.text import document_tokens
from matching.models import Match


def affinity_table() -> dict[tuple[int, int], float]:
    """(domain id, strategic area id) → affinity 0–1, as operators keep it."""
    from matching.models import DomainAreaAffinity

    return {(row.domain_id, row.area_id): row.in_use for row in DomainAreaAffinity.objects.all()}


def weights_in_use() -> dict[str, float]:
    from matching.models import ScoreWeights

    current = ScoreWeights.objects.filter(in_use=True).order_by("-pk").first()
    return dict(DEFAULT_WEIGHTS) if current is None else {name: current.weights[name] for name in DEFAULT_WEIGHTS}


class NeedVectors:
    """The needs of each scenario as vectors (each need's short phrase is a document of its own)."""

    def __init__(self, text: TextModel, scenarios: list[ScenarioDoc]):
        self.offsets = np.concatenate([[0], np.cumsum([len(doc.needs) for doc in scenarios])]).astype(np.int64)
        phrases = [need for doc in scenarios for need in doc.needs]
        self.vectors = text.vectors([document_tokens("", need) for need in phrases])
        self.embedded = text.embed(self.vectors)

    def shares(self, scenario_row: int, entry_vectors, entry_embedded) -> np.ndarray:
        """Similarity of each need of the scenario (rows) with each given entry (columns)."""
        rows = slice(self.offsets[scenario_row], self.offsets[scenario_row + 1])
        return similarity.need_similarities(self.vectors[rows], self.embedded[rows], entry_vectors, entry_embedded)


def scored_rows(
    version: int,
    scenarios: list[ScenarioDoc],
    entries: list[EntryDoc],
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    needs: NeedVectors,
    entry_vectors,
    entry_embedded,
) -> list[Match]:
    """Unsaved Match rows for (scenario rows, entry rows, relevance) pairs, in the pairs' order,
    each scored and explained, with its signature."""
    affinity, weights, phrases, language = affinity_table(), weights_in_use(), explanation_phrases(), get_language()
    rows: list[Match | None] = [None] * len(pairs[0])
    s_rows, e_rows, relevance = pairs
    for s_row in np.unique(s_rows):
        mine = np.flatnonzero(s_rows == s_row)
        scenario = scenarios[s_row]
        shares = needs.shares(s_row, entry_vectors[e_rows[mine]], entry_embedded[e_rows[mine]])
        for column, index in enumerate(mine):
            entry = entries[e_rows[index]]
            need_similarities = shares[:, column]
            graded, covered_mask = similarity.coverage(need_similarities)
            covered = [need for need, is_covered in zip(scenario.needs, covered_mask) if is_covered]
            scored = score_pair(scenario, entry, float(relevance[index]), graded, affinity, weights)
            shown_shares = [[need, round(float(share), 2)] for need, share in zip(scenario.needs, graded)]
            explanation = explain(scenario, entry, scored, covered, phrases)
            values = {name: scored[name] for name in ("score", *DEFAULT_WEIGHTS)}
            rows[index] = Match(
                generation_id=version,
                scenario_id=scenario.id,
                entry_id=entry.id,
                covered=covered,
                gaps=[need for need in scenario.needs if need not in covered],
                shares=shown_shares,
                explanation=explanation,
                signature=digest64(scenario.digest, entry.digest, values, shown_shares, covered, language),
                **values,
            )
    return rows


def best_per_side(rows: list[Match], scenario_pool: np.ndarray, entry_pool: np.ndarray) -> list[Match]:
    """The rows to store: each scenario's SCENARIO_SHOWS best among its own pool (its most relevant
    entries) and each entry's ENTRY_SHOWS best among its own — the pools a rematch of either scores,
    so that a rebuild and a rematch store the same."""
    kept = set()
    for key, limit, pool in (("scenario_id", SCENARIO_SHOWS, scenario_pool), ("entry_id", ENTRY_SHOWS, entry_pool)):
        groups: dict[int, list[int]] = {}
        for index, row in enumerate(rows):
            if pool[index]:
                groups.setdefault(getattr(row, key), []).append(index)
        for members in groups.values():
            members.sort(key=lambda index: (-rows[index].score, rows[index].entry_id, rows[index].scenario_id))
            kept.update(members[:limit])
    return [rows[index] for index in sorted(kept)]
