"""/api/v1/ for 定期调度: tasks, cycles, reports (scoped) and the submit / accept / return actions."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.steering import city_leader, open_cycle, report_of, unit_reporter

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def cycle():
    return open_cycle(due_on=timezone.localdate() + datetime.timedelta(days=6), label="2026年12月调度")


def test_tasks_with_units_and_progress(operator):
    body = api(operator).get("/api/v1/programme-tasks/").json()
    assert [t["code"] for t in body] == [1, 2, 3, 4, 5, 6]
    assert body[0]["lead_units"] == ["市国资委"] and "市科技局" in body[0]["support_units"]
    assert body[5]["progress"]["method"] == "lead_report"


def test_submit_return_refile_accept_through_the_api(cycle, operator):
    reporter = unit_reporter()
    report = report_of(cycle)
    url = f"/api/v1/unit-reports/{report.pk}/"
    first = api(reporter).post(url + "submit/", {"narrative": "完成国企场景征集。", "percentage": 30}, format="json")
    assert first.status_code == 200 and first.json()["number"] == 1
    no_reason = api(operator).post(url + "return/", {}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["detail"] == "退回须填写理由。"
    returned = api(operator).post(url + "return/", {"reason": "请补充数据"}, format="json")
    assert returned.json()["status"] == "returned"
    second = api(reporter).post(url + "submit/", {"narrative": "补充：32 项。", "percentage": 35}, format="json")
    assert second.json()["number"] == 2
    assert api(reporter).post(url + "accept/", {}, format="json").status_code == 404
    accepted = api(operator).post(url + "accept/", {}, format="json")
    assert accepted.json()["status"] == "accepted" and accepted.json()["reported"] == 35


def test_reports_are_scoped_to_the_unit(cycle):
    reporter = unit_reporter("市教育局")
    body = api(reporter).get("/api/v1/unit-reports/?page_size=100").json()
    assert body["count"] > 0 and {r["unit"] for r in body["results"]} == {"市教育局"}
    foreign = report_of(cycle)
    assert api(reporter).get(f"/api/v1/unit-reports/{foreign.pk}/").status_code == 404
    posted = api(reporter).post(f"/api/v1/unit-reports/{foreign.pk}/submit/", {"narrative": "x", "percentage": 1})
    assert posted.status_code == 404


def test_city_leader_reads_but_cannot_submit(cycle):
    leader = city_leader()
    assert api(leader).get("/api/v1/unit-reports/").json()["count"] == cycle.reports.count()
    response = api(leader).post(
        f"/api/v1/unit-reports/{report_of(cycle).pk}/submit/", {"narrative": "代报", "percentage": 10}, format="json"
    )
    assert response.status_code == 403 and "责任单位" in response.json()["detail"]


@pytest.mark.parametrize("role", ["judge", "company"])
def test_other_roles_are_refused(cycle, role):
    user = UserFactory(organisation=OrganisationFactory(), roles=[role])
    for url in ["/api/v1/programme-tasks/", "/api/v1/reporting-cycles/", "/api/v1/unit-reports/"]:
        assert api(user).get(url).status_code == 404


@pytest.mark.parametrize(
    "payload", [{}, {"narrative": "x", "percentage": 101}, {"narrative": "x", "percentage": "abc"}, []]
)
def test_hostile_submit_is_400(cycle, payload):
    response = api(unit_reporter()).post(f"/api/v1/unit-reports/{report_of(cycle).pk}/submit/", payload, format="json")
    assert response.status_code == 400


def test_cycles_list_counts(cycle, operator):
    body = api(operator).get("/api/v1/reporting-cycles/").json()
    row = body["results"][0]
    assert row["label"] == "2026年12月调度" and row["total"] == cycle.reports.count() and row["filed"] == 0
