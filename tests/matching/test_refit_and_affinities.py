"""People's answers tune the score (engine/refit.py), and operators edit the domain affinities."""

import pytest
from django.urls import reverse

from core.models import AuditRecord
from matching.engine import refit as refitting
from matching.engine.matches import weights_in_use
from matching.engine.rebuild import rebuild
from matching.engine.scoring import DEFAULT_WEIGHTS
from matching.models import DomainAreaAffinity, Match, MatchFeedback, ScoreWeights
from matching.services import match_answer
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
