"""Hard filters, the weighted score and the explanation of a scenario–entry pair.

All weights are here. A pair's score (0–100) is 100 × Σ weight × part, each part in [0, 1]:

    text        fused TF-IDF cosine (words and characters), divided by TEXT_SATURATION and capped
                at 1: two texts about the same thing rarely go above it
    coverage    share of the scenario's need items the entry covers; a need is covered when the
                entry contains at least COVERED_AT of its tokens (idf-weighted, after synonyms)
    fields      half for a 战略性新兴产业 area that serves the scenario's domain (DOMAIN_AREAS),
                half for the entry's technology fields named in the scenario (two or more: full)
    credential  1 for a 三首 recognition (the required one, if the scenario sets one), 0.5 for a
                自主创新 / 战略性新兴 product, else 0
    fit         mean of budget fit (the entry's price band starts within the scenario's funding)
                and timing fit (a scenario under construction needs a product in use already)
    district    1 when the company is in the scenario's district

Pairs scoring under MIN_SCORE are not recommended. Hard filters come first and drop the pair: a
scenario no longer open, an entry not listed, the scenario's required 三首 credential missing, or a
company outside the district when the scenario recommends local suppliers only.
"""

from typing import NamedTuple

import numpy as np
from django.utils.translation import gettext as _

from matching.engine.documents import EntryDoc, EntryDocs, ScenarioDoc

WEIGHTS = {"text": 0.45, "coverage": 0.25, "fields": 0.10, "credential": 0.08, "fit": 0.07, "district": 0.05}
TEXT_SATURATION = 0.45
COVERED_AT = 0.6
MIN_SCORE = 25.0  # below this a pair is not recommended at all (little more than a shared field)

# Which 战略性新兴产业 areas (codes: 1 新一代信息技术, 2 高端装备制造, 3 新材料, 4 生物, 5 新能源汽车,
# 6 新能源, 7 节能环保, 8 数字创意, 9 相关服务业) serve each scenario domain (second-level codes).
DOMAIN_AREAS = {
    "industrial_parks": {"1", "7", "2", "9"},
    "commerce": {"1", "8", "9"},
    "finance": {"1", "9"},
    "agriculture": {"1", "4", "2"},
    "transport": {"1", "5", "2"},
    "power_water": {"6", "7", "1", "2"},
    "city_management": {"1", "7", "2"},
    "municipal": {"3", "2", "1", "7"},
    "health": {"4", "1", "2"},
    "education": {"1", "8"},
    "elderly_care": {"1", "4", "2"},
    "culture_media": {"8", "1"},
    "exhibition_tourism": {"8", "1", "9"},
    "e_government": {"1"},
    "supply_chain": {"1", "9", "2", "5"},
}
# The lower bound of each price band, in yuan.
PRICE_FLOOR = {"lt_10w": 0, "10w_50w": 100_000, "50w_200w": 500_000, "200w_1000w": 2_000_000, "gt_1000w": 10_000_000}
MATURITY_RANK = {"prototype": 0, "pilot": 1, "demonstrated": 2, "mass": 3}
CREDENTIAL_NAMES = {"first_set": "首台套", "first_batch": "首批次", "first_version": "首版次"}


class ScoredPair(NamedTuple):
    """A scored pair as stored (a tuple: a rebuild makes 100,000s of them)."""

    scenario: int
    entry: int
    score: float
    text: float
    coverage: float
    fields: float
    district: float
    credential: float
    fit: float
    covered: list[str]
    gaps: list[str]
    explanation: str
    signature: int = 0


CREDENTIAL_BITS = {"first_set": 1, "first_batch": 2, "first_version": 4}
STAGES = {"under_construction": 1, "planned": 2}
# Timing fit by maturity rank (prototype, pilot, demonstrated, mass): a scenario under construction
# needs a product in use already; a planned one can take a pilot.
TIMING = {1: np.array([0.0, 0.5, 1.0, 1.0]), 2: np.array([0.5, 1.0, 1.0, 1.0])}


def entry_arrays(entries: "EntryDocs | list[EntryDoc]") -> dict[str, np.ndarray]:
    """What the score reads of each entry, as arrays (one row per entry): from the columns of
    EntryDocs (a rebuild's 100,000 entries), or from EntryDoc objects (a rematch's candidates).
    Each value is converted once per distinct value."""
    if isinstance(entries, EntryDocs):
        held = (
            [entries.credentials.get(pk) for pk in entries.ids.tolist()]
            if entries.credentials
            else [None] * len(entries)
        )
        columns = (
            entries.area_codes,
            entries.districts,
            held,
            entries.innovation,
            entries.listed,
            entries.maturities,
            entries.price_bands,
        )
    else:
        columns = (
            tuple(
                zip(
                    *(
                        (
                            doc.area_code,
                            doc.district_id,
                            doc.credentials,
                            doc.innovation,
                            doc.is_listed,
                            doc.maturity,
                            doc.price_band,
                        )
                        for doc in entries
                    )
                )
            )
            or ((),) * 7
        )
    area_codes, districts, credentials, innovation, listed, maturities, price_bands = columns

    def mapped(column, convert, dtype) -> np.ndarray:
        table = {value: convert(value) for value in set(column)}
        return np.array([table[value] for value in column], dtype=dtype)

    return {
        "area": mapped(area_codes, lambda code: int(code) if code and code.isdigit() else 0, np.int64),
        "district": mapped(districts, lambda district: district or -1, np.int64),
        "credentials": np.array(
            [sum(CREDENTIAL_BITS.get(kind, 0) for kind in kinds) if kinds else 0 for kinds in credentials],
            dtype=np.int64,
        ),
        "innovation": np.array(innovation, dtype=bool),
        "listed": np.array(listed, dtype=bool),
        "maturity": mapped(maturities, lambda maturity: MATURITY_RANK.get(maturity or "", -1), np.int64),
        "price_floor": mapped(price_bands, lambda band: PRICE_FLOOR.get(band or "", np.nan), np.float64),
    }


def scenario_arrays(scenarios: list[ScenarioDoc]) -> dict[str, np.ndarray]:
    """What the score reads of each scenario, as arrays (one row per scenario)."""
    return {
        "open": np.array([doc.is_open for doc in scenarios], dtype=bool),
        "district": np.array([doc.district_id or -1 for doc in scenarios], dtype=np.int64),
        "required": np.array([CREDENTIAL_BITS.get(doc.required_credential, 0) for doc in scenarios], dtype=np.int64),
        "local": np.array([doc.local_only for doc in scenarios], dtype=bool),
        "areas": np.array(
            [sum(1 << int(code) for code in DOMAIN_AREAS.get(doc.domain_code, ())) for doc in scenarios], dtype=np.int64
        ),
        "stage": np.array([STAGES.get(doc.stage, 0) for doc in scenarios], dtype=np.int64),
        "funding": np.array(
            [float(doc.funding_amount) if doc.funding_amount is not None else np.nan for doc in scenarios],
            dtype=np.float64,
        ),
        "needs": np.array([len(doc.needs) for doc in scenarios], dtype=np.int64),
    }


def passes_hard_filters(s: dict, e: dict, s_rows: np.ndarray, e_rows: np.ndarray) -> np.ndarray:
    """Mask of the pairs that survive the hard filters."""
    required = s["required"][s_rows]
    district = s["district"][s_rows]
    credential_ok = (required == 0) | ((e["credentials"][e_rows] & required) != 0)
    district_ok = ~s["local"][s_rows] | ((district >= 0) & (district == e["district"][e_rows]))
    return s["open"][s_rows] & e["listed"][e_rows] & credential_ok & district_ok


def score_parts(s: dict, e: dict, s_rows, e_rows, similarities, covered_counts, shared_fields) -> dict[str, np.ndarray]:
    """Each part in [0, 1] and the total (0–100) for every pair, as arrays."""
    needs = s["needs"][s_rows]
    text = np.minimum(1.0, similarities / TEXT_SATURATION)
    coverage = np.where(needs > 0, covered_counts / np.maximum(needs, 1), text)
    area_serves = ((s["areas"][s_rows] >> e["area"][e_rows]) & 1).astype(np.float64) * (e["area"][e_rows] > 0)
    fields = 0.5 * area_serves + 0.5 * np.minimum(1.0, shared_fields / 2)
    district = ((s["district"][s_rows] >= 0) & (s["district"][s_rows] == e["district"][e_rows])).astype(np.float64)
    credential = np.where(
        (s["required"][s_rows] > 0) | (e["credentials"][e_rows] > 0), 1.0, np.where(e["innovation"][e_rows], 0.5, 0.0)
    )
    funding, floor = s["funding"][s_rows], e["price_floor"][e_rows]
    budget = np.where(np.isnan(funding) | np.isnan(floor), 0.5, (floor <= funding).astype(np.float64))
    maturity, stage = e["maturity"][e_rows], s["stage"][s_rows]
    timing = np.full(len(s_rows), 0.5)
    for code, table in TIMING.items():
        known = (stage == code) & (maturity >= 0)
        timing[known] = table[maturity[known]]
    fit = (budget + timing) / 2
    parts = {
        "text": text,
        "coverage": coverage,
        "fields": fields,
        "credential": credential,
        "fit": fit,
        "district": district,
    }
    total = 100 * sum(WEIGHTS[name] * value for name, value in parts.items())
    # Rounded to what is shown (the score to 0.1, the parts to 0.1 %): a rebuild rewrites a match
    # only when these change, not for every tremor of the refitted idf.
    return {
        **{name: np.round(value, 3) for name, value in parts.items()},
        "score": np.round(total, 1),
        "area_serves": area_serves,
        "budget": budget,
        "timing": timing,
    }


def explanation_phrases() -> dict[str, str]:
    """The explanation's phrases in the active language, looked up once per call site batch
    (a gettext lookup per phrase per pair costs seconds at city scale)."""
    return {
        "covered": _("覆盖需求 %(covered)d/%(total)d"),
        "gaps": _("缺口：%(gaps)s"),
        "area": _("属%(area)s领域，服务%(domain)s场景"),
        "fields": _("共同技术领域：%(fields)s"),
        "credential": _("具备%(kind)s认定（%(year)s）"),
        "district": _("同在%(district)s"),
        "budget": _("价格可能超出项目投资额"),
        "timing": _("成熟度尚低，场景在建"),
    }


def explain(
    scenario: ScenarioDoc,
    entry: EntryDoc,
    covered,
    gaps,
    area_serves,
    shared_fields,
    district,
    budget,
    timing,
    phrases: dict | None = None,
) -> str:
    """覆盖需求 2/3：车位检测、车牌识别；缺口：移动支付；同属新一代信息技术；具备首台套认定 …"""
    return Explainer(phrases).explain(
        scenario, entry, covered, gaps, area_serves, shared_fields, district, budget, timing
    )


class Explainer:
    """explain() for many pairs: the pieces that depend on one side only, or on a scenario and
    its covered needs, are formatted once and reused (a rebuild explains 100,000s of pairs)."""

    def __init__(self, phrases: dict | None = None):
        self.phrases = phrases or explanation_phrases()
        self._coverage: dict[tuple, str] = {}
        self._area: dict[tuple, str] = {}
        self._credential: dict[tuple, str] = {}
        self._district: dict[int, str] = {}

    def coverage(self, scenario: ScenarioDoc, covered: list[str], gaps: list[str]) -> str:
        key = (scenario.id, tuple(covered), len(scenario.needs))
        text = self._coverage.get(key)
        if text is None:
            pieces = [
                self.phrases["covered"] % {"covered": len(covered), "total": len(scenario.needs)}
                + ("：" + "、".join(covered) if covered else "")
            ]
            if gaps:
                pieces.append(self.phrases["gaps"] % {"gaps": "、".join(gaps)})
            text = self._coverage[key] = "；".join(pieces)
        return text

    def credential(self, scenario: ScenarioDoc, entry: EntryDoc) -> str:
        key = (entry.id, scenario.required_credential)
        text = self._credential.get(key)
        if text is None:
            text = ""
            kind = scenario.required_credential or next(iter(sorted(entry.credentials)), "")
            if kind and kind in entry.credentials:
                _level, _sep, year = entry.credentials[kind].partition("|")
                text = self.phrases["credential"] % {"kind": CREDENTIAL_NAMES.get(kind, kind), "year": year}
            self._credential[key] = text
        return text

    def explain(
        self,
        scenario: ScenarioDoc,
        entry: EntryDoc,
        covered,
        gaps,
        area_serves,
        shared_fields,
        district,
        budget,
        timing,
    ) -> str:
        pieces = []
        if scenario.needs:
            pieces.append(self.coverage(scenario, covered, gaps))
        if area_serves:
            key = (entry.area_name, scenario.domain_name)
            if key not in self._area:
                self._area[key] = self.phrases["area"] % {"area": entry.area_name, "domain": scenario.domain_name}
            pieces.append(self._area[key])
        if shared_fields:
            pieces.append(self.phrases["fields"] % {"fields": "、".join(shared_fields[:3])})
        credential = self.credential(scenario, entry)
        if credential:
            pieces.append(credential)
        if district:
            if scenario.id not in self._district:
                self._district[scenario.id] = self.phrases["district"] % {"district": scenario.district_name}
            pieces.append(self._district[scenario.id])
        if budget == 0:
            pieces.append(self.phrases["budget"])
        if timing == 0:
            pieces.append(self.phrases["timing"])
        return "；".join(pieces)[:500]


def shared_fields(entry: EntryDoc, scenario_text: str) -> list[str]:
    """The entry's technology fields named in the scenario's (normalised) text."""
    return [value for value in entry.fields if value and value in scenario_text]
