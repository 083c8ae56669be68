"""Where the engine keeps what it computed: the fitted model's files, the token cache, the matches
table, and the locks that keep a rebuild and rematches from writing the same rows at once."""

import contextlib
import io
import json
import logging
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone
from scipy import sparse

from matching.engine.model import TextModel
from matching.engine.text import tokenise_many, tokeniser_fingerprint
from matching.models import Match, MatchingModel

logger = logging.getLogger(__name__)
ADVISORY_LOCK = 7_201_615  # PostgreSQL advisory lock ids of the matching engine (this and +1)


def matching_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "matching"


# ---- the fitted model ------------------------------------------------------------------------------


@dataclass
class FittedModel:
    """A fit and the documents it saw: what a rematch compares a new document with."""

    version: int
    fitted_at: datetime
    text: TextModel
    scenario_ids: np.ndarray
    scenario_vectors: sparse.csr_matrix
    scenario_embedded: np.ndarray
    entry_ids: np.ndarray
    entry_vectors: sparse.csr_matrix
    entry_embedded: np.ndarray
    entry_hubs: np.ndarray

    def save(self, stem: Path) -> None:
        self.text.save(stem.with_name(stem.name + "-text"))
        arrays = {"scenario_ids": self.scenario_ids, "scenario_embedded": self.scenario_embedded}
        arrays |= {"entry_ids": self.entry_ids, "entry_embedded": self.entry_embedded, "entry_hubs": self.entry_hubs}
        for side in ("scenario", "entry"):
            matrix = getattr(self, f"{side}_vectors")
            arrays |= {f"{side}_data": matrix.data, f"{side}_indices": matrix.indices, f"{side}_indptr": matrix.indptr}
        np.savez(stem.with_suffix(".npz"), **arrays)
        meta = {"version": self.version, "fitted_at": self.fitted_at.isoformat(), "width": len(self.text.vocabulary)}
        stem.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def load(cls, stem: Path) -> "FittedModel":
        meta = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        text = TextModel.load(stem.with_name(stem.name + "-text"))
        with np.load(stem.with_suffix(".npz"), allow_pickle=False) as arrays:
            loaded = {name: arrays[name] for name in arrays.files}

        def matrix(side: str) -> sparse.csr_matrix:
            rows = len(loaded[f"{side}_ids"])
            parts = (loaded[f"{side}_data"], loaded[f"{side}_indices"], loaded[f"{side}_indptr"])
            return sparse.csr_matrix(parts, shape=(rows, meta["width"]))

        return cls(
            version=meta["version"],
            fitted_at=datetime.fromisoformat(meta["fitted_at"]),
            text=text,
            scenario_ids=loaded["scenario_ids"],
            scenario_vectors=matrix("scenario"),
            scenario_embedded=loaded["scenario_embedded"],
            entry_ids=loaded["entry_ids"],
            entry_vectors=matrix("entry"),
            entry_embedded=loaded["entry_embedded"],
            entry_hubs=loaded["entry_hubs"],
        )


def model_stem(version: int) -> Path:
    return matching_dir() / f"model-{version}"


def discard_files(versions) -> None:
    for version in versions:
        stem = model_stem(version)
        for path in (stem.with_suffix(".npz"), stem.with_suffix(".json")):
            path.unlink(missing_ok=True)
        text = stem.with_name(stem.name + "-text")
        for path in (text.with_suffix(".npz"), text.with_suffix(".json")):
            path.unlink(missing_ok=True)


_loaded: dict[str, FittedModel | None] = {"model": None}
_load_lock = threading.Lock()


def active_model() -> FittedModel | None:
    """The active fitted model, loaded once per version in each worker (one query when current)."""
    row = MatchingModel.objects.filter(state="active").values("pk", "fitted_at").first()
    if row is None:
        return None
    with _load_lock:
        current = _loaded["model"]
        if current is None or current.version != row["pk"] or current.fitted_at != row["fitted_at"]:
            try:
                _loaded["model"] = FittedModel.load(model_stem(row["pk"]))
            except FileNotFoundError:
                # MEDIA_ROOT lost or restored without it: rematches wait for the next rebuild
                # (the stored matches keep serving) instead of failing one by one.
                logger.error("matching model %s has no files; rematches wait for the next rebuild", row["pk"])
                return None
        return _loaded["model"]


# ---- the token cache ----------------------------------------------------------------------------------


class TokenCache:
    """Documents' tokens as arrays of token ids, by document digest (MEDIA_ROOT/matching/tokens.npz
    + tokens.json, the token of each id): a rebuild tokenises only what changed since the last one,
    and 100,000 documents' tokens take 4 bytes each instead of a string each. Digests not seen in a
    rebuild, and tokens only they had, are dropped when it saves. The cache is kept with the
    tokeniser's fingerprint (its code and vocabulary files): after an edit of either, the whole
    cache is dropped and every document tokenised again."""

    def __init__(self, path: Path):
        self.path, self.known, self.used = path, {}, {}
        self.index: dict[str, int] = {}
        self.fingerprint = tokeniser_fingerprint()
        try:
            names = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            with np.load(path.with_suffix(".npz"), allow_pickle=False) as arrays:
                digests, offsets, ids = arrays["digests"], arrays["offsets"], arrays["ids"]
                fingerprint = int(arrays["fingerprint"][0])
        except (FileNotFoundError, ValueError, KeyError, IndexError):
            return
        if fingerprint != self.fingerprint:
            logger.info("matching: the tokeniser or its vocabulary changed; every document is tokenised again")
            return
        self.index = {name: number for number, name in enumerate(names)}
        for row, digest in enumerate(digests.tolist()):
            self.known[digest] = ids[offsets[row] : offsets[row + 1]]

    @property
    def names(self) -> list[str]:
        return list(self.index)  # in id order: ids are given in insertion order

    def tokenise(self, documents: list[tuple[int, str, str]]) -> None:
        """Tokenise the documents (digest, primary, rest) not cached yet, on every core when they
        are many (text.tokenise_many); ids() then finds them."""
        missing, seen = [], set()
        for digest, primary, rest in documents:
            if digest not in self.known and digest not in seen:
                seen.add(digest)
                missing.append((digest, primary, rest))
        index, position = self.index, 0
        for names, chunk_ids, counts in tokenise_many([(primary, rest) for _digest, primary, rest in missing]):
            # the chunk's own token numbers → this cache's ids
            renumbered = np.array([index.setdefault(name, len(index)) for name in names], dtype=np.int32)
            documents_ids = np.split(renumbered[chunk_ids], np.cumsum(counts)[:-1])
            for (digest, _primary, _rest), found in zip(missing[position : position + len(counts)], documents_ids):
                self.known[digest] = found
            position += len(counts)

    def ids(self, digest: int, make=None) -> np.ndarray:
        """The token ids of the document with this digest; make() tokenises it when not cached
        (without make, it must be: tokenise() did)."""
        found = self.known.get(digest) if make else self.known[digest]
        if found is None:
            index = self.index
            found = np.fromiter((index.setdefault(token, len(index)) for token in make()), dtype=np.int32)
        self.used[digest] = found
        return found

    def save(self) -> None:
        documents = list(self.used.values())
        ids = np.concatenate(documents) if documents else np.zeros(0, np.int32)
        used = np.bincount(ids, minlength=len(self.index)) > 0
        kept = np.flatnonzero(used)  # the token ids in use, sorted (np.unique: 60 times slower)
        # each id's number among those kept, by a lookup table (a searchsorted over every
        # document's ids took a second of each rebuild)
        renumbered = np.cumsum(used, dtype=np.int32) - 1
        names = self.names
        self.path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(
            self.path.with_suffix(".npz"),
            digests=np.array(list(self.used), dtype=np.int64),
            offsets=np.concatenate([[0], np.cumsum([len(document) for document in documents])]).astype(np.int64),
            ids=renumbered[ids],  # renumbered 0… over the tokens kept
            fingerprint=np.array([self.fingerprint], dtype=np.int64),
        )
        kept_names = [names[number] for number in kept.tolist()]
        self.path.with_suffix(".json").write_text(json.dumps(kept_names, ensure_ascii=False), encoding="utf-8")


# ---- locks and rows -------------------------------------------------------------------------------------


def take_rebuild_lock() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK])
        return bool(cursor.fetchone()[0])


def release_rebuild_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK])


def lock_matches(exclusive: bool) -> None:
    """Inside a transaction: rematches share this lock, a rebuild's writing phase holds it alone.
    (SQLite has one writer at a time anyway.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_advisory_xact_lock{'' if exclusive else '_shared'}(%s)", [ADVISORY_LOCK + 1])


# SQLite's page cache while a rebuild writes (KiB, as PRAGMA cache_size takes it negated): each
# inserted row also updates two indexes and probes its scenario and entry (the foreign keys) at
# places all over them; with SQLite's default 2 MB most probes read their page again. 256 MB
# took the city's 549,000 rows from 11.4 to 7.6 s (inserted alone); it is held only while the
# rebuild writes, and raised the bench's peak from 1.47 to 1.64 GB (the budget: 2 GB).
SQLITE_WRITE_CACHE_KIB = 262_144


@contextlib.contextmanager
def bulk_writing():
    """Inside: the connection writes many rows (a larger SQLite page cache); PostgreSQL unchanged."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def stored_signatures() -> dict[int, int]:
    """signature → id of every stored match. Plain rows, not the ORM's: half a million of them took
    a second through values_list()."""
    stored: dict[int, int] = {}
    with connection.cursor() as cursor:
        # The table name is the model's own (bandit's B608 cannot tell).
        cursor.execute(f"SELECT signature, id FROM {Match._meta.db_table}")  # nosec B608
        while rows := cursor.fetchmany(20_000):
            stored.update(rows)
    return stored


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
    "shares",
    "explanation",
    "signature",
    "updated_at",
]
JSON_COLUMNS = ("covered", "gaps", "shares")


def insert(rows: list[Match], replace: bool = False) -> None:
    """Insert unsaved Match rows (a rematch's); replace=True overwrites a row of the same pair that
    a concurrent rematch may have written meanwhile."""
    values = [
        tuple(
            json.dumps(getattr(row, column), ensure_ascii=False) if column in JSON_COLUMNS else getattr(row, column)
            for column in COLUMNS[:-1]
        )
        for row in rows
    ]
    insert_values(values, replace)


def insert_values(values: list[tuple], replace: bool = False) -> None:
    """Insert rows given as column values (COLUMNS without updated_at): COPY on PostgreSQL, batched
    INSERTs on SQLite (the ORM's bulk_create would take most of a first build at city scale)."""
    now = timezone.now()
    stamp = now.isoformat() if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
    values = [row + (stamp,) for row in values]
    table, columns = Match._meta.db_table, ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not replace:
            buffer = io.StringIO()
            for row in values:
                buffer.write("\t".join(_copy_text(str(value)) for value in row) + "\n")
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
            return
        # The statements are built from the model's table name and this module's COLUMNS, never from
        # input; the values are bound parameters (bandit's B608 cannot tell).
        if connection.vendor == "sqlite" and not replace:
            _insert_sqlite(table, columns, values)
            return
        conflict = ""
        if replace:
            updated = ", ".join(f"{column} = excluded.{column}" for column in COLUMNS[3:] + ["generation_id"])
            conflict = f" ON CONFLICT (scenario_id, entry_id) DO UPDATE SET {updated}"  # nosec B608
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}){conflict}"  # nosec B608
        for start in range(0, len(values), 5000):
            cursor.executemany(statement, values[start : start + 5000])


# Rows per INSERT statement on SQLite (at most what it binds in one statement).
SQLITE_ROWS_PER_STATEMENT = 2_000


def _insert_sqlite(table: str, columns: str, values: list[tuple]) -> None:
    """Many rows per statement. sqlite3 lets go of the GIL once per statement it steps: with
    executemany (a row per step) and the rebuild's explaining thread running Python, each row
    waited for the GIL (100,000 rows: 12 s instead of 1.2 s alone; 2,000 rows a statement:
    3.8 s), so explaining and inserting took turns instead of sharing the two cores. A plain
    sqlite3 cursor with its own ? marks: Django's cursor rewrites every %s of a statement."""
    raw = connection.connection
    per_statement = min(SQLITE_ROWS_PER_STATEMENT, raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(COLUMNS))
    row_marks = "(" + ", ".join(["?"] * len(COLUMNS)) + ")"
    cursor = raw.cursor()
    try:
        for start in range(0, len(values), per_statement):
            chunk = values[start : start + per_statement]
            statement = f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_marks] * len(chunk))}"  # nosec B608
            cursor.execute(statement, [value for row in chunk for value in row])
    finally:
        cursor.close()


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def delete(ids: list[int]) -> None:
    """Delete match rows by id in plain DELETE statements. The ORM's delete() read every row back
    (its JSON columns parsed) to send two signals each — 16 of a nightly rebuild's CPU seconds for
    37,000 rows at a tenth of the city's scale. Nothing refers to a Match row; the cockpit's chart
    of matches, which listens for those signals, is refreshed by its TTL as after any bulk write."""
    table = Match._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            placeholders = ", ".join(["%s"] * len(chunk))
            # The table name is the model's own and the ids are bound parameters (bandit's B608 cannot tell).
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({placeholders})", chunk)  # nosec B608
