"""The assessment API: the scorecard and credit read endpoints (operators and officials), the
product-use endpoints calling the same services, and their refusals."""

import pytest
from rest_framework.test import APIClient

from steering.models import ProductUse
from tests.factories.accounts import UserFactory
from tests.steering.assessment_world import EXPECTED_RAIL, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_scorecard_endpoint_answers_the_same_rows_as_the_page(world):
    response = api(world.official).get("/api/v1/assessment-scorecards/", {"year": 2026})

    assert response.status_code == 200
    rail = next(row for row in response.json() if row["organisation"] == world.rail.pk)
    assert {item["code"]: (item["count"], item["score"]) for item in rail["items"]} == EXPECTED_RAIL
    assert rail["total"] == "11.00"


def test_the_credit_endpoint_answers_the_companies(world):
    response = api(world.operator).get("/api/v1/company-credits/", {"year": "2026"})

    assert response.status_code == 200
    assert response.json()[0]["organisation_name"] == "宁波甬视智能科技有限公司"
    assert response.json()[0]["total"] == "6.00"


@pytest.mark.parametrize("roles", [["company"], ["judge"], ["publisher"]])
def test_others_may_not_read_the_assessment(world, roles):
    client = api(UserFactory(organisation=world.yongshi, roles=roles))
    assert client.get("/api/v1/assessment-scorecards/").status_code == 404
    assert client.get("/api/v1/company-credits/").status_code == 404


def test_a_publisher_records_a_use_and_an_operator_verifies_it(world):
    response = api(world.rail_publisher).post(
        "/api/v1/product-uses/",
        {
            "entry": world.entries.e2.pk,
            "kind": "procurement",
            "contract_number": "NBGT-2026-CG-0500",
            "amount": "250000.00",
            "used_on": "2026-10-08",
            "evidence": _pdf(),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending" and response.json()["organisation"] == world.rail.pk
    use_id = response.json()["id"]

    assert api(world.official).post(f"/api/v1/product-uses/{use_id}/verify/", {"approve": True}).status_code == 404
    verified = api(world.operator).post(f"/api/v1/product-uses/{use_id}/verify/", {"approve": True}, format="json")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("合同.pdf", b"%PDF-1.4 contract", content_type="application/pdf")


def test_a_refused_use_answers_400_with_the_services_chinese_message(world):
    response = api(world.rail_publisher).post(
        "/api/v1/product-uses/",
        {
            "entry": world.entries.e2.pk,
            "kind": "procurement",
            "contract_number": "EARLY-1",
            "amount": "100",
            "used_on": "2026-03-01",
            "evidence": _pdf(),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "早于该大赛结果发布日" in response.json()["detail"]


def test_another_soes_use_is_404_and_not_listed(world):
    client = api(world.urban_publisher)
    assert client.get(f"/api/v1/product-uses/{world.counted[0].pk}/").status_code == 404
    listed = client.get("/api/v1/product-uses/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"entry": "abc", "kind": "procurement", "contract_number": "A", "amount": "1", "used_on": "2026-09-01"},
        {
            "entry": 99999999999999,
            "kind": "procurement",
            "contract_number": "A",
            "amount": "1",
            "used_on": "2026-09-01",
        },
        {"entry": 1, "kind": "gift", "contract_number": "A", "amount": "1", "used_on": "2026-09-01"},
        {"entry": 1, "kind": "procurement", "contract_number": "A", "amount": "1e400", "used_on": "2026-09-01"},
        {"entry": 1, "kind": "procurement", "contract_number": "A", "amount": "1", "used_on": "昨天"},
    ],
)
def test_hostile_bodies_answer_400(world, body):
    assert api(world.rail_publisher).post("/api/v1/product-uses/", body, format="json").status_code == 400
    assert not ProductUse.objects.filter(contract_number="A").exists()


def test_an_entry_that_is_not_shortlisted_is_404(world):
    response = api(world.rail_publisher).post(
        "/api/v1/product-uses/",
        {
            "entry": world.entries.e3.pk,
            "kind": "procurement",
            "contract_number": "B",
            "amount": "1",
            "used_on": "2026-09-01",
        },
        format="json",
    )
    assert response.status_code == 404
