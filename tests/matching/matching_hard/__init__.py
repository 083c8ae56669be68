"""The second, harder labelled set for matching (issue #16), written by hand in three parts.

Texts are written the way SOE staff and companies really write: relevant pairs are mostly
paraphrased (the supplier names the same thing in its own terms), entries run 60–200 characters in
a supplier's vocabulary, and hard negatives of three kinds sit among them — a shared rare word in
another field, generic 综合服务平台 entries that claim everything, and 三首 holders from unrelated
fields. Each part (part_a: 交通, 电力水务, 智慧城管, 市政建设, 产业园区; part_b: 医疗健康, 教育培训,
养老服务, 文化传媒, 会展旅游; part_c: 商贸消费, 金融服务, 现代农业, 智慧政务, 供应链服务) holds
SCENARIOS, ENTRIES, RELEVANCE (grades 1 and 2 within the part; every other pair of the part is 0),
COVERAGE (the needs each grade-2 pair covers), HARD_NEGATIVES and FILTERED (entries a scenario's 三首
requirement must drop). cross_part.py holds the pairs across parts that were judged after pooling.

`dataset()` gives the same shape as `tests.matching.matching_eval_data.dataset()`, plus
"coverage" and "hard_negatives".
"""

import importlib

PARTS = ("part_a", "part_b", "part_c")


def dataset() -> dict:
    scenarios, entries, relevance, filtered, coverage, hard_negatives = [], [], {}, {}, {}, {}
    for name in PARTS:
        part = importlib.import_module(f"{__name__}.{name}")
        for key, domain, district, stage, amount, credential, local, title, needs, description in part.SCENARIOS:
            scenarios.append(
                {
                    "key": key,
                    "domain": domain,
                    "district": district,
                    "stage": stage,
                    "funding_amount": amount,
                    "required_credential": credential,
                    "local_only": local,
                    "title": title,
                    "needs": needs,
                    "need_description": description,
                }
            )
        for key, district, name, fields, area, maturity, price, credentials, description in part.ENTRIES:
            entries.append(
                {
                    "key": key,
                    "name": name,
                    "description": description,
                    "technology_fields": fields,
                    "strategic_area": area.removesuffix("产业"),
                    "district": district,
                    "maturity": maturity,
                    "price_band": price,
                    "credentials": credentials,
                }
            )
        relevance.update(part.RELEVANCE)
        coverage.update(part.COVERAGE)
        hard_negatives.update(part.HARD_NEGATIVES)
        filtered.update(getattr(part, "FILTERED", {}))
    # The pairs across parts, judged after pooling (cross_part.py says how).
    cross = importlib.import_module(f"{__name__}.cross_part")
    for scenario, labels in cross.RELEVANCE.items():
        relevance[scenario] = {**relevance.get(scenario, {}), **labels}
    coverage.update(cross.COVERAGE)
    return {
        "scenarios": scenarios,
        "entries": entries,
        "relevance": relevance,
        "filtered": filtered,
        "coverage": coverage,
        "hard_negatives": hard_negatives,
    }
