"""The candidate search is exact: what it keeps is what a full sort of every row would keep."""

import numpy as np
import pytest
from scipy import sparse

from matching.engine import similarity


def full_sort_top(block: np.ndarray, k: int):
    """The plain way: each row's k-th highest by a full partition, then every finite value at or above it."""
    width = block.shape[1]
    k = min(k, width)
    kth = np.partition(block, width - k, axis=1)[:, width - k]
    rows, columns = np.nonzero((block >= kth[:, None]) & np.isfinite(block))
    return rows, columns


def awkward_block(rng, shape):
    """Scores rounded to two places (many ties), a few strong columns, rows mostly filtered out."""
    block = rng.standard_normal(shape).astype(np.float32) * 0.05
    block[:, rng.integers(0, shape[1], max(1, shape[1] // 50))] += 0.3
    block = np.round(block, 2)
    block[0, :] = -np.inf
    block[0, :3] = 1.0
    if shape[0] > 1:
        block[1, ::2] = -np.inf
    if shape[0] > 2 and shape[1] > 10:
        block[2, 4:9] = 0.9
    if shape[0] > 3:
        block[3, :] = -np.inf
    return block


@pytest.mark.parametrize(
    ("shape", "k"),
    [((40, 20_000), 100), ((60, 3_000), 10), ((7, 50), 10), ((4, 5), 10), ((30, 20_000), 1), ((5, 7_000), 100)],
)
def test_top_in_rows_keeps_exactly_what_a_full_sort_keeps(shape, k):
    rng = np.random.default_rng(sum(shape) + k)
    block = awkward_block(rng, shape)

    rows, columns, values = similarity.top_in_rows(block, k)

    expected_rows, expected_columns = full_sort_top(block, k)
    assert np.array_equal(rows, expected_rows) and np.array_equal(columns, expected_columns)
    assert np.array_equal(values, block[rows, columns])
    assert not np.isin(3, rows)  # a row filtered out entirely keeps nothing


@pytest.mark.parametrize("merge_at", [4_000_000, 500])
def test_the_candidate_search_finds_each_scenarios_best_entries_by_the_proxy(monkeypatch, merge_at):
    """Against a brute-force proxy over a corpus wide enough for the sampled floor to be used; the
    scenarios' best gathered over the blocks of entries ranked once at the end, or after nearly
    every block (their floors raised as the blocks come)."""
    monkeypatch.setattr(similarity, "MERGE_AT", merge_at)
    monkeypatch.setattr(similarity, "CANDIDATES", 20)
    monkeypatch.setattr(similarity, "BLOCK", 16)
    monkeypatch.setattr(similarity, "COMMON_SHARE", 1.0)  # every token counts in the proxy, as below
    rng = np.random.default_rng(7)
    scenarios, entries, vocabulary, dimensions = 50, 2_000, 3_000, 12

    def tfidf_rows(count):
        matrix = sparse.random(count, vocabulary, density=0.01, format="csr", random_state=rng, dtype=np.float32)
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))).ravel()
        return sparse.diags(1 / np.maximum(norms, 1e-9).astype(np.float32)) @ matrix

    def embedded(count):
        vectors = rng.standard_normal((count, dimensions)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    s_vectors, e_vectors = tfidf_rows(scenarios), tfidf_rows(entries).tocsr()
    s_embedded, e_embedded = embedded(scenarios), embedded(entries)
    filters = similarity.Filters(
        required=np.zeros(scenarios, np.int64),
        local_district=np.full(scenarios, -1, np.int64),
        held=np.zeros(entries, np.int64),
        district=np.ones(entries, np.int64),
    )

    s_rows, e_rows, hubs = similarity.candidate_pairs(s_vectors, s_embedded, e_vectors, e_embedded, filters)

    # Brute force: the same proxy, dense.
    proxy = (1 - similarity.ASSOCIATION_SHARE) * (s_vectors @ e_vectors.T).toarray()
    proxy += similarity.ASSOCIATION_SHARE * (s_embedded @ e_embedded.T)
    best_three = -np.sort(-proxy, axis=0)[: similarity.HUB_NEIGHBOURS]
    assert np.allclose(hubs, best_three.mean(axis=0), atol=1e-5)
    discounted = proxy - similarity.HUB_DISCOUNT * hubs[None, :]
    found = set(zip(s_rows.tolist(), e_rows.tolist(), strict=True))
    for scenario in range(scenarios):
        best = np.argsort(-discounted[scenario])[: similarity.CANDIDATES - 1]  # the 20th may tie
        assert {(scenario, entry) for entry in best.tolist()} <= found
    for entry in range(entries):
        best = np.argsort(-proxy[:, entry])[: similarity.ENTRY_CANDIDATES - 1]
        assert {(scenario, entry) for scenario in best.tolist()} <= found


def test_contained_in_answers_as_isin_does():
    from matching.engine.rebuild import contained_in

    rng = np.random.default_rng(3)
    values = rng.integers(-(2**62), 2**62, 2_000)
    pool = np.concatenate([values[::3], rng.integers(-(2**62), 2**62, 500)])
    assert np.array_equal(contained_in(values, pool), np.isin(values, pool))
    assert not contained_in(values, np.zeros(0, np.int64)).any()
    assert np.array_equal(contained_in(np.array([5, 7, 9]), np.array([9, 5])), [True, False, True])


def random_corpus(rng, count, vocabulary=400, dimensions=8):
    matrix = sparse.random(count, vocabulary, density=0.05, format="csr", random_state=rng, dtype=np.float32)
    embedded = rng.standard_normal((count, dimensions)).astype(np.float32)
    return matrix, embedded / np.linalg.norm(embedded, axis=1, keepdims=True)


def test_block_wise_pair_similarity_equals_one_product_per_scenario(monkeypatch):
    """The lexical part to the last bit (same sums in the same order); the blend within float32 rounding."""
    monkeypatch.setattr(similarity, "PAIR_BLOCK", 3)  # several blocks, the last one short
    rng = np.random.default_rng(11)
    s_vectors, s_embedded = random_corpus(rng, 10)
    e_vectors, e_embedded = random_corpus(rng, 60)
    s_rows = rng.integers(0, 10, 300)
    e_rows = rng.integers(0, 60, 300)

    exact = similarity.pair_similarity(s_rows, e_rows, s_vectors, s_embedded, e_vectors, e_embedded)
    lexical = similarity.pair_similarity(
        s_rows, e_rows, s_vectors, np.zeros((10, 0), np.float32), e_vectors, np.zeros((60, 0), np.float32)
    )

    for i in range(len(s_rows)):
        product = (e_vectors[[e_rows[i]]] @ s_vectors[[s_rows[i]]].T).toarray()[0, 0]
        assert lexical[i] == product
        associated = float(e_embedded[e_rows[i]] @ s_embedded[s_rows[i]])
        assert exact[i] == pytest.approx(0.7 * product + 0.3 * associated, abs=1e-6)


def test_pair_wise_need_coverage_equals_the_needs_by_entries_matrix():
    rng = np.random.default_rng(5)
    needs, need_embedded = random_corpus(rng, 12)
    e_vectors, e_embedded = random_corpus(rng, 40)
    need_rows, e_rows = rng.integers(0, 12, 200), rng.integers(0, 40, 200)
    weights = similarity.need_weights(needs)
    present = e_vectors.copy()
    present.data[:] = 1

    found = similarity.pair_need_similarities(need_rows, weights, need_embedded, e_rows, e_vectors, e_embedded)

    contained = (weights @ present.T).toarray()
    matrix = 0.7 * contained + 0.3 * (need_embedded @ e_embedded.T)
    assert np.allclose(found, matrix[need_rows, e_rows], atol=1e-6)
    assert found.dtype == np.float32


def test_coverage_of_flat_need_similarities_applies_the_relative_rule_per_pair():
    # pair 0: needs 0.6 / 0.2 / 0.55; pair 1: no needs; pair 2: 0.02 / 0.01 (best under RELATIVE_FROM)
    values = np.array([0.6, 0.2, 0.55, 0.02, 0.01], dtype=np.float32)
    shares, covered = similarity.coverage(values, np.array([0, 3, 3, 5]))
    assert covered.tolist() == [True, False, True, False, False]
    assert np.allclose(shares, [1.0, 0.4, 1.0, 0.04, 0.02])


def test_rows_sorted_with_their_highest_value_first_as_lexsort_orders_them():
    rng = np.random.default_rng(2)
    rows = rng.integers(0, 30, 5_000)
    values = np.round(rng.standard_normal(5_000), 1).astype(np.float32)
    values[::7], values[::11], values[::13] = -np.inf, 0.0, -0.0
    order = np.lexsort((-values, rows))

    ranked_rows, ranked = similarity.descending_in_rows(rows, values.astype(np.float64))

    assert np.array_equal(ranked_rows, rows[order]) and np.array_equal(ranked, values[order])


def test_each_groups_best_are_what_a_lexsort_of_every_pair_keeps():
    from matching.engine.rebuild import best_in_groups

    rng = np.random.default_rng(4)
    groups = rng.integers(0, 300, 20_000)
    values = rng.standard_normal(20_000)
    values[::3] = np.round(values[::3], 2)  # ties
    values[::5] = values[::5].astype(np.float32) + 1e-12  # equal once rounded to float32, not equal exactly
    for limit in (1, 7, 40, 200):
        order = np.lexsort((-values, groups))
        expected = np.zeros(len(values), dtype=bool)
        expected[order[np.arange(len(order)) - np.searchsorted(groups[order], groups[order]) < limit]] = True
        assert np.array_equal(best_in_groups(groups, values, limit), expected)


def test_the_stored_rows_are_ranked_by_group_score_and_other_side_as_a_lexsort_ranks_them():
    from matching.engine.matches import _ranked

    rng = np.random.default_rng(9)
    pairs = rng.permutation(np.unique(rng.integers(0, 300 * 1000, 30_000)))  # each pair once
    groups, other = pairs // 1000, pairs % 1000
    score = np.round(rng.uniform(0, 100, len(pairs)), 1)
    score[::4] = np.round(score[::4])  # ties, broken by the other side's row
    assert np.array_equal(_ranked(groups, score, other), np.lexsort((other, -score, groups)))
    assert np.array_equal(_ranked(groups, score + 200, other), np.lexsort((other, -score - 200, groups)))


@pytest.mark.parametrize("merge_at", [10**9, 300])
def test_scenario_best_over_blocks_keeps_exactly_what_top_in_rows_keeps_of_the_whole_table(monkeypatch, merge_at):
    """Blocks of entries (rows) × scenarios (columns) arrive one by one, with ties and filtered
    (−inf) values; each scenario's k best with ties at the k-th, as one top_in_rows over the whole
    table gives — a scenario with fewer than k finite values keeps them all."""
    monkeypatch.setattr(similarity, "MERGE_AT", merge_at)
    rng = np.random.default_rng(5)
    entries, scenarios, k = 900, 40, 12
    table = np.round(rng.standard_normal((entries, scenarios)), 1).astype(np.float32)  # many ties
    table[rng.random(table.shape) < 0.05] = -np.inf
    table[5:, 3] = -np.inf  # a scenario that only five entries may answer

    best = similarity.ScenarioBest(scenarios, k)
    for start in range(0, entries, 100):
        rows, columns, values = best.worth_keeping(table[start : start + 100])
        best.add(columns, rows + start, values)
    found = set(zip(*(part.tolist() for part in best.pairs()), strict=True))

    rows, columns, _values = similarity.top_in_rows(np.ascontiguousarray(table.T), k)
    assert found == set(zip(rows.tolist(), columns.tolist(), strict=True))


def test_the_fields_a_scenario_names_are_counted_per_pair_as_a_substring_test_gives():
    """Each distinct (scenario, field) is tested once, and every pair gets its own count: an entry
    listing a field twice counts it twice, a field inside another counts too, an entry without
    fields counts none."""
    from matching.engine.documents import EntryDoc, ScenarioDoc
    from matching.engine.matches import _fields_named

    def scenario(primary, rest):
        return ScenarioDoc(1, primary, [], None, "", None, "", None, "", "", False, True, primary, rest)

    scenarios = [scenario("机器视觉质检", "产线缺陷检测，要求边缘计算"), scenario("团雾预警", "高速公路能见度监测")]
    fields = [["机器视觉", "视觉", "边缘计算"], ["能见度", "能见度"], [], ["区块链"]]
    entries = [EntryDoc(n, "", 1, None, None, "", values, "", "") for n, values in enumerate(fields)]
    rng = np.random.default_rng(2)
    s_rows, e_rows = rng.integers(0, 2, 40), rng.integers(0, 4, 40)

    counted = _fields_named(scenarios, entries, s_rows, e_rows)

    texts = [f"{doc.primary} {doc.rest}" for doc in scenarios]
    expected = [sum(value in texts[s] for value in fields[e]) for s, e in zip(s_rows.tolist(), e_rows.tolist())]
    assert counted.tolist() == expected
    assert {int(count) for count in counted} == {0, 2, 3}


def test_an_svd_that_does_not_converge_leaves_the_model_without_associations_instead_of_stalling(monkeypatch, caplog):
    """ARPACK on a small, repetitive corpus ran 25,000 iterations (ten minutes) and then failed the
    rebuild in CI. PROPACK's iterations are bounded by its basis; a fit that does not converge
    goes without the term associations, logged."""
    from matching.engine import model

    seen = {}

    def no_convergence(matrix, k, solver, v0, rng):
        seen["solver"] = solver
        raise np.linalg.LinAlgError(f"k={k} singular triplets did not converge within kmax={10 * k} iterations")

    monkeypatch.setattr(model, "svds", no_convergence)
    rows = sparse.random(400, 50, density=0.2, format="csr", random_state=1)
    associations = model._associations(rows)
    assert associations.shape == (0, 50)
    assert seen["solver"] == "propack"
    assert "did not converge" in caplog.text


def test_the_association_fit_is_the_same_in_every_run_and_matches_a_dense_svd():
    """The components are the leading right singular vectors (up to sign), and two fits of one
    corpus give the same bits (the start vector and any restart come from a fixed seed)."""
    from matching.engine import model

    rows = sparse.random(600, 240, density=0.05, format="csr", random_state=3, dtype=np.float64)
    first, second = model._associations(rows), model._associations(rows)
    assert first.shape == (100, 240) and np.array_equal(first, second)
    _left, _values, dense = np.linalg.svd(rows.toarray(), full_matrices=False)
    # The cosines of the angles between the two subspaces: all 1 when they are the same.
    cosines = np.linalg.svd(first.astype(np.float64) @ dense[:100].T, compute_uv=False)
    assert cosines.min() > 0.999


def test_the_idf_is_bm25s_positive_for_every_token_and_steeper_than_the_smoothed_one():
    """BM25's idf, ln(1 + (N − df + ½) / (df + ½)): a token in every document still weighs
    something (a fit of two documents sharing a word must not zero it), rarer weighs more, and
    common words weigh less beside a word found once than under the smoothed idf with its + 1."""
    from matching.engine.model import TextModel, bm25_idf

    frequency = np.array([1, 34, 171, 342])
    idf = bm25_idf(342, frequency)
    assert np.allclose(idf, np.log(1 + (342 - frequency + 0.5) / (frequency + 0.5)))
    assert (idf > 0).all() and (np.diff(idf) < 0).all()
    smoothed = np.log(343 / (1 + frequency)) + 1
    assert ((idf / idf[0])[1:] < (smoothed / smoothed[0])[1:]).all()
    names = ["巡检", "机器人", "无人机"]
    text_model, vectors = TextModel.fit([np.array([0, 1]), np.array([0, 2])], names)
    assert text_model.idf[text_model.vocabulary["巡检"]] > 0
    assert vectors[0] @ vectors[1].T > 0
