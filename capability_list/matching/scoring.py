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

Pairs scoring under MIN_SCORE are not recommended. Hard filters come first and drop the pair: a scenario no longer open, an entry not listed, the
scenario's required 三首 credential missing, or a company outside the district when the scenario
recommends local suppliers only.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from capability_list.matching.documents import EntryDoc, ScenarioDoc

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


@dataclass
class ScoredPair:
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


def passes_hard_filters(scenario: ScenarioDoc, entry: EntryDoc) -> bool:
    if not scenario.is_open or not entry.is_listed:
        return False
    if scenario.required_credential and scenario.required_credential not in entry.credentials:
        return False
    if scenario.local_only and (scenario.district_id is None or entry.district_id != scenario.district_id):
        return False
    return True


def _budget_fit(scenario: ScenarioDoc, entry: EntryDoc) -> float:
    if scenario.funding_amount is None or entry.price_band not in PRICE_FLOOR:
        return 0.5
    return 1.0 if PRICE_FLOOR[entry.price_band] <= scenario.funding_amount else 0.0


def _timing_fit(scenario: ScenarioDoc, entry: EntryDoc) -> float:
    if entry.maturity not in MATURITY_RANK or not scenario.stage:
        return 0.5
    rank = MATURITY_RANK[entry.maturity]
    if scenario.stage == "under_construction":  # needed now: a product already in use
        return (0.0, 0.5, 1.0, 1.0)[rank]
    return (0.5, 1.0, 1.0, 1.0)[rank]


def score_pair(scenario: ScenarioDoc, entry: EntryDoc, text_similarity: float, need_containment: list[float], scenario_text: str) -> ScoredPair:
    """`need_containment[i]`: the share of need i's tokens the entry contains; `scenario_text`:
    the scenario's normalised text (to find the entry's technology fields in it)."""
    text = min(1.0, float(text_similarity) / TEXT_SATURATION)
    covered = [need for need, share in zip(scenario.needs, need_containment) if share >= COVERED_AT]
    gaps = [need for need, share in zip(scenario.needs, need_containment) if share < COVERED_AT]
    coverage = len(covered) / len(scenario.needs) if scenario.needs else text
    area_serves = entry.area_code in DOMAIN_AREAS.get(scenario.domain_code, ())
    shared_fields = [value for value in entry.fields if value and value in scenario_text]
    fields = 0.5 * area_serves + 0.5 * min(1.0, len(shared_fields) / 2)
    district = 1.0 if scenario.district_id is not None and entry.district_id == scenario.district_id else 0.0
    if scenario.required_credential:
        credential_kind = scenario.required_credential
        credential = 1.0
    else:
        credential_kind = next(iter(sorted(entry.credentials)), "")
        credential = 1.0 if credential_kind else (0.5 if entry.innovation else 0.0)
    budget, timing = _budget_fit(scenario, entry), _timing_fit(scenario, entry)
    fit = (budget + timing) / 2
    parts = {"text": text, "coverage": coverage, "fields": fields, "credential": credential, "fit": fit, "district": district}
    score = 100 * sum(WEIGHTS[name] * value for name, value in parts.items())
    return ScoredPair(
        scenario=scenario.id, entry=entry.id, score=round(score, 2), covered=covered, gaps=gaps,
        explanation=explain(scenario, entry, covered, gaps, area_serves, shared_fields, credential_kind, district, budget, timing),
        **{name: round(value, 4) for name, value in parts.items()},
    )


def explain(scenario, entry, covered, gaps, area_serves, shared_fields, credential_kind, district, budget, timing) -> str:
    """覆盖需求 2/3：车位检测、车牌识别；缺口：移动支付；同属新一代信息技术；具备首台套认定 …"""
    pieces = []
    if scenario.needs:
        text = _("覆盖需求 %(covered)d/%(total)d") % {"covered": len(covered), "total": len(scenario.needs)}
        pieces.append(text + ("：" + "、".join(covered) if covered else ""))
        if gaps:
            pieces.append(_("缺口：%(gaps)s") % {"gaps": "、".join(gaps)})
    if area_serves:
        pieces.append(_("属%(area)s领域，服务%(domain)s场景") % {"area": entry.area_name, "domain": scenario.domain_name})
    if shared_fields:
        pieces.append(_("共同技术领域：%(fields)s") % {"fields": "、".join(shared_fields[:3])})
    if credential_kind and credential_kind in entry.credentials:
        level, _sep, year = entry.credentials[credential_kind].partition("|")
        pieces.append(_("具备%(kind)s认定（%(year)s）") % {"kind": CREDENTIAL_NAMES.get(credential_kind, credential_kind), "year": year})
    if district:
        pieces.append(_("同在%(district)s") % {"district": scenario.district_name})
    if budget == 0:
        pieces.append(_("价格可能超出项目投资额"))
    if timing == 0:
        pieces.append(_("成熟度尚低，场景在建"))
    return "；".join(pieces)[:500]


def as_decimal_score(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"))
