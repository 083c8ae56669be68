"""Tokenisation for matching: jieba_fast (C) cuts exactly as plain jieba does, and the token filters."""

import logging
import subprocess
import sys
from pathlib import Path

import jieba
import pytest

from matching.engine import text
from tests.matching.matching_eval_data import dataset


def _plain_jieba():
    jieba.setLogLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    segmenter.initialize()
    terms = set(text._read_lines("terms.txt")) | {line.split()[0] for line in text._read_lines("synonyms.txt")}
    for term in sorted(terms):
        segmenter.add_word(term, freq=2_000_000)
    return segmenter


def test_the_fast_tokenizer_cuts_the_evaluation_texts_as_plain_jieba_does():
    # jieba_fast comes with the [fast] extra (it needs a C compiler); without it the fallback is plain jieba itself.
    pytest.importorskip("jieba_fast")
    assert text.jieba.__name__ == "jieba_fast"
    plain = _plain_jieba()
    data = dataset()
    texts = [row["title"] + " " + " ".join(row["needs"]) + " " + row["need_description"] for row in data["scenarios"]]
    texts += [row["name"] + " " + row["description"] for row in data["entries"]]
    for value in texts:
        normalised = text.normalise(value)
        assert list(text.tokenizer().cut(normalised, HMM=False)) == list(plain.cut(normalised, HMM=False)), value


def test_without_jieba_fast_plain_jieba_tokenises():
    program = (
        "import sys; sys.modules['jieba_fast'] = None\n"  # as if the [fast] extra were not installed
        "from matching.engine import text\n"
        "print(text.jieba.__name__, text.words('北斗 RTK 定位的车'))"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", program], cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "jieba ['北斗', 'rtk', '定位']"


@pytest.mark.parametrize(
    ("value", "expected_words"),
    [
        ("电子印章系统平台", ["电子签章"]),  # a synonym, then 系统 and 平台 (filler) dropped
        (
            "北斗 RTK 定位的车",
            ["北斗", "rtk", "定位"],
        ),  # Latin lower-cased, stopwords and single Chinese characters dropped
    ],
)
def test_words_drop_stopwords_and_single_characters_and_apply_synonyms(value, expected_words):
    assert text.words(value) == expected_words
    assert text.words(value) == expected_words  # the second time from the piece cache


def test_character_bigrams_of_each_chinese_run():
    assert text.char_bigrams("车位检测, 识别") == ["车位", "位检", "检测", "识别"]


def test_a_documents_tokens_count_the_primary_part_twice():
    from collections import Counter

    primary, rest = "电子印章 系统 区块链", "电子签章、电子印章与 CA 证书；支持 OFD"
    tokens = Counter(text.document_tokens(primary, rest))
    once = Counter(text.document_tokens("", primary))
    rest_only = Counter(text.document_tokens("", rest))
    assert tokens == once + once + rest_only
    assert tokens["电子签章"] == 2 + 2  # 电子印章 is normalised to 电子签章 (synonyms), in both parts
    assert "ca" in tokens and "ofd" in tokens


def test_synonyms_are_replaced_as_the_longest_variant_first_alternation_would():
    import re

    table = text.synonym_table()
    plain = re.compile("|".join(re.escape(variant) for variant in sorted(table, key=len, reverse=True)), re.IGNORECASE)

    def reference(value: str) -> str:
        return plain.sub(
            lambda match: table.get(match.group(0), table.get(match.group(0).lower(), match.group(0))),
            value.replace("\u3000", " "),
        )

    data = dataset()
    texts = [row["title"] + " " + " ".join(row["needs"]) + " " + row["need_description"] for row in data["scenarios"]]
    texts += [row["name"] + " " + row["description"] for row in data["entries"]]
    # Every variant alone, glued to its neighbours and in upper case, so overlapping variants meet.
    variants = sorted(table)
    texts += ["".join(variants), " ".join(variants).upper(), "\u3000".join(reversed(variants))]
    replaced = 0
    for value in texts:
        assert text.normalise(value) == reference(value), value
        replaced += text.normalise(value) != value
    assert replaced > 10


def test_a_process_pool_tokenises_documents_as_this_process_does(tmp_path, monkeypatch):
    """A rebuild with many documents to tokenise spreads them over spawned processes in chunks:
    each document gets the same tokens, in the same order, as document_tokens gives here, and the
    cache keeps them under the document's digest (a digest given twice is tokenised once)."""
    from matching.engine import store

    data = dataset()
    texts = [(row["name"], row["description"]) for row in data["entries"][:7]]
    texts += [(row["title"], row["need_description"]) for row in data["scenarios"][:2]]
    monkeypatch.setattr(text, "PARALLEL_FROM", 1)  # a pool even for these few
    monkeypatch.setattr(text, "CHUNK", 4)  # three chunks over two processes
    cache = store.TokenCache(tmp_path / "tokens")
    documents = [(1000 + number, primary, rest) for number, (primary, rest) in enumerate(texts)]
    cache.tokenise(documents + documents[:2])

    for digest, primary, rest in documents:
        assert [cache.names[token] for token in cache.ids(digest)] == text.document_tokens(primary, rest)


def test_without_a_process_pool_the_documents_are_tokenised_in_this_process(monkeypatch, caplog):
    """A process that may not start children (a daemonic one) tokenises the chunks itself, with
    the same tokens, and says so in the log."""

    class RefusedPool:
        def __init__(self, *args, **kwargs):
            pass

        def map(self, *args):
            raise AssertionError("daemonic processes are not allowed to have children")

        def shutdown(self):
            pass

    monkeypatch.setattr(text, "PARALLEL_FROM", 1)
    monkeypatch.setattr(text, "CHUNK", 2)
    monkeypatch.setattr(text, "ProcessPoolExecutor", RefusedPool)
    texts = [("团雾预警", "高速公路能见度监测"), ("机器视觉质检", "缺陷检测"), ("电子印章", "签章平台")]

    chunks = list(text.tokenise_many(texts))

    tokens = [[names[i] for i in ids] for names, ids, _counts in chunks]
    counts = [count for _names, _ids, chunk_counts in chunks for count in chunk_counts.tolist()]
    flat = [token for chunk in tokens for token in chunk]
    assert flat == [token for primary, rest in texts for token in text.document_tokens(primary, rest)]
    assert counts == [len(text.document_tokens(primary, rest)) for primary, rest in texts]
    assert "no process pool" in caplog.text


def test_concept_terms_kept_from_tokenising_are_those_of_the_title_like_part_alone():
    """A first build's explanations take each title's concept terms from its tokenising (text.py's
    _tokenised_terms) instead of cutting it again: they must be what concept_terms finds, and a
    title without a concept must not take those of the rest."""
    texts = [("团雾预警", "高速公路能见度监测"), ("年度采购计划", "团雾 能见度仪 局放"), ("机器视觉质检", "缺陷检测")]
    text._tokenised_terms.clear()
    text.concept_terms.cache_clear()
    expected = [text.concept_terms(primary) for primary, _rest in texts]
    text.concept_terms.cache_clear()

    list(text.tokenise_many(texts))

    assert [text._tokenised_terms[primary] for primary, _rest in texts] == expected
    assert [text.concept_terms(primary) for primary, _rest in texts] == expected
    assert expected[0] and not expected[1]
    text.concept_terms.cache_clear()
