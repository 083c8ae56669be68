"""Ranking quality on two hand-labelled sets, each beside the method a sceptic would try first.

- matching_eval_data.py, the first set: scenarios over every domain, entries with graded
  relevance 0/1/2, paraphrases and hard negatives — but its relevant pairs share much wording.
- matching_hard/, the second set (issue #16): written the way SOE staff and companies really write,
  relevant pairs mostly paraphrased, hard negatives of three kinds; its pairs across its three parts
  judged after pooling both methods' top 10 (matching_hard/cross_part.py).

For each set, in the same run, the engine and a plain character-bigram TF-IDF (cosine of the
scenario's title, needs and description against the entry's name, fields and description; the
三首 requirement applied as a hard filter) are scored with nDCG@10, P@5, Recall@50 and MRR, and the
figures are printed.
"""

import math
import statistics
from collections import Counter

import pytest

from accounts.models import District
from capability_list.models import CapabilityEntry, Credential, StrategicArea
from matching.engine.rebuild import rebuild
from matching.engine.rematch import ranked_entries
from scenarios.models import Domain
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.scenarios import ScenarioFactory
from tests.matching import matching_eval_data, matching_hard

pytestmark = pytest.mark.django_db


def _load(data):
    districts = {district.name: district for district in District.objects.all()}
    domains = {domain.name: domain for domain in Domain.objects.filter(parent__isnull=False)}
    areas = {area.name.removesuffix("产业"): area for area in StrategicArea.objects.all()}
    scenarios = {}
    for row in data["scenarios"]:
        scenarios[row["key"]] = ScenarioFactory(
            title=row["title"],
            status="published",
            domain=domains[row["domain"]],
            district=districts[row["district"]],
            need_description=row["need_description"],
            needs=row["needs"],
            stage=row["stage"],
            funding_amount=row["funding_amount"],
            required_credential=row.get("required_credential", ""),
            local_suppliers_only=row["local_only"],
        )
    entries = {}
    author = UserFactory(roles=["company"])
    for number, row in enumerate(data["entries"]):
        company = OrganisationFactory(
            kind="company", name=f"宁波评测企业{number:03d}有限公司", district=districts[row["district"]]
        )
        entry = CapabilityEntry.objects.create(
            company=company,
            submitted_by=author,
            name=row["name"],
            kind="product",
            description=row["description"],
            technology_fields=row["technology_fields"],
            strategic_area=areas[row["strategic_area"]],
            maturity=row["maturity"],
            price_band=row["price_band"],
            status="listed",
        )
        for kind in row.get("credentials", []):
            Credential.objects.create(
                entry=entry, kind=kind, certificate_number=f"EV-{number:04d}-{kind}", level="provincial", year=2024
            )
        entries[row["key"]] = entry
    return scenarios, entries


# --------------------------------------------------------------------------------------------- baseline


def _bigrams(text: str) -> Counter:
    text = "".join(text.split())
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def _scenario_text(row) -> str:
    return " ".join([row["title"], *row["needs"], row["need_description"]])


def _entry_text(row) -> str:
    return " ".join([row["name"], *row["technology_fields"], row["description"]])


class BigramBaseline:
    """The sceptic's first try: character-bigram TF-IDF over every text of the set, cosine, and
    the scenario's 三首 requirement as a hard filter."""

    def __init__(self, data):
        documents = [_bigrams(_scenario_text(row)) for row in data["scenarios"]]
        documents += [_bigrams(_entry_text(row)) for row in data["entries"]]
        frequency = Counter(gram for document in documents for gram in document)
        self.idf = {gram: math.log((1 + len(documents)) / (1 + count)) + 1 for gram, count in frequency.items()}
        self.entries = [
            (row["key"], self.vector(_entry_text(row)), set(row.get("credentials", []))) for row in data["entries"]
        ]

    def vector(self, text: str) -> dict:
        counts = _bigrams(text)
        vector = {gram: count * self.idf.get(gram, 1.0) for gram, count in counts.items()}
        norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
        return {gram: value / norm for gram, value in vector.items()}

    def cosine(self, left: dict, right: dict) -> float:
        if len(left) > len(right):
            left, right = right, left
        return sum(value * right.get(gram, 0.0) for gram, value in left.items())

    def ranking(self, row, limit: int = 50) -> list[str]:
        query = self.vector(_scenario_text(row))
        required = row.get("required_credential", "")
        scored = [
            (self.cosine(query, vector), key)
            for key, vector, credentials in self.entries
            if not required or required in credentials
        ]
        return [key for score, key in sorted(scored, key=lambda pair: (-pair[0], pair[1]))[:limit] if score > 0]


# --------------------------------------------------------------------------------------------- figures


def _dcg(gains: list[int]) -> float:
    return sum((2**gain - 1) / math.log2(position + 2) for position, gain in enumerate(gains))


def figures(rankings: dict[str, list[str]], relevance: dict) -> dict:
    """Mean nDCG@10, P@5, Recall@50 and MRR over the scenarios, from each scenario's ranked keys."""
    ndcgs, precisions, recalls, reciprocal = [], [], [], []
    for key, ranking in rankings.items():
        labels = relevance.get(key, {})
        gains = [labels.get(entry_key, 0) for entry_key in ranking]
        ideal = _dcg(sorted(labels.values(), reverse=True)[:10])
        ndcgs.append(_dcg(gains[:10]) / ideal if ideal else 1.0)
        precisions.append(sum(1 for gain in gains[:5] if gain > 0) / 5)
        relevant = {entry_key for entry_key, grade in labels.items() if grade > 0}
        recalls.append(len(relevant & set(ranking[:50])) / len(relevant) if relevant else 1.0)
        reciprocal.append(next((1 / (position + 1) for position, gain in enumerate(gains) if gain > 0), 0.0))
    mean = statistics.fmean
    return {"ndcg": mean(ndcgs), "p5": mean(precisions), "recall": mean(recalls), "mrr": mean(reciprocal)}


def _engine_pairs(scenarios, entries) -> dict[str, list]:
    """Each scenario's ranked pairs (unsaved Match rows, with the covered needs), best first."""
    rebuild()
    return {key: ranked_entries(scenario.pk, limit=50) for key, scenario in scenarios.items()}


def coverage_figures(pairs: dict[str, list], key_of: dict, coverage: dict) -> tuple[float, float]:
    """Precision and recall of the covered-needs lists the engine shows, against the coverage
    labels, over the labelled grade-2 pairs it ranked."""
    shown = labelled = agreed = 0
    for scenario_key, ranked in pairs.items():
        for pair in ranked:
            needs = coverage.get((scenario_key, key_of[pair.entry_id]))
            if needs is None:
                continue
            shown += len(pair.covered)
            labelled += len(needs)
            agreed += len(set(pair.covered) & set(needs))
    return (agreed / shown if shown else 0.0), (agreed / labelled if labelled else 0.0)


def _relevant_pair_cosine(data, baseline: BigramBaseline) -> float:
    rows = {row["key"]: row for row in data["scenarios"]}
    texts = {row["key"]: _entry_text(row) for row in data["entries"]}
    values = [
        baseline.cosine(baseline.vector(_scenario_text(rows[scenario])), baseline.vector(texts[entry]))
        for scenario, labels in data["relevance"].items()
        for entry, grade in labels.items()
        if grade > 0
    ]
    return statistics.median(values)


def _line(name: str, result: dict) -> str:
    return (
        f"  {name:<22} nDCG@10 {result['ndcg']:.3f}  P@5 {result['p5']:.3f}  "
        f"Recall@50 {result['recall']:.3f}  MRR {result['mrr']:.3f}"
    )


def _measure(data, capsys, title: str) -> tuple[dict, dict]:
    """Load the set, score the engine and the baseline, print both; the set is removed again so
    that another set can be measured in the same test."""
    scenarios, entries = _load(data)
    pairs = _engine_pairs(scenarios, entries)
    key_of = {entry.pk: key for key, entry in entries.items()}
    rankings = {key: [key_of[pair.entry_id] for pair in ranked] for key, ranked in pairs.items()}
    for key, filtered_keys in data["filtered"].items():
        for filtered in filtered_keys:
            assert filtered not in rankings[key], f"{filtered} passed a hard filter of {key}"
    baseline = BigramBaseline(data)
    rows = {row["key"]: row for row in data["scenarios"]}
    engine_figures = figures(rankings, data["relevance"])
    baseline_figures = figures({key: baseline.ranking(rows[key]) for key in scenarios}, data["relevance"])
    with capsys.disabled():
        print(
            f"\n{title}: {len(scenarios)} scenarios × {len(entries)} entries; "
            f"median bigram cosine of relevant pairs {_relevant_pair_cosine(data, baseline):.3f}"
        )
        print(_line("engine", engine_figures))
        print(_line("bigram TF-IDF + 三首 filter", baseline_figures))
        if data.get("coverage"):
            precision, recall = coverage_figures(pairs, key_of, data["coverage"])
            engine_figures["coverage_precision"], engine_figures["coverage_recall"] = precision, recall
            print(f"  covered needs vs labels: precision {precision:.3f}, recall {recall:.3f}")
    CapabilityEntry.objects.filter(pk__in=[entry.pk for entry in entries.values()]).delete()
    for scenario in scenarios.values():
        scenario.delete()
    return engine_figures, baseline_figures


def test_ranking_quality_on_the_first_labelled_set(capsys):
    data = matching_eval_data.dataset()
    engine_figures, _baseline = _measure(data, capsys, "first labelled set")
    assert engine_figures["ndcg"] >= 0.80
    assert engine_figures["p5"] >= 0.55 and engine_figures["recall"] >= 0.75  # regression guards


def test_the_hard_labelled_set_is_as_hard_as_the_issue_asks():
    """At least 40 scenarios over every domain, 300 entries of 60–200 characters, relevant pairs
    mostly paraphrased (median bigram cosine ≤ 0.12), hard negatives of three kinds, coverage labels
    for every grade-2 pair naming the scenario's own needs."""
    data = matching_hard.dataset()
    assert len(data["scenarios"]) >= 40 and len(data["entries"]) >= 300
    assert len({row["domain"] for row in data["scenarios"]}) == 15
    assert all(60 <= len(row["description"]) <= 200 for row in data["entries"])
    assert _relevant_pair_cosine(data, BigramBaseline(data)) <= 0.12
    assert set(kind for kind, _near in data["hard_negatives"].values()) == {
        "rare_word",
        "generic_platform",
        "credential_unrelated",
    }
    needs = {row["key"]: set(row["needs"]) for row in data["scenarios"]}
    for scenario, labels in data["relevance"].items():
        for entry, grade in labels.items():
            if grade == 2:
                covered = data["coverage"][(scenario, entry)]
                assert covered and set(covered) <= needs[scenario], (scenario, entry)


def test_the_engine_beats_the_bigram_baseline_by_the_issues_margins_and_reaches_its_bar(capsys):
    """Issue #16's margins: at least +0.08 nDCG@10 over the baseline on the hard set and +0.03 on
    the first, with covered-needs lists that agree with the coverage labels (precision ≥ 0.7,
    recall ≥ 0.6), and its absolute bar, nDCG@10 ≥ 0.85 on the hard set. The 三首 filters hold on
    both (checked in _measure)."""
    hard_engine, hard_baseline = _measure(matching_hard.dataset(), capsys, "hard labelled set")
    assert hard_engine["coverage_precision"] >= 0.7 and hard_engine["coverage_recall"] >= 0.6
    assert hard_engine["ndcg"] >= hard_baseline["ndcg"] + 0.08
    assert hard_engine["ndcg"] >= 0.85
    first_engine, first_baseline = _measure(matching_eval_data.dataset(), capsys, "first labelled set")
    assert first_engine["ndcg"] >= first_baseline["ndcg"] + 0.03
