"""Scoring many pairs at once, and the rows to store: need coverage a block of scenarios at a time, the other parts
as arrays over every pair, each side's best, then — for the rows kept — their signature (a hash of
everything the row shows: a rebuild rewrites only the rows whose signature changed) and, for the
rows to write, the explanation."""

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.utils.translation import get_language

from matching.engine import similarity, store
from matching.engine.documents import EntryDoc, ScenarioDoc
from matching.engine.model import TextModel
from matching.engine.scoring import (
    DEFAULT_WEIGHTS,
    ENTRY_SHOWS,
    MATURITY_RANK,
    PARTS,
    PRICE_FLOOR,
    SCENARIO_SHOWS,
    TEXT_SATURATION,
    TIMING,
    WEAK_BELOW,
    asked_credentials,
    credential_bits,
    explain,
    explanation_phrases,
)
from matching.engine.text import document_tokens, field_key
from matching.models import Match


def affinity_table() -> dict[tuple[int, int], float]:
    """(domain id, strategic area id) → affinity 0–1 in use (the operators', adjusted by answers)."""
    from matching.models import DomainAreaAffinity

    # Plain values, not model instances: every rematch reads the whole table (Affinity.in_use, inlined).
    rows = DomainAreaAffinity.objects.values_list("domain_id", "area_id", "weight", "learned_weight")
    return {(domain, area): weight if learned is None else learned for domain, area, weight, learned in rows}


def field_affinity_table() -> dict[str, list[tuple[int, float, str]]]:
    """field key → [(domain id, affinity 0–1 in use, the field as operators wrote it)]."""
    from matching.models import DomainFieldAffinity

    table: dict[str, list[tuple[int, float, str]]] = {}
    rows = DomainFieldAffinity.objects.values_list("key", "domain_id", "weight", "learned_weight", "field")
    for key, domain, weight, learned, field in rows:
        table.setdefault(key, []).append((domain, weight if learned is None else learned, field))
    return table


def weights_in_use() -> dict[str, float]:
    from matching.models import ScoreWeights

    current = ScoreWeights.objects.filter(in_use=True).order_by("-pk").first()
    return dict(DEFAULT_WEIGHTS) if current is None else {name: current.weights[name] for name in DEFAULT_WEIGHTS}


class NeedVectors:
    """The needs of each scenario as vectors (each need's short phrase is a document of its own)."""

    def __init__(self, text: TextModel, scenarios: list[ScenarioDoc], tokens: list[list[str]] | None = None):
        """tokens: each need phrase's tokens in order, when a rebuild has them cached already."""
        self.offsets = np.concatenate([[0], np.cumsum([len(doc.needs) for doc in scenarios])]).astype(np.int64)
        if tokens is None:
            tokens = [need_tokens(need) for doc in scenarios for need in doc.needs]
        self.vectors = text.vectors(tokens)
        self.weights = similarity.need_weights(self.vectors)
        self.embedded = text.embed(self.vectors)


@lru_cache(maxsize=65_536)
def need_tokens(need: str) -> tuple[str, ...]:
    """A need phrase's tokens. An entry's rematch compares it with ten scenarios' needs, and
    cutting each phrase again with jieba took a tenth of it; phrases repeat across scenarios."""
    return tuple(document_tokens("", need))


@dataclass
class Scored:
    """Pairs (scenario rows, entry rows) with their parts and score, as arrays in the pairs' order;
    each pair's need shares and covered flags in `shares` / `covered` from `share_starts[i]`."""

    s_rows: np.ndarray
    e_rows: np.ndarray
    parts: dict[str, np.ndarray]
    score: np.ndarray
    shares: np.ndarray
    covered: np.ndarray
    share_starts: np.ndarray
    # What the fields part was made of, for the explanation: the area's affinity, and the entry's
    # field (an index into its fields; −1 none) whose affinity to the scenario's domain counted.
    area_affinity: np.ndarray
    domain_field: np.ndarray


def score_pairs(scenarios, entries, s_rows, e_rows, relevance, needs: NeedVectors, e_vectors, e_embedded) -> Scored:
    count = len(s_rows)
    need_counts = np.diff(needs.offsets)[s_rows]
    share_starts = np.concatenate([[0], np.cumsum(need_counts)]).astype(np.int64)
    # Each pair's needs in turn (pair_of, need_rows), compared a block of scenarios at a time.
    pair_of = np.repeat(np.arange(count), need_counts)
    need_rows = needs.offsets[s_rows][pair_of] + np.arange(len(pair_of)) - share_starts[pair_of]
    similarities = np.zeros(len(pair_of), dtype=np.float32)

    def cover(combos: np.ndarray) -> None:
        similarities[combos] = similarity.pair_need_similarities(
            need_rows[combos], needs.weights, needs.embedded, e_rows[pair_of[combos]], e_vectors, e_embedded
        )

    # The needs' blocks on a thread per core (their sparse products and sorts release the GIL). The
    # attribute parts come after, not beside them: Python holding the GIL in one thread kept the
    # blocks' threads waiting for it between their numpy calls.
    with ThreadPoolExecutor(similarity.THREADS) as pool:
        list(pool.map(cover, similarity.scenario_blocks(s_rows[pair_of], similarity.COVERAGE_BLOCK)))
    graded, covered = similarity.coverage(similarities, share_starts)
    # Each pair's mean share, its needs added in order (as a mean over a needs × entries matrix adds).
    total = np.zeros(count, dtype=np.float32)
    for position in range(int(need_counts.max(initial=0))):
        having = np.flatnonzero(need_counts > position)
        total[having] += graded[share_starts[having] + position]
    coverage = total / np.maximum(need_counts, 1).astype(np.float32)
    shares = graded.astype(np.float64)
    # float64 whatever path computed the relevance, so that equal values round and hash equally
    text = np.clip(np.asarray(relevance, dtype=np.float64) / TEXT_SATURATION, 0, 1)
    parts = {"text": text, "coverage": np.where(need_counts > 0, coverage, text)}
    attributes, area_affinity, domain_field = _attribute_parts(scenarios, entries, s_rows, e_rows)
    parts |= attributes
    parts = {name: np.round(np.asarray(parts[name], dtype=np.float64), 3) for name in PARTS}
    weights = weights_in_use()
    score = np.round(100 * sum(weights[name] * parts[name] for name in PARTS), 1)
    shares = np.round(shares.astype(np.float64), 2)
    return Scored(s_rows, e_rows, parts, score, shares, covered, share_starts, area_affinity, domain_field)


def _attribute_parts(scenarios: list[ScenarioDoc], entries: list[EntryDoc], s_rows, e_rows):
    """(fields, credential, fit and district of every pair, from per-document arrays; the area
    affinity and the entry's field that counted in the fields part)."""
    affinity = affinity_table()
    field_affinity = field_affinity_table()
    domains = sorted(
        {doc.domain_id for doc in scenarios if doc.domain_id}
        | {key[0] for key in affinity}
        | {domain for rows in field_affinity.values() for domain, _weight, _field in rows}
    )
    areas = sorted({doc.area_id for doc in entries if doc.area_id} | {key[1] for key in affinity})
    domain_index = {value: number for number, value in enumerate(domains)}
    area_index = {value: number for number, value in enumerate(areas)}
    table = np.zeros((len(domains) + 1, len(areas) + 1))  # the last row and column: none
    for (domain_id, area_id), weight in affinity.items():
        table[domain_index[domain_id], area_index[area_id]] = weight
    s_domain = np.array([domain_index.get(doc.domain_id, -1) for doc in scenarios], dtype=np.int64)
    e_area = np.array([area_index.get(doc.area_id, -1) for doc in entries], dtype=np.int64)
    # Each entry's best field affinity per domain (the last column: none), and which field it is.
    best_field = np.zeros((len(entries), len(domains) + 1))
    which_field = np.full((len(entries), len(domains) + 1), -1, dtype=np.int64)
    if field_affinity:
        for row, doc in enumerate(entries):
            for position, value in enumerate(doc.fields):
                for domain_id, weight, _field in field_affinity.get(field_key(value), ()):
                    column = domain_index[domain_id]
                    if weight > best_field[row, column]:
                        best_field[row, column], which_field[row, column] = weight, position
    s_asked = np.array([credential_bits(asked_credentials(doc)) for doc in scenarios], dtype=np.int64)
    e_held = np.array([credential_bits(doc.credentials) for doc in entries], dtype=np.int64)
    s_district = np.array([doc.district_id or -1 for doc in scenarios], dtype=np.int64)
    e_district = np.array([doc.district_id or -2 for doc in entries], dtype=np.int64)
    funding = np.array([np.nan if doc.funding_amount is None else float(doc.funding_amount) for doc in scenarios])
    floor = np.array([PRICE_FLOOR.get(doc.price_band, np.nan) for doc in entries], dtype=np.float64)
    maturity = np.array([MATURITY_RANK.get(doc.maturity, -1) for doc in entries], dtype=np.int64)
    shared = _fields_named(scenarios, entries, s_rows, e_rows)
    budget = np.where(np.isnan(funding[s_rows]) | np.isnan(floor[e_rows]), 0.5, floor[e_rows] <= funding[s_rows])
    timing = np.full(len(s_rows), 0.5)
    stages = np.array([doc.stage for doc in scenarios], dtype=object)[s_rows]
    for stage, values in TIMING.items():
        known = (stages == stage) & (maturity[e_rows] >= 0)
        timing[known] = np.array(values)[maturity[e_rows][known]]
    area_affinity = table[s_domain[s_rows], e_area[e_rows]]
    named, usual = np.minimum(1.0, shared / 2), best_field[e_rows, s_domain[s_rows]]
    domain_field = np.where(usual > named, which_field[e_rows, s_domain[s_rows]], -1)
    parts = {
        "fields": 0.5 * area_affinity + 0.5 * np.maximum(named, usual),
        "credential": ((s_asked[s_rows] & e_held[e_rows]) != 0).astype(np.float64),
        "fit": (budget + timing) / 2,
        "district": (s_district[s_rows] == e_district[e_rows]).astype(np.float64),
    }
    return parts, area_affinity, domain_field


def _fields_named(scenarios: list[ScenarioDoc], entries: list[EntryDoc], s_rows, e_rows) -> np.ndarray:
    """How many of its entry's technology fields each pair's scenario text names (a substring
    test, as scoring.shared_fields). Each distinct (scenario, field) is tested once: a scenario's
    candidates share most of their fields, and a test per pair and field took seconds."""
    field_ids: dict[str, int] = {}
    fields = [[field_ids.setdefault(value, len(field_ids)) for value in doc.fields] for doc in entries]
    counts = np.array([len(ids) for ids in fields], dtype=np.int64)
    flat = np.array([field for ids in fields for field in ids], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    per_pair = counts[e_rows]
    pair_of = np.repeat(np.arange(len(e_rows)), per_pair)
    position = np.arange(len(pair_of)) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    keys = s_rows[pair_of].astype(np.int64) * max(len(field_ids), 1) + flat[starts[e_rows][pair_of] + position]
    distinct = np.sort(keys)
    distinct = distinct[np.concatenate([[True], distinct[1:] != distinct[:-1]])] if len(distinct) else distinct
    names, texts = list(field_ids), [f"{doc.primary} {doc.rest}" for doc in scenarios]
    scenario_of, field_of = np.divmod(distinct, max(len(field_ids), 1))
    named = np.fromiter(
        (names[field] in texts[scenario] for scenario, field in zip(scenario_of.tolist(), field_of.tolist())),
        dtype=bool,
        count=len(distinct),
    )
    return np.bincount(pair_of, weights=named[np.searchsorted(distinct, keys)], minlength=len(e_rows))


def best_per_side(scored: Scored, scenario_pool: np.ndarray, entry_pool: np.ndarray) -> np.ndarray:
    """Indices of the pairs to store: each scenario's SCENARIO_SHOWS best among its own pool (its
    most relevant entries) and each entry's ENTRY_SHOWS best among its own — the pools a rematch of
    either scores, so that a rebuild and a rematch store the same."""
    kept = np.zeros(len(scored.score), dtype=bool)
    for groups, other, limit, pool in (
        (scored.s_rows, scored.e_rows, SCENARIO_SHOWS, scenario_pool),
        (scored.e_rows, scored.s_rows, ENTRY_SHOWS, entry_pool),
    ):
        members = np.flatnonzero(pool)
        order = members[_ranked(groups[members], scored.score[members], other[members])]
        ranked = groups[order]
        rank = np.arange(len(order)) - np.searchsorted(ranked, ranked, side="left")
        kept[order[rank < limit]] = True
    return np.flatnonzero(kept)


def _ranked(groups: np.ndarray, score: np.ndarray, other: np.ndarray) -> np.ndarray:
    """The order of np.lexsort((other, -score, groups)) — by group, best score first, then the other
    side's row — from one sort of packed int64 keys when they fit (a score is a whole number of
    tenths, 0–100): three-key lexsorts of a million pairs took seconds."""
    tenths = np.rint(score * 10).astype(np.int64)
    if (
        not len(score)
        or tenths.min() < 0
        or tenths.max() >= 1 << 10
        or groups.max() >= 1 << 22
        or other.max() >= 1 << 31
    ):
        return np.lexsort((other, -score, groups))
    keys = (groups.astype(np.int64) << 41) + (((1 << 10) - 1 - tenths) << 31) + other.astype(np.int64)
    return np.argsort(keys)


def signatures(scored: Scored, indices: np.ndarray, scenarios, entries) -> np.ndarray:
    """A 64-bit hash per pair of everything its row shows (both documents' digests, the score and
    parts as rounded, each need's share and covered flag, the language of the explanation and the
    弱匹配 threshold), as
    int64 — computed on arrays: a rebuild hashes half a million rows."""
    s_digest = np.array([doc.digest for doc in scenarios], dtype=np.int64).view(np.uint64)
    e_digest = np.array([doc.digest for doc in entries], dtype=np.int64).view(np.uint64)
    # each need position: (share in hundredths × 2 + covered), weighted by a power per position
    pair_of = np.repeat(np.arange(len(scored.score)), np.diff(scored.share_starts))
    position = np.arange(len(pair_of)) - scored.share_starts[pair_of]
    values = np.rint(scored.shares * 100).astype(np.uint64) * np.uint64(2) + scored.covered.astype(np.uint64) + 1
    needs = np.zeros(len(scored.score), dtype=np.uint64)
    np.add.at(needs, pair_of, values * (_PRIME ** position.astype(np.uint64)))
    columns = [e_digest[scored.e_rows], np.rint(scored.score * 10).astype(np.int64).view(np.uint64), needs]
    columns += [np.rint(scored.parts[name] * 1000).astype(np.int64).view(np.uint64) for name in PARTS]
    language = np.uint64(int.from_bytes((get_language() or "").encode()[:8].ljust(8, b" "), "little"))
    # The explanation also says 弱匹配 below WEAK_BELOW: a new threshold rewrites the rows.
    hashed = _mix(s_digest[scored.s_rows] ^ language ^ np.uint64(int(WEAK_BELOW * 10)))
    for column in columns:
        hashed = _mix(hashed ^ column)
    return hashed[indices].view(np.int64)


_PRIME = np.uint64(0x100000001B3)


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser (uint64 arithmetic wraps)."""
    values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def _explained(scored: Scored, indices, signatures_of, scenarios, entries):
    """(scenario, entry, covered, gaps, shares, explanation, values, signature) per pair at
    `indices` (the asked credentials are worked out once per scenario)."""
    phrases, asked = explanation_phrases(), {}
    # The pairs' values as Python lists first: indexing numpy arrays one value at a time costs
    # more than the rest of a row when a rebuild explains half a million.
    indices = np.asarray(indices)
    s_rows, e_rows = scored.s_rows[indices].tolist(), scored.e_rows[indices].tolist()
    starts, ends = scored.share_starts[indices].tolist(), scored.share_starts[indices + 1].tolist()
    parts = [scored.parts[name][indices].tolist() for name in PARTS]
    scores, fields = scored.score[indices].tolist(), scored.domain_field[indices].tolist()
    affinities = scored.area_affinity[indices].tolist()
    for number, signature in enumerate(np.asarray(signatures_of).tolist()):
        s_row, start, end, field = s_rows[number], starts[number], ends[number], fields[number]
        scenario, entry = scenarios[s_row], entries[e_rows[number]]
        if s_row not in asked:
            asked[s_row] = asked_credentials(scenario)
        flags = scored.covered[start:end].tolist()
        covered = [need for need, flag in zip(scenario.needs, flags) if flag]
        gaps = [need for need, flag in zip(scenario.needs, flags) if not flag]
        shares = [[need, share] for need, share in zip(scenario.needs, scored.shares[start:end].tolist())]
        values = {name: part[number] for name, part in zip(PARTS, parts)}
        values["score"] = scores[number]
        explanation = explain(
            scenario,
            entry,
            values,
            covered,
            phrases,
            asked[s_row],
            area_affinity=affinities[number],
            domain_field=entry.fields[field] if field >= 0 else None,
        )
        yield scenario, entry, covered, gaps, shares, explanation, values, signature


def match_rows(version: int, scored: Scored, indices, signatures_of, scenarios, entries) -> list[Match]:
    """Unsaved Match rows for the pairs at `indices`, explained (a rematch's few)."""
    return [
        Match(
            generation_id=version,
            scenario_id=scenario.id,
            entry_id=entry.id,
            covered=covered,
            gaps=gaps,
            shares=shares,
            explanation=explanation,
            signature=signature,
            **values,
        )
        for scenario, entry, covered, gaps, shares, explanation, values, signature in _explained(
            scored, indices, signatures_of, scenarios, entries
        )
    ]


def match_values(version: int, scored: Scored, indices, signatures_of, scenarios, entries) -> list[tuple]:
    """The same as column values in store.COLUMNS order (without updated_at): a rebuild writes
    half a million rows, and building a model object for each costs more than the insert."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps makes one per call
    encoded: dict[tuple, str] = {}

    def as_json(values: list[str]) -> str:
        key = tuple(values)
        if key not in encoded:
            encoded[key] = dumps(values)
        return encoded[key]

    return [
        (version, scenario.id, entry.id, values["score"], *(values[name] for name in STORED_PARTS))
        + (as_json(covered), as_json(gaps), dumps(shares), explanation, signature)
        for scenario, entry, covered, gaps, shares, explanation, values, signature in _explained(
            scored, indices, signatures_of, scenarios, entries
        )
    ]


STORED_PARTS = tuple(store.COLUMNS[store.COLUMNS.index("score") + 1 : store.COLUMNS.index("covered")])
