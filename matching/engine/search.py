"""Candidate search of a rebuild: which (scenario, entry) pairs are scored.

A pair is a candidate when the entry is among the scenario's CANDIDATES most similar entries by
text, or the scenario among the entry's CANDIDATES // 4 most similar scenarios (words and
character bigrams; single characters are shared by too many documents to tell anything apart).

full search   every scenario against every entry, in one compiled pass (kernels.top_pairs)
warm search   when at most WARM_MAX_CHANGED of either side changed since the last search and a
              full search ran within FULL_SEARCH_EVERY: the candidates of unchanged pairs are
              kept, and only the changed or new documents are searched, against everything —
              a changed scenario may enter an unchanged entry's list (and the reverse) when it
              reaches the floor that list had. A removed document leaves a gap in the lists it
              was in until the next full search.

The nightly refit moves every weight a little, so a warm search is not exactly what a full one
would find; the benchmark prints how many stored matches differ (bench/bench_matching.py). Each
search leaves its state in search-<model>.npz: both sides' ids and digests, the candidate pairs
and each list's floor.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import numpy as np
from django.utils import timezone

from matching.engine import kernels

CANDIDATES = 30  # text candidates per scenario (and a quarter as many per entry) scored before the best are kept
TEXT_THRESHOLD = 0.01
WARM_MAX_CHANGED = 0.05
FULL_SEARCH_EVERY = timedelta(days=7)


@dataclass
class SearchState:
    scenario_ids: np.ndarray  # int64, ascending
    scenario_digests: np.ndarray
    entry_ids: np.ndarray  # int64, ascending
    entry_digests: np.ndarray
    pairs: np.ndarray  # int64 keys scenario id << 32 | entry id
    scenario_floor: np.ndarray  # float32 per scenario: what a new entry must reach to enter its list
    entry_floor: np.ndarray
    full_search_at: float  # POSIX time of the last full search
    # Each scenario's normalised text (UTF-8, scenario i at text_offsets[i]:text_offsets[i + 1]),
    # kept so that the next rebuild normalises only the scenarios that changed.
    text_bytes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint8))
    text_offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))

    def set_texts(self, texts: list[str]) -> None:
        encoded = [text.encode() for text in texts]
        self.text_bytes = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        self.text_offsets = np.concatenate([[0], np.cumsum([len(text) for text in encoded])]).astype(np.int64)

    def texts_of(self, ids: np.ndarray, digests: np.ndarray) -> list[str | None]:
        """The kept text of each scenario, None where it was not in this search or changed since."""
        if len(self.text_offsets) != len(self.scenario_ids) + 1:
            return [None] * len(ids)
        rows = np.where(
            _unchanged(ids, digests, self.scenario_ids, self.scenario_digests), _rows_of(self.scenario_ids, ids), -1
        )
        data, offsets = self.text_bytes.tobytes(), self.text_offsets
        return [data[offsets[row] : offsets[row + 1]].decode() if row >= 0 else None for row in rows.tolist()]

    def save(self, path: Path) -> None:
        temporary = path.with_name(path.stem + ".tmp.npz")
        np.savez(temporary, **{name: np.asarray(value) for name, value in self.__dict__.items()})
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> "SearchState | None":
        try:
            with np.load(path, allow_pickle=False) as data:
                values = {name: data[name] for name in cls.__dataclass_fields__}
        except Exception:  # noqa: BLE001 — no state or a damaged one (a bad zip, a missing array): a full search
            return None
        values["full_search_at"] = float(values["full_search_at"])
        return cls(**values)


@dataclass
class Found:
    scenario_rows: np.ndarray  # ordered by (scenario row, entry row), each pair once
    entry_rows: np.ndarray
    state: SearchState
    mode: str  # "full" or "warm"
    changed: tuple[int, int]  # scenarios and entries searched in a warm search


def search(
    scenario_ids,
    scenario_digests,
    entry_ids,
    entry_digests,
    scenario_matrix,
    entry_matrix,
    previous: SearchState | None,
    full: bool = False,
) -> Found:
    """Candidates over the search matrices (rows in the order of the id arrays, ascending ids)."""
    now = timezone.now().timestamp()
    if not full and previous is not None and now - previous.full_search_at <= FULL_SEARCH_EVERY.total_seconds():
        scenario_same = _unchanged(scenario_ids, scenario_digests, previous.scenario_ids, previous.scenario_digests)
        entry_same = _unchanged(entry_ids, entry_digests, previous.entry_ids, previous.entry_digests)
        if _share(~scenario_same) <= WARM_MAX_CHANGED and _share(~entry_same) <= WARM_MAX_CHANGED:
            return _warm(
                scenario_ids,
                scenario_digests,
                entry_ids,
                entry_digests,
                scenario_matrix,
                entry_matrix,
                previous,
                scenario_same,
                entry_same,
            )
    found = kernels.top_pairs(scenario_matrix, entry_matrix, CANDIDATES, _per_entry(), TEXT_THRESHOLD)
    state = SearchState(
        scenario_ids,
        scenario_digests,
        entry_ids,
        entry_digests,
        scenario_ids[found.left_rows] << 32 | entry_ids[found.right_rows],
        found.left_floor,
        found.right_floor,
        now,
    )
    return Found(found.left_rows, found.right_rows, state, "full", (len(scenario_ids), len(entry_ids)))


def _share(mask: np.ndarray) -> float:
    return float(mask.mean()) if len(mask) else 0.0


def _per_entry() -> int:
    return max(1, CANDIDATES // 4)


def _unchanged(ids, digests, previous_ids, previous_digests) -> np.ndarray:
    """Mask: the document was in the previous search with the same digest."""
    rows = _rows_of(previous_ids, ids)
    return (rows >= 0) & (previous_digests[rows] == digests) if len(previous_ids) else np.zeros(len(ids), dtype=bool)


def _rows_of(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Row of each wanted id in the ascending ids, -1 where absent."""
    if not len(ids):
        return np.full(len(wanted), -1, dtype=np.int64)
    position = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
    return np.where(ids[position] == wanted, position, -1)


def _warm(
    scenario_ids,
    scenario_digests,
    entry_ids,
    entry_digests,
    scenario_matrix,
    entry_matrix,
    previous: SearchState,
    scenario_same,
    entry_same,
) -> Found:
    entries = len(entry_ids)
    # Floors carried over for unchanged documents (a changed one gets its own from its search).
    scenario_floor = np.full(len(scenario_ids), TEXT_THRESHOLD, dtype=np.float32)
    entry_floor = np.full(entries, TEXT_THRESHOLD, dtype=np.float32)
    scenario_floor[scenario_same] = previous.scenario_floor[
        _rows_of(previous.scenario_ids, scenario_ids[scenario_same])
    ]
    entry_floor[entry_same] = previous.entry_floor[_rows_of(previous.entry_ids, entry_ids[entry_same])]

    # The previous candidates between documents that are still here and unchanged.
    scenario_rows = _rows_of(scenario_ids, previous.pairs >> 32)
    entry_rows = _rows_of(entry_ids, previous.pairs & 0xFFFFFFFF)
    kept = (scenario_rows >= 0) & (entry_rows >= 0)
    kept[kept] = scenario_same[scenario_rows[kept]] & entry_same[entry_rows[kept]]
    keys = [scenario_rows[kept] * entries + entry_rows[kept]]

    changed_scenarios, changed_entries = np.flatnonzero(~scenario_same), np.flatnonzero(~entry_same)
    if len(changed_scenarios):
        # Changed scenarios against every entry; they enter an unchanged entry's list only above
        # its floor (a changed entry's own list comes from its search below).
        found = kernels.top_pairs(
            scenario_matrix[changed_scenarios],
            entry_matrix,
            CANDIDATES,
            _per_entry(),
            TEXT_THRESHOLD,
            right_floor=np.where(entry_same, entry_floor, np.inf),
        )
        keys.append(changed_scenarios[found.left_rows] * entries + found.right_rows)
        scenario_floor[changed_scenarios] = found.left_floor
    if len(changed_entries):
        found = kernels.top_pairs(
            entry_matrix[changed_entries],
            scenario_matrix,
            _per_entry(),
            CANDIDATES,
            TEXT_THRESHOLD,
            right_floor=np.where(scenario_same, scenario_floor, np.inf),
        )
        keys.append(found.right_rows * entries + changed_entries[found.left_rows])
        entry_floor[changed_entries] = found.left_floor
    keys = kernels.unique(np.concatenate(keys))
    scenario_rows, entry_rows = keys // max(entries, 1), keys % max(entries, 1)
    state = SearchState(
        scenario_ids,
        scenario_digests,
        entry_ids,
        entry_digests,
        scenario_ids[scenario_rows] << 32 | entry_ids[entry_rows],
        scenario_floor,
        entry_floor,
        previous.full_search_at,
    )
    return Found(scenario_rows, entry_rows, state, "warm", (len(changed_scenarios), len(changed_entries)))
