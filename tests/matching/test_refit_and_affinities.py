"""People's answers tune the score (engine/refit.py), and operators edit the domain affinities
(domain ↔ 战新 area, domain ↔ technology field)."""

import pytest
from django.urls import reverse

from core.models import AuditRecord
from matching.engine import refit as refitting
from matching.engine.matches import weights_in_use
from matching.engine.rebuild import rebuild
from matching.engine.scoring import DEFAULT_WEIGHTS
from matching.engine.text import field_key
from matching.models import DomainAreaAffinity, DomainFieldAffinity, Match, MatchFeedback, ScoreWeights
from matching.services import field_affinity_remove, match_answer
from tests.factories.accounts import UserFactory, operator_user
from tests.factories.scenarios import ScenarioFactory, domain
from tests.matching.conftest import matching_entry

pytestmark = pytest.mark.django_db

TOPICS = ["车位检测", "车牌识别", "水质监测", "跌倒检测", "电子签章", "光伏储能"]


@pytest.fixture
def answered():
    """Six scenarios × fourteen entries; each publisher accepts its topic's entries and declines
    the others it was shown as 不相关."""
    scenarios = [
        ScenarioFactory(
            title=f"{topic}试点",
            status="published",
            domain=domain("transport"),
            needs=[topic],
            need_description=f"征集{topic}产品，先行试点。",
        )
        for topic in TOPICS
    ]
    for number in range(14):
        topic = TOPICS[number % len(TOPICS)]
        matching_entry(f"{topic}产品{number:02d}", f"面向{topic}，已在多地应用。", [topic])
    rebuild()
    for scenario in scenarios:
        topic = scenario.title.removesuffix("试点")
        for match in Match.objects.filter(scenario=scenario).select_related("scenario", "entry"):
            accepted = match.entry.name.startswith(topic)
            match_answer(
                actor=scenario.created_by,
                match=match,
                decision="accepted" if accepted else "declined",
                reason="" if accepted else "irrelevant",
            )
    return scenarios


def test_a_refit_on_the_answers_is_kept_only_if_it_orders_both_halves_at_least_as_well(answered):
    stored = refitting.refit()
    assert stored is not None and stored.labels == MatchFeedback.objects.count()
    assert set(stored.weights) == set(DEFAULT_WEIGHTS) and sum(stored.weights.values()) == pytest.approx(1, abs=1e-3)
    for half in ("odd", "even"):
        figures = stored.figures[half]
        assert figures["in_use"] is None or figures["refitted"] >= figures["in_use"] or not stored.in_use
    if stored.in_use:
        assert weights_in_use() == stored.weights
    # A refit whose weights order the answers worse is stored but not used.
    ScoreWeights.objects.update(in_use=False)
    worse = {name: (1.0 if name == "district" else 0.0) for name in DEFAULT_WEIGHTS}
    ScoreWeights.objects.create(weights=DEFAULT_WEIGHTS, in_use=True)
    original = refitting.fit_weights
    refitting.fit_weights = lambda features, targets: worse
    try:
        refused = refitting.refit()
    finally:
        refitting.fit_weights = original
    assert not refused.in_use and weights_in_use() == DEFAULT_WEIGHTS


def test_too_few_answers_change_nothing(corpus):
    rebuild()
    assert refitting.refit() is None and not ScoreWeights.objects.exists()


def test_answers_move_the_affinity_towards_the_share_accepted_from_the_operators_weight(answered):
    refitting.refit()
    moved = DomainAreaAffinity.objects.exclude(learned_weight=None)
    assert moved.exists()
    for row in moved:
        assert row.answers > 0 and min(row.weight, 1) >= 0
        assert abs(row.learned_weight - row.weight) <= row.answers / (row.answers + refitting.AFFINITY_PRIOR)
    before = {row.pk: row.learned_weight for row in moved}
    refitting.refit()  # the same answers again: recomputed, not compounded
    assert {row.pk: row.learned_weight for row in DomainAreaAffinity.objects.exclude(learned_weight=None)} == before


def test_operators_edit_an_affinity_with_an_audit_record_and_bad_values_change_nothing(client):
    operator = operator_user()
    client.force_login(operator)
    url = reverse("matching:affinities")
    transport = domain("transport")
    page = client.get(url, {"domain": transport.pk})
    assert page.status_code == 200 and "领域关联度" in page.content.decode()
    row = DomainAreaAffinity.objects.filter(domain=transport).order_by("weight").first()
    for bad in ("", "abc", "1.5", "-0.1", "nan", "inf"):
        response = client.post(url, {"affinity": row.pk, "weight": bad, "domain": transport.pk}, follow=True)
        assert response.status_code == 200 and "关联度请填写 0 到 1 之间的数。" in response.content.decode()
    row.refresh_from_db()
    previous = row.weight
    response = client.post(url, {"affinity": row.pk, "weight": "0.75", "domain": transport.pk})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.weight == 0.75
    record = AuditRecord.objects.get(action="matching.affinity_update")
    assert record.actor == operator and record.before == {"weight": previous}
    assert client.post(url, {"affinity": "x", "weight": "0.5"}).status_code == 404


def test_only_operators_see_the_affinities():
    from django.test import Client

    client = Client()
    client.force_login(UserFactory(roles=["publisher"]))
    assert client.get(reverse("matching:affinities")).status_code in (403, 404)


def test_a_field_usual_in_the_domain_counts_where_the_scenario_does_not_name_it_and_stops_when_removed():
    """车路协同 is a seeded field of 交通: an entry with it scores on the fields part in a transport
    scenario that words its need otherwise, says why, and loses both once an operator removes it."""
    operator = operator_user()
    scenario = ScenarioFactory(
        title="城区主干道路口通行效率提升",
        status="published",
        domain=domain("transport"),
        needs=["路口排队检测", "信号配时优化"],
        need_description="高峰时段主干道路口排队过长，希望实时掌握各方向排队长度并据此调整信号配时。",
    )
    usual = matching_entry("路口感知与信号协同系统", "实时检测路口各方向排队长度，联动信号机优化配时。", ["车路协同"])
    other = matching_entry("路口感知与信号优化系统", "实时检测路口各方向排队长度，联动信号机优化配时。", ["机器学习"])
    rebuild()
    with_field = Match.objects.get(scenario=scenario, entry=usual)
    without = Match.objects.get(scenario=scenario, entry=other)
    assert with_field.fields == pytest.approx(without.fields + 0.5 * 0.8, abs=0.002)
    assert "技术领域“车路协同”常用于交通场景" in with_field.explanation
    assert "车路协同" not in without.explanation

    row = DomainFieldAffinity.objects.get(domain=domain("transport"), field="车路协同")
    field_affinity_remove(actor=operator, affinity=row)
    assert AuditRecord.objects.get(action="matching.field_affinity_remove").before["field"] == "车路协同"
    rebuild()  # the row's content changed: a new row replaces it
    with_field = Match.objects.get(scenario=scenario, entry=usual)
    assert with_field.fields == pytest.approx(without.fields, abs=0.002)
    assert "车路协同" not in with_field.explanation


def test_answers_move_the_field_affinities_too(answered):
    """The fixture's transport entries carry their topic as a field; 车牌识别 is a seeded field of 交通."""
    refitting.refit()
    row = DomainFieldAffinity.objects.get(domain=domain("transport"), field="车牌识别")
    assert row.answers > 0 and row.learned_weight is not None
    labels = [
        feedback.decision == "accepted"
        for feedback in MatchFeedback.objects.select_related("entry")
        if "车牌识别" in feedback.entry.technology_fields
    ]
    share = sum(labels) / len(labels)
    moved = row.answers / (row.answers + refitting.AFFINITY_PRIOR)
    assert row.learned_weight == pytest.approx(row.weight + moved * (share - row.weight), abs=0.002)


def test_operators_add_edit_and_remove_fields_with_audit_records_and_bad_input_changes_nothing(client):
    operator = operator_user()
    client.force_login(operator)
    url = reverse("matching:affinities")
    transport, health = domain("transport"), domain("health")
    page = client.get(url, {"domain": transport.pk}).content.decode()
    assert "车路协同" in page and "医学影像" not in page

    count = DomainFieldAffinity.objects.count()
    for field, weight, message in (
        ("", "0.5", "请填写技术领域。"),
        ("   ", "0.5", "请填写技术领域。"),
        ("很" * 21, "0.5", "技术领域不超过 20 个字。"),
        ("车路 协同", "0.5", "该场景领域已有技术领域“车路 协同”。"),
        ("路侧感知", "2", "关联度请填写 0 到 1 之间的数。"),
    ):
        response = client.post(url, {"domain": transport.pk, "field": field, "weight": weight}, follow=True)
        assert response.status_code == 200 and message in response.content.decode(), field
    assert DomainFieldAffinity.objects.count() == count
    assert client.post(url, {"domain": "x", "field": "路侧感知", "weight": "0.5"}).status_code == 404
    assert client.post(url, {"domain": "999999", "field": "路侧感知", "weight": "0.5"}).status_code == 404

    response = client.post(url, {"domain": transport.pk, "field": "路侧感知", "weight": "0.6"})
    assert response.status_code == 302
    added = DomainFieldAffinity.objects.get(domain=transport, field="路侧感知")
    assert added.weight == 0.6 and added.key == "路侧感知"
    assert AuditRecord.objects.get(action="matching.field_affinity_add").actor == operator
    # The same field may serve another domain.
    assert client.post(url, {"domain": health.pk, "field": "路侧感知", "weight": "0.3"}).status_code == 302

    response = client.post(url, {"domain": transport.pk, "field_affinity": added.pk, "weight": "0.9"})
    added.refresh_from_db()
    assert response.status_code == 302 and added.weight == 0.9
    assert AuditRecord.objects.get(action="matching.field_affinity_update").before == {"weight": 0.6}
    assert client.post(url, {"field_affinity": "x", "weight": "0.5"}).status_code == 404

    client.post(url, {"domain": transport.pk, "field_affinity": added.pk, "remove": "1"})
    assert not DomainFieldAffinity.objects.filter(pk=added.pk).exists()


def test_a_field_is_compared_without_spaces_case_or_synonym_differences():
    assert field_key("机器 视觉") == field_key("机器视觉")
    assert field_key("AI 质检") == field_key("ai质检")
    assert field_key("电子印章") == field_key("电子签章")
