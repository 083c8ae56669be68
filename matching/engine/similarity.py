"""How alike a scenario and an entry are, and which pairs are worth scoring.

similarity = (1 − ASSOCIATION_SHARE) × cosine of the TF-IDF vectors
             + ASSOCIATION_SHARE × cosine of the association vectors (model.py)

relevance  = similarity − HUB_DISCOUNT × the entry's hub level, the mean of its HUB_NEIGHBOURS
             highest similarities to any scenario. A generic 综合服务平台 entry resembles every
             scenario a little and is discounted by how much it resembles its closest ones; a
             specialised entry resembles one or two strongly and few others.

The candidate search (one full search per rebuild) scores every scenario against every entry in
blocks of scenarios with a proxy of the similarity that is cheap on a city's corpus: the
association cosine plus the TF-IDF cosine over the tokens that are not common (a token in more
than COMMON_SHARE of the documents adds little to any one pair but most of the work). Each
scenario keeps its CANDIDATES best entries (by the proxy less the hub discount) and each entry its
best ENTRY_CANDIDATES scenarios; the exact similarity is then computed for those pairs only.

Need coverage: each need of a scenario (its short phrase) is compared with the entry
(need_similarities: containment of the need's tokens, blended with the association cosine); its
share is that similarity over NEED_SATURATION (at most 1). A need is listed as
covered when its similarity reaches COVERED_AT, or reaches COVERED_SHARE_OF_BEST of the entry's
best need when that one reaches RELATIVE_FROM (the need the entry answers, in other words) — calibrated on the hard
labelled set's coverage labels (tests/matching/test_matching_quality.py prints precision and recall).
"""

import numpy as np
from scipy import sparse

ASSOCIATION_SHARE = 0.3
HUB_NEIGHBOURS = 3
HUB_DISCOUNT = 0.75
COMMON_SHARE = 0.01
CANDIDATES = 200
ENTRY_CANDIDATES = 10
BLOCK = 500
NEED_SATURATION = 0.5
COVERED_AT = 0.5
COVERED_SHARE_OF_BEST = 0.9
RELATIVE_FROM = 0.03


def pair_similarity(s_vectors, s_embedded, e_vectors, e_embedded) -> np.ndarray:
    """The exact similarity of row i of the scenario side with row i of the entry side."""
    lexical = np.asarray(s_vectors.multiply(e_vectors).sum(axis=1)).ravel()
    if s_embedded.shape[1] == 0:
        return lexical
    return (1 - ASSOCIATION_SHARE) * lexical + ASSOCIATION_SHARE * np.einsum("ij,ij->i", s_embedded, e_embedded)


def all_similarities(s_vectors, s_embedded, e_vectors, e_embedded) -> np.ndarray:
    """Every scenario × entry similarity (dense): for the few documents of a rematch or a test."""
    lexical = (s_vectors @ e_vectors.T).toarray()
    if s_embedded.shape[1] == 0:
        return lexical
    return (1 - ASSOCIATION_SHARE) * lexical + ASSOCIATION_SHARE * (s_embedded @ e_embedded.T)


def hub_levels(pairs_entry: np.ndarray, similarity: np.ndarray, entries: int) -> np.ndarray:
    """Each entry's hub level: the mean of its HUB_NEIGHBOURS highest similarities among the pairs."""
    order = np.lexsort((-similarity, pairs_entry))
    ranked_entry, ranked = pairs_entry[order], similarity[order]
    starts = np.searchsorted(ranked_entry, np.arange(entries))
    rank = np.arange(len(ranked)) - starts[ranked_entry]
    keep = rank < HUB_NEIGHBOURS
    totals = np.bincount(ranked_entry[keep], weights=ranked[keep], minlength=entries)
    counts = np.bincount(ranked_entry[keep], minlength=entries)
    return np.where(counts > 0, totals / np.maximum(counts, 1), 0.0)


def candidate_pairs(s_vectors, s_embedded, e_vectors, e_embedded, eligible) -> tuple[np.ndarray, np.ndarray]:
    """(scenario rows, entry rows) of the pairs worth scoring: each scenario's CANDIDATES best
    eligible entries by the proxy less the entry's hub discount (estimated from the proxy), and
    each entry's ENTRY_CANDIDATES best eligible scenarios by the proxy. Two passes over blocks of
    scenarios: the first finds each entry's best scenarios (its own candidates and its hub level),
    the second each scenario's best entries.

    eligible(s_rows) → boolean matrix (len(s_rows) × entries) of the pairs the hard filters keep."""
    scenarios, entries = s_vectors.shape[0], e_vectors.shape[0]
    if not scenarios or not entries:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    proxy = _Proxy(s_vectors, s_embedded, e_vectors, e_embedded, eligible)
    per_entry = min(max(ENTRY_CANDIDATES, HUB_NEIGHBOURS), scenarios)
    best_value = np.full((per_entry, entries), -np.inf, dtype=np.float32)
    best_row = np.zeros((per_entry, entries), dtype=np.int64)
    for rows, block in proxy.blocks():
        # merge this block's best scenarios of each entry with the running best
        column_top = np.argpartition(-block, min(per_entry, len(rows)) - 1, axis=0)[: min(per_entry, len(rows))]
        merged_value = np.vstack([best_value, np.take_along_axis(block, column_top, axis=0)])
        merged_row = np.vstack([best_row, rows[column_top]])
        keep = np.argsort(-merged_value, axis=0, kind="stable")[:per_entry]
        best_value = np.take_along_axis(merged_value, keep, axis=0)
        best_row = np.take_along_axis(merged_row, keep, axis=0)
    neighbours = best_value[:HUB_NEIGHBOURS]
    counted = np.isfinite(neighbours)
    hubs = np.where(counted, neighbours, 0).sum(axis=0) / np.maximum(counted.sum(axis=0), 1)

    per_scenario = min(CANDIDATES, entries)
    found_s, found_e = [], []
    for rows, block in proxy.blocks():
        block -= HUB_DISCOUNT * hubs.astype(np.float32)
        top = np.argpartition(-block, per_scenario - 1, axis=1)[:, :per_scenario]
        taken = (np.take_along_axis(block, top, axis=1) > -np.inf).ravel()
        found_s.append(np.repeat(rows, per_scenario)[taken])
        found_e.append(top.ravel()[taken])
    own = best_value[:ENTRY_CANDIDATES] > -np.inf
    found_s.append(best_row[:ENTRY_CANDIDATES][own])
    found_e.append(np.broadcast_to(np.arange(entries), own.shape)[own])
    pairs = np.unique(np.concatenate(found_s) * entries + np.concatenate(found_e))
    return pairs // entries, pairs % entries


class _Proxy:
    """The proxy similarity, block of scenarios by block: the association cosine plus the TF-IDF
    cosine over the tokens that are not common; ineligible pairs are -inf."""

    def __init__(self, s_vectors, s_embedded, e_vectors, e_embedded, eligible):
        scenarios, entries = s_vectors.shape[0], e_vectors.shape[0]
        frequency = np.bincount(s_vectors.indices, minlength=s_vectors.shape[1]) + np.bincount(
            e_vectors.indices, minlength=e_vectors.shape[1]
        )
        rare = sparse.diags((frequency <= max(COMMON_SHARE * (scenarios + entries), 5)).astype(np.float32))
        self.s_rare, self.e_rare_t = (s_vectors @ rare).tocsr(), (e_vectors @ rare).T.tocsr()
        self.s_embedded, self.e_embedded, self.eligible, self.scenarios = s_embedded, e_embedded, eligible, scenarios

    def blocks(self):
        for start in range(0, self.scenarios, BLOCK):
            rows = np.arange(start, min(start + BLOCK, self.scenarios))
            block = (1 - ASSOCIATION_SHARE) * (self.s_rare[rows] @ self.e_rare_t).toarray().astype(np.float32)
            if self.s_embedded.shape[1]:
                block += ASSOCIATION_SHARE * (self.s_embedded[rows] @ self.e_embedded.T)
            block[~self.eligible(rows)] = -np.inf
            yield rows, block


def need_similarities(need_vectors, need_embedded, e_vectors, e_embedded) -> np.ndarray:
    """How much of each need (rows) each entry (columns) covers: the share of the need's TF-IDF
    weight whose tokens the entry contains (a short phrase against a long text: containment, not
    cosine), blended with the association cosine as the similarity is."""
    weights = need_vectors.multiply(1 / np.maximum(np.asarray(need_vectors.sum(axis=1)), 1e-9)).tocsr()
    present = e_vectors.copy()
    present.data[:] = 1
    contained = (weights @ present.T).toarray()
    if need_embedded.shape[1] == 0:
        return contained
    return (1 - ASSOCIATION_SHARE) * contained + ASSOCIATION_SHARE * (need_embedded @ e_embedded.T)


def coverage(similarities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(share of each need covered, 0–1; covered mask) from one pair's need similarities. The
    relative rule (the need the entry answers best, and any close to it) applies only when that
    best need reaches RELATIVE_FROM: an entry that answers no need plainly lists none."""
    shares = np.clip(similarities / NEED_SATURATION, 0, 1)
    best = similarities.max() if len(similarities) else 0.0
    relative = (similarities >= COVERED_SHARE_OF_BEST * best) & (best >= RELATIVE_FROM)
    return shares, (similarities >= COVERED_AT) | relative
