"""The fitted text model: TF-IDF over words and character bigrams, and term associations.

A document is its tokens (tokens.document_tokens: the title-like part twice, then the rest). The
model learns, from every open scenario and listed entry of the portal:

- the vocabulary and each token's idf (bm25_idf); a document's vector is its sublinear TF-IDF,
  L2-normalised (tokens the model has not seen are ignored until the next fit);
- term associations: a truncated SVD of the TF-IDF matrix (ASSOCIATION_DIMENSIONS components,
  fitted on at most SVD_SAMPLE documents, so a city-scale fit stays cheap). Tokens that occur in
  the same documents get close components, so 团雾 and 能见度 meet even where no text shares a
  word. Only from ASSOCIATIONS_FROM documents on. A document's association vector is its TF-IDF
  vector projected on the components, L2-normalised.

Stored as arrays in an .npz (idf, components) and the vocabulary as JSON beside it: a file under
MEDIA_ROOT is data, never code (no pickle).
"""

import json
import logging
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import svds
from threadpoolctl import threadpool_limits

from matching.engine.text import CONCEPT_PREFIX

ASSOCIATION_DIMENSIONS = 100
# Below this many documents co-occurrence says little (a handful of documents would make every
# token of them "associated"): the model is TF-IDF only.
ASSOCIATIONS_FROM = 200
SVD_SAMPLE = 20_000
SVD_SEED = 20261206
# A concept token (text.concepts: 团雾 and 能见度仪 name one kind of technology) weighs this share of
# its idf. At 1 it already counts less than an exact term: its idf is lower than each of its terms'
# (it is in every document any of them is in), and two texts that share the exact term share its
# words and bigrams too. Measured on the hard set (nDCG@10): 0.5 → 0.736, 0.8 → 0.752, 1 → 0.771,
# 1.3 → 0.779 with the first vocabulary; 1.3 lowered the first set (0.964 → 0.960) and would let
# a concept outweigh a term.
CONCEPT_WEIGHT = 1.0


@dataclass
class TextModel:
    vocabulary: dict[str, int]
    idf: np.ndarray  # float32, one per token
    components: np.ndarray  # float32, dimensions × tokens (empty when the corpus is too small)
    # components.T as a C-ordered array: a sparse × dense product copies a dense operand that is
    # not C-ordered, and copying components.T (10 MB at city scale) took most of a rematch's embed().
    projection: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        self.projection = np.ascontiguousarray(self.components.T)

    @classmethod
    def fit(cls, documents: list[np.ndarray], names: list[str]) -> tuple["TextModel", sparse.csr_matrix]:
        """The model fitted on documents given as arrays of token ids (names[id] is the token),
        and the documents' vectors under it, in order."""
        lengths = np.array([len(ids) for ids in documents], dtype=np.int64)
        columns = np.concatenate(documents) if len(documents) else np.zeros(0, np.int32)
        # Each document's tokens as one row, then repeats summed into counts (sorted within each
        # row): a third of the time of building it from (row, column) pairs.
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        counts = sparse.csr_matrix(
            (np.ones(len(columns), dtype=np.float32), columns, indptr), shape=(len(documents), len(names))
        )
        counts.sum_duplicates()
        present = np.flatnonzero(np.bincount(counts.indices, minlength=len(names)))
        # Columns in token order, not in the order a token cache happened to meet them: the same
        # corpus gives the same fit (the SVD depends on the column order).
        present = present[np.argsort(np.array(names, dtype=object)[present], kind="stable")]
        counts = counts[:, present].tocsr()
        counts.data = 1 + np.log(counts.data)
        vocabulary = {names[column]: position for position, column in enumerate(present.tolist())}
        frequency = np.bincount(counts.indices, minlength=len(present))
        idf = bm25_idf(len(documents), frequency)
        concept = np.array([names[column].startswith(CONCEPT_PREFIX) for column in present.tolist()], dtype=bool)
        idf[concept] *= CONCEPT_WEIGHT
        vectors = cls(vocabulary, idf, np.zeros((0, len(present)), np.float32))._weighted(counts)
        return cls(vocabulary, idf, _associations(vectors)), vectors

    # ---- documents → vectors ------------------------------------------------------------------------

    def vectors(self, documents: list[list[str]]) -> sparse.csr_matrix:
        """Sublinear TF-IDF, L2-normalised, one row per document (float32)."""
        return self._weighted(self._counts(documents))

    def embed(self, vectors: sparse.csr_matrix) -> np.ndarray:
        """Association vectors (L2-normalised), one row per document; zero-width when not fitted."""
        if not len(self.components):
            return np.zeros((vectors.shape[0], 0), dtype=np.float32)
        return _normalised_rows(np.asarray(vectors @ self.projection, dtype=np.float32))

    def _counts(self, documents: list[list[str]]) -> sparse.csr_matrix:
        indptr, indices, values = [0], [], []
        vocabulary = self.vocabulary
        for tokens in documents:
            counted = Counter(token for token in tokens if token in vocabulary)
            indices.extend(vocabulary[token] for token in counted)
            values.extend(1 + math.log(count) for count in counted.values())
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.array(values, dtype=np.float32), np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int64)),
            shape=(len(documents), len(vocabulary)),
        )

    def _weighted(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        weighted = counts.multiply(self.idf[np.newaxis, :]).tocsr().astype(np.float32)
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        return sparse.csr_matrix(sparse.diags(1 / norms) @ weighted, dtype=np.float32)

    # ---- storage --------------------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """path.npz (idf, components) and path.json (the vocabulary in column order)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path.with_suffix(".npz"), idf=self.idf, components=self.components)
        tokens = sorted(self.vocabulary, key=self.vocabulary.get)
        path.with_suffix(".json").write_text(json.dumps(tokens, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "TextModel":
        tokens = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        with np.load(path.with_suffix(".npz"), allow_pickle=False) as arrays:
            return cls({token: column for column, token in enumerate(tokens)}, arrays["idf"], arrays["components"])


def _associations(matrix: sparse.csr_matrix) -> np.ndarray:
    """The SVD's right singular vectors (dimensions × tokens), from a fixed sample of documents."""
    rows, columns = matrix.shape
    if rows > SVD_SAMPLE:
        sample = np.sort(np.random.default_rng(SVD_SEED).choice(rows, SVD_SAMPLE, replace=False))
        matrix = matrix[sample]
        rows = SVD_SAMPLE
    dimensions = min(ASSOCIATION_DIMENSIONS, rows // 3, columns - 1)
    if rows < ASSOCIATIONS_FROM or dimensions < 2:
        return np.zeros((0, columns), dtype=np.float32)
    rng = np.random.default_rng(SVD_SEED)  # the start vector and any restart: same fit, same run
    try:
        # PROPACK (Lanczos bidiagonalisation) gives ARPACK's components (the same to 1e-11) in 1.5–1.7 s
        # of the city's fit instead of 3.4–3.9 s. Its iterations are bounded by its basis (10 × the
        # dimensions): a small, repetitive corpus (many equal singular values), on which ARPACK once
        # ran for ten minutes in CI, fails fast instead.
        # One BLAS thread: the dense steps are small, and OpenBLAS's threads spin while they wait; on
        # a machine whose cores are busy the city's fit took 37 s (19 CPU s) instead of 8 s (5 CPU s)
        # with ARPACK. The fit is then also the same on any number of cores.
        with threadpool_limits(limits=1, user_api="blas"):
            _left, _values, right = svds(
                matrix.astype(np.float64), k=dimensions, solver="propack", v0=rng.random(rows), rng=rng
            )
    except np.linalg.LinAlgError:
        # The model then goes without term associations (exact and concept tokens still match)
        # rather than stall the rebuild.
        logging.getLogger(__name__).warning("matching: the association SVD did not converge; fitted without it")
        return np.zeros((0, columns), dtype=np.float32)
    return right.astype(np.float32)


def bm25_idf(documents: int, frequency: np.ndarray) -> np.ndarray:
    """ln(1 + (N − df + ½) / (df + ½)), the idf of BM25 (as Lucene computes it): positive for every
    token, and steeper than the smoothed ln((1 + N) / (1 + df)) + 1 used before, whose + 1 lifted
    common words (in the hard set's 342 documents, a word found in one document of ten weighed 0.53
    of a word found once; 0.42 now, and a word in half of them 0.27 → 0.13). On the hard
    labelled set a shared distinctive term then outweighs a run of common ones: nDCG@10 0.832 →
    0.851 (each of its three parts gained: 0.851 → 0.870, 0.836 → 0.841, 0.808 → 0.841), the first
    set 0.966 → 0.965; ln((1 + N) / df) gave the same figures."""
    return np.log1p((documents - frequency + 0.5) / (frequency + 0.5)).astype(np.float32)


def _normalised_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return matrix / norms
