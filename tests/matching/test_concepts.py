"""The domain vocabulary (matching/engine/data/concepts.txt): a need and an entry that name one kind
of technology in different words share a concept token, found on word boundaries only, weighed by
the model, and named in the explanation."""

import re
from collections import Counter

import numpy as np
import pytest

from matching.engine import model as model_module
from matching.engine import text
from matching.engine.model import TextModel
from matching.engine.scoring import concept_bridges, explain, explanation_phrases
from scenarios.reference_data import DOMAINS
from tests.matching.test_scoring_rules import _entry, _scenario


def _concepts(value: str) -> set[str]:
    return {token for token in text.document_tokens("", value) if token.startswith(text.CONCEPT_PREFIX)}


def test_the_vocabulary_has_hundreds_of_groups_over_every_domain_and_no_loose_terms():
    content = (text.DATA / "concepts.txt").read_text(encoding="utf-8")
    headers = set(re.findall(r"^# -+ (\S+)$", content, flags=re.MULTILINE))
    assert headers == {name for _category, fields in DOMAINS for _code, name, _en in fields}
    groups = [line.split() for line in text._read_lines("concepts.txt")]
    assert len(groups) >= 250
    names = [group[0] for group in groups]
    assert len(names) == len(set(names)), [name for name, count in Counter(names).items() if count > 1]
    assert all(len(group) >= 3 for group in groups), [group for group in groups if len(group) < 3]
    # a single character is found inside any word: never a term
    assert not [term for group in groups for term in group if len(term) < 2]


@pytest.mark.parametrize(
    ("need", "offer", "concept"),
    [
        ("跨海大桥团雾实时感知", "前向散射能见度检测仪", "能见度监测"),
        ("开关柜放电检测", "中置柜局部放电在线监测装置", "局部放电"),
        ("10kV站房无人值守", "配电房挂轨巡检机器人", "配电站房"),
        ("公交驾驶员犯困与看手机预警", "DMS驾驶员状态监测一体机", "驾驶员监测"),
    ],
)
def test_a_need_and_an_entry_worded_otherwise_share_their_concept(need, offer, concept):
    token = text.CONCEPT_PREFIX + concept
    assert token in _concepts(need) and token in _concepts(offer)
    assert token not in _concepts("社区居家养老助餐服务")


def test_a_term_counts_on_word_boundaries_only():
    # 体检 (健康体检) spelled across 气体/检测; 放电 inside 充放电 is storage, not partial discharge
    assert text.CONCEPT_PREFIX + "体检健康管理" not in _concepts("激光甲烷气体检测")
    assert text.CONCEPT_PREFIX + "体检健康管理" in _concepts("职工健康体检服务")
    assert text.CONCEPT_PREFIX + "局部放电" not in _concepts("储能电站充放电管理")
    assert text.CONCEPT_PREFIX + "新能源" in _concepts("储能电站充放电管理")
    assert dict(text.concept_terms("团雾路段加密布点"))["能见度监测"] == "团雾"


def test_the_model_weighs_a_concept_token_by_concept_weight(monkeypatch):
    documents = [text.document_tokens("", value) for value in ("团雾实时感知", "能见度检测仪", "社区助餐服务")]
    names = sorted({token for tokens in documents for token in tokens})
    arrays = [np.array([names.index(token) for token in tokens], dtype=np.int32) for tokens in documents]
    full, _vectors = TextModel.fit(arrays, names)
    monkeypatch.setattr(model_module, "CONCEPT_WEIGHT", 0.5)
    halved, _vectors = TextModel.fit(arrays, names)
    column = full.vocabulary[text.CONCEPT_PREFIX + "能见度监测"]
    assert halved.idf[column] == pytest.approx(full.idf[column] * 0.5)
    word = full.vocabulary["团雾"]
    assert halved.idf[word] == pytest.approx(full.idf[word])
    # the two paraphrases meet through the concept alone, and not with the unrelated text
    vectors = full.vectors(documents)
    assert (vectors[0] @ vectors[1].T).toarray()[0, 0] > 0
    assert (vectors[0] @ vectors[2].T).toarray()[0, 0] == 0


def test_the_explanation_names_the_concept_that_links_a_need_to_an_entry_worded_otherwise():
    scenario = _scenario(primary="跨海大桥团雾路段安全通行 团雾实时感知 雾区行车诱导", needs=["团雾实时感知"])
    entry = _entry(name="能见度检测仪", primary="能见度检测仪 交通气象")
    assert concept_bridges(scenario, entry) == [("团雾", "能见度检测仪")]
    values = {"district": 0.0, "score": 40.0}
    shown = explain(scenario, entry, values, ["团雾实时感知"], explanation_phrases(), set())
    assert "需求“团雾”与“能见度检测仪”属同一类技术" in shown.split("；")
    # the same word on both sides is no paraphrase to explain
    same = _entry(name="团雾监测站", primary="团雾监测站")
    assert concept_bridges(scenario, same) == []
    both = _entry(name="团雾能见度检测仪", primary="团雾能见度检测仪")  # names the need's own term too
    assert concept_bridges(scenario, both) == []
    assert "属同一类技术" not in explain(scenario, same, values, [], explanation_phrases(), set())


def test_tokens_cached_before_an_edit_of_the_vocabulary_are_not_reused(tmp_path, monkeypatch):
    """The token cache is keyed by each document's digest, which covers only its text: without the
    tokeniser's fingerprint, an edit of concepts.txt or synonyms.txt would reach only documents
    edited since."""
    from matching.engine import store

    made = []

    def tokenise():
        made.append(1)
        return ["团雾", "~能见度监测"]

    cache = store.TokenCache(tmp_path / "tokens")
    first = cache.ids(42, tokenise)
    cache.save()

    again = store.TokenCache(tmp_path / "tokens")
    assert [again.names[i] for i in again.ids(42, tokenise)] == [cache.names[i] for i in first]
    assert len(made) == 1  # same vocabulary: read from the cache

    monkeypatch.setattr(store, "tokeniser_fingerprint", lambda: text.tokeniser_fingerprint() + 1)
    edited = store.TokenCache(tmp_path / "tokens")
    edited.ids(42, tokenise)
    assert len(made) == 2  # the vocabulary changed: tokenised again


def test_the_tokenisers_fingerprint_changes_with_a_vocabulary_file(tmp_path, monkeypatch):
    before = text.tokeniser_fingerprint()
    copy = tmp_path / "data"
    copy.mkdir()
    for path in text.DATA.glob("*.txt"):
        (copy / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(text, "DATA", copy)
    text.tokeniser_fingerprint.cache_clear()
    try:
        assert text.tokeniser_fingerprint() == before
        with open(copy / "concepts.txt", "a", encoding="utf-8") as out:
            out.write("测试概念 甲说法 乙说法\n")
        text.tokeniser_fingerprint.cache_clear()
        assert text.tokeniser_fingerprint() != before
    finally:
        text.tokeniser_fingerprint.cache_clear()
