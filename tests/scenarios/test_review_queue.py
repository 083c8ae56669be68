"""The operators' scenario review queue: search and filters, the notification that names the
scenario, and approve / return on the scenario's own page back to the queue as it was."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import District
from core.models import Notification
from scenarios import services
from scenarios.models import Domain, Scenario
from tests.factories.accounts import government
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting():
    haishu = District.objects.get(code="haishu")
    return {
        "parking": ScenarioFactory(status="submitted", title="智慧停车管理系统"),
        "water": ScenarioFactory(status="submitted", title="智慧水务漏损监测", district=haishu),
        "school": ScenarioFactory(
            status="submitted", title="智慧校园安全", track="forward_looking", publisher=government(name="宁波市教育局")
        ),
    }


def _rows(response) -> str:
    return response.content.decode().split("<tbody>")[1].split("</tbody>")[0]


def test_queue_searches_by_title_and_publisher(client, operator, waiting):
    client.force_login(operator)
    rows = _rows(client.get(reverse("scenarios:review-queue"), {"q": "停车"}))
    assert "智慧停车管理系统" in rows and rows.count("<tr>") == 1
    rows = _rows(client.get(reverse("scenarios:review-queue"), {"q": "教育局"}))
    assert "智慧校园安全" in rows and rows.count("<tr>") == 1


def test_queue_filters_by_district_track_and_status(client, operator, waiting):
    client.force_login(operator)
    rows = _rows(client.get(reverse("scenarios:review-queue"), {"district": "haishu"}))
    assert "智慧水务漏损监测" in rows and rows.count("<tr>") == 1
    rows = _rows(client.get(reverse("scenarios:review-queue"), {"track": "forward_looking"}))
    assert "智慧校园安全" in rows and rows.count("<tr>") == 1
    rows = _rows(client.get(reverse("scenarios:review-queue"), {"status": "approved"}))
    assert "没有待审核的场景" in rows
    domain = Domain.objects.exclude(pk=waiting["parking"].domain_id).filter(parent__isnull=False).first()
    rows = _rows(client.get(reverse("scenarios:review-queue"), {"domain": domain.code}))
    assert "没有待审核的场景" in rows


def test_submitting_notifies_operators_with_a_link_to_the_scenario(operator):
    scenario = ScenarioFactory(title="智能路灯改造")
    services.scenario_transition(actor=scenario.created_by, scenario=scenario, action="submit")
    notification = Notification.objects.get(recipient=operator)
    assert notification.link == reverse("scenarios:detail", args=[scenario.pk])
    assert notification.title_shown == "新场景待审核：智能路灯改造"
    assert scenario.publisher.name in notification.body_shown


def test_approving_on_the_scenario_page_returns_to_the_filtered_queue(client, operator, waiting):
    client.force_login(operator)
    queue_url = reverse("scenarios:review-queue") + "?q=%E6%B0%B4%E5%8A%A1&district=haishu"
    water = waiting["water"]
    link = f"{reverse('scenarios:detail', args=[water.pk])}?back={quote(queue_url, safe='/')}"
    assert link in client.get(queue_url).content.decode()
    assert 'name="back"' in client.get(link).content.decode()
    response = client.post(
        reverse("scenarios:transition", args=[water.pk]), {"action": "approve", "reason": "", "back": queue_url}
    )
    assert response.status_code == 302 and response["Location"] == queue_url
    assert Scenario.objects.get(pk=water.pk).status == "published"  # a mature-technology scenario


def test_a_refused_return_stays_on_the_scenario_page_and_other_pages_are_not_followed(client, operator, waiting):
    client.force_login(operator)
    parking = waiting["parking"]
    queue_url = reverse("scenarios:review-queue") + "?q=x"
    response = client.post(
        reverse("scenarios:transition", args=[parking.pk]), {"action": "reject", "reason": "", "back": queue_url}
    )
    assert response["Location"] == f"{reverse('scenarios:detail', args=[parking.pk])}?back={quote(queue_url, safe='')}"
    assert Scenario.objects.get(pk=parking.pk).status == "submitted"
    response = client.post(
        reverse("scenarios:transition", args=[parking.pk]),
        {"action": "reject", "reason": "资金来源不明确", "back": reverse("accounts:logout")},
    )
    assert response["Location"] == reverse("scenarios:detail", args=[parking.pk])
    assert Scenario.objects.get(pk=parking.pk).status == "rejected"


def test_the_queue_reads_only_the_publisher_beside_its_scenarios(client, operator, waiting):
    client.force_login(operator)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("scenarios:review-queue"))
    assert "智慧校园安全" in _rows(response) and "宁波市教育局" in _rows(response)
    # the need items, domain and district were read for every row and never shown
    assert not any('FROM "scenarios_needitem"' in query["sql"] for query in captured.captured_queries)
    (rows,) = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "scenarios_scenario"."id"')]
    assert rows.count(" JOIN ") == 1
    # session, user (with roles and unread count); the count and the page; the domain and district choices
    assert len(captured) == 6
