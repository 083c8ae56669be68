"""Chinese text → tokens for matching.

Before tokenising, every phrase of the synonym list (data/synonyms.txt) is replaced by its
canonical form, so 电子印章 and 电子签章 become the same token. Words come from jieba with the
domain dictionary (data/terms.txt plus every canonical synonym) loaded, the HMM new-word finder
off (the dictionary covers the technical terms, and it halves the time). Character bigrams of
the Chinese runs are added, so a phrasing jieba splits differently still overlaps.

jieba_fast, when installed (the optional extra: pip install -e ".[fast]"; it needs a C compiler), is
jieba with its word graph and path search in C: the same dictionary, the same cuts
(tests/matching/test_matching_text.py checks), about 1.7 times as fast. Plain jieba is the default.

Concepts (data/concepts.txt): groups of terms that name the same need in a buyer's and in a
supplier's words (团雾, 低能见度, 能见度仪 …). Each term found in the normalised text adds its group's
concept token (CONCEPT_PREFIX + the group's name) beside the words (a term counts on jieba's word
boundaries only), so two texts that share no
wording but name the same kind of technology still meet; the model weighs a concept token below
an exact term (model.CONCEPT_WEIGHT).
"""

import hashlib
import logging
import multiprocessing
import os
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np

try:
    import jieba_fast as jieba
except ImportError:  # a build without a C compiler: the same cuts, slower
    import jieba

jieba.setLogLevel(logging.WARNING)

DATA = Path(__file__).resolve().parent / "data"

# Words that carry no meaning for matching (grammar, and the filler of every brochure).
STOPWORDS = frozenset(
    """
    的 了 和 与 及 或 等 在 对 为 以 于 是 有 将 并 其 可 由 从 被 把
    向 到 也 又 就 都 而 且 但 如 若 该 本 各 每 之 所 个 中 上 下 内 外
    我们 我司 公司 企业 单位 提供 实现 进行 通过 基于 采用 利用 具有
    具备 支持 能够 可以 需要 要求 包括 相关 主要 以及 一套 一种 多种
    系统 平台 解决方案 方案 产品 技术 服务 项目 建设 应用 功能 模块 能力
    场景 需求 实际 有效 全面 综合 一体化 智能化 数字化 信息化 高效 先进
    领先 国内 行业 客户 用户 提升 提高 降低 保障 满足 完成 开展 推进
    打造 构建 形成 结合 实时 自动 智能 智慧 一站式 全方位 多维度
    """.split()
)
_TOKEN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z][A-Za-z0-9+.#-]*|\d+(?:\.\d+)?")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
CONCEPT_PREFIX = "~"  # no word or bigram starts with it
_lock = threading.Lock()


@lru_cache(maxsize=1)
def tokeniser_fingerprint() -> int:
    """A signed 64-bit digest of what decides a text's tokens: this module's code and every file of
    data/ (synonyms, terms, concepts). The token cache keeps it, so tokens cached before an edit of
    the vocabulary or of the rules are not reused (a document's own digest covers only its text)."""
    digest = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=8)
    for path in sorted(DATA.glob("*.txt")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return int.from_bytes(digest.digest(), "big", signed=True)


def _read_lines(name: str) -> list[str]:
    return [
        line.strip()
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


@lru_cache(maxsize=1)
def synonym_table() -> dict[str, str]:
    """{variant: canonical}."""
    table = {}
    for line in _read_lines("synonyms.txt"):
        canonical, *variants = line.split()
        for variant in variants:
            table[variant] = canonical
            table[variant.lower()] = canonical
    return table


@lru_cache(maxsize=1)
def _synonym_pattern() -> re.Pattern | None:
    """Any variant, the longest where several start at one place. Written as a trie (电子(?:印章|公章)…)
    rather than one alternative per variant: the regex engine then rejects most positions at
    their first character instead of trying every variant there."""
    trie: dict = {}
    for variant in synonym_table():
        node = trie
        for character in variant.lower():
            node = node.setdefault(character, {})
        node[""] = {}  # a variant ends here
    return re.compile(_trie_pattern(trie), re.IGNORECASE) if trie else None


def _trie_pattern(node: dict) -> str:
    branches = [re.escape(character) + _trie_pattern(child) for character, child in sorted(node.items()) if character]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Where a variant also ends here, the longer continuation is tried first (greedy "?").
    return f"(?:{body})?" if "" in node else body


@lru_cache(maxsize=1)
def concept_table() -> dict[str, tuple[str, ...]]:
    """{term as it reads after normalising, lower case: the names of the concepts it belongs to}.
    A line of concepts.txt is the concept's name (itself a term) and its other terms."""
    table: dict[str, list[str]] = {}
    for line in _read_lines("concepts.txt"):
        name, *terms = line.split()
        for term in (name, *terms):
            names = table.setdefault(normalise(term).lower(), [])
            if name not in names:
                names.append(name)
    return {term: tuple(names) for term, names in table.items()}


@lru_cache(maxsize=1)
def _concept_prefixes() -> frozenset[str]:
    """Every beginning of a concept term, so that a search stops as soon as no term can follow."""
    return frozenset(term[:end] for term in concept_table() for end in range(1, len(term) + 1))


def _concepts_in(pieces: list[str]) -> list[tuple[str, str]]:
    """(concept name, the term as written) for each term the jieba pieces spell, the longest where
    several start at one piece. Terms are read whole pieces at a time, so a term only counts on
    word boundaries: 体检 is not found in 气体检测 (气体/检测), nor 作业 in 作业面 … unless jieba
    cuts it so."""
    table, prefixes = concept_table(), _concept_prefixes()
    found, start, count = [], 0, len(pieces)
    while start < count:
        joined, end, best = "", start, None
        while end < count:
            joined += pieces[end].lower()
            if joined not in prefixes:
                break
            end += 1
            if joined in table:
                best = end
        if best is None:
            start += 1
            continue
        written = "".join(pieces[start:best])
        found.extend((name, written) for name in table[written.lower()])
        start = best
    return found


# concept_terms of the title-like parts that the last tokenise_many tokenised, found in its
# processes from the cut their tokens came from: a first build explains 548,000 pairs of 110,000
# documents, and cutting each title again in this process took a quarter of its write phase.
_tokenised_terms: dict[str, tuple[tuple[str, str], ...]] = {}


@lru_cache(maxsize=131_072)  # the explanation asks once per pair, of a few thousand short texts
def concept_terms(text: str) -> tuple[tuple[str, str], ...]:
    """(concept name, the first of its terms the text names), in the order the text names them."""
    known = _tokenised_terms.get(text)
    return _first_terms(_concepts_in(_pieces(normalise(text)))) if known is None else known


def _first_terms(found: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    first: dict[str, str] = {}
    for name, written in found:
        first.setdefault(name, written)
    return tuple(first.items())


def concepts(text: str, normalised: bool = False) -> list[str]:
    """The concept tokens of the text, one per term found (a concept named twice counts twice)."""
    return [CONCEPT_PREFIX + name for name, _written in _concepts_in(_pieces(text if normalised else normalise(text)))]


@lru_cache(maxsize=1)
def tokenizer():
    """One jieba tokenizer per process, with the domain dictionary (loading takes about a second)."""
    with _lock:
        segmenter = jieba.Tokenizer()
        segmenter.initialize()
        terms = set(_read_lines("terms.txt")) | {line.split()[0] for line in _read_lines("synonyms.txt")}
        for term in sorted(terms):
            segmenter.add_word(term, freq=2_000_000)
        return segmenter


def normalise(text: str) -> str:
    text = (text or "").replace("\u3000", " ")
    pattern = _synonym_pattern()
    return (
        pattern.sub(
            lambda match: synonym_table().get(
                match.group(0), synonym_table().get(match.group(0).lower(), match.group(0))
            ),
            text,
        )
        if pattern
        else text
    )


@lru_cache(maxsize=65_536)  # entries repeat a few thousand fields: a rebuild looks each up once
def field_key(value: str) -> str:
    """A technology field as fields are compared (DomainFieldAffinity): synonyms replaced, lower
    case, no spaces — 机器视觉 and 机器 视觉 are one field."""
    return "".join(normalise(value or "").lower().split())


def _kept_word(piece: str) -> str | None:
    """The token a jieba piece gives, or None: stopwords and single Chinese characters dropped."""
    piece = piece.strip().lower()
    if not piece or piece in STOPWORDS or not _TOKEN.fullmatch(piece):
        return None
    if len(piece) == 1 and not piece.isdigit():
        return None
    return piece


_kept_words: dict[str, str | None] = {}  # piece → _kept_word(piece): pieces repeat endlessly


def _pieces(normalised: str) -> list[str]:
    """jieba's cut of the normalised text, every piece (spaces and punctuation too)."""
    return list(tokenizer().cut(normalised, HMM=False))


def words(text: str, normalised: bool = False, pieces: list[str] | None = None) -> list[str]:
    """jieba words of the normalised text, stopwords and single Chinese characters dropped."""
    kept = _kept_words
    if len(kept) > 1_000_000:
        kept.clear()
    found = []
    for piece in _pieces(text if normalised else normalise(text)) if pieces is None else pieces:
        token = kept.get(piece, "")
        if token == "":
            token = kept[piece] = _kept_word(piece)
        if token is not None:
            found.append(token)
    return found


def char_bigrams(text: str, normalised: bool = False) -> list[str]:
    """Character bigrams of each run of Chinese characters in the normalised text."""
    grams = []
    for run in _CJK_RUN.findall(text if normalised else normalise(text)):
        grams.extend(map(str.__add__, run, run[1:]))
    return grams


def document_tokens(primary: str, rest: str) -> list[str]:
    """A document's tokens: words, character bigrams and concepts of the title-like part (counted
    twice: it says what is wanted or offered most plainly), then of the rest."""
    return _tokens_and_terms(primary, rest)[0]


def _tokens_and_terms(primary: str, rest: str) -> tuple[list[str], tuple[tuple[str, str], ...]]:
    """document_tokens, and concept_terms(primary) from the same cut."""
    tokens, terms = [], []
    for part, times in ((primary, 2), (rest, 1)):
        normalised = normalise(part)
        pieces = _pieces(normalised)
        concepts_found = _concepts_in(pieces)
        found = words(normalised, pieces=pieces) + char_bigrams(normalised, normalised=True)
        found += [CONCEPT_PREFIX + name for name, _written in concepts_found]
        tokens.extend(found * times)
        terms.append(_first_terms(concepts_found))
    return tokens, terms[0]


# A rebuild with this many documents to tokenise spreads them over a process pool, one process per
# core (jieba holds the GIL): each starts in about a second, so fewer documents stay in this process.
PARALLEL_FROM = 5_000
CHUNK = 2_000


def tokenise_many(texts: list[tuple[str, str]]):
    """Yields, for each chunk of CHUNK (primary, rest) texts in order: (the chunk's distinct
    tokens, the concatenated indices into them of each document's tokens (int32), each document's
    token count). The pool's processes are spawned, not forked: a worker process with threads and
    database connections is never copied."""
    chunks = [texts[start : start + CHUNK] for start in range(0, len(texts), CHUNK)]
    workers = min(os.cpu_count() or 1, len(chunks))
    _tokenised_terms.clear()
    pool = None
    if len(texts) >= PARALLEL_FROM and workers >= 2:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        try:
            results = pool.map(_tokenise_chunk, chunks)  # the processes start here
        except (AssertionError, OSError) as error:  # e.g. a daemonic process may not have children
            pool.shutdown()
            pool = None
            logging.getLogger(__name__).warning("matching: no process pool (%s); tokenising in this process", error)
    if pool is None:
        results = map(_tokenise_chunk, chunks)
    try:
        for chunk, (names, ids, counts, terms) in zip(chunks, results):
            _tokenised_terms.update(zip((primary for primary, _rest in chunk), terms))
            yield names, ids, counts
    finally:
        if pool is not None:
            pool.shutdown()


def _tokenise_chunk(texts: list[tuple[str, str]]) -> tuple[list[str], np.ndarray, np.ndarray, list]:
    """One chunk of tokenise_many, as token indices: a list of a chunk's distinct tokens and two
    arrays cross between processes far faster than a string per token; and each document's
    concept_terms of its title-like part."""
    index: dict[str, int] = {}
    ids, counts, terms = [], [], []
    for primary, rest in texts:
        tokens, primary_terms = _tokens_and_terms(primary, rest)
        ids.extend(index.setdefault(token, len(index)) for token in tokens)
        counts.append(len(tokens))
        terms.append(primary_terms)
    return list(index), np.array(ids, dtype=np.int32), np.array(counts, dtype=np.int64), terms
