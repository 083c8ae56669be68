"""The evaluation API's choice fields: a bad value is a 400 naming every valid one (in Chinese) and
changes nothing; the OpenAPI schema documents each choice set as its own named enum."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from core.models import AuditRecord
from evaluation import services
from evaluation.choices import CaseStatus
from evaluation.models import EvaluationRound, Replication, ToleranceIncident, TypicalCase
from tests.evaluation import conftest_cases as fixtures
from tests.evaluation.conftest_cases import approved_case, closed_round, company_user, evaluated_subject, open_period
from tests.factories import evaluation as factories

pytestmark = pytest.mark.django_db
_reference_data = fixtures._reference_data
operator = fixtures.operator


def _refused(response, field: str, *listed: str) -> None:
    assert response.status_code == 400, response.content
    message = response.json()[field][0]
    assert "不是有效的选项" in message and all(text in message for text in listed), message


def test_a_round_of_an_unknown_level_is_refused_with_the_levels_listed(client, operator):
    framework = factories.framework()
    client.force_login(operator)
    body = {"title": "企业级评估", "level": "province", "year": 2026, "framework": framework.pk}
    response = client.post("/api/v1/evaluation-rounds/", body, content_type="application/json")
    _refused(response, "level", "“province”", "city（城市级）", "industry（产业级）", "enterprise（企业级）")
    assert not EvaluationRound.objects.exists()


def test_a_case_decision_outside_the_three_is_refused_and_the_case_stays_proposed(client, operator):
    round_ = closed_round()
    evaluated_subject(round_)
    [case] = services.cases_propose(round=round_)
    client.force_login(operator)
    response = client.post(
        f"/api/v1/typical-cases/{case.pk}/decide/",
        {"decision": "publish", "reason": "好"},
        content_type="application/json",
    )
    _refused(response, "decision", "approve（入选）", "more_info（要求补充材料）", "dismiss（不入选）")
    assert TypicalCase.objects.get(pk=case.pk).status == CaseStatus.PROPOSED
    assert not AuditRecord.objects.filter(action__startswith="evaluation.case.decide").exists()


def test_a_replication_of_an_unknown_kind_is_refused(client):
    case = approved_case()
    client.force_login(company_user())
    response = client.post(
        "/api/v1/replications/",
        {"case": case.pk, "kind": "copy", "description": "推广"},
        content_type="application/json",
    )
    _refused(response, "kind", "scenario（复制为新场景）", "adoption（推广应用）")
    assert not Replication.objects.exists()


def test_a_tolerance_decision_outside_the_three_is_refused(client, operator):
    period = open_period(operator)
    incident = ToleranceIncident.objects.create(
        period=period, occurred_on=period.starts_on, description="试运行中断", recorded_by=operator
    )
    client.force_login(operator)
    response = client.post(
        f"/api/v1/tolerance-periods/{period.pk}/incidents/decide/",
        {"incident": incident.pk, "decision": "forgiven", "basis": "不可抗力"},
        content_type="application/json",
    )
    _refused(response, "decision", "exempt（免责）", "reduced（减责）", "not_tolerated（不予容错）")
    assert ToleranceIncident.objects.get(pk=incident.pk).decision == ""


def test_the_schema_names_each_evaluation_choice_set_as_its_own_enum():
    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    expected = {
        "EvaluationLevelEnum": ["city", "industry", "enterprise"],
        "RoundStatusEnum": ["preparing", "self_assessment", "scoring", "closed"],
        "ScoreSheetStatusEnum": ["draft", "submitted"],
        "CaseDecisionEnum": ["approve", "more_info", "dismiss"],
        "ReplicationKindEnum": ["scenario", "adoption"],
        "ToleranceDecisionEnum": ["exempt", "reduced", "not_tolerated"],
        "DecisionEnum": ["accepted", "declined"],  # capability_list's, unchanged
    }
    assert {name: schemas[name]["enum"] for name in expected} == expected
    refs = {
        (component, field): schemas[component]["properties"][field]
        for component, field in [
            ("EvaluationRound", "level"),
            ("RoundCreateRequest", "level"),
            ("CaseDecideRequest", "decision"),
            ("ReplicationCreateRequest", "kind"),
            ("IncidentDecideRequest", "decision"),
            ("EvaluationSheet", "status"),
        ]
    }
    assert all("Enum" in str(prop) for prop in refs.values()), refs
