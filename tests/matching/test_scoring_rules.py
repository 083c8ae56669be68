"""Matching's hard filters and score parts, each rule on both sides, and the array forms the
rebuild uses agreeing with the plain ones pair by pair (matching.engine.scoring, .matches,
.rebuild.filters_of, .similarity.Filters)."""

import itertools
from decimal import Decimal

import numpy as np
import pytest

from matching.engine.documents import EntryDoc, ScenarioDoc, entry_docs, scenario_docs
from matching.engine.matches import _attribute_parts
from matching.engine.rebuild import filters_of, rebuild
from matching.engine.scoring import (
    DEFAULT_WEIGHTS,
    PARTS,
    TEXT_SATURATION,
    WEAK_BELOW,
    asked_credentials,
    budget_fit,
    credential_bits,
    passes_hard_filters,
    shared_fields,
    timing_fit,
)
from matching.engine.text import field_key
from matching.models import DomainAreaAffinity, DomainFieldAffinity, Match
from tests.factories.scenarios import ScenarioFactory, district, domain


def _scenario(**kwargs):
    values = {
        "id": 1,
        "title": "智慧停车",
        "needs": [],
        "domain_id": None,
        "domain_name": "",
        "district_id": 7,
        "district_name": "鄞州区",
        "funding_amount": Decimal("500000"),
        "stage": "planned",
        "required_credential": "",
        "local_only": False,
        "is_open": True,
        "primary": "智慧停车 车位检测",
        "rest": "",
    }
    return ScenarioDoc(**{**values, **kwargs})


def _entry(**kwargs):
    values = {
        "id": 1,
        "name": "车位检测终端",
        "company_id": 1,
        "district_id": 7,
        "area_id": None,
        "area_name": "",
        "fields": [],
        "maturity": "mass",
        "price_band": "10w_50w",
        "credentials": {},
        "is_listed": True,
    }
    return EntryDoc(**{**values, **kwargs})


def test_the_weights_sum_to_one_and_the_thresholds_stand():
    """Rule: the score is 100 × Σ weight × part with the weights summing to 1; 弱匹配 under 18."""
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)
    assert DEFAULT_WEIGHTS == {
        "text": 0.65,
        "coverage": 0.10,
        "fields": 0.10,
        "credential": 0.06,
        "fit": 0.05,
        "district": 0.04,
    }
    assert (TEXT_SATURATION, WEAK_BELOW) == (0.3, 18.0)


def test_a_pair_passes_only_when_open_listed_holding_and_local():
    """Rule: each hard filter drops the pair on its own."""
    assert passes_hard_filters(_scenario(), _entry())
    assert not passes_hard_filters(_scenario(is_open=False), _entry())
    assert not passes_hard_filters(_scenario(), _entry(is_listed=False))
    assert not passes_hard_filters(_scenario(required_credential="first_set"), _entry())
    assert passes_hard_filters(
        _scenario(required_credential="first_set"), _entry(credentials={"first_set": ("省级", 2024)})
    )
    assert not passes_hard_filters(
        _scenario(required_credential="first_set"), _entry(credentials={"first_batch": ("省级", 2024)})
    )
    assert not passes_hard_filters(_scenario(local_only=True), _entry(district_id=8))
    assert passes_hard_filters(_scenario(local_only=True), _entry(district_id=7))
    assert not passes_hard_filters(_scenario(local_only=True, district_id=None), _entry(district_id=None))
    assert passes_hard_filters(_scenario(local_only=False), _entry(district_id=8))


def test_asked_credentials_are_the_required_one_or_any_for_a_first_product():
    """Rule: the required kind; else every kind when the text concerns a first product; else none."""
    assert asked_credentials(_scenario(required_credential="first_batch")) == {"first_batch"}
    assert asked_credentials(_scenario(rest="优先采购首台套产品")) == {"first_set", "first_batch", "first_version"}
    assert asked_credentials(_scenario()) == set()
    assert credential_bits(["first_set", "first_batch", "first_version"]) == 7
    assert credential_bits(["first_version", "other"]) == 4


def test_shared_fields_are_those_named_in_the_scenario():
    """Rule: the entry's technology fields that the scenario's text names."""
    assert shared_fields(_entry(fields=["车位检测", "区块链"]), _scenario()) == ["车位检测"]


@pytest.mark.parametrize(
    "band, funding, fit",
    [
        ("10w_50w", "100000", 1.0),
        ("10w_50w", "99999", 0.0),
        ("50w_200w", "500000", 1.0),
        ("50w_200w", "499999", 0.0),
        ("200w_1000w", "2000000", 1.0),
        ("200w_1000w", "1999999", 0.0),
        ("lt_10w", "0", 1.0),
        ("gt_1000w", "10000000", 1.0),
        ("gt_1000w", "9999999", 0.0),
        ("", "500000", 0.5),
        ("50w_200w", None, 0.5),
    ],
)
def test_budget_fit_when_the_band_starts_within_the_funding(band, funding, fit):
    """Rule: 1 when the price band's floor is within the funding, 0 above it, 0.5 unknown."""
    scenario = _scenario(funding_amount=None if funding is None else Decimal(funding))
    assert budget_fit(scenario, _entry(price_band=band)) == fit


@pytest.mark.parametrize(
    "stage, maturity, fit",
    [
        ("under_construction", "prototype", 0.0),
        ("under_construction", "pilot", 0.5),
        ("under_construction", "demonstrated", 1.0),
        ("under_construction", "mass", 1.0),
        ("planned", "prototype", 0.5),
        ("planned", "pilot", 1.0),
        ("planned", "demonstrated", 1.0),
        ("planned", "mass", 1.0),
        ("planned", "", 0.5),
        ("", "mass", 0.5),
    ],
)
def test_timing_fit_by_stage_and_maturity(stage, maturity, fit):
    """Rule: a scenario under construction needs a product in use; a planned one takes a pilot."""
    assert timing_fit(_scenario(stage=stage), _entry(maturity=maturity)) == fit


SCENARIOS = [
    _scenario(id=1, district_id=7, funding_amount=Decimal("500000"), stage="planned"),
    _scenario(id=2, district_id=None, funding_amount=None, stage="under_construction", rest="首台套"),
    _scenario(
        id=3,
        district_id=8,
        funding_amount=Decimal("99999"),
        stage="under_construction",
        required_credential="first_batch",
        local_only=True,
    ),
]
ENTRIES = [
    _entry(id=1, district_id=7, price_band="10w_50w", maturity="prototype"),
    _entry(id=2, district_id=None, price_band="", maturity="pilot", credentials={"first_set": ("省级", 2024)}),
    _entry(id=3, district_id=8, price_band="50w_200w", maturity="", credentials={"first_batch": ("市级", 2025)}),
    _entry(id=4, district_id=8, price_band="lt_10w", maturity="mass", fields=["首台套"]),
]


@pytest.mark.django_db
def test_the_array_parts_agree_with_the_plain_rules_pair_by_pair():
    """Rule: the rebuild's array parts are the same rules: fit = mean of budget and timing fit,
    credential = an asked kind held, district = the same district (none never matches none)."""
    pairs = list(itertools.product(range(len(SCENARIOS)), range(len(ENTRIES))))
    s_rows = np.array([s for s, _e in pairs])
    e_rows = np.array([e for _s, e in pairs])
    parts, _area, _field = _attribute_parts(SCENARIOS, ENTRIES, s_rows, e_rows)
    for index, (s, e) in enumerate(pairs):
        scenario, entry = SCENARIOS[s], ENTRIES[e]
        fit = (budget_fit(scenario, entry) + timing_fit(scenario, entry)) / 2
        assert parts["fit"][index] == pytest.approx(fit), (s, e)
        held = bool(asked_credentials(scenario) & set(entry.credentials))
        assert parts["credential"][index] == float(held), (s, e)
        same = scenario.district_id is not None and scenario.district_id == entry.district_id
        assert parts["district"][index] == float(same), (s, e)
    named = _attribute_parts(
        [_scenario(primary="车位检测 视频分析")],
        [_entry(fields=["车位检测", "视频分析"]), _entry(fields=["车位检测"])],
        np.array([0, 0]),
        np.array([0, 1]),
    )[0]
    assert list(named["fields"]) == [0.5, 0.25]  # two named fields: full; one: half (no affinities)


def test_the_search_filters_agree_with_the_plain_hard_filters():
    """Rule: the candidate search keeps exactly the pairs passes_hard_filters keeps."""
    mask = filters_of(SCENARIOS, ENTRIES)
    allowed = mask.allowed(np.arange(len(SCENARIOS)), np.arange(len(ENTRIES)))
    for s, e in itertools.product(range(len(SCENARIOS)), range(len(ENTRIES))):
        assert bool(allowed[s, e]) == passes_hard_filters(SCENARIOS[s], ENTRIES[e]), (s, e)
    assert list(mask.restricted) == [2]


@pytest.mark.django_db
def test_each_stored_score_is_the_weighted_sum_of_its_parts(corpus):
    """Rule: a pair's score is 100 × Σ weight × part to one decimal, each part in [0, 1] to three
    decimals; the text part saturates at 1 (relevance over TEXT_SATURATION); coverage is the mean
    share of the scenario's needs covered, or the text part for a scenario that lists none."""
    bare = ScenarioFactory(
        title="老城区路侧泊位智能化改造",
        status="published",
        domain=domain("transport"),
        district=district("haishu"),
        need_description="对路侧泊位进行智能化改造，实现车位状态实时检测和车牌识别，减少人工收费。",
        needs=[],
    )
    parking, _entries = corpus
    rebuild()
    rows = list(Match.objects.all())
    assert {row.scenario_id for row in rows} >= {bare.pk, parking.pk}
    for row in rows:
        parts = {name: getattr(row, name) for name in PARTS}
        assert all(0 <= value <= 1 and round(value, 3) == value for value in parts.values()), parts
        assert row.score == float(np.round(100 * sum(DEFAULT_WEIGHTS[name] * parts[name] for name in PARTS), 1))
        if row.scenario_id == bare.pk:
            assert row.coverage == row.text
        else:
            shares = [share for _need, share in row.shares]
            assert row.scenario_id == parking.pk and len(shares) == 3  # 车位检测, 车牌识别, 移动支付
            assert row.coverage == pytest.approx(sum(shares) / len(shares), abs=0.006)
    texts = [row.text for row in rows]
    assert min(texts) < max(texts)
    assert any(round(value, 2) != value for value in texts)  # three decimals kept, not two
    assert all(round(share, 2) == share for row in rows for _need, share in row.shares)


@pytest.mark.django_db
def test_the_fields_part_is_half_area_affinity_half_the_better_of_named_and_usual_fields(corpus):
    """Rule: fields = ½ × the affinity of the entry's 战新 area to the scenario's domain + ½ × the
    better of its technology fields named in the scenario (two or more: full) and its best field's
    affinity to the domain (both tables as operators keep them); a scenario without a domain has
    no affinity to anything."""
    ScenarioFactory(
        title="路侧泊位车位检测与车牌识别",
        status="published",
        domain=None,
        district=district("haishu"),
        need_description="路侧泊位车位检测，进出车辆车牌识别。",
        needs=["车位检测"],
    )
    # Usual fields of the domain that the parking scenario does not name: 高分子材料 (the paint
    # entry's only field), and two of the textile entry's, the better one counting.
    for field, weight in (("高分子材料", 0.8), ("缺陷检测", 0.3), ("机器视觉", 0.6)):
        DomainFieldAffinity.objects.filter(domain=domain("transport"), key=field_key(field)).delete()
        DomainFieldAffinity.objects.create(domain=domain("transport"), field=field, weight=weight)
    rebuild()
    areas = {(row.domain_id, row.area_id): row.in_use for row in DomainAreaAffinity.objects.all()}
    usual_of: dict[tuple[int, str], float] = {}
    for row in DomainFieldAffinity.objects.all():
        usual_of[row.domain_id, row.key] = max(usual_of.get((row.domain_id, row.key), 0.0), row.in_use)
    scenarios = {doc.id: doc for doc in scenario_docs()}
    entries = {doc.id: doc for doc in entry_docs()}
    rows = list(Match.objects.all())
    seen = {"area": False, "usual": False}
    for row in rows:
        scenario, entry = scenarios[row.scenario_id], entries[row.entry_id]
        area = areas.get((scenario.domain_id, entry.area_id), 0.0)
        named = min(1.0, len(shared_fields(entry, scenario)) / 2)
        usual = max((usual_of.get((scenario.domain_id, field_key(value)), 0.0) for value in entry.fields), default=0.0)
        assert row.fields == pytest.approx(0.5 * area + 0.5 * max(named, usual), abs=0.0006), (
            row.scenario_id,
            row.entry_id,
        )
        seen["area"] |= area > 0
        seen["usual"] |= usual > named
    assert seen == {"area": True, "usual": True}  # both tables counted somewhere


def test_the_search_filters_agree_for_each_restriction_alone():
    """Rule: a required 三首 kind alone, or local suppliers alone (with or without a district of its
    own: without one, no supplier is local), restricts a scenario; the search keeps exactly the
    pairs passes_hard_filters keeps."""
    scenarios = [
        _scenario(id=1),
        _scenario(id=2, required_credential="first_set"),
        _scenario(id=3, local_only=True, district_id=1),
        _scenario(id=4, local_only=True, district_id=None),
    ]
    entries = [
        _entry(id=1, district_id=1, credentials={"first_set": ("省级", 2024)}),
        _entry(id=2, district_id=7),
        _entry(id=3, district_id=None, credentials={"first_version": ("市级", 2025)}),
    ]
    mask = filters_of(scenarios, entries)
    allowed = mask.allowed(np.arange(len(scenarios)), np.arange(len(entries)))
    for s, e in itertools.product(range(len(scenarios)), range(len(entries))):
        assert bool(allowed[s, e]) == passes_hard_filters(scenarios[s], entries[e]), (s, e)
    assert list(mask.restricted) == [1, 2, 3]
    assert not allowed[3].any()  # local only, with no district of its own: nobody
