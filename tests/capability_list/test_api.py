import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from capability_list.models import CapabilityEntry, MatchmakingEvent
from tests.factories.accounts import OrganisationFactory, UserFactory, valid_credit_code
from tests.factories.capability_list import EntryFactory

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "name": "毫米波人体安检仪",
    "kind": "product",
    "description": "非接触式人体安检，通过率 600 人/小时。",
    "technology_fields": ["毫米波成像", "AI 识别"],
    "industry": "40",
    "strategic_area": "2",
    "maturity": "demonstrated",
    "credentials": [{"kind": "first_set", "certificate_number": "ZJ-2025-007", "level": "provincial", "year": 2025}],
}


@pytest.fixture
def api():
    return APIClient()


def test_company_creates_submits_and_operator_reviews(api, company_member, operator):
    api.force_authenticate(company_member)
    response = api.post(reverse("v1:capability-list"), PAYLOAD, format="json")
    assert response.status_code == 201, response.json()
    entry_id = response.json()["id"]
    assert response.json()["credentials"][0]["certificate_number"] == "ZJ-2025-007"
    assert api.post(reverse("v1:capability-submit", args=[entry_id])).json()["status"] == "submitted"
    api.force_authenticate(operator)
    assert (
        api.post(reverse("v1:capability-review", args=[entry_id]), {"approve": True}, format="json").json()["status"]
        == "listed"
    )
    api.force_authenticate(None)
    assert [row["name"] for row in api.get(reverse("v1:capability-list"), {"q": "安检"}).json()["results"]] == [
        "毫米波人体安检仪"
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"industry": "C"}, "industry"),
        ({"strategic_area": "10"}, "strategic_area"),
        ({"technology_fields": "不是列表"}, "technology_fields"),
        (
            {"credentials": [{"kind": "first_set", "certificate_number": "A", "level": "national", "year": "x"}]},
            "credentials",
        ),
        ({"maturity": "mythical"}, "maturity"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_payloads_are_400_and_store_nothing(api, company_member, change, field):
    api.force_authenticate(company_member)
    response = api.post(reverse("v1:capability-list"), {**PAYLOAD, **change}, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not CapabilityEntry.objects.exists()


def test_association_files_through_the_api(api):
    member = UserFactory(organisation=OrganisationFactory(kind="association"), roles=["association"])
    api.force_authenticate(member)
    response = api.post(
        reverse("v1:capability-list"),
        {
            **PAYLOAD,
            "company_credit_code": valid_credit_code(777),
            "company_name": "宁波甬安科技有限公司",
            "company_district": "yinzhou",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (
        response.json()["company"] == "宁波甬安科技有限公司"
        and response.json()["submitted_via"] == member.organisation.name
    )


def test_foreign_unlisted_entry_is_404(api, company_member):
    entry = EntryFactory(status="draft")
    api.force_authenticate(company_member)
    assert api.get(reverse("v1:capability-detail", args=[entry.pk])).status_code == 404
    assert api.patch(reverse("v1:capability-detail", args=[entry.pk]), {"name": "改"}, format="json").status_code == 404


def test_company_cannot_review(api, company_member):
    entry = EntryFactory(status="submitted", company=company_member.organisation)
    api.force_authenticate(company_member)
    response = api.post(reverse("v1:capability-review", args=[entry.pk]), {"approve": True}, format="json")
    assert response.status_code == 403 and "只有运营管理人员" in response.json()["detail"]


def test_api_list_fixed_queries(api, django_assert_num_queries):
    EntryFactory.create_batch(3, status="listed")
    with django_assert_num_queries(3):  # count, rows, credentials
        api.get(reverse("v1:capability-list"))
    EntryFactory.create_batch(30, status="listed")
    with django_assert_num_queries(3):
        api.get(reverse("v1:capability-list"), {"page_size": 100})


def test_industries_are_public(api):
    rows = api.get(reverse("v1:industry-list")).json()
    assert (
        len(rows) == 117
        and {
            "code": "65",
            "name": "软件和信息技术服务业",
            "name_en": rows[[r["code"] for r in rows].index("65")]["name_en"],
            "section": "I",
        }
        in rows
    )


@pytest.mark.parametrize("starts_at", ["0258-07-29T16:04:39+08:00", "1899-12-31T09:00:00+08:00", "2101-01-01T09:00Z"])
def test_an_event_outside_2000_to_2100_is_refused_in_chinese_and_not_stored(api, operator, starts_at):
    # Before 1901 Shanghai's local mean time (+08:05:43) came back in the answer, off its schema.
    api.force_authenticate(operator)
    body = {"title": "对接会", "kind": "matchmaking", "starts_at": starts_at, "venue": "市科技局 3 楼"}
    response = api.post(reverse("v1:event-list"), body, format="json")
    assert response.status_code == 400 and "2000 年至 2100 年" in str(response.json()["starts_at"])
    assert not MatchmakingEvent.objects.exists()
    response = api.post(reverse("v1:event-list"), {**body, "starts_at": "2027-03-01T09:30:00+08:00"}, format="json")
    assert response.status_code == 201 and response.json()["starts_at"] == "2027-03-01T09:30:00+08:00"
