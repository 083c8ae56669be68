"""Build and keep the matches.

rebuild()            fit the vocabulary and TF-IDF on every open scenario and listed entry, find
                     candidates both ways (search.py: only what changed since the last search,
                     or everything), score them, and in one transaction rewrite the matches
                     whose signature (what the row shows) changed and activate the new model
                     (until then the previous matches serve); token counts are cached by content
                     hash, so an unchanged corpus is not re-tokenised
rematch_scenario()   one scenario against every listed entry with the active model (entries
rematch_entry()      changed since the model was fitted are vectorised on the fly)

Workers keep the fitted model in memory and reload it only when the active version changes.
"""

import gc
import io
import itertools
import logging
import os
import pickle
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from scipy import sparse

from capability_list.models import CapabilityEntry
from matching.engine import kernels
from matching.engine import text as tokens
from matching.engine.documents import (
    EntryDoc,
    EntryDocs,
    ScenarioDoc,
    digest64,
    digests,
    entry_docs,
    scenario_docs,
)
from matching.engine.forked import forked_map
from matching.engine.scoring import (
    COVERED_AT,
    MIN_SCORE,
    Explainer,
    ScoredPair,
    entry_arrays,
    explanation_phrases,
    passes_hard_filters,
    scenario_arrays,
    score_parts,
    shared_fields,
)
from matching.engine.search import TEXT_THRESHOLD, SearchState, search
from matching.engine.vectors import Bags, TextModel, Vocabulary, binary
from matching.models import Match, MatchingModel

logger = logging.getLogger(__name__)

K_SCENARIO = 20  # suppliers kept per scenario
K_ENTRY = 3  # scenarios kept per entry
INCREMENTAL_CANDIDATES = 200
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
    entries: "EntryDocs | list[EntryDoc]"  # EntryDocs since the rebuild reads entries column by column
    scenario_matrix: sparse.csr_matrix
    entry_matrix: sparse.csr_matrix
    entry_binary: sparse.csr_matrix
    need_matrix: sparse.csr_matrix
    need_offsets: np.ndarray  # scenario row i has need rows need_offsets[i]:need_offsets[i + 1]
    scenario_texts: list[str]

    @property
    def entry_rows(self) -> dict[int, int]:
        if "_entry_rows" not in self.__dict__:
            self.__dict__["_entry_rows"] = dict(zip(_doc_ids(self.entries).tolist(), range(len(self.entries))))
        return self.__dict__["_entry_rows"]

    def postings(self, kind: str) -> sparse.csr_matrix:
        """The side's matrix transposed (token → documents), built once per worker: one item is
        compared with only the documents sharing a token with it, not with every row."""
        name = f"_postings_{kind}"
        if name not in self.__dict__:
            self.__dict__[name] = (self.entry_matrix if kind == "e" else self.scenario_matrix).T.tocsr()
        return self.__dict__[name]

    def __getstate__(self):
        return {
            key: value for key, value in self.__dict__.items() if not key.startswith("_")
        }  # derived, rebuilt on use

    @property
    def scenario_rows(self) -> dict[int, int]:
        if "_scenario_rows" not in self.__dict__:
            self.__dict__["_scenario_rows"] = {doc.id: row for row, doc in enumerate(self.scenarios)}
        return self.__dict__["_scenario_rows"]


# ---- tokens, with a cache by content hash ----------------------------------------------------------

KIND_CODES = {"s": 1, "e": 2}


def document_keys(kind: str, ids: list[int]) -> np.ndarray:
    """Cache keys of scenarios or entries (int64: the kind in the high bits, then the id)."""
    return np.asarray(ids, dtype=np.int64) + (KIND_CODES[kind] << 40)


def need_keys(needs: list[str]) -> np.ndarray:
    """Need items are cached by their text alone (the same need in two scenarios is one entry)."""
    return digests([needs])


def _doc_ids(docs) -> np.ndarray:
    if isinstance(docs, EntryDocs):
        return docs.ids
    return np.fromiter((doc.id for doc in docs), dtype=np.int64, count=len(docs))


def _doc_digests(docs) -> np.ndarray:
    if isinstance(docs, EntryDocs):
        return docs.digests
    return np.fromiter((doc.digest for doc in docs), dtype=np.int64, count=len(docs))


class TokenCache:
    """Token counts of each document by content hash, with the vocabularies they index.

    One file of flat arrays (tokens.npz, read with allow_pickle=False): loading 100,000 documents'
    tokens is a few array reads, and the bags go into the matrices without a loop per document. A
    rebuild grows the same vocabularies, so cached ids stay valid."""

    def __init__(self, path: Path):
        self.path = path
        self._empty()
        self.hits = self.misses = 0
        self._used: list[tuple] = []
        if path.exists():
            try:
                with np.load(path, allow_pickle=False) as data:
                    self.words = Vocabulary(
                        {token: i for i, token in enumerate(str(data["words"]).split("\n")) if token}
                    )
                    self.chars = Vocabulary(
                        {token: i for i, token in enumerate(str(data["chars"]).split("\n")) if token}
                    )
                    self.keys, self.digests = data["keys"], data["digests"]
                    self.word_bags = Bags(data["word_indptr"], data["word_indices"], data["word_counts"])
                    self.char_bags = Bags(data["char_indptr"], data["char_indices"], data["char_counts"])
                    if len(self.words) != int(data["sizes"][0]) or len(self.chars) != int(data["sizes"][1]):
                        raise ValueError("vocabulary damaged")
            except Exception:  # noqa: BLE001 — a damaged cache is only slower
                logger.warning("matching token cache unreadable, re-tokenising", exc_info=True)
                self._empty()
        self._rows = None

    def _empty(self) -> None:
        self.words, self.chars = Vocabulary(), Vocabulary()
        self.keys, self.digests = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        self.word_bags, self.char_bags = Bags.empty(), Bags.empty()

    def bags(self, keys: np.ndarray, texts: list[tuple[str, str]], digests: np.ndarray) -> tuple[Bags, Bags]:
        """(word bags, character bags) of these documents, in order. `digests` change whenever a
        text does (a document's digest covers more than its text: a re-tokenisation too many is
        harmless). Texts are (primary, rest) pairs (text.weighted_tokens). Cache misses are tokenised
        (in parallel when allowed)."""
        if self._rows is None:
            self._rows = dict(zip(self.keys.tolist(), range(len(self.keys))))
        rows = np.fromiter((self._rows.get(key, -1) for key in keys.tolist()), dtype=np.int64, count=len(keys))
        hit = rows >= 0
        hit[hit] = self.digests[rows[hit]] == digests[hit]
        missing = np.flatnonzero(~hit)
        self.hits += int(hit.sum())
        self.misses += len(missing)
        word_ids, char_ids = [], []
        for words, chars in _tokenise_all([texts[i] for i in missing]):
            word_ids.append(self.words.encode(words, grow=True))
            char_ids.append(self.chars.encode(chars, grow=True))
        # Cached rows first, then the new ones; `order` puts each document back in its place.
        order = np.empty(len(keys), dtype=np.int64)
        order[np.flatnonzero(hit)] = np.arange(int(hit.sum()))
        order[missing] = int(hit.sum()) + np.arange(len(missing))
        if len(missing):
            words = Bags.concatenate([self.word_bags.take(rows[hit]), Bags.from_sequences(word_ids)]).take(order)
            chars = Bags.concatenate([self.char_bags.take(rows[hit]), Bags.from_sequences(char_ids)]).take(order)
        else:
            words, chars = self.word_bags.take(rows), self.char_bags.take(rows)
        self._used.append((keys, digests, words, chars))
        return words, chars

    def save(self) -> None:
        """Keep exactly the documents asked for since loading (rewritten only when that changed)."""
        keys = np.concatenate([used[0] for used in self._used]) if self._used else np.zeros(0, dtype=np.int64)
        keys, first = np.unique(keys, return_index=True)
        if not self.misses and np.array_equal(keys, np.sort(self.keys)):
            return
        digests = np.concatenate([used[1] for used in self._used])[first]
        words = Bags.concatenate([used[2] for used in self._used]).take(first)
        chars = Bags.concatenate([used[3] for used in self._used]).take(first)
        temporary = self.path.with_name("tokens.tmp.npz")
        np.savez(
            temporary,
            keys=keys,
            digests=digests,
            words=np.array("\n".join(self.words.ids)),
            chars=np.array("\n".join(self.chars.ids)),
            sizes=np.array([len(self.words), len(self.chars)]),
            word_indptr=words.indptr,
            word_indices=words.indices,
            word_counts=words.counts,
            char_indptr=chars.indptr,
            char_indices=chars.indices,
            char_counts=chars.counts,
        )
        temporary.replace(self.path)


PARALLEL_FROM = 5000  # documents in the model; a smaller model file is written by this process
# Documents to tokenise; fewer are tokenised in this process. A nightly rebuild re-tokenises the
# ~1 % that changed: a thousand documents take a second of jieba on one core, forking takes 0.1 s.
TOKENISE_IN_PARALLEL_FROM = 500


def _joined_tokens(parts: tuple[str, str]) -> tuple[str, str]:
    # Tokens never contain a space: one string each travels between processes far faster than lists.
    words, chars = tokens.weighted_tokens(*parts)
    return " ".join(words), " ".join(chars)


def _tokenise_chunk(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [_joined_tokens(parts) for parts in texts]


def _tokenise_all(texts: list[tuple[str, str]]):
    """Yield (words, characters) per (primary, rest) text. jieba is pure Python: with many
    documents, every core works (forked helpers, forked.py). A generator, so that the token lists
    of only a chunk of documents exist at a time (all of them would be GBs)."""
    processes = os.cpu_count() or 1
    if len(texts) < TOKENISE_IN_PARALLEL_FROM or processes < 2:
        yield from (tokens.weighted_tokens(*parts) for parts in texts)
        return
    tokens.tokenizer()  # load the dictionary once, before forking
    # Chunks small enough that both helpers stay busy to the end of a nightly thousand.
    size = max(1, min(500, len(texts) // (processes * 4)))
    for chunk in forked_map(
        _tokenise_chunk, [texts[start : start + size] for start in range(0, len(texts), size)], processes
    ):
        for words, chars in chunk:
            yield words.split(), chars.split()


# ---- the model in each worker ---------------------------------------------------------------------

_loaded: dict[str, FittedModel | None] = {"model": None}
_load_lock = threading.Lock()


def active_model() -> FittedModel | None:
    """The active fitted model, loaded once per version (one query when it is current)."""
    row = MatchingModel.objects.filter(state="active").values("pk", "path", "fitted_at").first()
    if row is None:
        return None
    # The stamp is the version and its fitting time (ids alone repeat when a test database is reset).
    current = _loaded["model"]
    if current is not None and (current.version, current.fitted_at) == (row["pk"], row["fitted_at"]):
        return current
    with _load_lock:
        current = _loaded["model"]
        if current is None or (current.version, current.fitted_at) != (row["pk"], row["fitted_at"]):
            try:
                with (matching_dir() / row["path"]).open("rb") as handle:
                    _loaded["model"] = pickle.load(handle)  # written by rebuild() below
            except FileNotFoundError:
                # MEDIA_ROOT lost or restored without it: rematches wait for the next rebuild
                # (the stored matches keep serving) instead of failing one by one.
                logger.error(
                    "matching model file %s is missing; rematches are skipped until the next rebuild", row["path"]
                )
                return None
    return _loaded["model"]


# ---- scoring candidates -----------------------------------------------------------------------------


def _single_character_columns(model: TextModel) -> np.ndarray:
    """Mask of the fused matrix's single-character columns."""
    mask = np.zeros(len(model.words) + len(model.chars), dtype=bool)
    single = [column for token, column in model.chars.ids.items() if len(token) == 1]
    mask[len(model.words) + np.asarray(single, dtype=np.int64)] = True
    return mask


def _without_columns(matrix: sparse.csr_matrix, mask: np.ndarray) -> sparse.csr_matrix:
    """The matrix without the masked columns' values (same shape)."""
    keep = ~mask[matrix.indices]
    counts = np.concatenate([[0], np.cumsum(keep)])
    return sparse.csr_matrix((matrix.data[keep], matrix.indices[keep], counts[matrix.indptr]), shape=matrix.shape)


@dataclass
class Candidates:
    """Scored candidate pairs (rows into the scenario and entry lists), as arrays."""

    scenario_rows: np.ndarray
    entry_rows: np.ndarray
    parts: dict
    flags: np.ndarray  # need covered? for each (pair, need), pair by pair
    starts: np.ndarray  # pair i's needs are flags[starts[i]:starts[i + 1]]
    signatures: np.ndarray  # int64 per pair: see Match.signature

    def __len__(self):
        return len(self.scenario_rows)


# Odd 64-bit constants mixing the inputs of a signature (fixed: signatures are stored).
_MIX = np.random.default_rng(20261128).integers(1, 2**63, size=80, dtype=np.int64).astype(np.uint64) | np.uint64(1)
SHOWN_PARTS = (
    "score",
    "text",
    "coverage",
    "fields",
    "district",
    "credential",
    "fit",
    "area_serves",
    "budget",
    "timing",
)


def _signatures(s_digests, e_digests, scenario_rows, entry_rows, parts, flags, starts) -> np.ndarray:
    """A hash per pair of everything its row shows: both documents (their digests), the shown
    parts (rounded to 0.001), which needs are covered, and the language of the explanation."""
    shown = [parts[name] for name in SHOWN_PARTS]
    return kernels.mix_signatures(
        s_digests,
        e_digests,
        scenario_rows,
        entry_rows,
        shown,
        1000,
        flags,
        starts,
        _MIX,
        digest64(*explanation_phrases().values()),
    )


def _shared_field_counts(entries, scenario_texts, scenario_rows: np.ndarray, entry_rows: np.ndarray) -> np.ndarray:
    """For each pair, how many of the entry's technology fields the scenario's text names
    (len(shared_fields(...)), with each distinct (scenario, field) looked for once)."""
    if isinstance(entries, EntryDocs):
        lists, list_of_entry = entries.field_lists, entries.field_list_of
    else:  # docs loaded together share one list object per distinct list
        numbers: dict[int, int] = {}
        lists = []
        for doc in entries:
            if id(doc.fields) not in numbers:
                numbers[id(doc.fields)] = len(lists)
                lists.append(doc.fields)
        list_of_entry = np.array([numbers[id(doc.fields)] for doc in entries], dtype=np.int64)
    field_ids: dict[str, int] = {}
    encoded = [[field_ids.setdefault(value, len(field_ids)) for value in fields if value] for fields in lists]
    offsets = np.concatenate([[0], np.cumsum([len(values) for values in encoded])]).astype(np.int64)
    flat = np.fromiter((value for values in encoded for value in values), dtype=np.int64, count=int(offsets[-1]))
    names = list(field_ids)

    def named(scenarios: np.ndarray, fields: np.ndarray) -> list[bool]:
        return [
            names[field] in scenario_texts[scenario] for scenario, field in zip(scenarios.tolist(), fields.tolist())
        ]

    return kernels.count_true_per_pair(
        scenario_rows, entry_rows, list_of_entry, offsets, flat, len(field_ids), named
    ).astype(np.float64)


def _score_batch(
    scenarios,
    entries,
    scenario_rows,
    entry_rows,
    similarities,
    need_matrix,
    need_offsets,
    entry_binary,
    scenario_texts,
    containment=None,
) -> Candidates:
    """Score candidate pairs (row indices into the lists and matrices): hard filters first, then
    every part as arrays; pairs under MIN_SCORE are dropped. `containment`, per (pair, need) in
    pair order, when it is known already (kernels.text_overlap); else it is computed here."""
    s_arrays, e_arrays = scenario_arrays(scenarios), entry_arrays(entries)
    keep = passes_hard_filters(s_arrays, e_arrays, scenario_rows, entry_rows)
    if containment is not None:
        containment = containment[np.repeat(keep, need_offsets[scenario_rows + 1] - need_offsets[scenario_rows])]
    scenario_rows, entry_rows, similarities = scenario_rows[keep], entry_rows[keep], similarities[keep]
    counts = need_offsets[scenario_rows + 1] - need_offsets[scenario_rows]
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    pair_of_need = np.repeat(np.arange(len(scenario_rows)), counts)
    if containment is None:
        # The share of each need's tokens (idf-weighted) the entry contains.
        need_rows = np.repeat(need_offsets[scenario_rows], counts) + (np.arange(starts[-1]) - starts[pair_of_need])
        containment = kernels.rowwise_dot(need_matrix, need_rows, entry_binary, entry_rows[pair_of_need])
    flags = containment >= COVERED_AT
    covered = np.bincount(pair_of_need, weights=flags, minlength=len(scenario_rows))
    shared = _shared_field_counts(entries, scenario_texts, scenario_rows, entry_rows)
    parts = score_parts(s_arrays, e_arrays, scenario_rows, entry_rows, similarities.astype(np.float64), covered, shared)
    good = parts["score"] >= MIN_SCORE
    kept = np.flatnonzero(good)
    new_starts = np.concatenate([[0], np.cumsum(counts[kept])]).astype(np.int64)
    scenario_rows, entry_rows, parts, flags = (
        scenario_rows[kept],
        entry_rows[kept],
        {name: value[kept] for name, value in parts.items()},
        flags[good[pair_of_need]],
    )
    signatures = _signatures(
        _doc_digests(scenarios), _doc_digests(entries), scenario_rows, entry_rows, parts, flags, new_starts
    )
    return Candidates(scenario_rows, entry_rows, parts, flags, new_starts, signatures)


def _pairs(
    candidates: Candidates, indices, scenarios, entries, scenario_texts, explained: bool = True
) -> list[ScoredPair]:
    """ScoredPair, with covered needs, gaps and (unless explained=False) the explanation, for the
    chosen candidates (arrays are turned into lists once: this runs for every pair written)."""
    indices = np.asarray(indices, dtype=np.int64)
    if not len(indices):
        return []
    columns = [candidates.parts[name][indices].tolist() for name in SHOWN_PARTS]
    # Only the flags these pairs use, as a list (the rebuild calls this chunk by chunk).
    low, high = int(candidates.starts[indices].min()), int(candidates.starts[indices + 1].max())
    starts, ends = (candidates.starts[indices] - low).tolist(), (candidates.starts[indices + 1] - low).tolist()
    flags = candidates.flags[low:high].tolist()
    explainer = Explainer()
    pairs = []
    rows = zip(
        candidates.scenario_rows[indices].tolist(),
        candidates.entry_rows[indices].tolist(),
        starts,
        ends,
        candidates.signatures[indices].tolist(),
        *columns,
    )
    for (
        s_row,
        e_row,
        start,
        end,
        signature,
        score,
        text,
        coverage,
        fields,
        district,
        credential,
        fit,
        area_serves,
        budget,
        timing,
    ) in rows:
        scenario, entry = scenarios[s_row], entries[e_row]
        covered, gaps = [], []
        for need, flag in zip(scenario.needs, flags[start:end]):
            (covered if flag else gaps).append(need)
        explanation = ""
        if explained:
            shared = shared_fields(entry, scenario_texts[s_row])
            explanation = explainer.explain(
                scenario, entry, covered, gaps, area_serves, shared, district, budget, timing
            )
        pairs.append(
            ScoredPair(
                scenario.id,
                entry.id,
                score,
                text,
                coverage,
                fields,
                district,
                credential,
                fit,
                covered,
                gaps,
                explanation,
                signature,
            )
        )
    return pairs


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

COLUMNS = [
    "generation_id",
    "scenario_id",
    "entry_id",
    "score",
    "text",
    "coverage",
    "fields",
    "district",
    "credential",
    "fit",
    "covered",
    "gaps",
    "explanation",
    "signature",
    "updated_at",
]
REPLACED = [column for column in COLUMNS if column not in ("scenario_id", "entry_id")]


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _stamp() -> object:
    """The rows' updated_at, adapted once for the database rather than once per row."""
    now = timezone.now()
    return now.isoformat() if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)


def _rows(generation_id: int, pairs: list[ScoredPair], stamp=None) -> list[tuple]:
    """Column values per pair; the JSON of need lists is encoded once per distinct list."""
    import json

    encoded: dict[tuple, str] = {}

    def as_json(values: list[str]) -> str:
        key = tuple(values)
        if key not in encoded:
            encoded[key] = json.dumps(values, ensure_ascii=False)
        return encoded[key]

    stamp = _stamp() if stamp is None else stamp
    return [
        (
            generation_id,
            pair.scenario,
            pair.entry,
            pair.score,
            pair.text,
            pair.coverage,
            pair.fields,
            pair.district,
            pair.credential,
            pair.fit,
            as_json(pair.covered),
            as_json(pair.gaps),
            pair.explanation,
            pair.signature,
            stamp,
        )
        for pair in pairs
    ]


def write_matches(generation_id: int, pairs: list[ScoredPair], replace: bool = False) -> None:
    """Insert pairs (COPY on PostgreSQL, batched INSERTs elsewhere). replace=True, for rematches,
    overwrites a row of the same pair that a concurrent rematch may have written meanwhile."""
    _insert_rows(_rows(generation_id, pairs), replace)


def _insert_rows(rows: list[tuple], replace: bool = False) -> None:
    table = Match._meta.db_table
    if connection.vendor == "postgresql" and not replace:
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(str(value) for value in row[:10]))
            buffer.write("\t" + "\t".join(_copy_text(value) for value in row[10:13]) + f"\t{row[13]}\t{row[14]}\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN", buffer)
        return
    conflict = (
        " ON CONFLICT (scenario_id, entry_id) DO UPDATE SET "
        + ", ".join(f"{column} = excluded.{column}" for column in REPLACED)
        if replace
        else ""
    )
    if connection.vendor == "postgresql":
        from psycopg2.extras import execute_values

        with connection.cursor() as cursor:  # one statement (psycopg2's executemany is a round trip per row)
            execute_values(
                cursor.cursor, f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES %s{conflict}", rows, page_size=1000
            )
        return
    statement = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))}){conflict}"
    with transaction.atomic(), connection.cursor() as cursor:  # one transaction, not one per row
        for start in range(0, len(rows), 5000):
            cursor.executemany(statement, rows[start : start + 5000])


# ---- explaining many pairs while inserting -------------------------------------------------------------

EXPLAIN_CHUNK = 20_000
_explaining: dict = {}  # what a forked explainer reads (set just before forking)


def _explain_chunk(indices: np.ndarray) -> list[tuple]:
    context = _explaining
    pairs = _pairs(context["candidates"], indices, context["scenarios"], context["entries"], context["texts"])
    return _rows(context["generation_id"], pairs, context["stamp"])


def _explain_and_insert(
    generation_id: int, candidates: Candidates, indices: np.ndarray, scenarios, entries, scenario_texts
) -> int:
    """Explain and insert the pairs at `indices`. Many of them: a forked process explains chunk
    k + 1 (pure Python) while this one inserts chunk k (mostly the database's time), so the two
    cores work at once. Returns the rows inserted."""
    chunks = [indices[start : start + EXPLAIN_CHUNK] for start in range(0, len(indices), EXPLAIN_CHUNK)]
    if len(indices) <= BULK_ROWS or (os.cpu_count() or 1) < 2:
        for chunk in chunks:
            write_matches(generation_id, _pairs(candidates, chunk, scenarios, entries, scenario_texts))
        return len(indices)
    _explaining.update(
        candidates=candidates,
        scenarios=scenarios,
        entries=entries,
        texts=scenario_texts,
        generation_id=generation_id,
        stamp=_stamp(),
    )
    try:
        # The helper only computes (it never touches the database connection it inherits).
        for rows in forked_map(_explain_chunk, chunks, 1):
            _insert_rows(rows)
    finally:
        _explaining.clear()
    return len(indices)


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


def _lock_matches(exclusive: bool) -> None:
    """Inside a transaction: rematches share this lock, a rebuild's writing phase holds it alone
    (so no rematch changes rows between the rebuild reading and rewriting them). SQLite has one
    writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_advisory_xact_lock{'' if exclusive else '_shared'}(%s)", [ADVISORY_LOCK + 1])


def _discard_files(models) -> None:
    """Delete the files of models no longer served (their matches are kept or were rewritten)."""
    for model in models:
        if model.path:
            (matching_dir() / model.path).unlink(missing_ok=True)
        _search_path(model.pk).unlink(missing_ok=True)


def _search_path(model_id: int) -> Path:
    return matching_dir() / f"search-{model_id}.npz"


def _normalised_texts(
    scenarios: list[ScenarioDoc], ids: np.ndarray, scenario_digests: np.ndarray, previous: SearchState | None
) -> list[str]:
    """Each scenario's normalised text (where entries' technology fields are looked for), kept
    from the previous search for scenarios that did not change."""
    kept = previous.texts_of(ids, scenario_digests) if previous is not None else [None] * len(scenarios)
    return [tokens.normalise(doc.plain_text) if text is None else text for doc, text in zip(scenarios, kept)]


def _previous_search() -> SearchState | None:
    """The candidate search state the active model left, if any."""
    active = MatchingModel.objects.filter(state="active").values_list("pk", flat=True).first()
    return None if active is None else SearchState.load(_search_path(active))


@contextmanager
def _without_cyclic_gc():
    """A rebuild makes millions of small objects and no reference cycles; the cyclic collector
    would walk the whole heap again and again (40 % of explaining the pairs). Reference counting
    still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def rebuild(report=None, full_search: bool = False) -> MatchingModel:
    """Refit and rebuild every match; returns the new active model. The candidate search is warm
    (only what changed is searched: search.py) unless full_search or the last full one is a week
    old. Raises RebuildRunning when another rebuild holds the lock."""
    report = report or (lambda percent, message: None)
    if not _take_lock():
        raise RebuildRunning("another rebuild is running")
    try:
        # A rebuild that died (its worker killed) left a 'building' model that was never served.
        abandoned = list(MatchingModel.objects.filter(state="building"))
        _discard_files(abandoned)
        MatchingModel.objects.filter(pk__in=[model.pk for model in abandoned]).update(state="failed")
        row = MatchingModel.objects.create(state="building")
        try:
            with _without_cyclic_gc():
                return _rebuild(row, report, full_search)
        except BaseException:
            _discard_files([row])
            MatchingModel.objects.filter(pk=row.pk).update(state="failed")
            raise
    finally:
        _release_lock()


@contextmanager
def _writing_model(fitted: FittedModel, path: Path):
    """Write the fitted model's file; yields a function that returns once the file is complete
    (raising if it could not be written). A big model is pickled by a forked child while this
    process scores the pairs and rewrites the matches — a second of one core otherwise. The child
    only writes the file (logging why it could not) and leaves with os._exit, never touching the
    inherited database connection; leaving the block always waits for it."""

    def dump():
        with path.open("wb") as handle:
            pickle.dump(fitted, handle, protocol=pickle.HIGHEST_PROTOCOL)

    if len(fitted.scenarios) + len(fitted.entries) < PARALLEL_FROM or not hasattr(os, "fork"):
        dump()
        yield lambda: None
        return
    child = os.fork()
    if child == 0:
        code = 1
        try:
            dump()
            code = 0
        except BaseException:
            logger.exception("writing the matching model file %s failed", path)
        finally:
            os._exit(code)
    status = {}

    def exit_code() -> int:  # reaps the child once
        if "code" not in status:
            status["code"] = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])
        return status["code"]

    def written():
        if exit_code() != 0:
            raise RuntimeError(f"writing the matching model failed (exit code {exit_code()})")

    try:
        yield written
    finally:
        exit_code()


def _rebuild(row: MatchingModel, report, full_search: bool) -> MatchingModel:
    timings = {}
    started = time.perf_counter()
    # The token cache file is read by a thread while this one reads the database (both wait on
    # I/O and C code much of the time).
    with ThreadPoolExecutor(1) as pool:
        cache_read = pool.submit(TokenCache, matching_dir() / "tokens.npz")
        scenarios, entries = scenario_docs(), entry_docs()
        timings["load"] = time.perf_counter() - started
        report(5, f"{len(scenarios)} scenarios, {len(entries)} entries")
        mark = time.perf_counter()
        cache = cache_read.result()
    scenario_ids, scenario_digests = _doc_ids(scenarios), _doc_digests(scenarios)
    entry_ids, entry_digests = _doc_ids(entries), _doc_digests(entries)
    scenario_words, scenario_chars = cache.bags(
        document_keys("s", scenario_ids), [(doc.primary, doc.rest) for doc in scenarios], scenario_digests
    )
    entry_words, entry_chars = cache.bags(document_keys("e", entry_ids), entries.texts, entry_digests)
    needs = [need for doc in scenarios for need in doc.needs]
    keys = need_keys(needs)  # content hashes already
    need_words, need_chars = cache.bags(keys, [("", need) for need in needs], keys)
    need_offsets = np.concatenate([[0], np.cumsum([len(doc.needs) for doc in scenarios])]).astype(np.int64)
    cache.save()
    cache_hits = cache.hits
    timings["tokenise"] = time.perf_counter() - mark
    report(40, "tokenised")

    mark = time.perf_counter()
    model = TextModel.fit(
        cache.words,
        cache.chars,
        Bags.concatenate([scenario_words, entry_words]),
        Bags.concatenate([scenario_chars, entry_chars]),
    )
    scenario_matrix = model.matrix(scenario_words, scenario_chars)
    entry_matrix = model.matrix(entry_words, entry_chars)
    need_matrix = model.need_matrix(need_words, need_chars)
    entry_binary = binary(entry_matrix)
    del (
        scenario_words,
        scenario_chars,
        entry_words,
        entry_chars,
        need_words,
        need_chars,
        cache,
    )  # the matrices hold what is needed now
    timings["vectorise"] = time.perf_counter() - mark

    mark = time.perf_counter()
    # Candidates come from words and character bigrams; single characters, shared by too many
    # documents, would make the search nearly dense. Each candidate's similarity is then the full
    # one, single characters included, under this fit (also for candidates kept from the last search).
    single = _single_character_columns(model)
    last_search = _previous_search()
    found = search(
        scenario_ids,
        scenario_digests,
        entry_ids,
        entry_digests,
        _without_columns(scenario_matrix, single),
        _without_columns(entry_matrix, single),
        last_search,
        full=full_search,
    )
    scenario_rows, entry_rows = found.scenario_rows, found.entry_rows
    # Each candidate's similarity, and the share of each of its scenario's needs the entry covers.
    similarities, containment = kernels.text_overlap(
        scenario_matrix, scenario_rows, entry_matrix, entry_rows, need_matrix, need_offsets
    )
    timings["top_k"] = time.perf_counter() - mark
    report(55, f"{len(scenario_rows)} candidate pairs")

    mark = time.perf_counter()
    scenario_texts = _normalised_texts(scenarios, scenario_ids, scenario_digests, last_search)
    found.state.set_texts(scenario_texts)
    for doc in scenarios:
        doc.primary = doc.rest = ""  # the model keeps features and vectors, not the texts
    entries.drop_texts()
    # fitted_at is taken before the file is written, so an item saved meanwhile counts as changed
    # and is vectorised on the fly by rematches.
    fitted = FittedModel(
        version=row.pk,
        fitted_at=timezone.now(),
        text=model,
        scenarios=scenarios,
        entries=entries,
        scenario_matrix=scenario_matrix,
        entry_matrix=entry_matrix,
        entry_binary=entry_binary,
        need_matrix=need_matrix,
        need_offsets=need_offsets,
        scenario_texts=scenario_texts,
    )
    path = f"model-{row.pk}.pickle"
    found.state.save(_search_path(row.pk))
    timings["save_model"] = time.perf_counter() - mark

    # The model file is written (by a forked child at city scale) while the pairs are scored and
    # the matches rewritten.
    with _writing_model(fitted, matching_dir() / path) as model_written:
        mark = time.perf_counter()
        candidates = _score_batch(
            scenarios,
            entries,
            scenario_rows,
            entry_rows,
            similarities,
            need_matrix,
            need_offsets,
            entry_binary,
            scenario_texts,
            containment,
        )
        score = candidates.parts["score"]
        kept = np.flatnonzero(
            kernels.best_per_group(candidates.scenario_rows, candidates.entry_rows, score, K_SCENARIO)
            | kernels.best_per_group(candidates.entry_rows, candidates.scenario_rows, score, K_ENTRY)
        )
        timings["score"] = time.perf_counter() - mark
        report(70, f"{len(kept)} matches")

        mark = time.perf_counter()
        with transaction.atomic():
            # The first statement writes, so SQLite takes its write lock before the rows are read.
            MatchingModel.objects.filter(pk=row.pk).update(fitted_at=fitted.fitted_at)
            _lock_matches(exclusive=True)
            written, removed = _store(row.pk, candidates, kept, scenarios, entries, scenario_texts, timings)
            timings["write"] = time.perf_counter() - mark
            wait = time.perf_counter()
            model_written()  # the file is complete before the model serves
            timings["save_model_wait"] = time.perf_counter() - wait
            timings["total"] = time.perf_counter() - started
            previous = list(MatchingModel.objects.select_for_update(of=("self",)).filter(state="active"))
            MatchingModel.objects.filter(pk__in=[model.pk for model in previous]).update(state="superseded")
            MatchingModel.objects.filter(pk=row.pk).update(
                state="active",
                path=path,
                scenarios=len(scenarios),
                entries=len(entries),
                pairs=len(kept),
                activated_at=timezone.now(),
                stats={
                    "timings": {key: round(value, 3) for key, value in timings.items()},
                    "vocabulary": [len(model.words), len(model.chars)],
                    "cached_documents": cache_hits,
                    "search": found.mode,
                    "searched": list(found.changed),
                    "written": written,
                    "deleted": removed,
                    "unchanged": len(kept) - written,
                },
            )
    _discard_files(previous)
    if connection.vendor == "postgresql" and written + removed > BULK_ROWS:
        # Fresh statistics after a bulk change, so that rematches' lookups by entry and by
        # scenario are planned on the new table, not on what autovacuum saw last.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Match._meta.db_table}")
    report(100, f"{len(kept)} matches")
    row.refresh_from_db()
    return row


def _stored_matches() -> tuple[np.ndarray, np.ndarray]:
    """(ids, signatures) of every stored match, as arrays."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, signature FROM {Match._meta.db_table}")
        rows = cursor.fetchall()
    values = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=2 * len(rows)).reshape(
        -1, 2
    )  # np.array() of tuples is slower
    return values[:, 0], values[:, 1]


def _store(
    generation_id: int, candidates: Candidates, kept: np.ndarray, scenarios, entries, scenario_texts, timings: dict
) -> tuple[int, int]:
    """Make the stored matches the kept candidates: rows whose signature is unchanged stay as they
    are (same id); the others are deleted, and the new or changed pairs explained and inserted.
    A signature covers both documents' digests, which cover their ids: an equal signature is the
    same pair showing the same (64-bit hashes: a collision is as unlikely as a digest's). Returns
    (rows written, rows deleted). Runs inside the rebuild's transaction."""
    mark = time.perf_counter()
    ids, stored_signatures = _stored_matches()
    signatures = candidates.signatures[kept]
    order = np.argsort(stored_signatures)
    position = np.minimum(np.searchsorted(stored_signatures, signatures, sorter=order), max(len(order) - 1, 0))
    same = np.zeros(len(kept), dtype=bool)
    if len(order):
        same = stored_signatures[order[position]] == signatures
    kept_rows = np.zeros(len(ids), dtype=bool)
    kept_rows[order[position[same]]] = True
    stale = ids[~kept_rows] if len(order) else ids
    timings["write_compare"] = time.perf_counter() - mark

    mark = time.perf_counter()
    table = Match._meta.db_table
    with connection.cursor() as cursor:
        if len(stale) == len(ids):
            cursor.execute(f"DELETE FROM {table}")  # everything changed: no lookup per row
        elif connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s)", [stale.tolist()])
        else:
            for start in range(0, len(stale), 900):
                chunk = stale[start : start + 900].tolist()
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)
    timings["write_delete"] = time.perf_counter() - mark

    mark = time.perf_counter()
    changed = kept[~same]  # in (scenario, entry) order, as the unique index
    with _index_built_afterwards(bulk=len(changed) > BULK_ROWS):
        written = _explain_and_insert(generation_id, candidates, changed, scenarios, entries, scenario_texts)
    timings["write_explain_insert"] = time.perf_counter() - mark
    return written, len(stale)


BULK_ROWS = 50_000


@contextmanager
def _index_built_afterwards(bulk: bool):
    """On SQLite, a bulk insert into an index ordered by entry (the rows come ordered by scenario)
    is random B-tree writes; building the index once afterwards takes half the time. Inside the
    rebuild's transaction, so readers see the old index until the commit. (Not on PostgreSQL:
    DROP INDEX would lock the table against readers until then.)"""
    if not bulk or connection.vendor != "sqlite":
        yield
        return
    names = [index.name for index in Match._meta.indexes]
    with connection.cursor() as cursor:
        # Recreated from their own stored definitions: exactly what the migrations made.
        cursor.execute(
            f"SELECT sql FROM sqlite_master WHERE type = 'index' AND name IN ({', '.join(['%s'] * len(names))})", names
        )
        definitions = [row[0] for row in cursor.fetchall()]
        for name in names:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        yield
        for definition in definitions:
            cursor.execute(definition)


# ---- one scenario or one entry -----------------------------------------------------------------------

_delta_cache: dict[tuple, tuple] = {}


def _vectorise(model: FittedModel, docs: list, kind: str):
    """Rows for documents changed since the model was fitted (cached per worker by content)."""
    word_ids, char_ids = [], []
    for doc in docs:
        key = (kind, doc.id, doc.digest)
        if key not in _delta_cache:
            words, chars = tokens.weighted_tokens(doc.primary, doc.rest)
            _delta_cache[key] = model.text.encode(words, chars)
        word_ids.append(_delta_cache[key][0])
        char_ids.append(_delta_cache[key][1])
    if len(_delta_cache) > 50_000:
        _delta_cache.clear()
    return model.text.matrix(word_ids, char_ids)


def _needs(model: FittedModel, needs: list[str]) -> sparse.csr_matrix:
    encoded = [model.text.encode(*tokens.document_tokens(need)) for need in needs]
    return model.text.need_matrix([w for w, _c in encoded], [c for _w, c in encoded])


_changed_docs: dict[tuple, object] = {}  # (kind, id, updated_at) → document, per worker
_fresh_rows: dict[str, tuple] = {}  # kind → (key, matrix) of the last changed set vectorised


def _changed_since_fit(model: FittedModel, kind: str) -> list:
    """Documents saved since the model was fitted: they are vectorised on the fly. One indexed
    query for what changed; a document is read again only when its updated_at moved."""
    from scenarios.models import Scenario

    manager = CapabilityEntry.objects if kind == "e" else Scenario.objects
    stamps = sorted(manager.filter(updated_at__gte=model.fitted_at).order_by().values_list("pk", "updated_at"))
    unread = [pk for pk, stamp in stamps if (kind, pk, stamp) not in _changed_docs]
    if unread:
        if len(_changed_docs) > 50_000:
            _changed_docs.clear()
        read = (
            entry_docs(manager.filter(pk__in=unread)) if kind == "e" else scenario_docs(manager.filter(pk__in=unread))
        )
        stamp_of = dict(stamps)
        for doc in read:
            _changed_docs[(kind, doc.id, stamp_of[doc.id])] = doc
    # Items no longer listed (open) are kept too: they replace their old row, and the hard filters drop them.
    return [doc for doc in (_changed_docs.get((kind, pk, stamp)) for pk, stamp in stamps) if doc is not None]


def _fresh_matrix(model: FittedModel, changed: list, kind: str) -> sparse.csr_matrix:
    """_vectorise() of the changed documents, kept while the set and the model stay the same."""
    key = (model.version, model.fitted_at, tuple((doc.id, doc.digest) for doc in changed))
    cached = _fresh_rows.get(kind)
    if cached is None or cached[0] != key:
        cached = _fresh_rows[kind] = (key, _vectorise(model, changed, kind))
    return cached[1]


def _similar(model: FittedModel, vector, kind: str, limit: int):
    """The `limit` most similar documents of one side (the model's rows, with those changed since
    fitting replaced by their current text): (docs, similarities, changed docs, their matrix, rows)."""
    docs, index = (model.entries, model.entry_rows) if kind == "e" else (model.scenarios, model.scenario_rows)
    similarities = (vector @ model.postings(kind)).toarray().ravel()
    changed = _changed_since_fit(model, kind)
    fresh = _fresh_matrix(model, changed, kind) if changed else None
    if changed:
        similarities[[index[doc.id] for doc in changed if doc.id in index]] = 0
        similarities = np.concatenate([similarities, fresh @ vector.toarray().ravel()])
    rows = np.sort(_top(similarities, limit))  # the model's rows first, then the changed ones
    chosen = [docs[row] if row < len(docs) else changed[row - len(docs)] for row in rows]
    return chosen, similarities[rows], changed, fresh, rows


def _entering_their_top(scored: list[ScoredPair], side: str, limit: int) -> set[tuple[int, int]]:
    """The pairs that enter the other side's own top `limit` (side: "entry" or "scenario"); what
    that side already has stays as it is until the next rebuild."""
    column = f"{side}_id"
    ids = sorted({getattr(pair, side) for pair in scored})
    floors = {}
    if ids:
        with connection.cursor() as cursor:  # one grouped read over the (entry, score) index; no ORM building per call
            cursor.execute(
                f"SELECT {column}, COUNT(*), MIN(score) FROM {Match._meta.db_table} "
                f"WHERE {column} IN ({', '.join(['%s'] * len(ids))}) GROUP BY {column}",
                ids,
            )
            floors = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
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


def _scenario_candidates(model: FittedModel, doc: ScenarioDoc):
    """Score one scenario against its best text candidates among all listed entries:
    (candidates, scenarios, entries, texts) for _pairs()."""
    vector = _vectorise(model, [doc], "s")
    candidate_entries, similarities, changed, fresh, rows = _similar(model, vector, "e", INCREMENTAL_CANDIDATES)
    size = len(model.entries)
    blocks = [model.entry_binary[rows[rows < size]]]
    if fresh is not None:
        blocks.append(binary(fresh)[rows[rows >= size] - size])
    entry_binary = sparse.vstack(blocks, format="csr")
    need_matrix = _needs(model, doc.needs)
    texts = [tokens.normalise(doc.plain_text)]
    candidates = _score_batch(
        [doc],
        candidate_entries,
        np.zeros(len(rows), dtype=np.int64),
        np.arange(len(rows)),
        similarities,
        need_matrix,
        np.array([0, need_matrix.shape[0]]),
        entry_binary,
        texts,
    )
    return candidates, [doc], candidate_entries, texts


def _keep_and_explain(
    model: FittedModel, context, own: str, own_limit: int, other: str, other_limit: int, present: set
) -> list[ScoredPair]:
    """Choose the pairs to store (the item's own best, and those entering the other side's best),
    then explain only those."""
    candidates, scenarios, entries, texts = context
    light = _pairs(candidates, range(len(candidates)), scenarios, entries, texts, explained=False)
    keep = _best(light, own, own_limit) | _entering_their_top(light, other, other_limit)
    chosen = [
        i for i, pair in enumerate(light) if (pair.scenario, pair.entry) in keep and getattr(pair, other) in present
    ]
    return _pairs(candidates, chosen, scenarios, entries, texts)


def ranked_entries(scenario_id: int, limit: int = 50) -> list[ScoredPair]:
    """A scenario's suppliers best first, beyond the K kept (for evaluation and tuning)."""
    from scenarios.models import Scenario

    model = active_model()
    docs = scenario_docs(Scenario.objects.filter(pk=scenario_id))
    if model is None or not docs or not docs[0].is_open:
        return []
    candidates, scenarios, entries, texts = _scenario_candidates(model, docs[0])
    order = np.lexsort(
        (np.array([entries[row].id for row in candidates.entry_rows], dtype=np.int64), -candidates.parts["score"])
    )[:limit]
    return _pairs(candidates, order, scenarios, entries, texts)


@transaction.atomic
def rematch_scenario(scenario_id: int) -> int:
    """Recompute one scenario's suppliers with the active model; returns the matches kept."""
    from scenarios.models import Scenario

    model = active_model()
    if model is None:
        return 0
    _lock_matches(exclusive=False)
    Match.objects.filter(scenario_id=scenario_id).delete()
    docs = scenario_docs(Scenario.objects.filter(pk=scenario_id))
    if not docs or not docs[0].is_open:
        return 0
    context = _scenario_candidates(model, docs[0])
    present = set(
        CapabilityEntry.objects.filter(pk__in=[doc.id for doc in context[2]]).values_list("pk", flat=True)
    )  # deleted since the fit?
    kept = _keep_and_explain(model, context, "scenario", K_SCENARIO, "entry", K_ENTRY, present)
    write_matches(model.version, kept, replace=True)
    return len(kept)


@transaction.atomic
def rematch_entry(entry_id: int) -> int:
    """Recompute one entry's scenarios with the active model; returns the matches kept."""
    from scenarios.models import Scenario

    model = active_model()
    if model is None:
        return 0
    _lock_matches(exclusive=False)
    Match.objects.filter(entry_id=entry_id).delete()
    docs = entry_docs(CapabilityEntry.objects.filter(pk=entry_id))
    if not docs or not docs[0].is_listed:
        return 0
    doc = docs[0]
    vector = _vectorise(model, [doc], "e")
    candidate_scenarios, similarities, changed, _fresh, rows = _similar(model, vector, "s", INCREMENTAL_CANDIDATES)
    size = len(model.scenarios)
    # The candidates' need rows: the model's in one gather (rows are sorted: the model's come
    # first), then those of scenarios changed since the fit.
    fitted_rows = rows[rows < size]
    counts = model.need_offsets[fitted_rows + 1] - model.need_offsets[fitted_rows]
    first = np.concatenate([[0], np.cumsum(counts)])
    gathered = np.repeat(model.need_offsets[fitted_rows] - first[:-1], counts) + np.arange(first[-1], dtype=np.int64)
    blocks = [model.need_matrix[gathered]] + [_needs(model, changed[row - size].needs) for row in rows[rows >= size]]
    candidate_needs = sparse.vstack(blocks, format="csr")
    candidate_offsets = np.concatenate(
        [first, first[-1] + np.cumsum([block.shape[0] for block in blocks[1:]], dtype=np.int64)]
    ).astype(np.int64)
    candidate_texts = [
        model.scenario_texts[row] if row < size else tokens.normalise(changed[row - size].plain_text) for row in rows
    ]
    candidates = _score_batch(
        candidate_scenarios,
        [doc],
        np.arange(len(rows)),
        np.zeros(len(rows), dtype=np.int64),
        similarities,
        candidate_needs,
        candidate_offsets,
        binary(vector),
        candidate_texts,
    )
    present = set(
        Scenario.objects.filter(pk__in=[scenario.id for scenario in candidate_scenarios]).values_list("pk", flat=True)
    )  # deleted since the fit?
    kept = _keep_and_explain(
        model,
        (candidates, candidate_scenarios, [doc], candidate_texts),
        "entry",
        K_ENTRY,
        "scenario",
        K_SCENARIO,
        present,
    )
    write_matches(model.version, kept, replace=True)
    return len(kept)
