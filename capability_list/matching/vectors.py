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
            ids = self.ids
            setdefault = ids.setdefault
            return np.fromiter((setdefault(token, len(ids)) for token in tokens), dtype=np.int32, count=len(tokens))
        get = self.ids.get
        return np.fromiter((i for i in (get(token, -1) for token in tokens) if i >= 0), dtype=np.int32)

    def __len__(self) -> int:
        return len(self.ids)


def _counts(documents: list[np.ndarray], width: int) -> sparse.csr_matrix:
    """Term counts: one row per document of token ids."""
    lengths = np.fromiter((len(document) for document in documents), dtype=np.int64, count=len(documents))
    indptr = np.zeros(len(documents) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.concatenate(documents) if documents else np.zeros(0, dtype=np.int32)
    counts = sparse.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(documents), width))
    counts.sum_duplicates()
    return counts


def _normalise_rows(matrix: sparse.csr_matrix, order: int) -> sparse.csr_matrix:
    if order == 2:
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    else:
        norms = np.asarray(abs(matrix).sum(axis=1)).ravel()
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags((1 / norms).astype(np.float32)) @ matrix)


@dataclass
class TextModel:
    words: Vocabulary
    chars: Vocabulary
    word_idf: np.ndarray
    char_idf: np.ndarray

    @classmethod
    def fit(cls, words: Vocabulary, chars: Vocabulary, word_documents: list[np.ndarray], char_documents: list[np.ndarray]) -> "TextModel":
        """Document frequencies over every document (both sides share one idf)."""
        return cls(words=words, chars=chars, word_idf=_idf(word_documents, len(words)), char_idf=_idf(char_documents, len(chars)))

    def _part(self, documents: list[np.ndarray], idf: np.ndarray) -> sparse.csr_matrix:
        counts = _counts(documents, len(idf))
        counts.data = (1 + np.log(counts.data)) * idf[counts.indices]
        counts.eliminate_zeros()
        return _normalise_rows(counts, 2)

    def matrix(self, word_documents: list[np.ndarray], char_documents: list[np.ndarray]) -> sparse.csr_matrix:
        """The fused, L2-normalised rows of these documents."""
        return sparse.hstack(
            [self._part(word_documents, self.word_idf) * np.float32(np.sqrt(WORD_SHARE)), self._part(char_documents, self.char_idf) * np.float32(np.sqrt(CHAR_SHARE))],
            format="csr",
        )

    def need_matrix(self, word_documents: list[np.ndarray], char_documents: list[np.ndarray]) -> sparse.csr_matrix:
        """Idf-weighted token sets, each part L1-normalised and weighted by its share."""
        parts = []
        for documents, idf, share in ((word_documents, self.word_idf, WORD_SHARE), (char_documents, self.char_idf, CHAR_SHARE)):
            counts = _counts(documents, len(idf))
            counts.data = idf[counts.indices].astype(np.float32)
            counts.eliminate_zeros()
            parts.append(_normalise_rows(counts, 1) * np.float32(share))
        need = sparse.hstack(parts, format="csr")
        # A need with words but no characters (or the reverse) still sums to 1.
        return _normalise_rows(need, 1)

    def encode(self, words: list[str], chars: list[str]) -> tuple[np.ndarray, np.ndarray]:
        return self.words.encode(words, grow=False), self.chars.encode(chars, grow=False)


def _idf(documents: list[np.ndarray], width: int) -> np.ndarray:
    frequency = np.zeros(width, dtype=np.float64)
    if documents:
        presence = _counts(documents, width)
        frequency = np.bincount(presence.indices, minlength=width).astype(np.float64)
    idf = np.log((1 + len(documents)) / (1 + frequency)) + 1
    if len(documents) >= MAX_DF_FROM:
        idf[frequency > MAX_DF * len(documents)] = 0
    return idf.astype(np.float32)


def binary(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """The same pattern with every value 1 (the index arrays are shared, not copied)."""
    return sparse.csr_matrix((np.ones_like(matrix.data), matrix.indices, matrix.indptr), shape=matrix.shape)
