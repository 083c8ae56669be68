"""The typical-case and replication API: anonymous reads of approved cases, scoping, actions, query counts."""

import pytest

from evaluation import services
from evaluation.choices import CaseStatus, ReplicationStatus
from evaluation.models import Replication, TypicalCase
from tests.evaluation import conftest_cases as fixtures
from tests.evaluation.conftest_cases import approved_case, closed_round, company_user, evaluated_subject, evidence_pdf

pytestmark = pytest.mark.django_db
_reference_data = fixtures._reference_data
operator = fixtures.operator


def test_anonymous_reads_approved_cases_with_a_fixed_query_count(client, django_assert_num_queries):
    for _ in range(3):
        approved_case()
    hidden = approved_case()
    TypicalCase.objects.filter(pk=hidden.pk).update(status=CaseStatus.PROPOSED)
    # count; page of cases (round, scenario, supplier); subject organisations with their
    # organisations; published results.
    with django_assert_num_queries(4):
        response = client.get("/api/v1/typical-cases/")
    body = response.json()
    assert body["count"] == 3 and {row["grade"] for row in body["results"]} == {"良"}
    assert client.get(f"/api/v1/typical-cases/{hidden.pk}/").status_code == 404


def test_operators_read_all_and_decide(client, operator):
    round_ = closed_round()
    evaluated_subject(round_)
    [case] = services.cases_propose(round=round_)
    client.force_login(operator)
    url = f"/api/v1/typical-cases/{case.pk}/decide/"
    response = client.post(url, {"decision": "approve", "reason": ""}, content_type="application/json")
    assert response.status_code == 400 and "理由" in response.json()["detail"]
    response = client.post(url, {"decision": "approve", "reason": "成效显著"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "approved"


def test_a_company_user_cannot_decide(client):
    case = approved_case()
    client.force_login(company_user())
    response = client.post(
        f"/api/v1/typical-cases/{case.pk}/decide/",
        {"decision": "dismiss", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404  # an operator's action: answered as if it did not exist
    case.refresh_from_db()
    assert case.status == "approved"


def test_replications_are_recorded_scoped_and_verified(client, operator, django_assert_num_queries):
    case = approved_case()
    adopter = company_user()
    client.force_login(adopter)
    response = client.post(
        "/api/v1/replications/",
        {"case": case.pk, "kind": "adoption", "description": "推广", "evidence": evidence_pdf()},
    )
    assert response.status_code == 201
    replication_id = response.json()["id"]
    services.replication_record(
        actor=company_user(), case=case, kind="adoption", description="另一单位", evidence=evidence_pdf()
    )
    assert [row["id"] for row in client.get("/api/v1/replications/").json()["results"]] == [replication_id]
    assert client.post(
        f"/api/v1/replications/{replication_id}/verify/", {"approve": True}, content_type="application/json"
    ).status_code in (403, 404)
    client.force_login(operator)
    # session, user (with roles); count; one page of replications with case, adopter, scenario and people.
    with django_assert_num_queries(4):
        assert client.get("/api/v1/replications/").json()["count"] == 2
    response = client.post(
        f"/api/v1/replications/{replication_id}/verify/", {"approve": True}, content_type="application/json"
    )
    assert response.status_code == 200
    assert Replication.objects.get(pk=replication_id).status == ReplicationStatus.VERIFIED


def test_the_cases_own_organisation_gets_a_400_from_the_api(client):
    case = approved_case()
    supplier = case.supplier
    client.force_login(company_user(organisation=supplier))
    response = client.post(
        "/api/v1/replications/", {"case": case.pk, "kind": "adoption", "description": "x", "evidence": evidence_pdf()}
    )
    assert response.status_code == 400 and "本单位" in response.json()["detail"]
