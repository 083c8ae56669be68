"""Matching's score parts read to their edges (matching.engine.matches.score_pairs and
_attribute_parts): the text part's saturation, coverage with a single need, and the fields part
from the two affinity tables — which side counts, what "none" reads, which field is named."""

from types import SimpleNamespace

import numpy as np
import pytest

from capability_list.models import StrategicArea
from matching.engine.matches import _attribute_parts, score_pairs
from matching.engine.rebuild import rebuild
from matching.models import DomainAreaAffinity, DomainFieldAffinity, Match
from scenarios.models import Domain
from tests.factories.scenarios import ScenarioFactory, district, domain
from tests.matching.test_scoring_rules import _entry, _scenario

pytestmark = pytest.mark.django_db


def test_the_text_part_is_relevance_over_three_tenths_capped_at_one():
    """Rule: text = min(1, relevance / 0.3) (TEXT_SATURATION), to three decimals; a scenario that
    lists no need takes its text part as its coverage."""
    scenarios = [_scenario(id=1)]
    entries = [_entry(id=number) for number in range(1, 5)]
    no_needs = SimpleNamespace(offsets=np.zeros(len(scenarios) + 1, dtype=np.int64))
    relevance = np.array([0.0, 0.15, 0.3, 0.6])
    scored = score_pairs(scenarios, entries, np.zeros(4, dtype=np.int64), np.arange(4), relevance, no_needs, None, None)
    assert list(scored.parts["text"]) == [0.0, 0.5, 1.0, 1.0]
    assert list(scored.parts["coverage"]) == [0.0, 0.5, 1.0, 1.0]


def test_a_scenario_with_one_need_is_covered_as_much_as_that_need(corpus):
    """Rule: coverage is the mean share of the scenario's needs: with a single need, that need's
    share (not halved, and not the text part)."""
    single = ScenarioFactory(
        title="路侧泊位车位检测改造",
        status="published",
        domain=domain("transport"),
        district=district("haishu"),
        need_description="对路侧泊位进行智能化改造，实现车位状态实时检测。",
        needs=["车位检测"],
    )
    rebuild()
    rows = list(Match.objects.filter(scenario=single))
    assert rows
    for row in rows:
        [(_need, share)] = row.shares
        assert row.coverage == pytest.approx(share, abs=0.006), row.entry_id
    assert any(row.coverage > 0.05 for row in rows)
    assert any(abs(row.coverage - row.text) > 0.02 for row in rows)


def _tables():
    """Affinity tables of our own: transport and `other` (the last domain by id, or transport is)
    with both areas and a usual field; `unused` with an area only, and no scenario of its own."""
    transport = domain("transport")  # the reference data first: it seeds the tables
    DomainAreaAffinity.objects.all().delete()
    DomainFieldAffinity.objects.all().delete()
    first, second = StrategicArea.objects.order_by("pk")[:2]
    other = Domain.objects.exclude(pk=transport.pk).order_by("-pk").first()
    # An id no area has either, so that reading an area's id as a domain's cannot find it by chance.
    unused = Domain.objects.exclude(pk__in=[transport.pk, other.pk, first.pk, second.pk]).order_by("pk").first()
    for owner, area, weight in (
        (transport, first, 0.6),
        (transport, second, 0.3),
        (other, first, 0.9),
        (other, second, 0.9),
        (unused, second, 0.7),
    ):
        DomainAreaAffinity.objects.create(domain=owner, area=area, weight=weight)
    for owner, field, weight in (
        (transport, "缺陷检测", 0.8),
        (transport, "机器视觉", 0.8),
        (transport, "视频分析", 0.5),
        (other, "缺陷检测", 0.5),
    ):
        DomainFieldAffinity.objects.create(domain=owner, field=field, weight=weight)
    return transport, first


def test_the_fields_part_reads_each_table_on_its_own_side_and_none_as_nothing():
    """Rule: fields = ½ area affinity + ½ max(named, usual); a scenario without a domain, or an entry
    without an area, has no area affinity; a scenario without a domain has no usual field; every
    domain and area in the tables counts, whether or not a scenario or a field uses it."""
    transport, first = _tables()
    scenarios = [_scenario(id=1, domain_id=transport.pk, primary="智慧停车 车位检测"), _scenario(id=2)]
    entries = [
        _entry(id=1, area_id=first.pk, fields=["缺陷检测", "机器视觉"]),
        _entry(id=2, area_id=None, fields=[]),
        _entry(id=3, area_id=None, fields=["车位检测", "视频分析"]),
    ]
    s_rows = np.array([0, 0, 0, 1, 1])
    e_rows = np.array([0, 1, 2, 0, 1])
    parts, area_affinity, domain_field = _attribute_parts(scenarios, entries, s_rows, e_rows)
    assert list(area_affinity) == [0.6, 0.0, 0.0, 0.0, 0.0]
    assert list(np.round(parts["fields"], 3)) == [0.7, 0.0, 0.25, 0.0, 0.0]
    # The field named in the explanation: the first of the equally usual ones; none when the usual
    # field does not beat the named ones (a tie included) or there is none.
    assert list(domain_field) == [0, -1, -1, -1, -1]


def test_named_fields_count_in_full_from_two_on():
    """Rule: the named part is min(1, fields named in the scenario / 2): three count as two."""
    DomainAreaAffinity.objects.all().delete()
    DomainFieldAffinity.objects.all().delete()
    parts = _attribute_parts(
        [_scenario(primary="车位检测 视频分析 边缘计算")],
        [_entry(fields=["车位检测", "视频分析", "边缘计算"])],
        np.array([0]),
        np.array([0]),
    )[0]
    assert list(parts["fields"]) == [0.5]
