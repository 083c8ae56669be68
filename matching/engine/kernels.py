"""Compiled loops of the rebuild (numba), for the steps that are loops by nature.

top_pairs()       the candidate pairs of two sparse row sets: every left row's best `k_row` right
                  rows and every right row's best `k_column` left rows by dot product, found in
                  one pass over the product (the product is never materialised)
rowwise_dot()     the dot products of chosen (left row, right row) pairs
text_overlap()    a rebuild's pairs' similarities and need containment in one pass
count_true_per_pair()  per pair, how many of the member's items pass a test, each combination tested once
best_per_group()  the best pairs of each scenario (or entry) by score
fnv1a()           64-bit digests of many byte strings at once
mix_signatures()  the 64-bit signature of each stored match
unique()          np.unique of int64 keys by sorting (numpy's hashing one is slower here)

top_pairs(), rowwise_dot() and text_overlap() take CSR arrays and split the rows over threads: the kernels release the
GIL (nogil) and run in plain Python threads. Not numba's own parallel mode: its default threading
layer aborts the process when two Python threads call it at once (two rematches in one web
process), and is not safe across fork.

Ties are broken by the smaller row index, so the result does not depend on the number of threads
or on the order rows are visited in. Compiled on first use and cached on disk (cache=True, in
__pycache__, or NUMBA_CACHE_DIR when set).
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numba
import numpy as np
from scipy import sparse

THREADS = 2  # the machines have two cores; more threads only add memory
TILE = 8192  # right rows per pass: a 32 KB accumulator


@numba.njit(nogil=True, cache=True)
def _worse(value, index, worst_value, worst_index):
    """Is (value, index) worse than (worst_value, worst_index)? Lower value, then higher index."""
    return value < worst_value or (value == worst_value and index > worst_index)


@numba.njit(nogil=True, cache=True)
def _offer(values, indices, value, index):
    """Keep (value, index) among the best len(values) held in these slots (index -1: empty).
    Returns the slot it took, or -1."""
    worst = 0
    for slot in range(1, len(values)):
        if indices[slot] == -1:
            worst = slot
            break
        if indices[worst] != -1 and _worse(values[slot], indices[slot], values[worst], indices[worst]):
            worst = slot
    if indices[worst] == -1 or _worse(values[worst], indices[worst], value, index):
        values[worst] = value
        indices[worst] = index
        return worst
    return -1


@numba.njit(nogil=True, cache=True)
def _floor(values, indices):
    """The weakest value held in these slots, or -1 while one is empty (anything may enter)."""
    floor = np.float32(np.inf)
    for slot in range(len(values)):
        if indices[slot] == -1:
            return np.float32(-1.0)
        floor = min(floor, values[slot])
    return floor


@numba.njit(nogil=True, cache=True)
def _top_pairs_chunk(
    start,
    stop,
    left_indptr,
    left_indices,
    left_data,
    tile_starts,
    right_t_indices,
    right_t_data,
    threshold,
    row_floor,
    row_values,
    row_columns,
    initial_column_floor,
    column_values,
    column_rows,
):
    """Rows start..stop of the left side against every right row, one tile of right rows at a
    time (its accumulator stays in the fastest cache and is read straight through, not through a
    list of the touched rows). Fills row_values/row_columns (left row → its best right rows) and
    this chunk's column_values/column_rows (right row → its best left rows within the chunk)."""
    width = column_values.shape[0]
    accumulator = np.zeros(TILE, dtype=np.float32)
    hits = np.zeros(TILE + 1, dtype=np.int64)
    # What a value must reach to enter each right row's list (at first the given floor, then
    # once the list is full the weakest value held; row_floor likewise for the left rows): most
    # products are turned away by one comparison with these.
    column_floor = initial_column_floor.copy()
    for tile in range(tile_starts.shape[0] - 1):
        first_column = tile * TILE
        columns = min(TILE, width - first_column)
        for row in range(start, stop):
            for position in range(left_indptr[row], left_indptr[row + 1]):
                token, weight = left_indices[position], left_data[position]
                for posting in range(tile_starts[tile, token], tile_starts[tile + 1, token]):
                    accumulator[right_t_indices[posting] - first_column] += weight * right_t_data[posting]
            # A straight pass notes the columns whose value may enter a list (few: the floors
            # rise fast); only those are offered.
            found = 0
            floor = row_floor[row]
            for offset in range(columns):
                value = accumulator[offset]
                if (value >= floor) | (value >= column_floor[first_column + offset]):
                    hits[found] = offset
                    found += 1
            for hit in range(found):
                offset = hits[hit]
                value, column = accumulator[offset], first_column + offset
                if value >= row_floor[row]:
                    _offer(row_values[row], row_columns[row], value, column)
                    row_floor[row] = max(threshold, _floor(row_values[row], row_columns[row]))
                if value >= column_floor[column]:
                    _offer(column_values[column], column_rows[column], value, row)
                    column_floor[column] = max(
                        initial_column_floor[column], _floor(column_values[column], column_rows[column])
                    )
            accumulator[:columns] = 0


@dataclass
class TopPairs:
    """The pairs top_pairs() found, ordered by (left row, right row), each once, and the floors:
    what a new pair's value would have to reach to enter each row's list (the threshold while a
    list has room)."""

    left_rows: np.ndarray
    right_rows: np.ndarray
    values: np.ndarray
    left_floor: np.ndarray
    right_floor: np.ndarray


def top_pairs(
    left: sparse.csr_matrix,
    right: sparse.csr_matrix,
    k_row: int,
    k_column: int,
    threshold: float,
    right_floor: np.ndarray | None = None,
) -> TopPairs:
    """The pairs where the right row is among the left row's best k_row, or the left row among the
    right row's best k_column, with a dot product of at least `threshold` — and, for a right row
    given a floor, at least that floor to enter its list (np.inf: none may)."""
    rows, width = left.shape[0], right.shape[0]
    threshold = np.float32(threshold)
    initial_floor = (
        np.full(width, threshold, dtype=np.float32)
        if right_floor is None
        else np.maximum(np.asarray(right_floor, dtype=np.float32), threshold)
    )
    if not rows or not width:
        empty = np.zeros(0, dtype=np.int64)
        return TopPairs(
            empty, empty, np.zeros(0, dtype=np.float32), np.full(rows, threshold, dtype=np.float32), initial_floor
        )
    left, right_t = _sorted_csr(left), _sorted_csr(right.T)
    row_floor = np.full(rows, threshold, dtype=np.float32)
    row_values = np.zeros((rows, k_row), dtype=np.float32)
    row_columns = np.full((rows, k_row), -1, dtype=np.int64)
    chunks = _chunks(_work_per_row(left, right_t), THREADS)
    column_values = np.zeros((len(chunks), width, k_column), dtype=np.float32)
    column_rows = np.full((len(chunks), width, k_column), -1, dtype=np.int64)
    arrays = (
        left.indptr,
        left.indices,
        left.data,
        _tile_starts(right_t, width),
        right_t.indices,
        right_t.data,
        threshold,
        row_floor,
        row_values,
        row_columns,
        initial_floor,
    )
    with ThreadPoolExecutor(len(chunks)) as pool:
        list(
            pool.map(
                lambda number: _top_pairs_chunk(*chunks[number], *arrays, column_values[number], column_rows[number]),
                range(len(chunks)),
            )
        )
    # Each chunk kept its best left rows per right row; the best of those are the best overall.
    flat_rows = column_rows.transpose(1, 0, 2).reshape(width, -1)
    flat_values = column_values.transpose(1, 0, 2).reshape(width, -1)
    if len(chunks) > 1:
        order = np.lexsort((np.where(flat_rows == -1, np.iinfo(np.int64).max, flat_rows), -flat_values), axis=1)[
            :, :k_column
        ]
        flat_rows = np.take_along_axis(flat_rows, order, axis=1)
        flat_values = np.take_along_axis(flat_values, order, axis=1)
    full = (flat_rows != -1).all(axis=1)
    column_floor = np.where(full, np.where(flat_rows != -1, flat_values, np.inf).min(axis=1), initial_floor).astype(
        np.float32
    )
    left_rows = np.concatenate([np.repeat(np.arange(rows, dtype=np.int64), k_row), flat_rows.ravel()])
    right_rows = np.concatenate([row_columns.ravel(), np.repeat(np.arange(width, dtype=np.int64), flat_rows.shape[1])])
    values = np.concatenate([row_values.ravel(), flat_values.ravel()])
    found = (right_rows != -1) & (left_rows != -1)
    keys = left_rows[found] * width + right_rows[found]
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[found][order]
    first = np.concatenate([[True], keys[1:] != keys[:-1]])
    return TopPairs(
        keys[first] // width, keys[first] % width, values[first], row_floor, np.maximum(column_floor, initial_floor)
    )


@numba.njit(nogil=True, cache=True)
def _rowwise_dot_chunk(
    start,
    stop,
    left_indptr,
    left_indices,
    left_data,
    left_rows,
    right_indptr,
    right_indices,
    right_data,
    right_rows,
    out,
):
    for pair in range(start, stop):
        i, i_end = left_indptr[left_rows[pair]], left_indptr[left_rows[pair] + 1]
        j, j_end = right_indptr[right_rows[pair]], right_indptr[right_rows[pair] + 1]
        total = np.float32(0)
        while i < i_end and j < j_end:
            a, b = left_indices[i], right_indices[j]
            if a == b:
                total += left_data[i] * right_data[j]
                i += 1
                j += 1
            elif a < b:
                i += 1
            else:
                j += 1
        out[pair] = total


def rowwise_dot(
    left: sparse.csr_matrix, left_rows: np.ndarray, right: sparse.csr_matrix, right_rows: np.ndarray
) -> np.ndarray:
    """left[left_rows[i]] · right[right_rows[i]] for each i (float32)."""
    left, right = _sorted_csr(left), _sorted_csr(right)
    left_rows, right_rows = np.asarray(left_rows, dtype=np.int64), np.asarray(right_rows, dtype=np.int64)
    out = np.zeros(len(left_rows), dtype=np.float32)
    if not len(out):
        return out
    arrays = (left.indptr, left.indices, left.data, left_rows, right.indptr, right.indices, right.data, right_rows, out)
    if len(out) < 20_000:  # a rematch's few hundred pairs: starting threads would cost more
        _rowwise_dot_chunk(0, len(out), *arrays)
        return out
    bounds = np.linspace(0, len(out), THREADS + 1).astype(np.int64)
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(lambda number: _rowwise_dot_chunk(bounds[number], bounds[number + 1], *arrays), range(THREADS)))
    return out


@numba.njit(nogil=True, cache=True)
def _spread_scenario(
    scenario,
    s_indptr,
    s_indices,
    s_data,
    n_indptr,
    n_indices,
    n_data,
    need_offsets,
    dense,
    first_slot,
    next_slot,
    slot_need,
    slot_weight,
    value,
):
    """Spread a scenario's row into `dense` and chain its need tokens from `first_slot` (each need
    token a slot: its need, its weight; a token may be in several needs) — or, value=False, undo
    that, leaving the scratch arrays empty for the next scenario."""
    for k in range(s_indptr[scenario], s_indptr[scenario + 1]):
        dense[s_indices[k]] = s_data[k] if value else 0
    slot = 0
    for need in range(need_offsets[scenario], need_offsets[scenario + 1]):
        for k in range(n_indptr[need], n_indptr[need + 1]):
            if value:
                slot_need[slot] = need - need_offsets[scenario]
                slot_weight[slot] = n_data[k]
                next_slot[slot] = first_slot[n_indices[k]]
                first_slot[n_indices[k]] = slot
            else:
                first_slot[n_indices[k]] = -1
            slot += 1


@numba.njit(nogil=True, cache=True)
def _text_overlap_chunk(
    order,
    start,
    stop,
    s_rows,
    e_rows,
    s_indptr,
    s_indices,
    s_data,
    e_indptr,
    e_indices,
    e_data,
    n_indptr,
    n_indices,
    n_data,
    need_offsets,
    need_starts,
    similarities,
    containment,
    dense,
    first_slot,
    next_slot,
    slot_need,
    slot_weight,
):
    current = -1
    for position in range(start, stop):
        scenario = s_rows[order[position]]
        if scenario != current:
            if current >= 0:
                _spread_scenario(
                    current,
                    s_indptr,
                    s_indices,
                    s_data,
                    n_indptr,
                    n_indices,
                    n_data,
                    need_offsets,
                    dense,
                    first_slot,
                    next_slot,
                    slot_need,
                    slot_weight,
                    False,
                )
            current = scenario
            _spread_scenario(
                current,
                s_indptr,
                s_indices,
                s_data,
                n_indptr,
                n_indices,
                n_data,
                need_offsets,
                dense,
                first_slot,
                next_slot,
                slot_need,
                slot_weight,
                True,
            )
        pair = order[position]
        entry = e_rows[pair]
        base = need_starts[pair]
        total = np.float32(0)
        for k in range(e_indptr[entry], e_indptr[entry + 1]):
            token = e_indices[k]
            total += dense[token] * e_data[k]
            slot = first_slot[token]
            while slot >= 0:
                containment[base + slot_need[slot]] += slot_weight[slot]
                slot = next_slot[slot]
        similarities[pair] = total
    if current >= 0:
        _spread_scenario(
            current,
            s_indptr,
            s_indices,
            s_data,
            n_indptr,
            n_indices,
            n_data,
            need_offsets,
            dense,
            first_slot,
            next_slot,
            slot_need,
            slot_weight,
            False,
        )


def text_overlap(scenarios, scenario_rows, entries, entry_rows, needs, need_offsets) -> tuple[np.ndarray, np.ndarray]:
    """For each pair (scenarios[scenario_rows[i]], entries[entry_rows[i]]): the dot product of the
    two rows, and for each need of the scenario (needs rows need_offsets[s]:need_offsets[s + 1])
    the sum of its weights over the tokens the entry has — rowwise_dot(scenarios, entries) and
    rowwise_dot(needs, binary(entries)) in one pass, pair by pair and need by need (the same
    sums, added in the same order). The pairs are visited scenario by scenario: the scenario's row
    and its needs' tokens are spread into token-indexed arrays once, and each of its entries'
    rows is read once for all of them.

    Returns (similarities per pair, containment per (pair, need) in pair order), float32."""
    scenarios, entries, needs = _sorted_csr(scenarios), _sorted_csr(entries), _sorted_csr(needs)
    scenario_rows, entry_rows = np.asarray(scenario_rows, dtype=np.int64), np.asarray(entry_rows, dtype=np.int64)
    need_offsets = np.asarray(need_offsets, dtype=np.int64)
    counts = need_offsets[scenario_rows + 1] - need_offsets[scenario_rows]
    need_starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    similarities = np.zeros(len(scenario_rows), dtype=np.float32)
    containment = np.zeros(int(need_starts[-1]), dtype=np.float32)
    if not len(scenario_rows):
        return similarities, containment
    grouped = bool(np.all(scenario_rows[1:] >= scenario_rows[:-1]))
    order = np.arange(len(scenario_rows), dtype=np.int64) if grouped else np.argsort(scenario_rows, kind="stable")
    tokens_per_scenario = needs.indptr[need_offsets[1:]] - needs.indptr[need_offsets[:-1]]
    most = max(1, int(tokens_per_scenario.max()) if len(tokens_per_scenario) else 1)
    width = max(scenarios.shape[1], entries.shape[1], needs.shape[1])
    arrays = (
        scenario_rows,
        entry_rows,
        scenarios.indptr,
        scenarios.indices,
        scenarios.data,
        entries.indptr,
        entries.indices,
        entries.data,
        needs.indptr,
        needs.indices,
        needs.data,
        need_offsets,
        need_starts,
        similarities,
        containment,
    )

    def run(bounds):
        scratch = (
            np.zeros(width, dtype=np.float32),
            np.full(width, -1, dtype=np.int64),
            np.empty(most, dtype=np.int64),
            np.empty(most, dtype=np.int64),
            np.empty(most, dtype=np.float32),
        )
        _text_overlap_chunk(order, bounds[0], bounds[1], *arrays, *scratch)

    if len(order) < 20_000:
        run((0, len(order)))
        return similarities, containment
    # Split where a scenario ends, so that no two threads add to the same pair.
    cuts = [0]
    ordered = scenario_rows[order]
    for cut in np.linspace(0, len(order), THREADS + 1).astype(np.int64)[1:-1].tolist():
        cut = int(np.searchsorted(ordered, ordered[cut], side="left"))
        cuts.append(max(cut, cuts[-1]))
    cuts.append(len(order))
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(run, zip(cuts[:-1], cuts[1:])))
    return similarities, containment


@numba.njit(nogil=True, cache=True)
def _group_item_combos(
    order, groups, members, list_of_member, list_offsets, list_items, seen, combo_groups, combo_items
):
    combos = 0
    for position in range(len(order)):
        pair = order[position]
        group, chosen = groups[pair], list_of_member[members[pair]]
        for k in range(list_offsets[chosen], list_offsets[chosen + 1]):
            item = list_items[k]
            if seen[item] != group:  # the pairs come group by group: a stamp tells a new combination
                seen[item] = group
                combo_groups[combos] = group
                combo_items[combos] = item
                combos += 1
    return combos


@numba.njit(nogil=True, cache=True)
def _count_true_items(
    order,
    groups,
    members,
    list_of_member,
    list_offsets,
    list_items,
    combo_groups,
    combo_items,
    combo_values,
    value_of_item,
    out,
):
    combo = 0
    current = -1
    for position in range(len(order)):
        pair = order[position]
        group = groups[pair]
        if group != current:  # this group's combinations come next, in the order they were found
            current = group
            while combo < len(combo_groups) and combo_groups[combo] == group:
                value_of_item[combo_items[combo]] = combo_values[combo]
                combo += 1
        chosen = list_of_member[members[pair]]
        total = 0
        for k in range(list_offsets[chosen], list_offsets[chosen + 1]):
            total += value_of_item[list_items[k]]
        out[pair] = total


def count_true_per_pair(groups, members, list_of_member, list_offsets, list_items, width: int, test) -> np.ndarray:
    """For pairs (groups[i], members[i]) whose member has the items list_items[list_offsets[l]:
    list_offsets[l + 1]] with l = list_of_member[member] (ids below width, repeats counted): how
    many of its items pass test(group, item) — test(groups, items) answers for arrays of distinct
    combinations at once, each combination asked once however many pairs share it."""
    groups, members = np.asarray(groups, dtype=np.int64), np.asarray(members, dtype=np.int64)
    out = np.zeros(len(groups), dtype=np.int64)
    if not len(groups) or not width:
        return out
    order = (
        np.arange(len(groups), dtype=np.int64)
        if bool(np.all(groups[1:] >= groups[:-1]))
        else np.argsort(groups, kind="stable")
    )
    lengths = list_offsets[1:] - list_offsets[:-1]
    most = int(lengths[list_of_member[members]].sum())
    combo_groups, combo_items = np.empty(most, dtype=np.int64), np.empty(most, dtype=np.int64)
    found = _group_item_combos(
        order,
        groups,
        members,
        list_of_member,
        list_offsets,
        list_items,
        np.full(width, -1, dtype=np.int64),
        combo_groups,
        combo_items,
    )
    combo_groups, combo_items = combo_groups[:found], combo_items[:found]
    values = np.asarray(test(combo_groups, combo_items), dtype=np.int64)
    _count_true_items(
        order,
        groups,
        members,
        list_of_member,
        list_offsets,
        list_items,
        combo_groups,
        combo_items,
        values,
        np.zeros(width, dtype=np.int64),
        out,
    )
    return out


@numba.njit(nogil=True, cache=True)
def _best_in_runs(order, groups, others, scores, limit, mask):
    best_scores = np.zeros(limit, dtype=np.float64)
    best_others = np.full(limit, -1, dtype=np.int64)
    best_pairs = np.zeros(limit, dtype=np.int64)
    start = 0
    while start < len(order):
        stop = start
        while stop < len(order) and groups[order[stop]] == groups[order[start]]:
            stop += 1
        best_others[:] = -1
        for position in range(start, stop):
            pair = order[position]
            # Ranked by score, ties to the smaller other id; the slot taken remembers the pair.
            slot = _offer(best_scores, best_others, scores[pair], others[pair])
            if slot >= 0:
                best_pairs[slot] = pair
        for slot in range(limit):
            if best_others[slot] != -1:
                mask[best_pairs[slot]] = True
        start = stop


def best_per_group(groups: np.ndarray, others: np.ndarray, scores: np.ndarray, limit: int) -> np.ndarray:
    """Mask of the best `limit` pairs of each group: higher score first, ties to the smaller other id."""
    mask = np.zeros(len(groups), dtype=bool)
    if len(groups):
        _best_in_runs(
            np.argsort(groups, kind="stable"), groups, others, np.asarray(scores, dtype=np.float64), limit, mask
        )
    return mask


@numba.njit(nogil=True, cache=True)
def _mix_signatures(s_digests, e_digests, s_rows, e_rows, shown, scale, flags, starts, mix, constant, out):
    for pair in range(len(s_rows)):
        mixed = s_digests[s_rows[pair]] * mix[0] + e_digests[e_rows[pair]] * mix[1]
        for part in range(len(shown)):  # a tuple of arrays (unrolled): each value rounded to a whole number as shown
            mixed += np.uint64(np.int64(np.rint(shown[part][pair] * scale))) * mix[2 + part]
        covered = np.uint64(0)
        for flag in range(starts[pair], starts[pair + 1]):
            if flags[flag]:
                covered += mix[16 + (flag - starts[pair]) % 64]
        mixed += covered * mix[15] + constant
        # A final scramble (xorshift-multiply) so that nearby inputs give unrelated signatures.
        mixed ^= mixed >> np.uint64(31)
        mixed *= np.uint64(0x94D049BB133111EB)
        mixed ^= mixed >> np.uint64(29)
        out[pair] = mixed


def mix_signatures(
    s_digests, e_digests, s_rows, e_rows, shown: list, scale: float, flags, starts, mix, constant: int
) -> np.ndarray:
    """A 64-bit hash (int64) per pair of: both documents' digests, each of the `shown` values
    (arrays of one value per pair, non-negative, rounded half to even after multiplying by
    `scale`), which of the pair's flags flags[starts[i]:starts[i + 1]] are set (by position), and
    a constant; each mixed in by multiplying with its own odd constant of `mix` (16 + 64 of them),
    all in wrapping 64-bit arithmetic. The values are read where they are (no stacked copy: fresh
    memory is slow to fault in inside a big process)."""
    out = np.zeros(len(s_rows), dtype=np.uint64)
    _mix_signatures(
        np.asarray(s_digests).view(np.uint64),
        np.asarray(e_digests).view(np.uint64),
        np.asarray(s_rows, dtype=np.int64),
        np.asarray(e_rows, dtype=np.int64),
        tuple(np.ascontiguousarray(values, dtype=np.float64) for values in shown),
        float(scale),
        np.asarray(flags, dtype=np.bool_),
        np.asarray(starts, dtype=np.int64),
        np.asarray(mix, dtype=np.uint64),
        np.uint64(constant & (2**64 - 1)),
        out,
    )
    return out.view(np.int64)


@numba.njit(nogil=True, cache=True)
def _fnv1a_segments(buffer, bounds, out):
    for segment in range(len(bounds) - 1):
        value = np.uint64(0xCBF29CE484222325)
        for position in range(bounds[segment], bounds[segment + 1] - 1):
            value ^= np.uint64(buffer[position])
            value *= np.uint64(0x100000001B3)
        out[segment] = value


def fnv1a(buffer: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """64-bit FNV-1a (as int64) of each segment buffer[bounds[i]:bounds[i + 1] - 1] (the byte
    before each bound is a separator)."""
    out = np.zeros(len(bounds) - 1, dtype=np.uint64)
    _fnv1a_segments(buffer, bounds, out)
    return out.view(np.int64)


def unique(keys: np.ndarray) -> np.ndarray:
    """np.unique of an int64 array by sorting (numpy's hashing unique is several times slower on
    the rebuild's arrays of a million keys)."""
    ordered = np.sort(keys, kind="stable")
    first = np.concatenate([[True], ordered[1:] != ordered[:-1]]) if len(ordered) else np.zeros(0, dtype=bool)
    return ordered[first]


def _sorted_csr(matrix) -> sparse.csr_matrix:
    """CSR with sorted indices and float32 values (a copy only when needed)."""
    matrix = sparse.csr_matrix(matrix)
    if matrix.dtype != np.float32:
        matrix = matrix.astype(np.float32)
    if not matrix.has_sorted_indices:
        matrix = matrix.copy()
        matrix.sort_indices()
    return matrix


def _tile_starts(right_t: sparse.csr_matrix, width: int) -> np.ndarray:
    """tile_starts[k, token]: where the token's postings for right rows from k·TILE begin (each
    token's postings are sorted by right row); the last line is the end of every token's."""
    tokens = right_t.shape[0]
    token_of_posting = np.repeat(np.arange(tokens, dtype=np.int64), np.diff(right_t.indptr))
    tiles = max(1, -(-width // TILE))
    starts = np.empty((tiles + 1, tokens), dtype=np.int64)
    starts[0] = right_t.indptr[:-1]
    for tile in range(1, tiles):
        before = right_t.indices < tile * TILE
        starts[tile] = right_t.indptr[:-1] + np.bincount(token_of_posting[before], minlength=tokens)
    starts[tiles] = right_t.indptr[1:]
    return starts


def _work_per_row(left: sparse.csr_matrix, right_t: sparse.csr_matrix) -> np.ndarray:
    """Multiply-adds each left row costs: the postings of its tokens."""
    postings = np.diff(right_t.indptr)[left.indices]
    cumulative = np.concatenate([[0], np.cumsum(postings)])
    return cumulative[left.indptr[1:]] - cumulative[left.indptr[:-1]]


def _chunks(work: np.ndarray, count: int) -> list[tuple[int, int]]:
    """Consecutive row ranges with about the same work each."""
    rows = len(work)
    if rows == 0:
        return [(0, 0)]
    cumulative = np.cumsum(work)
    cuts = np.searchsorted(cumulative, np.linspace(0, cumulative[-1], count + 1)[1:-1])
    bounds = [0, *sorted(set(int(cut) for cut in cuts) - {0, rows}), rows]
    return list(zip(bounds[:-1], bounds[1:]))
