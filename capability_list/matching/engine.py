"""Build and keep the matches.

rebuild()            fit the vocabulary and TF-IDF on every open scenario and listed entry, find
                     candidates both ways by sparse top-k products, score them, write them as a new
                     generation and switch to it at the end (the previous one serves until then);
                     token ids are cached by content hash, so an unchanged corpus is not re-tokenised
rematch_scenario()   one scenario against every listed entry with the active model (entries
rematch_entry()      changed since the model was fitted are vectorised on the fly)

Workers keep the fitted model in memory and reload it only when the active version changes.
"""

import hashlib
import io
import logging
import pickle
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Min
from django.utils import timezone
from scipy import sparse
from sparse_dot_topn import sp_matmul_topn

from capability_list.matching import text as tokens
from capability_list.matching.documents import EntryDoc, ScenarioDoc, entry_docs, scenario_docs
from capability_list.matching.scoring import MIN_SCORE, ScoredPair, passes_hard_filters, score_pair
from capability_list.matching.vectors import TextModel, Vocabulary, binary
from capability_list.models import CapabilityEntry, Match, MatchingModel

logger = logging.getLogger(__name__)

K_SCENARIO = 20  # suppliers kept per scenario
K_ENTRY = 5  # scenarios kept per entry
CANDIDATES = 60  # text candidates scored per item, both ways, before the best K are kept
INCREMENTAL_CANDIDATES = 200
TEXT_THRESHOLD = 0.01
ADVISORY_LOCK = 7_310_001  # PostgreSQL advisory lock id of the rebuild (released if the worker dies)


def matching_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "matching"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class FittedModel:
    version: int
    fitted_at: object
    text: TextModel
    scenarios: list[ScenarioDoc]
    entries: list[EntryDoc]
    scenario_matrix: sparse.csr_matrix
    entry_matrix: sparse.csr_matrix
    entry_binary: sparse.csr_matrix
    need_matrix: sparse.csr_matrix
    need_offsets: np.ndarray  # scenario row i has need rows need_offsets[i]:need_offsets[i + 1]
    scenario_texts: list[str]


# ---- tokens, with a cache by content hash ----------------------------------------------------------

def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=12).digest()


class TokenCache:
    """Token ids of each document by content hash, with the vocabularies they index. Kept next to
    the models; a rebuild grows the same vocabularies, so cached ids stay valid."""

    def __init__(self, path: Path):
        self.path = path
        self.words, self.chars, self.documents = Vocabulary(), Vocabulary(), {}
        self.hits = 0
        if path.exists():
            try:
                with path.open("rb") as handle:
                    data = pickle.load(handle)  # our own file, written below
                self.words, self.chars, self.documents = Vocabulary(data["words"]), Vocabulary(data["chars"]), data["documents"]
            except Exception:  # noqa: BLE001 — a damaged cache is only slower
                logger.warning("matching token cache unreadable, re-tokenising", exc_info=True)

    def ids(self, key, text: str) -> tuple[np.ndarray, np.ndarray]:
        digest = _digest(text)
        cached = self.documents.get(key)
        if cached is not None and cached[0] == digest:
            self.hits += 1
            return cached[1], cached[2]
        words, chars = tokens.document_tokens(text)
        encoded = (self.words.encode(words, grow=True), self.chars.encode(chars, grow=True))
        self.documents[key] = (digest, *encoded)
        return encoded

    def save(self, keep: set) -> None:
        self.documents = {key: value for key, value in self.documents.items() if key in keep}
        temporary = self.path.with_suffix(".tmp")
        with temporary.open("wb") as handle:
            pickle.dump({"words": self.words.ids, "chars": self.chars.ids, "documents": self.documents}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(self.path)


# ---- the model in each worker ---------------------------------------------------------------------

_loaded: dict[str, FittedModel | None] = {"model": None}
_load_lock = threading.Lock()


def active_model() -> FittedModel | None:
    """The active fitted model, loaded once per version (one query when it is current)."""
    row = MatchingModel.objects.filter(state="active").values("pk", "path").first()
    if row is None:
        return None
    current = _loaded["model"]
    if current is not None and current.version == row["pk"]:
        return current
    with _load_lock:
        current = _loaded["model"]
        if current is None or current.version != row["pk"]:
            with (matching_dir() / row["path"]).open("rb") as handle:
                _loaded["model"] = pickle.load(handle)  # written by rebuild() below
    return _loaded["model"]


# ---- scoring candidates -----------------------------------------------------------------------------

def _containment(model_need: sparse.csr_matrix, need_rows: np.ndarray, entry_binary: sparse.csr_matrix, entry_rows: np.ndarray) -> np.ndarray:
    """For each (need row, entry row): the share of the need's tokens the entry contains."""
    out = np.zeros(len(need_rows), dtype=np.float32)
    for start in range(0, len(need_rows), 200_000):
        stop = start + 200_000
        product = model_need[need_rows[start:stop]].multiply(entry_binary[entry_rows[start:stop]])
        out[start:stop] = np.asarray(product.sum(axis=1)).ravel()
    return out


def _score_batch(scenarios, entries, scenario_rows, entry_rows, similarities, need_matrix, need_offsets, entry_binary, scenario_texts) -> list[ScoredPair]:
    """Score candidate pairs (row indices into the given lists and matrices) that pass the filters."""
    keep = [index for index, (s, e) in enumerate(zip(scenario_rows, entry_rows)) if passes_hard_filters(scenarios[s], entries[e])]
    if not keep:
        return []
    scenario_rows, entry_rows, similarities = scenario_rows[keep], entry_rows[keep], similarities[keep]
    counts = need_offsets[scenario_rows + 1] - need_offsets[scenario_rows]
    need_rows = np.concatenate([np.arange(need_offsets[s], need_offsets[s + 1]) for s in scenario_rows]) if counts.sum() else np.zeros(0, dtype=np.int64)
    need_entries = np.repeat(entry_rows, counts)
    containment = _containment(need_matrix, need_rows, entry_binary, need_entries) if len(need_rows) else np.zeros(0)
    starts = np.concatenate([[0], np.cumsum(counts)])
    scored = (
        score_pair(scenarios[s], entries[e], float(similarity), containment[starts[i] : starts[i + 1]].tolist(), scenario_texts[s])
        for i, (s, e, similarity) in enumerate(zip(scenario_rows, entry_rows, similarities))
    )
    return [pair for pair in scored if pair.score >= MIN_SCORE]


def _best(pairs: list[ScoredPair], key: str, limit: int) -> set[tuple[int, int]]:
    grouped: dict[int, list[ScoredPair]] = {}
    for pair in pairs:
        grouped.setdefault(getattr(pair, key), []).append(pair)
    chosen = set()
    for group in grouped.values():
        group.sort(key=lambda pair: (-pair.score, pair.entry if key == "scenario" else pair.scenario))
        chosen.update((pair.scenario, pair.entry) for pair in group[:limit])
    return chosen


# ---- writing ------------------------------------------------------------------------------------------

COLUMNS = ["generation_id", "scenario_id", "entry_id", "score", "text", "coverage", "fields", "district", "credential", "fit", "covered", "gaps", "explanation", "updated_at"]


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_matches(generation_id: int, pairs: list[ScoredPair]) -> None:
    """Insert pairs of a generation: COPY on PostgreSQL (fast at city scale), bulk_create elsewhere."""
    import json

    now = timezone.now()
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for pair in pairs:
            values = [generation_id, pair.scenario, pair.entry, pair.score, pair.text, pair.coverage, pair.fields, pair.district, pair.credential, pair.fit]
            buffer.write("\t".join(map(str, values)))
            buffer.write("\t" + _copy_text(json.dumps(pair.covered, ensure_ascii=False)) + "\t" + _copy_text(json.dumps(pair.gaps, ensure_ascii=False)))
            buffer.write("\t" + _copy_text(pair.explanation) + "\t" + now.isoformat() + "\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {Match._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN", buffer)
        return
    Match.objects.bulk_create(
        [
            Match(generation_id=generation_id, scenario_id=pair.scenario, entry_id=pair.entry, score=pair.score, text=pair.text, coverage=pair.coverage, fields=pair.fields,
                  district=pair.district, credential=pair.credential, fit=pair.fit, covered=pair.covered, gaps=pair.gaps, explanation=pair.explanation)
            for pair in pairs
        ],
        batch_size=1000,
    )


# ---- the full rebuild --------------------------------------------------------------------------------

class RebuildRunning(Exception):
    pass


def _take_lock() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK])
        return bool(cursor.fetchone()[0])


def _release_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK])


def _discard(models) -> None:
    """Delete the matches and files of generations no longer served."""
    for model in models:
        Match.objects.filter(generation=model).delete()
        if model.path:
            (matching_dir() / model.path).unlink(missing_ok=True)


def rebuild(report=None) -> MatchingModel:
    """Refit and rebuild every match; returns the new active model. Raises RebuildRunning when
    another rebuild holds the lock."""
    report = report or (lambda percent, message: None)
    if not _take_lock():
        raise RebuildRunning("another rebuild is running")
    try:
        # A rebuild that died (its worker killed) left a 'building' generation: never served, drop it.
        abandoned = list(MatchingModel.objects.filter(state="building"))
        _discard(abandoned)
        MatchingModel.objects.filter(pk__in=[model.pk for model in abandoned]).update(state="failed")
        row = MatchingModel.objects.create(state="building")
        try:
            return _rebuild(row, report)
        except BaseException:
            _discard([row])
            MatchingModel.objects.filter(pk=row.pk).update(state="failed")
            raise
    finally:
        _release_lock()


def _rebuild(row: MatchingModel, report) -> MatchingModel:
    timings = {}
    started = time.perf_counter()
    scenarios, entries = scenario_docs(), entry_docs()
    timings["load"] = time.perf_counter() - started
    report(5, f"{len(scenarios)} scenarios, {len(entries)} entries")

    mark = time.perf_counter()
    cache = TokenCache(matching_dir() / "tokens.pickle")
    scenario_ids = [cache.ids(("s", doc.id), doc.text) for doc in scenarios]
    entry_ids = [cache.ids(("e", doc.id), doc.text) for doc in entries]
    need_ids, need_offsets = [], [0]
    for doc in scenarios:
        for need in doc.needs:
            need_ids.append(cache.ids(("n", need), need))
        need_offsets.append(len(need_ids))
    timings["tokenise"] = time.perf_counter() - mark
    report(40, "tokenised")

    mark = time.perf_counter()
    model = TextModel.fit(cache.words, cache.chars, [w for w, _c in scenario_ids + entry_ids], [c for _w, c in scenario_ids + entry_ids])
    scenario_matrix = model.matrix([w for w, _c in scenario_ids], [c for _w, c in scenario_ids])
    entry_matrix = model.matrix([w for w, _c in entry_ids], [c for _w, c in entry_ids])
    need_matrix = model.need_matrix([w for w, _c in need_ids], [c for _w, c in need_ids])
    entry_binary = binary(entry_matrix)
    timings["vectorise"] = time.perf_counter() - mark

    mark = time.perf_counter()
    candidates = set()
    if scenarios and entries:
        forward = sp_matmul_topn(scenario_matrix, entry_matrix.T.tocsr(), top_n=CANDIDATES, threshold=TEXT_THRESHOLD, n_threads=2).tocoo()
        backward = sp_matmul_topn(entry_matrix, scenario_matrix.T.tocsr(), top_n=CANDIDATES // 4, threshold=TEXT_THRESHOLD, n_threads=2).tocoo()
        pairs = {(int(s), int(e)): float(v) for s, e, v in zip(forward.row, forward.col, forward.data)}
        pairs.update({(int(s), int(e)): float(v) for e, s, v in zip(backward.row, backward.col, backward.data)})
        candidates = pairs
    timings["top_k"] = time.perf_counter() - mark
    report(55, f"{len(candidates)} candidate pairs")

    mark = time.perf_counter()
    scenario_texts = [tokens.normalise(doc.text) for doc in scenarios]
    if candidates:
        keys = np.array(list(candidates.keys()), dtype=np.int64)
        sims = np.fromiter(candidates.values(), dtype=np.float32, count=len(candidates))
        scored = _score_batch(scenarios, entries, keys[:, 0], keys[:, 1], sims, need_matrix, np.asarray(need_offsets), entry_binary, scenario_texts)
    else:
        scored = []
    keep = _best(scored, "scenario", K_SCENARIO) | _best(scored, "entry", K_ENTRY)
    kept = [pair for pair in scored if (pair.scenario, pair.entry) in keep]
    timings["score"] = time.perf_counter() - mark
    report(75, f"{len(kept)} matches")

    mark = time.perf_counter()
    write_matches(row.pk, kept)
    timings["write"] = time.perf_counter() - mark

    for doc in scenarios + entries:
        doc.text = ""  # the model keeps features and vectors, not the texts
    fitted = FittedModel(
        version=row.pk, fitted_at=timezone.now(), text=model, scenarios=scenarios, entries=entries, scenario_matrix=scenario_matrix,
        entry_matrix=entry_matrix, entry_binary=entry_binary, need_matrix=need_matrix, need_offsets=np.asarray(need_offsets), scenario_texts=scenario_texts,
    )
    # Tokens of what is current stay cached; fitted_at is taken before the file is written, so an item
    # saved meanwhile counts as changed and is vectorised on the fly by rematches.
    cache.save({("s", doc.id) for doc in scenarios} | {("e", doc.id) for doc in entries} | {("n", need) for doc in scenarios for need in doc.needs})
    path = f"model-{row.pk}.pickle"
    with (matching_dir() / path).open("wb") as handle:
        pickle.dump(fitted, handle, protocol=pickle.HIGHEST_PROTOCOL)
    timings["total"] = time.perf_counter() - started
    with transaction.atomic():
        previous = list(MatchingModel.objects.select_for_update().filter(state="active"))
        MatchingModel.objects.filter(pk__in=[model.pk for model in previous]).update(state="superseded")
        MatchingModel.objects.filter(pk=row.pk).update(
            state="active", path=path, scenarios=len(scenarios), entries=len(entries), pairs=len(kept), fitted_at=fitted.fitted_at, activated_at=timezone.now(),
            stats={"timings": {key: round(value, 3) for key, value in timings.items()}, "vocabulary": [len(cache.words), len(cache.chars)], "cached_documents": cache.hits},
        )
    _discard(previous)
    report(100, f"{len(kept)} matches")
    row.refresh_from_db()
    return row


# ---- one scenario or one entry -----------------------------------------------------------------------

_delta_cache: dict[tuple, tuple] = {}


def _vectorise(model: FittedModel, docs: list, kind: str):
    """Rows for documents changed since the model was fitted (cached per worker by content)."""
    word_ids, char_ids = [], []
    for doc in docs:
        key = (kind, doc.id, _digest(doc.text))
        if key not in _delta_cache:
            words, chars = tokens.document_tokens(doc.text)
            _delta_cache[key] = model.text.encode(words, chars)
        word_ids.append(_delta_cache[key][0])
        char_ids.append(_delta_cache[key][1])
    if len(_delta_cache) > 50_000:
        _delta_cache.clear()
    return model.text.matrix(word_ids, char_ids)


def _needs(model: FittedModel, needs: list[str]) -> sparse.csr_matrix:
    encoded = [model.text.encode(*tokens.document_tokens(need)) for need in needs]
    return model.text.need_matrix([w for w, _c in encoded], [c for _w, c in encoded])


def _entries_now(model: FittedModel):
    """The model's entries with those changed since fitting replaced by their current state."""
    changed = entry_docs(CapabilityEntry.objects.filter(updated_at__gte=model.fitted_at))
    if not changed:
        return model.entries, model.entry_matrix, model.entry_binary
    changed_ids = {doc.id for doc in changed}
    keep = [index for index, doc in enumerate(model.entries) if doc.id not in changed_ids]
    fresh = _vectorise(model, changed, "e")
    matrix = sparse.vstack([model.entry_matrix[keep], fresh], format="csr")
    return [model.entries[index] for index in keep] + changed, matrix, binary(matrix)


def _scenarios_now(model: FittedModel):
    from scenarios.models import Scenario

    changed = scenario_docs(Scenario.objects.filter(updated_at__gte=model.fitted_at))
    if not changed:
        return model.scenarios, model.scenario_matrix, model.need_matrix, model.need_offsets, model.scenario_texts
    changed_ids = {doc.id for doc in changed}
    keep = [index for index, doc in enumerate(model.scenarios) if doc.id not in changed_ids]
    need_blocks, offsets = [], [0]
    for index in keep:
        start, stop = model.need_offsets[index], model.need_offsets[index + 1]
        need_blocks.append(model.need_matrix[start:stop])
        offsets.append(offsets[-1] + stop - start)
    for doc in changed:
        block = _needs(model, doc.needs)
        need_blocks.append(block)
        offsets.append(offsets[-1] + block.shape[0])
    matrix = sparse.vstack([model.scenario_matrix[keep], _vectorise(model, changed, "s")], format="csr")
    needs = sparse.vstack(need_blocks, format="csr") if need_blocks else model.need_matrix[:0]
    texts = [model.scenario_texts[index] for index in keep] + [tokens.normalise(doc.text) for doc in changed]
    return [model.scenarios[index] for index in keep] + changed, matrix, needs, np.asarray(offsets), texts


def _entering_their_top(generation_id: int, scored: list[ScoredPair], side: str, limit: int) -> set[tuple[int, int]]:
    """The pairs that enter the other side's own top `limit` (side: "entry" or "scenario"); what
    that side already has stays as it is until the next rebuild."""
    column = f"{side}_id"
    floors = {
        row[column]: (row["count"], row["lowest"])
        for row in Match.objects.filter(generation_id=generation_id, **{f"{column}__in": [getattr(pair, side) for pair in scored]})
        .values(column)
        .annotate(count=Count("pk"), lowest=Min("score"))
    }
    return {
        (pair.scenario, pair.entry)
        for pair in scored
        if floors.get(getattr(pair, side), (0, 0))[0] < limit or pair.score > floors[getattr(pair, side)][1]
    }


def _top(similarities: np.ndarray, limit: int) -> np.ndarray:
    candidates = np.flatnonzero(similarities > TEXT_THRESHOLD)
    if len(candidates) > limit:
        candidates = candidates[np.argpartition(-similarities[candidates], limit)[:limit]]
    return candidates


def _scenario_pairs(model: FittedModel, doc: ScenarioDoc) -> list[ScoredPair]:
    """Score one scenario against its best text candidates among all listed entries."""
    entries, entry_matrix, entry_binary = _entries_now(model)
    vector = _vectorise(model, [doc], "s")
    similarities = (vector @ entry_matrix.T).toarray().ravel()
    rows = _top(similarities, INCREMENTAL_CANDIDATES)
    need_matrix = _needs(model, doc.needs)
    return _score_batch(
        [doc], entries, np.zeros(len(rows), dtype=np.int64), rows, similarities[rows], need_matrix, np.array([0, need_matrix.shape[0]]), entry_binary, [tokens.normalise(doc.text)]
    )


def ranked_entries(scenario_id: int, limit: int = 50) -> list[ScoredPair]:
    """A scenario's suppliers best first, beyond the K kept (for evaluation and tuning)."""
    from scenarios.models import Scenario

    model = active_model()
    docs = scenario_docs(Scenario.objects.filter(pk=scenario_id))
    if model is None or not docs or not docs[0].is_open:
        return []
    return sorted(_scenario_pairs(model, docs[0]), key=lambda pair: (-pair.score, pair.entry))[:limit]


@transaction.atomic
def rematch_scenario(scenario_id: int) -> int:
    """Recompute one scenario's suppliers in the active generation; returns the matches kept."""
    from scenarios.models import Scenario

    model = active_model()
    if model is None:
        return 0
    Match.objects.filter(generation_id=model.version, scenario_id=scenario_id).delete()
    docs = scenario_docs(Scenario.objects.filter(pk=scenario_id))
    if not docs or not docs[0].is_open:
        return 0
    scored = _scenario_pairs(model, docs[0])
    keep = _best(scored, "scenario", K_SCENARIO) | _entering_their_top(model.version, scored, "entry", K_ENTRY)
    kept = [pair for pair in scored if (pair.scenario, pair.entry) in keep]
    write_matches(model.version, kept)
    return len(kept)


@transaction.atomic
def rematch_entry(entry_id: int) -> int:
    """Recompute one entry's scenarios in the active generation; returns the matches kept."""
    model = active_model()
    if model is None:
        return 0
    Match.objects.filter(generation_id=model.version, entry_id=entry_id).delete()
    docs = entry_docs(CapabilityEntry.objects.filter(pk=entry_id))
    if not docs or not docs[0].is_listed:
        return 0
    doc = docs[0]
    scenarios, scenario_matrix, need_matrix, need_offsets, texts = _scenarios_now(model)
    vector = _vectorise(model, [doc], "e")
    similarities = (vector @ scenario_matrix.T).toarray().ravel()
    rows = _top(similarities, INCREMENTAL_CANDIDATES)
    scored = _score_batch(scenarios, [doc], rows, np.zeros(len(rows), dtype=np.int64), similarities[rows], need_matrix, need_offsets, binary(vector), texts)
    keep = _best(scored, "entry", K_ENTRY) | _entering_their_top(model.version, scored, "scenario", K_SCENARIO)
    kept = [pair for pair in scored if (pair.scenario, pair.entry) in keep]
    write_matches(model.version, kept)
    return len(kept)
