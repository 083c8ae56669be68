"""TF-IDF over jieba words and character n-grams, written with numpy/scipy so a rebuild from
cached token ids is a few array operations.

Each document becomes one row of a fused matrix: its word TF-IDF vector (sublinear tf, smooth
idf, L2-normalised) scaled by √WORD_SHARE next to its character vector scaled by √CHAR_SHARE. The
dot product of two rows is then WORD_SHARE·cos(words) + CHAR_SHARE·cos(characters).

A need item gets a different vector: its tokens, idf-weighted and L1-normalised; its dot product
with an entry's binary row is the idf-weighted share of the need's tokens the entry contains
(how well the entry covers that need).
"""

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

WORD_SHARE = 0.6
CHAR_SHARE = 0.4
# Tokens in more than this share of the documents (的, 系统-like filler) carry no signal and would
# make every pair a candidate; at city scale they are left out (idf 0). Small corpora keep them.
MAX_DF = 0.2
MAX_DF_FROM = 1000  # documents


@dataclass
class Vocabulary:
    """Token → column id; grows while a rebuild tokenises, frozen afterwards."""

    ids: dict[str, int] = field(default_factory=dict)

    def encode(self, tokens: list[str], grow: bool) -> np.ndarray:
        if grow:
            # Known tokens are looked up at C speed (map); new ones, rare once a few thousand
            # documents are in, get the next id.
            found = list(map(self.ids.get, tokens))
            if None in found:
                ids = self.ids
                for position, value in enumerate(found):
                    if value is None:
                        found[position] = ids.setdefault(tokens[position], len(ids))
            return np.array(found, dtype=np.int32)
        get = self.ids.get
        return np.fromiter((i for i in (get(token, -1) for token in tokens) if i >= 0), dtype=np.int32)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Bags:
    """Token counts of many documents as one CSR layout: document i has the (sorted, unique)
    token ids indices[indptr[i]:indptr[i + 1]] with their counts. Kept this way in the token cache
    and in memory, so a rebuild builds its matrices without a Python loop per document."""

    indptr: np.ndarray  # int64, len = documents + 1
    indices: np.ndarray  # int32
    counts: np.ndarray  # float32

    @classmethod
    def empty(cls) -> "Bags":
        return cls(np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))

    @classmethod
    def from_sequences(cls, documents: list[np.ndarray]) -> "Bags":
        """From token id sequences (repeats allowed)."""
        lengths = np.fromiter((len(document) for document in documents), dtype=np.int64, count=len(documents))
        indptr = np.zeros(len(documents) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        indices = np.concatenate(documents).astype(np.int32) if documents else np.zeros(0, dtype=np.int32)
        width = int(indices.max()) + 1 if len(indices) else 1
        counts = sparse.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(documents), width)
        )
        counts.sum_duplicates()  # sorts each row's ids and adds up repeats
        return cls(counts.indptr.astype(np.int64), counts.indices.astype(np.int32), counts.data.astype(np.float32))

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def take(self, rows: np.ndarray) -> "Bags":
        """The documents at these rows, in this order (vectorised gather)."""
        rows = np.asarray(rows, dtype=np.int64)
        starts, lengths = self.indptr[rows], self.indptr[rows + 1] - self.indptr[rows]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        positions = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1], dtype=np.int64)
        return Bags(indptr, self.indices[positions], self.counts[positions])

    @staticmethod
    def concatenate(parts: list["Bags"]) -> "Bags":
        parts = [part for part in parts if len(part)] or [Bags.empty()]
        offsets = np.cumsum([0] + [part.indptr[-1] for part in parts[:-1]])
        indptr = np.concatenate([[0]] + [part.indptr[1:] + offset for part, offset in zip(parts, offsets)]).astype(
            np.int64
        )
        return Bags(
            indptr, np.concatenate([part.indices for part in parts]), np.concatenate([part.counts for part in parts])
        )

    def matrix(self, width: int) -> sparse.csr_matrix:
        """Term counts (ids at or beyond width, unknown to a frozen vocabulary, are dropped)."""
        bags = self
        if len(self.indices) and self.indices.max() >= width:
            known = self.indices < width
            kept = np.concatenate([[0], np.cumsum(known)])
            bags = Bags(kept[self.indptr], self.indices[known], self.counts[known])
        # Copies: the callers reweight and compact the matrix in place.
        return sparse.csr_matrix(
            (bags.counts.copy(), bags.indices.copy(), bags.indptr.copy()), shape=(len(bags), width)
        )


def _counts(documents, width: int) -> sparse.csr_matrix:
    """Term counts of documents given as Bags or as token id sequences."""
    bags = documents if isinstance(documents, Bags) else Bags.from_sequences(documents)
    return bags.matrix(width)


def _normalise_rows(matrix: sparse.csr_matrix, order: int) -> sparse.csr_matrix:
    """Each row divided by its L1 or L2 norm (scaled in place on a copy: a diagonal matrix
    product costs a millisecond of overhead per call, and rematches make many small calls)."""
    matrix = sparse.csr_matrix(matrix, copy=True)
    if order == 2:
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    else:
        norms = np.asarray(abs(matrix).sum(axis=1)).ravel()
    norms[norms == 0] = 1
    matrix.data = matrix.data * np.repeat((1 / norms).astype(np.float32), np.diff(matrix.indptr))
    return matrix


@dataclass
class TextModel:
    words: Vocabulary
    chars: Vocabulary
    word_idf: np.ndarray
    char_idf: np.ndarray

    @classmethod
    def fit(cls, words: Vocabulary, chars: Vocabulary, word_documents, char_documents) -> "TextModel":
        """Document frequencies over every document (both sides share one idf). Documents are Bags
        or lists of token id sequences, here and below."""
        return cls(
            words=words,
            chars=chars,
            word_idf=_idf(word_documents, len(words)),
            char_idf=_idf(char_documents, len(chars)),
        )

    def _part(self, documents, idf: np.ndarray) -> sparse.csr_matrix:
        counts = _counts(documents, len(idf))
        counts.data = (1 + np.log(counts.data)) * idf[counts.indices]
        counts.eliminate_zeros()
        return _normalise_rows(counts, 2)

    def matrix(self, word_documents, char_documents) -> sparse.csr_matrix:
        """The fused, L2-normalised rows of these documents."""
        return sparse.hstack(
            [
                self._part(word_documents, self.word_idf) * np.float32(np.sqrt(WORD_SHARE)),
                self._part(char_documents, self.char_idf) * np.float32(np.sqrt(CHAR_SHARE)),
            ],
            format="csr",
        )

    def need_matrix(self, word_documents, char_documents) -> sparse.csr_matrix:
        """Idf-weighted token sets, each part L1-normalised and weighted by its share."""
        parts = []
        for documents, idf, share in (
            (word_documents, self.word_idf, WORD_SHARE),
            (char_documents, self.char_idf, CHAR_SHARE),
        ):
            counts = _counts(documents, len(idf))
            counts.data = idf[counts.indices].astype(np.float32)
            counts.eliminate_zeros()
            parts.append(_normalise_rows(counts, 1) * np.float32(share))
        need = sparse.hstack(parts, format="csr")
        # A need with words but no characters (or the reverse) still sums to 1.
        return _normalise_rows(need, 1)

    def encode(self, words: list[str], chars: list[str]) -> tuple[np.ndarray, np.ndarray]:
        return self.words.encode(words, grow=False), self.chars.encode(chars, grow=False)


def _idf(documents, width: int) -> np.ndarray:
    frequency = np.zeros(width, dtype=np.float64)
    if len(documents):
        bags = documents if isinstance(documents, Bags) else Bags.from_sequences(documents)
        # A document's token ids are unique: counting the ids counts the documents (no matrix built).
        indices = (
            bags.indices[bags.indices < width] if len(bags.indices) and bags.indices.max() >= width else bags.indices
        )
        frequency = np.bincount(indices, minlength=width)[:width].astype(np.float64)
    idf = np.log((1 + len(documents)) / (1 + frequency)) + 1
    if len(documents) >= MAX_DF_FROM:
        idf[frequency > MAX_DF * len(documents)] = 0
    return idf.astype(np.float32)


def binary(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """The same pattern with every value 1 (the index arrays are shared, not copied)."""
    return sparse.csr_matrix((np.ones_like(matrix.data), matrix.indices, matrix.indptr), shape=matrix.shape)
