"""How alike a scenario and an entry are, and which pairs are worth scoring.

similarity = (1 − ASSOCIATION_SHARE) × cosine of the TF-IDF vectors
             + ASSOCIATION_SHARE × cosine of the association vectors (model.py)

relevance  = similarity − HUB_DISCOUNT × the entry's hub level, the mean of its HUB_NEIGHBOURS
             highest similarities to any scenario. A generic 综合服务平台 entry resembles every
             scenario a little and is discounted by how much it resembles its closest ones; a
             specialised entry resembles one or two strongly and few others.

The candidate search (one full search per rebuild) scores every scenario against every entry in
blocks with a proxy of the similarity that is cheap on a city's corpus: the association cosine
plus the TF-IDF cosine over the tokens that are not common (a token in more than COMMON_SHARE of
the documents adds little to any one pair but most of the work). Each entry keeps its best
ENTRY_CANDIDATES scenarios and each scenario its CANDIDATES best entries by the proxy less the
hub discount; the exact similarity is then computed for those pairs only, and the hub levels
from it.

Need coverage: each need of a scenario (its short phrase) is compared with the entry
(need_similarities: containment of the need's tokens, blended with the association cosine); its
share is that similarity over NEED_SATURATION (at most 1). A need is listed as
covered when its similarity reaches COVERED_AT, or reaches COVERED_SHARE_OF_BEST of the entry's
best need when that one reaches RELATIVE_FROM (the need the entry answers, in other words) — calibrated on the hard
labelled set's coverage labels (tests/matching/test_matching_quality.py prints precision and recall).
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits

# numpy and scipy release the GIL in their products, partitions and sorts: one thread per core.
THREADS = os.cpu_count() or 1
ASSOCIATION_SHARE = 0.3
HUB_NEIGHBOURS = 3
HUB_DISCOUNT = 0.75
COMMON_SHARE = 0.01
CANDIDATES = 100
ENTRY_CANDIDATES = 10  # at least HUB_NEIGHBOURS: an entry's hub level is read from its candidates
BLOCK = 250  # scenarios per block (entries: ten times as many): two blocks in flight stay small
PAIR_BLOCK = 128  # scenarios per block of the pair-wise products (their dense table stays small)
COVERAGE_BLOCK = 32  # scenarios per block of need coverage (a table of their candidates × needs' tokens)
SAMPLE_STEP = 16  # top_in_rows: the columns sampled for a floor under each row's k-th value
# ScenarioBest: values gathered before those under the floors raised since are dropped (memory);
# the same pairs whatever the value.
MERGE_AT = 2_000_000
LOWEST = np.finfo(np.float32).min
NEED_SATURATION = 0.5
COVERED_AT = 0.5
COVERED_SHARE_OF_BEST = 0.88
RELATIVE_FROM = 0.03


def pair_similarity(s_rows, e_rows, s_vectors, s_embedded, e_vectors, e_embedded) -> np.ndarray:
    """The exact similarity of each pair (s_rows[i], e_rows[i]): one sparse product per block of
    PAIR_BLOCK scenarios (pair_dots), not one per scenario."""
    result = np.zeros(len(s_rows))

    def block(pairs: np.ndarray) -> None:
        scenarios, entries = s_rows[pairs], e_rows[pairs]
        lexical = pair_dots(entries, e_vectors, scenarios, s_vectors)
        if s_embedded.shape[1]:
            associated = np.einsum("ij,ij->i", e_embedded[entries], s_embedded[scenarios])
            lexical = (1 - ASSOCIATION_SHARE) * lexical + ASSOCIATION_SHARE * associated
        result[pairs] = lexical

    with ThreadPoolExecutor(THREADS) as pool:  # each block on its own: the same sums on any thread
        list(pool.map(block, scenario_blocks(s_rows, PAIR_BLOCK)))
    return result


def scenario_blocks(s_rows: np.ndarray, size: int):
    """The indices of the pairs, `size` scenarios at a time (each block in scenario order)."""
    order = np.argsort(s_rows, kind="stable")
    ranked = s_rows[order]
    firsts = np.flatnonzero(np.concatenate([[True], ranked[1:] != ranked[:-1]])) if len(order) else order
    for start in range(0, len(firsts), size):
        end = firsts[start + size] if start + size < len(firsts) else len(order)
        yield order[firsts[start] : end]


def pair_dots(rows, vectors, table_rows, table_vectors, *, few_tokens=False, binary=False) -> np.ndarray:
    """vectors[rows[i]] · table_vectors[table_rows[i]] for each i, as float32 summed in the order of
    the row's stored tokens (exactly what the product vectors[…] @ table_vectors[…].T gives). The
    few distinct table rows become a dense table over their tokens (few_tokens: over the gathered
    rows' tokens instead, when those are the fewer); each gathered row's columns are moved to its
    partner's place in that table, and one sparse product sums the lot. binary: the table holds 1
    where table_vectors has a token (containment)."""
    distinct, partner = np.unique(table_rows, return_inverse=True)
    partners = table_vectors[distinct]
    gathered = vectors[rows]
    tokens = np.unique((gathered if few_tokens else partners).indices)
    width = len(tokens) + 1  # the last column: a token the table does not hold (zero)
    place = np.full(table_vectors.shape[1], len(tokens), dtype=np.int64)
    place[tokens] = np.arange(len(tokens))
    table = np.zeros(len(distinct) * width, dtype=np.float32)
    held = place[partners.indices]
    kept = held < len(tokens)
    cells = np.repeat(np.arange(len(distinct)) * width, np.diff(partners.indptr)) + held
    table[cells[kept]] = 1 if binary else partners.data[kept]
    columns = np.repeat(partner.ravel() * width, np.diff(gathered.indptr)) + place[gathered.indices]
    moved = sparse.csr_matrix((gathered.data, columns, gathered.indptr), shape=(len(rows), len(table)))
    return moved @ table


def all_similarities(s_vectors, s_embedded, e_vectors, e_embedded) -> np.ndarray:
    """Every scenario × entry similarity (dense): for the few documents of a rematch or a test."""
    # e @ s.T, not s @ e.T (that would transpose the large side); with few documents on the s side,
    # against its dense columns (a sparse × dense product is several times as fast).
    if s_vectors.shape[0] <= 16:
        lexical = np.asarray(e_vectors @ s_vectors.T.toarray()).T
    else:
        lexical = (e_vectors @ s_vectors.T).T.toarray()
    if s_embedded.shape[1] == 0:
        return lexical
    if 0 < s_embedded.shape[0] <= 16:
        # A few rows (a rematch): einsum row by row, the float32 sums pair_similarity makes, so a
        # rematch and a rebuild give a pair the same association to the bit. BLAS's product
        # differs in the last bit, and spreads over threads whose start on a busy machine cost
        # 10–150 ms now and then: the slowest rematches.
        associated = np.stack([np.einsum("ij,j->i", e_embedded, row) for row in s_embedded])
    else:
        associated = s_embedded @ e_embedded.T
    return (1 - ASSOCIATION_SHARE) * lexical + ASSOCIATION_SHARE * associated


def hub_levels(pairs_entry: np.ndarray, similarity: np.ndarray, entries: int) -> np.ndarray:
    """Each entry's hub level: the mean of its HUB_NEIGHBOURS highest similarities among the pairs
    (float32 values, or float64 ones holding float32 values, as pair_similarity gives)."""
    ranked_entry, ranked = descending_in_rows(pairs_entry, similarity)
    starts = np.searchsorted(ranked_entry, np.arange(entries))
    rank = np.arange(len(ranked)) - starts[ranked_entry]
    keep = rank < HUB_NEIGHBOURS
    totals = np.bincount(ranked_entry[keep], weights=ranked[keep], minlength=entries)
    counts = np.bincount(ranked_entry[keep], minlength=entries)
    return np.where(counts > 0, totals / np.maximum(counts, 1), 0.0)


class Filters:
    """The hard filters in the candidate search, as arrays: what each scenario requires (a 三首 kind,
    as bits; a company in its district) and what each entry has. Only the few scenarios that
    require something are checked; the documents searched are open and listed already."""

    def __init__(self, required: np.ndarray, local_district: np.ndarray, held: np.ndarray, district: np.ndarray):
        self.required, self.local_district, self.held, self.district = required, local_district, held, district
        self.restricted = np.flatnonzero((required != 0) | (local_district >= 0))

    def allowed(self, scenario_rows: np.ndarray, entry_rows: np.ndarray | slice) -> np.ndarray:
        """Mask (scenarios × entries) of the pairs the filters keep."""
        required = self.required[scenario_rows][:, None]
        district = self.local_district[scenario_rows][:, None]
        credential_ok = (required == 0) | ((self.held[entry_rows][None, :] & required) != 0)
        return credential_ok & ((district < 0) | (self.district[entry_rows][None, :] == district))


def candidate_pairs(s_vectors, s_embedded, e_vectors, e_embedded, filters: Filters):
    """(scenario rows, entry rows, entry hub levels) of the pairs worth scoring: each entry's
    ENTRY_CANDIDATES best scenarios by the proxy, and each scenario's CANDIDATES best entries by the
    proxy less the entry's hub discount (its HUB_NEIGHBOURS best proxies). One pass over blocks of
    entries, one matrix product each against every scenario: a block holds all of its entries'
    proxies, so their best scenarios and hub levels come from it at once, and so do its discounted
    values for the scenarios' side — of which only those at or above each scenario's k-th best so
    far are kept (ScenarioBest). A second pass over blocks of scenarios, for the discounted values
    once every hub level was known, took as long as the first."""
    scenarios, entries = s_vectors.shape[0], e_vectors.shape[0]
    if not scenarios or not entries:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(entries)
    frequency = np.bincount(s_vectors.indices, minlength=s_vectors.shape[1]) + np.bincount(
        e_vectors.indices, minlength=e_vectors.shape[1]
    )
    # The scenarios in the search's order: those with a filter last, so that a block's filtered
    # columns are one slice of each row (picking them out of every row and writing them back took
    # a tenth of the search). The rows found are put back in the callers' order at the end.
    restricted = filters.restricted
    order = np.concatenate([np.setdiff1d(np.arange(scenarios), restricted), restricted])
    first_restricted = scenarios - len(restricted)
    rare = sparse.diags((frequency <= max(COMMON_SHARE * (scenarios + entries), 5)).astype(np.float32))
    s_rare = (s_vectors[order] @ rare * np.float32(1 - ASSOCIATION_SHARE)).tocsr()
    e_rare = (e_vectors @ rare).tocsr()
    s_assoc = np.ascontiguousarray(s_embedded[order] * np.float32(ASSOCIATION_SHARE), dtype=np.float32)
    e_assoc = np.ascontiguousarray(e_embedded, dtype=np.float32)
    per_entry = min(ENTRY_CANDIDATES, scenarios)
    s_rare_t = s_rare.T.tocsr()
    best = ScenarioBest(scenarios, min(CANDIDATES, entries))
    # Each thread's block is written over for every block it computes: a fresh 100 MB array per
    # block was page-faulted in again by the product, an eighth of its time.
    buffers = threading.local()

    def entries_block(rows):
        if getattr(buffers, "block", None) is None or len(buffers.block) < len(rows):
            buffers.block = np.empty((len(rows), scenarios), dtype=np.float32)
        block = _proxy(e_assoc[rows], s_assoc, e_rare[rows], s_rare_t, buffers.block[: len(rows)])
        if len(restricted):
            allowed = filters.allowed(restricted, rows).T
            np.copyto(block[:, first_restricted:], -np.inf, where=~allowed)
        entry_rows, scenario_rows, values = top_in_rows(block, per_entry)
        hubs = hub_levels(entry_rows, values, len(rows))  # its best HUB_NEIGHBOURS are among them
        block -= (HUB_DISCOUNT * hubs).astype(np.float32)[:, None]
        kept_rows, kept_scenarios, kept_values = best.worth_keeping(block)
        return rows, hubs, (scenario_rows, rows[entry_rows]), (kept_scenarios, rows[kept_rows], kept_values)

    found_s, found_e, hubs = [], [], np.zeros(entries)
    # One BLAS thread per block: the blocks already run on a thread per core, and BLAS's own threads
    # on top of them (which spin while they wait) made the search 15–25 % slower, for the same pairs.
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(THREADS) as pool:
        blocks = pool.map(entries_block, _blocks(entries, BLOCK * 10))
        for rows, block_hubs, (scenario_rows, entry_rows), kept in blocks:
            hubs[rows] = block_hubs
            found_s.append(scenario_rows)
            found_e.append(entry_rows)
            best.add(*kept)
    scenario_rows, entry_rows = best.pairs()
    found_s.append(scenario_rows)
    found_e.append(entry_rows)
    # Sorted, then the repeats dropped: np.unique (hashing since numpy 2.3) is about twenty times slower here.
    pairs = np.sort(order[np.concatenate(found_s)] * entries + np.concatenate(found_e))
    pairs = pairs[np.concatenate([[True], pairs[1:] != pairs[:-1]])]
    return pairs // entries, pairs % entries, hubs


class ScenarioBest:
    """Each scenario's k highest values (ties at the k-th included, −inf never) over blocks of
    entries that arrive one by one: what top_in_rows would keep of the whole scenarios × entries
    table. A block's values below the scenario's k-th best so far (its floor: never above its
    final k-th best) cannot be among them and are dropped at once; the rest is gathered, and its
    keys (row_keys) merged with the sorted keys of the best so far, which raises the floors after
    every block. Sorting everything gathered again, every 2 million values, raised them too late:
    the city's search gathered 20 million values and spent a core on ranking them."""

    def __init__(self, scenarios: int, k: int):
        self.k, self.floor = k, np.full(scenarios, LOWEST, dtype=np.float32)
        self.best = np.zeros(0, dtype=np.int64)  # row_keys of each scenario's k best so far, sorted
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.waiting = 0

    def worth_keeping(self, block: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(block rows, scenarios, values) of a block (entries × scenarios) at or above the floors.
        A scenario with fewer than k values so far gets a floor from this block: the k-th highest
        of some 12 × k of its rows (at most its k-th highest in the block). With 4 × k rows, the
        first blocks (computed before any floor was raised) each kept a quarter of their values,
        6 million, and ranking them made the rebuild's peak of memory."""
        floor = self.floor  # read once: add() may replace it meanwhile, only ever by a higher one
        open_ = np.flatnonzero(floor == LOWEST)
        if len(open_) and block.shape[0] >= 4 * self.k:
            sample = block[:: max(1, block.shape[0] // (12 * self.k))][:, open_]
            floor = floor.copy()
            floor[open_] = np.partition(sample, sample.shape[0] - self.k, axis=0)[sample.shape[0] - self.k]
        flat = np.flatnonzero(block >= np.maximum(floor, LOWEST)[None, :])
        rows, columns = np.divmod(flat, block.shape[1])
        return rows.astype(np.int32), columns.astype(np.int32), block.ravel()[flat]

    def add(self, scenarios: np.ndarray, entries: np.ndarray, values: np.ndarray) -> None:
        self.parts.append((scenarios, entries, values))
        self.waiting += len(values)
        # Two sorted runs: a stable sort (timsort) merges them in one pass.
        merged = np.sort(np.concatenate([self.best, np.sort(row_keys(scenarios, values))]), kind="stable")
        starts = np.searchsorted(merged, np.arange(len(self.floor), dtype=np.int64) << 32)
        full = np.diff(np.append(starts, len(merged))) >= self.k
        kth = np.full(len(self.floor), np.iinfo(np.int64).max)  # a scenario with fewer keeps them all
        kth[full] = merged[starts[full] + self.k - 1]
        self.best = merged[merged <= kth[merged >> 32]]  # equal keys: ties at the k-th
        self.floor = np.where(full, key_values(kth), LOWEST).astype(np.float32)
        if self.waiting >= MERGE_AT:
            self._drop_below_floors()

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(scenarios, entries) of every scenario's k best."""
        if not self.parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        self._drop_below_floors()
        scenarios, entries, _values = self.parts[0]
        return scenarios, entries

    def _drop_below_floors(self) -> None:
        scenarios, entries, values = (np.concatenate(column) for column in zip(*self.parts))
        keep = values >= self.floor[scenarios]
        self.parts, self.waiting = [(scenarios[keep], entries[keep], values[keep])], int(keep.sum())


def top_in_rows(block: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, columns, values) of each row's k highest finite values, ties at the k-th included,
    in row-major order: what `block >= np.partition(block, n - k)[:, n - k]` keeps, about six times
    as fast on a city's rows. The k-th highest of every SAMPLE_STEP-th column cannot exceed the
    row's own k-th highest, so the values at or above it hold the answer; only those few (some
    k × SAMPLE_STEP a row) are ranked, side by side in a table as wide as the longest row's. A
    row with fewer than k finite values keeps them all."""
    count, width = block.shape
    k = min(k, width)
    sample = block[:, :: SAMPLE_STEP if width >= 4 * k * SAMPLE_STEP else 1]
    floor = np.partition(sample, sample.shape[1] - k, axis=1)[:, sample.shape[1] - k]
    flat = np.flatnonzero(block >= np.maximum(floor, LOWEST)[:, None])  # −inf (filtered out) never
    rows, columns = np.divmod(flat, width)
    values = block.ravel()[flat]
    if not len(flat):
        return rows, columns, values
    starts = np.searchsorted(rows, np.arange(count))
    found = np.diff(np.append(starts, len(rows)))
    longest = int(found.max())
    table = np.full((count, longest), -np.inf, dtype=values.dtype)
    table[rows, np.arange(len(rows)) - starts[rows]] = values
    kth = np.partition(table, longest - k, axis=1)[:, longest - k] if longest >= k else np.full(count, -np.inf)
    keep = values >= np.where(found >= k, kth, -np.inf)[rows]
    return rows[keep], columns[keep], values[keep]


def descending_in_rows(rows: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows, values) sorted by row (ascending, each below 2³¹), each row's highest value first:
    what a np.lexsort((-values, rows)) order gives, from one sort of int64 keys (row_keys) —
    lexsort took most of the candidate search. The values must be float32 ones (a float64 array
    of them will do)."""
    keys = np.sort(row_keys(rows, values))
    return keys >> 32, key_values(keys)


def row_keys(rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """int64 keys in the order of rows (ascending), then values (highest first): the row in the
    high half, the value's float32 bits turned into a decreasing order in the low half."""
    bits = np.ascontiguousarray(values, dtype=np.float32).view(np.int32).astype(np.int64)
    ordered = np.where(bits < 0, bits ^ 0x7FFFFFFF, bits)  # increases with the value
    return (rows.astype(np.int64) << 32) + (0x7FFFFFFF - ordered)


def key_values(keys: np.ndarray) -> np.ndarray:
    """The float32 values of row_keys."""
    ordered = 0x7FFFFFFF - (keys & 0xFFFFFFFF)
    return np.where(ordered < 0, ordered ^ 0x7FFFFFFF, ordered).astype(np.int32).view(np.float32)


def _blocks(count: int, size: int):
    for start in range(0, count, size):
        yield np.arange(start, min(start + size, count), dtype=np.int32)


def _proxy(assoc_rows, assoc_other, rare_rows, rare_other_t, block: np.ndarray) -> np.ndarray:
    """The proxy of a block, written into `block`: the association product, plus the rare tokens'
    product added in place (it is sparse)."""
    if assoc_rows.shape[1]:
        np.matmul(assoc_rows, assoc_other.T, out=block)
    else:
        block.fill(0)
    rare = rare_rows @ rare_other_t
    # By flat positions: half the time of block[row, col] += … over a COO copy.
    flat = np.repeat(np.arange(rare.shape[0], dtype=np.int64) * block.shape[1], np.diff(rare.indptr))
    block.ravel()[flat + rare.indices] += rare.data
    return block


def need_weights(need_vectors) -> sparse.csr_matrix:
    """Each need's TF-IDF weights as shares of its total: a short phrase against a long text is
    compared by containment, not cosine."""
    return need_vectors.multiply(1 / np.maximum(np.asarray(need_vectors.sum(axis=1)), 1e-9)).tocsr()


def pair_need_similarities(need_rows, weights, need_embedded, e_rows, e_vectors, e_embedded) -> np.ndarray:
    """How much need need_rows[i] is covered by entry e_rows[i] (float32): the share of the need's
    weight (need_weights) whose tokens the entry contains, blended with the association cosine as
    the similarity is. One sparse product per block of COVERAGE_BLOCK scenarios' needs."""
    contained = pair_dots(need_rows, weights, e_rows, e_vectors, few_tokens=True, binary=True)
    if need_embedded.shape[1] == 0:
        return contained
    associated = np.einsum("ij,ij->i", need_embedded[need_rows], e_embedded[e_rows])
    return (1 - ASSOCIATION_SHARE) * contained + ASSOCIATION_SHARE * associated


def coverage(similarities: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(share of each need covered, 0–1; covered mask) from need similarities given flat, pair i's
    needs at starts[i]:starts[i + 1]. The relative rule (the need the entry answers best, and any
    close to it) applies only when that best need reaches RELATIVE_FROM: an entry that answers no
    need plainly lists none."""
    counts = np.diff(starts)
    shares = np.clip(similarities / NEED_SATURATION, 0, 1)
    best = np.zeros(len(counts), dtype=similarities.dtype)
    has = counts > 0
    if len(similarities):
        best[has] = np.maximum.reduceat(similarities, starts[:-1][has])
    best = np.repeat(best, counts)
    relative = (similarities >= COVERED_SHARE_OF_BEST * best) & (best >= RELATIVE_FROM)
    return shares, (similarities >= COVERED_AT) | relative
