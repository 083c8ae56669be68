"""Experts read the scenario's tolerance register beside the material: a 免责 incident inside the
period is not held against the subject, and they must see that it was decided so."""

from datetime import date

import pytest
from django.urls import reverse

from evaluation.models import EvaluationCommitment, RoundExpert, ToleranceIncident, TolerancePeriod
from tests.factories.evaluation import evaluation_round, subject
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.usefixtures("reference_data")


def test_a_cleared_expert_sees_the_incidents_and_their_decisions(client):
    round_ = evaluation_round(experts=3)
    scenario = ScenarioFactory(status="in_implementation", track="forward_looking")
    item = subject(round_, scenario=scenario)
    period = TolerancePeriod.objects.create(
        scenario=scenario,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        original_ends_on=date(2026, 12, 31),
        created_by=round_.opened_by,
    )
    ToleranceIncident.objects.create(
        period=period,
        occurred_on=date(2026, 5, 1),
        description="样机定位漂移撞击护栏",
        recorded_by=round_.opened_by,
        decision="exempt",
        decision_basis="属试验中的技术风险",
    )
    expert = RoundExpert.objects.filter(round=round_).first().expert
    EvaluationCommitment.objects.create(round=round_, expert=expert, text_sha256="0" * 64)
    client.force_login(expert)
    page = client.get(reverse("evaluation:subject-material", args=[item.pk])).content.decode()
    assert "包容期与容错" in page and "样机定位漂移撞击护栏" in page and "免责" in page


def test_a_subject_without_a_tolerance_period_shows_no_register(client):
    round_ = evaluation_round(experts=3)
    item = subject(round_, scenario=ScenarioFactory(status="in_implementation"))
    expert = RoundExpert.objects.filter(round=round_).first().expert
    EvaluationCommitment.objects.create(round=round_, expert=expert, text_sha256="0" * 64)
    client.force_login(expert)
    page = client.get(reverse("evaluation:subject-material", args=[item.pk])).content.decode()
    assert "包容期与容错" not in page
