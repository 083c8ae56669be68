"""The compiled loops of the rebuild give what the plain matrix product gives."""

import numpy as np
import pytest
from scipy import sparse

from matching.engine import kernels


def _random_rows(rng, rows: int, width: int, density: float, levels: int | None = None) -> sparse.csr_matrix:
    matrix = sparse.random(rows, width, density=density, format="csr", random_state=rng, dtype=np.float32)
    if levels:  # few distinct values: many exact ties
        matrix.data = np.ceil(matrix.data * levels).astype(np.float32) / levels
    return matrix


def _expected_pairs(
    left, right, k_row: int, k_column: int, threshold: float, right_floor=None
) -> dict[tuple[int, int], float]:
    """The same selection from the dense product: best by value, ties to the smaller index."""
    product = (left @ right.T).toarray()
    right_floor = np.zeros(product.shape[1]) if right_floor is None else right_floor
    pairs = {}
    for row in range(product.shape[0]):
        order = sorted(
            (
                column
                for column in range(product.shape[1])
                if product[row, column] >= threshold and product[row, column] > 0
            ),
            key=lambda column: (-product[row, column], column),
        )
        pairs.update({(row, column): product[row, column] for column in order[:k_row]})
    for column in range(product.shape[1]):
        order = sorted(
            (
                row
                for row in range(product.shape[0])
                if product[row, column] >= max(threshold, right_floor[column]) and product[row, column] > 0
            ),
            key=lambda row: (-product[row, column], row),
        )
        pairs.update({(row, column): product[row, column] for row in order[:k_column]})
    return pairs


@pytest.mark.parametrize("levels", [None, 3])
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_top_pairs_are_each_rows_best_both_ways_whatever_the_threads(monkeypatch, levels, threads):
    rng = np.random.default_rng(7)
    # Wider than one tile, so that the right rows are searched in several passes.
    monkeypatch.setattr(kernels, "THREADS", threads)
    left, right = _random_rows(rng, 120, 60, 0.08, levels), _random_rows(rng, kernels.TILE + 500, 60, 0.05, levels)
    found = kernels.top_pairs(left, right, 4, 2, 0.05)
    expected = _expected_pairs(left, right, 4, 2, 0.05)
    assert list(zip(found.left_rows.tolist(), found.right_rows.tolist())) == sorted(expected)
    assert np.allclose(found.values, [expected[pair] for pair in sorted(expected)], atol=1e-5)
    # The floors: the weakest value each full list holds, the threshold where a list has room.
    product = (left @ right.T).toarray()
    for row in range(left.shape[0]):
        values = sorted((value for value in product[row] if value >= 0.05), reverse=True)
        assert found.left_floor[row] == pytest.approx(values[3] if len(values) >= 4 else 0.05, abs=1e-5)
    for column in range(0, right.shape[0], 97):
        values = sorted((value for value in product[:, column] if value >= 0.05), reverse=True)
        assert found.right_floor[column] == pytest.approx(values[1] if len(values) >= 2 else 0.05, abs=1e-5)


def test_top_pairs_given_floors_only_admit_values_reaching_them():
    rng = np.random.default_rng(5)
    left, right = _random_rows(rng, 40, 30, 0.2), _random_rows(rng, 200, 30, 0.1)
    right_floor = rng.uniform(0, 0.5, 200).astype(np.float32)
    right_floor[::7] = np.inf  # these rows' lists are closed
    found = kernels.top_pairs(left, right, 3, 2, 0.01, right_floor=right_floor)
    assert set(zip(found.left_rows.tolist(), found.right_rows.tolist())) == set(
        _expected_pairs(left, right, 3, 2, 0.01, right_floor)
    )
    assert (found.right_floor >= right_floor).all()


def test_top_pairs_with_more_places_than_rows_and_with_empty_sides():
    rng = np.random.default_rng(3)
    left, right = _random_rows(rng, 5, 20, 0.4), _random_rows(rng, 3, 20, 0.4)
    found = kernels.top_pairs(left, right, 10, 10, 0.0001)
    assert set(zip(found.left_rows.tolist(), found.right_rows.tolist())) == set(
        _expected_pairs(left, right, 10, 10, 0.0001)
    )
    for empty_left, empty_right in ((left[:0], right), (left, right[:0])):
        found = kernels.top_pairs(empty_left, empty_right, 3, 1, 0.01)
        assert len(found.left_rows) == len(found.right_rows) == len(found.values) == 0
        assert len(found.left_floor) == empty_left.shape[0] and len(found.right_floor) == empty_right.shape[0]


def test_rowwise_dot_matches_the_dense_products_of_the_pairs():
    rng = np.random.default_rng(11)
    left, right = _random_rows(rng, 50, 300, 0.05), _random_rows(rng, 70, 300, 0.05)
    # Unsorted indices and float64 values, as scipy may hand them over.
    indices, data = right.indices.copy(), right.data.astype(np.float64)
    for row in range(right.shape[0]):
        start, stop = right.indptr[row], right.indptr[row + 1]
        indices[start:stop], data[start:stop] = indices[start:stop][::-1].copy(), data[start:stop][::-1].copy()
    right = sparse.csr_matrix((data, indices, right.indptr), shape=right.shape)
    right.has_sorted_indices = False
    # More pairs than one thread takes, so that both threads share them.
    left_rows, right_rows = rng.integers(0, 50, 30_000), rng.integers(0, 70, 30_000)
    expected = np.asarray(left[left_rows].multiply(right[right_rows]).sum(axis=1)).ravel()
    assert np.allclose(kernels.rowwise_dot(left, left_rows, right, right_rows), expected, atol=1e-5)
    assert len(kernels.rowwise_dot(left, left_rows[:0], right, right_rows[:0])) == 0


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("grouped", [True, False])
def test_text_overlap_gives_the_pairs_similarities_and_need_containment_exactly(monkeypatch, threads, grouped):
    rng = np.random.default_rng(13)
    monkeypatch.setattr(kernels, "THREADS", threads)
    scenarios, entries = _random_rows(rng, 60, 200, 0.08), _random_rows(rng, 90, 200, 0.1)
    # 0–5 needs per scenario (some none); needs share tokens, so one token counts for several.
    need_counts = rng.integers(0, 6, 60)
    need_offsets = np.concatenate([[0], np.cumsum(need_counts)]).astype(np.int64)
    shared = sparse.csr_matrix(np.ones((int(need_offsets[-1]), 20), dtype=np.float32))  # tokens in every need
    needs = sparse.hstack([shared, _random_rows(rng, int(need_offsets[-1]), 180, 0.2)], format="csr")
    scenario_rows, entry_rows = rng.integers(0, 60, 25_000), rng.integers(0, 90, 25_000)
    if grouped:
        order = np.lexsort((entry_rows, scenario_rows))
        scenario_rows, entry_rows = scenario_rows[order], entry_rows[order]
    similarities, containment = kernels.text_overlap(scenarios, scenario_rows, entries, entry_rows, needs, need_offsets)
    # What the separate products give, bit for bit (the same sums in the same order).
    assert np.array_equal(similarities, kernels.rowwise_dot(scenarios, scenario_rows, entries, entry_rows))
    counts = need_counts[scenario_rows]
    pair_of_need = np.repeat(np.arange(len(scenario_rows)), counts)
    need_rows = (
        np.repeat(need_offsets[scenario_rows], counts)
        + np.arange(counts.sum())
        - np.repeat(np.cumsum(counts) - counts, counts)
    )
    binary = sparse.csr_matrix((np.ones_like(entries.data), entries.indices, entries.indptr), shape=entries.shape)
    assert np.array_equal(containment, kernels.rowwise_dot(needs, need_rows, binary, entry_rows[pair_of_need]))
    assert np.allclose(
        similarities, np.asarray(scenarios[scenario_rows].multiply(entries[entry_rows]).sum(axis=1)).ravel(), atol=1e-5
    )
    assert containment.max() > 0 and (containment > 0).mean() > 0.1  # the shared tokens are found
    empty = kernels.text_overlap(scenarios, scenario_rows[:0], entries, entry_rows[:0], needs, need_offsets)
    assert len(empty[0]) == len(empty[1]) == 0


def test_mix_signatures_is_the_array_formula_pair_by_pair():
    rng = np.random.default_rng(17)
    mix = rng.integers(1, 2**63, size=80, dtype=np.int64).astype(np.uint64) | np.uint64(1)
    s_digests, e_digests = (
        rng.integers(-(2**63), 2**63 - 1, 30, dtype=np.int64),
        rng.integers(-(2**63), 2**63 - 1, 50, dtype=np.int64),
    )
    s_rows, e_rows = rng.integers(0, 30, 2000), rng.integers(0, 50, 2000)
    shown = [rng.integers(0, 100_000, 2000) / 1000 for _part in range(10)]
    shown[0][:4] = [0.0005, 0.0015, 0.0025, 100.0]  # halves round to even, as np.round does
    starts = np.concatenate([[0], np.cumsum(rng.integers(0, 70, 2000))])  # past 64 needs too
    flags = rng.random(starts[-1]) < 0.5
    constant = -123456789
    # The same, written with whole arrays (wrapping uint64 arithmetic).
    with np.errstate(over="ignore"):
        mixed = s_digests[s_rows].astype(np.uint64) * mix[0] + e_digests[e_rows].astype(np.uint64) * mix[1]
        for number in range(10):
            mixed += np.round(shown[number] * 1000).astype(np.int64).astype(np.uint64) * mix[2 + number]
        position = np.arange(len(flags)) - np.repeat(starts[:-1], np.diff(starts))
        sums = np.concatenate(
            [
                [np.uint64(0)],
                np.cumsum(np.where(flags, mix[16 + position % 64], np.uint64(0)).astype(np.uint64), dtype=np.uint64),
            ]
        )
        mixed += (sums[starts[1:]] - sums[starts[:-1]]) * mix[15] + np.uint64(constant & (2**64 - 1))
        mixed ^= mixed >> np.uint64(31)
        mixed *= np.uint64(0x94D049BB133111EB)
        mixed ^= mixed >> np.uint64(29)
    signatures = kernels.mix_signatures(s_digests, e_digests, s_rows, e_rows, shown, 1000, flags, starts, mix, constant)
    assert np.array_equal(signatures, mixed.view(np.int64))
    assert len(set(signatures.tolist())) == 2000  # the shown values differ from pair to pair
    # One covered need more, or a shown value one step off, gives another signature.
    flags[starts[0]] = not flags[starts[0]]
    shown[3][1] += 0.001
    changed = kernels.mix_signatures(s_digests, e_digests, s_rows, e_rows, shown, 1000, flags, starts, mix, constant)
    assert (changed != signatures).tolist()[:2] == [starts[1] > starts[0], True] and (
        changed[2:] == signatures[2:]
    ).all()


@pytest.mark.parametrize("grouped", [True, False])
def test_count_true_per_pair_asks_each_combination_once_and_counts_repeats(grouped):
    rng = np.random.default_rng(19)
    lists = [rng.integers(0, 40, rng.integers(0, 6)).tolist() for _list in range(25)]  # repeats and empty lists
    offsets = np.concatenate([[0], np.cumsum([len(items) for items in lists])]).astype(np.int64)
    flat = np.array([item for items in lists for item in items], dtype=np.int64)
    list_of_member = rng.integers(0, 25, 60)
    groups, members = rng.integers(0, 15, 3000), rng.integers(0, 60, 3000)
    if grouped:
        order = np.argsort(groups, kind="stable")
        groups, members = groups[order], members[order]
    truth = rng.random((15, 40)) < 0.4
    asked = []

    def test(group_values, item_values):
        asked.extend(zip(group_values.tolist(), item_values.tolist()))
        return truth[group_values, item_values]

    counts = kernels.count_true_per_pair(groups, members, list_of_member, offsets, flat, 40, test)
    assert counts.tolist() == [
        sum(truth[group, item] for item in lists[list_of_member[member]]) for group, member in zip(groups, members)
    ]
    assert (
        len(asked)
        == len(set(asked))
        == len({(group, item) for group, member in zip(groups, members) for item in lists[list_of_member[member]]})
    )
    assert kernels.count_true_per_pair(groups[:0], members[:0], list_of_member, offsets, flat, 40, test).tolist() == []


def test_best_per_group_keeps_each_groups_best_with_ties_to_the_smaller_id():
    rng = np.random.default_rng(2)
    groups = rng.integers(0, 40, 3000)
    others = rng.permutation(3000)
    scores = np.round(rng.uniform(0, 1, 3000), 1)  # one decimal: many ties
    mask = kernels.best_per_group(groups, others, scores, 5)
    for group in range(40):
        members = sorted(np.flatnonzero(groups == group), key=lambda i: (-scores[i], others[i]))
        assert set(np.flatnonzero(mask & (groups == group))) == set(members[:5])
    assert not kernels.best_per_group(groups[:0], others[:0], scores[:0], 5).any()


def test_unique_is_numpys():
    keys = np.random.default_rng(4).integers(0, 500, 5000)
    assert np.array_equal(kernels.unique(keys), np.unique(keys)) and len(kernels.unique(keys[:0])) == 0


def test_digests_are_fnv1a_of_each_value_combined_by_row_and_tell_rows_apart():
    from matching.engine.documents import NULL, digest64, digests

    def fnv1a(data: bytes) -> int:  # the textbook definition
        value = 0xCBF29CE484222325
        for byte in data:
            value = ((value ^ byte) * 0x100000001B3) % 2**64
        return value

    def expected(row) -> int:
        combined = 0xCBF29CE484222325
        for value in row:
            text = NULL if value is None else str(value).replace("\x00", "\\x00")
            combined = ((combined ^ fnv1a(text.encode())) * 0x100000001B3) % 2**64
            combined ^= combined >> 29
        return combined - 2**64 if combined >= 2**63 else combined

    rows = [
        ("智慧停车", 1, None),
        ("智慧停车", 2, None),
        ("智慧停车", 1, ""),
        ("智慧停车", 1, "None"),
        ("", 1, None),
        ("含\x00字符", 3, [("车位检测", "")]),
        ("1", "智慧停车", None),
        (1, "智慧停车", None),
    ]
    columns = [list(column) for column in zip(*rows)]
    assert digests(columns).tolist() == [expected(row) for row in rows]
    # Each row differs from the others somewhere, so does its digest — also a value moved to the next column.
    assert len(set(digests(columns).tolist())) == len(set(map(repr, rows))) - 1  # ("1", …) and (1, …) print alike
    # A value split differently over the columns, and the same values in another column order.
    split = digests([["智慧", "智慧停车", "停车"], ["停车", "", "智慧"]]).tolist()
    assert len(set(split)) == 3
    assert digest64("车位检测", 2) == expected(("车位检测", 2))
    assert len(digests([[]])) == 0 and len(digests([])) == 0


def test_a_search_state_keeps_the_texts_of_unchanged_scenarios(tmp_path):
    from matching.engine.search import SearchState

    ids, digests = np.array([3, 5, 9]), np.array([30, 50, 90])
    state = SearchState(
        ids,
        digests,
        np.array([1]),
        np.array([10]),
        np.array([3 << 32 | 1]),
        np.zeros(3, np.float32),
        np.zeros(1, np.float32),
        0.0,
    )
    state.set_texts(["电子签章平台", "", "车位检测 AI"])
    state.save(tmp_path / "search.npz")
    loaded = SearchState.load(tmp_path / "search.npz")
    # 5 is unchanged, 9 changed its digest, 4 is new.
    assert loaded.texts_of(np.array([4, 5, 9, 3]), np.array([40, 50, 91, 30])) == [None, "", None, "电子签章平台"]
    assert SearchState.load(tmp_path / "missing.npz") is None
    (tmp_path / "damaged.npz").write_bytes(b"PK\x03\x04 not a zip")
    assert SearchState.load(tmp_path / "damaged.npz") is None
