"""Hard filters, the weighted score, the 弱匹配 label and the explanation of a scenario–entry pair.

A pair's score (0–100) is 100 × Σ weight × part, each part in [0, 1]; the weights in use are
DEFAULT_WEIGHTS unless the nightly refit (refit.py) found better ones on people's answers:

    text        relevance (similarity.py: the similarity less the entry's hub discount) over
                TEXT_SATURATION, at most 1
    coverage    the mean share of the scenario's needs the entry covers (graded, similarity.py)
    fields      half the affinity of the entry's 战略性新兴产业 area to the scenario's domain (a
                table operators edit, DomainAreaAffinity), half the better of the entry's
                technology fields named in the scenario (two or more: full) and its best field's
                affinity to the domain (DomainFieldAffinity, also operators')
    credential  1 when the scenario asks for a 三首 credential (required, or its text concerns a
                first product: FIRST_PRODUCT_WORDS) and the entry holds it; otherwise 0 for every
                entry, so holding one lifts nobody in an unrelated scenario
    fit         mean of budget fit (the entry's price band starts within the scenario's funding)
                and timing fit (a scenario under construction needs a product in use already)
    district    1 when the company is in the scenario's district

There is no score floor: every open scenario shows its best SCENARIO_SHOWS eligible suppliers and
every listed entry its best ENTRY_SHOWS scenarios; a pair under WEAK_BELOW is shown as 弱匹配.
Hard filters come first and drop the pair: a scenario no longer open, an entry not listed, the
scenario's required 三首 credential missing, or a company outside the district when the scenario
asks for local suppliers only.
"""

import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from matching.engine.documents import EntryDoc, ScenarioDoc
from matching.engine.text import concept_terms

DEFAULT_WEIGHTS = {"text": 0.65, "coverage": 0.10, "fields": 0.10, "credential": 0.06, "fit": 0.05, "district": 0.04}
PARTS = tuple(DEFAULT_WEIGHTS)
TEXT_SATURATION = 0.3
# Calibrated on both labelled sets (scores of each scenario's best 20): under 18 lie 76–83 % of the
# irrelevant pairs shown and 7–17 % of the relevant ones (77–82 % and 7–10 % with BM25’s idf).
WEAK_BELOW = 18.0
SCENARIO_SHOWS = 20
ENTRY_SHOWS = 5
FIRST_PRODUCT_WORDS = re.compile(r"首台套|首台（套）|首批次|首版次|首次应用|首购|首用")
PRICE_FLOOR = {"lt_10w": 0, "10w_50w": 100_000, "50w_200w": 500_000, "200w_1000w": 2_000_000, "gt_1000w": 10_000_000}
MATURITY_RANK = {"prototype": 0, "pilot": 1, "demonstrated": 2, "mass": 3}
# Timing fit by maturity rank: a scenario under construction needs a product in use already; a
# planned one can take a pilot.
TIMING = {"under_construction": (0.0, 0.5, 1.0, 1.0), "planned": (0.5, 1.0, 1.0, 1.0)}
CREDENTIAL_NAMES = {"first_set": "首台套", "first_batch": "首批次", "first_version": "首版次"}
CREDENTIAL_BITS = {"first_set": 1, "first_batch": 2, "first_version": 4}


def credential_bits(kinds) -> int:
    """The 三首 kinds as bits (CREDENTIAL_BITS), for the array forms of the filters and the score."""
    return sum(CREDENTIAL_BITS.get(kind, 0) for kind in kinds)


def passes_hard_filters(scenario: ScenarioDoc, entry: EntryDoc) -> bool:
    if not (scenario.is_open and entry.is_listed):
        return False
    if scenario.required_credential and scenario.required_credential not in entry.credentials:
        return False
    return not scenario.local_only or (scenario.district_id is not None and scenario.district_id == entry.district_id)


def asked_credentials(scenario: ScenarioDoc) -> set[str]:
    """The 三首 kinds that count for this scenario: the required one, or any when its text concerns a
    first product; none otherwise."""
    if scenario.required_credential:
        return {scenario.required_credential}
    if FIRST_PRODUCT_WORDS.search(f"{scenario.primary} {scenario.rest}"):
        return set(CREDENTIAL_NAMES)
    return set()


def shared_fields(entry: EntryDoc, scenario: ScenarioDoc) -> list[str]:
    """The entry's technology fields named in the scenario's text."""
    text = f"{scenario.primary} {scenario.rest}"
    return [value for value in entry.fields if value in text]


def concept_bridges(scenario: ScenarioDoc, entry: EntryDoc) -> list[tuple[str, str]]:
    """(the scenario's term, the entry's term) for each concept (text.concepts) that the scenario's
    title and need names and the entry's name and fields both name, in different words: what
    links a need to an entry that says it otherwise (团雾 ↔ 能见度仪)."""
    offered, wanted = dict(concept_terms(entry.primary)), scenario.primary.lower()
    return [
        (term, offered[name])
        for name, term in concept_terms(scenario.primary)
        # a term both sides name is plain wording, not a paraphrase to explain
        if name in offered and term.lower() not in entry.primary.lower() and offered[name].lower() not in wanted
    ]


def budget_fit(scenario: ScenarioDoc, entry: EntryDoc) -> float:
    floor = PRICE_FLOOR.get(entry.price_band)
    if floor is None or scenario.funding_amount is None:
        return 0.5
    return float(floor <= scenario.funding_amount)


def timing_fit(scenario: ScenarioDoc, entry: EntryDoc) -> float:
    rank = MATURITY_RANK.get(entry.maturity)
    table = TIMING.get(scenario.stage)
    return 0.5 if rank is None or table is None else table[rank]


def explanation_phrases() -> dict[str, str]:
    """The explanation's phrases, looked up once per batch. Stored in the portal's own language
    whoever triggered the rebuild; matching.explanations shows them in the reader's."""
    with translation.override(settings.LANGUAGE_CODE):
        return _phrases()


def _phrases() -> dict[str, str]:
    return {
        "covered": _("覆盖需求 %(covered)d/%(total)d"),
        "gaps": _("缺口：%(gaps)s"),
        "concept": _("需求“%(need)s”与“%(term)s”属同一类技术"),
        "area": _("属%(area)s领域，服务%(domain)s场景"),
        "fields": _("共同技术领域：%(fields)s"),
        "domain_field": _("技术领域“%(field)s”常用于%(domain)s场景"),
        "credential": _("具备%(kind)s认定（%(year)s）"),
        "district": _("同在%(district)s"),
        "budget": _("价格可能超出项目投资额"),
        "timing": _("成熟度尚低，场景在建"),
        "weak": _("文字相似度低，仅供参考"),
    }


def explain(
    scenario: ScenarioDoc,
    entry: EntryDoc,
    values: dict,
    covered: list[str],
    phrases: dict,
    asked: set | None = None,
    *,
    area_affinity: float = 0.0,
    domain_field: str | None = None,
) -> str:
    """覆盖需求 2/3：车位检测、车牌识别；缺口：移动支付；属新一代信息技术领域，服务交通场景 …
    (values: the pair's parts and score, as matches.score_pairs gives them; area_affinity and
    domain_field: what the fields part was made of besides the fields the scenario names)."""
    pieces = []
    if scenario.needs:
        gaps = [need for need in scenario.needs if need not in covered]
        pieces.append(
            phrases["covered"] % {"covered": len(covered), "total": len(scenario.needs)}
            + ("：" + "、".join(covered) if covered else "")
        )
        if gaps:
            pieces.append(phrases["gaps"] % {"gaps": "、".join(gaps)})
    for need, term in concept_bridges(scenario, entry)[:2]:
        pieces.append(phrases["concept"] % {"need": need, "term": term})
    fields = shared_fields(entry, scenario)
    if area_affinity >= 0.5 - 1e-6 and entry.area_name:
        pieces.append(phrases["area"] % {"area": entry.area_name, "domain": scenario.domain_name})
    if fields:
        pieces.append(phrases["fields"] % {"fields": "、".join(fields[:3])})
    elif domain_field and scenario.domain_name:
        pieces.append(phrases["domain_field"] % {"field": domain_field, "domain": scenario.domain_name})
    for kind in sorted((asked_credentials(scenario) if asked is None else asked) & set(entry.credentials)):
        _level, year = entry.credentials[kind]
        pieces.append(phrases["credential"] % {"kind": CREDENTIAL_NAMES.get(kind, kind), "year": year})
    if values["district"]:
        pieces.append(phrases["district"] % {"district": scenario.district_name})
    if budget_fit(scenario, entry) == 0:
        pieces.append(phrases["budget"])
    if timing_fit(scenario, entry) == 0:
        pieces.append(phrases["timing"])
    if values["score"] < WEAK_BELOW:
        pieces.append(phrases["weak"])
    return "；".join(pieces)[:500]
