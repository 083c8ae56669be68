"""The compiled loops of the rebuild give what the plain matrix product gives."""

import numpy as np
import pytest
from scipy import sparse

from capability_list.matching import kernels


def _random_rows(rng, rows: int, width: int, density: float, levels: int | None = None) -> sparse.csr_matrix:
    matrix = sparse.random(rows, width, density=density, format="csr", random_state=rng, dtype=np.float32)
    if levels:  # few distinct values: many exact ties
        matrix.data = np.ceil(matrix.data * levels).astype(np.float32) / levels
    return matrix


def _expected_pairs(left, right, k_row: int, k_column: int, threshold: float) -> dict[tuple[int, int], float]:
    """The same selection from the dense product: best by value, ties to the smaller index."""
    product = (left @ right.T).toarray()
    pairs = {}
    for row in range(product.shape[0]):
        order = sorted((column for column in range(product.shape[1]) if product[row, column] >= threshold and product[row, column] > 0), key=lambda column: (-product[row, column], column))
        pairs.update({(row, column): product[row, column] for column in order[:k_row]})
    for column in range(product.shape[1]):
        order = sorted((row for row in range(product.shape[0]) if product[row, column] >= threshold and product[row, column] > 0), key=lambda row: (-product[row, column], row))
        pairs.update({(row, column): product[row, column] for row in order[:k_column]})
    return pairs


@pytest.mark.parametrize("levels", [None, 3])
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_top_pairs_are_each_rows_best_both_ways_whatever_the_threads(monkeypatch, levels, threads):
    rng = np.random.default_rng(7)
    # Wider than one tile, so that the right rows are searched in several passes.
    monkeypatch.setattr(kernels, "THREADS", threads)
    left, right = _random_rows(rng, 120, 60, 0.08, levels), _random_rows(rng, kernels.TILE + 500, 60, 0.05, levels)
    rows, columns, values = kernels.top_pairs(left, right, 4, 2, 0.05)
    expected = _expected_pairs(left, right, 4, 2, 0.05)
    assert list(zip(rows.tolist(), columns.tolist())) == sorted(expected)
    assert np.allclose(values, [expected[pair] for pair in sorted(expected)], atol=1e-5)


def test_top_pairs_with_more_places_than_rows_and_with_empty_sides():
    rng = np.random.default_rng(3)
    left, right = _random_rows(rng, 5, 20, 0.4), _random_rows(rng, 3, 20, 0.4)
    rows, columns, _values = kernels.top_pairs(left, right, 10, 10, 0.0001)
    assert set(zip(rows.tolist(), columns.tolist())) == set(_expected_pairs(left, right, 10, 10, 0.0001))
    for empty_left, empty_right in ((left[:0], right), (left, right[:0])):
        rows, columns, values = kernels.top_pairs(empty_left, empty_right, 3, 1, 0.01)
        assert len(rows) == len(columns) == len(values) == 0


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
    left_rows, right_rows = rng.integers(0, 50, 1000), rng.integers(0, 70, 1000)
    expected = np.asarray(left[left_rows].multiply(right[right_rows]).sum(axis=1)).ravel()
    assert np.allclose(kernels.rowwise_dot(left, left_rows, right, right_rows), expected, atol=1e-5)
    assert len(kernels.rowwise_dot(left, left_rows[:0], right, right_rows[:0])) == 0
