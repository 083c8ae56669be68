"""The tolerance register's pages and API: who sees which period, the actions as forms, fixed query counts."""

import datetime

import pytest
from django.urls import reverse

from evaluation.choices import ToleranceDecision
from evaluation.models import ToleranceIncident
from tests.evaluation import conftest_cases as fixtures
from tests.evaluation.conftest_cases import company_user, forward_scenario, open_period
from tests.factories.accounts import UserFactory
from tests.factories.scenarios import publisher_user

pytestmark = pytest.mark.django_db
_reference_data = fixtures._reference_data
operator = fixtures.operator
D = datetime.date


@pytest.fixture
def period(operator):
    return open_period(operator)


@pytest.fixture
def publisher(period):
    return publisher_user(organisation=period.scenario.publisher)


def test_the_register_lists_every_period_for_operators_with_a_fixed_query_count(
    client, operator, django_assert_num_queries
):
    periods = [open_period(operator) for _ in range(3)]
    client.force_login(operator)
    # session, user (with roles and unread messages) (base template); paginator count; one page of periods
    # with scenario and publisher and the three counts annotated; forward-looking scenarios for the
    # opening form.
    with django_assert_num_queries(5):
        response = client.get(reverse("evaluation:tolerance-list"))
    page = response.content.decode()
    assert all(reverse("evaluation:tolerance-detail", args=[item.pk]) in page for item in periods)


def test_a_publisher_sees_only_its_own_periods_and_a_foreign_one_is_404(client, period, publisher, operator):
    other = open_period(operator)
    client.force_login(publisher)
    page = client.get(reverse("evaluation:tolerance-mine")).content.decode()
    assert period.scenario.title in page and other.scenario.title not in page
    assert "包容期" in page
    assert client.get(reverse("evaluation:tolerance-detail", args=[period.pk])).status_code == 200
    assert client.get(reverse("evaluation:tolerance-detail", args=[other.pk])).status_code == 404


def test_a_member_without_the_publisher_role_is_refused(client, period):
    client.force_login(UserFactory(organisation=period.scenario.publisher, roles=["judge"]))
    assert client.get(reverse("evaluation:tolerance-list")).status_code == 404
    assert client.get(reverse("evaluation:tolerance-detail", args=[period.pk])).status_code == 404


def test_the_publisher_records_an_incident_and_the_operator_decides_it_on_the_page(client, period, publisher, operator):
    client.force_login(publisher)
    url = reverse("evaluation:tolerance-detail", args=[period.pk])
    client.post(url, {"action": "incident", "occurred_on": "2026-03-01", "description": "样机试运行失败"})
    incident = ToleranceIncident.objects.get()
    client.post(url, {"action": "incident_decide", "incident": incident.pk, "decision": "exempt", "basis": "x"})
    incident.refresh_from_db()
    assert incident.decision == ""  # the publisher may not decide
    client.force_login(operator)
    client.post(url, {"action": "incident_decide", "incident": incident.pk, "decision": "exempt", "basis": "已尽责"})
    incident.refresh_from_db()
    assert incident.decision == ToleranceDecision.EXEMPT
    assert "免责" in client.get(url).content.decode()


def test_an_operator_opens_a_period_from_the_register(client, operator):
    scenario = forward_scenario()
    client.force_login(operator)
    response = client.post(reverse("evaluation:tolerance-list"), {"scenario": scenario.pk})
    assert response.status_code == 302
    assert scenario.tolerance_period.ends_on == D(2026, 12, 31)


def test_the_publishers_menu_shows_the_register_only_when_its_organisation_has_a_period(client, operator):
    scenario = forward_scenario()
    member = publisher_user(organisation=scenario.publisher)
    client.force_login(member)
    assert reverse("evaluation:tolerance-mine") not in client.get(reverse("evaluation:case-list")).content.decode()
    open_period(operator, scenario=scenario)
    assert reverse("evaluation:tolerance-mine") in client.get(reverse("evaluation:case-list")).content.decode()


# ---- API -------------------------------------------------------------------------------------


def test_the_api_lists_with_a_fixed_query_count_and_scopes_publishers(
    client, operator, period, publisher, django_assert_num_queries
):
    for _ in range(2):
        open_period(operator)
    client.force_login(operator)
    # session, user (with roles); count; page of periods; checkpoints, incidents, extensions prefetched.
    with django_assert_num_queries(7):
        response = client.get("/api/v1/tolerance-periods/")
    assert response.json()["count"] == 3
    client.force_login(publisher)
    assert [row["id"] for row in client.get("/api/v1/tolerance-periods/").json()["results"]] == [period.pk]
    other = open_period(operator)
    assert client.get(f"/api/v1/tolerance-periods/{other.pk}/").status_code == 404


def test_the_api_actions_call_the_services_and_bad_input_is_a_400(client, operator, period, publisher):
    client.force_login(publisher)
    base = f"/api/v1/tolerance-periods/{period.pk}/"
    response = client.post(
        base + "checkpoints/", {"title": "中试", "due_on": "2026-07-01"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["checkpoints"][0]["title"] == "中试"
    response = client.post(
        base + "extensions/", {"requested_until": "2026-06-01", "reason": "延期"}, content_type="application/json"
    )
    assert response.status_code == 400 and "晚于" in response.json()["detail"]
    response = client.post(
        base + "extensions/", {"requested_until": "2027-06-30", "reason": "样本不足"}, content_type="application/json"
    )
    extension = response.json()["extensions"][0]["id"]
    assert (
        client.post(base + "end/", {"early": True, "reason": "x"}, content_type="application/json").status_code == 403
    )
    client.force_login(operator)
    response = client.post(
        base + "extensions/decide/", {"extension": extension, "approve": True}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "extended"
    assert response.json()["ends_on"] == "2027-06-30"


def test_a_company_user_sees_no_periods(client, period):
    client.force_login(company_user())
    assert client.get("/api/v1/tolerance-periods/").json()["count"] == 0
    assert client.get(f"/api/v1/tolerance-periods/{period.pk}/").status_code == 404


def test_the_evaluation_page_links_each_waiting_count_to_the_periods_it_counts(client, operator, publisher, period):
    """场景评估's 包容期 counts lead to the register filtered to the periods where something waits."""
    quiet = open_period(operator)
    client.force_login(publisher)
    client.post(
        reverse("evaluation:tolerance-detail", args=[period.pk]),
        {"action": "incident", "occurred_on": "2026-03-01", "description": "样机试运行失败"},
    )
    client.force_login(operator)
    hub = client.get(reverse("evaluation:hub")).content.decode()
    waiting = reverse("evaluation:tolerance-list") + "?waiting=incidents"
    assert f'<a href="{waiting}">待作容错认定的事件</a>：1' in hub
    listed = client.get(waiting).content.decode()
    assert reverse("evaluation:tolerance-detail", args=[period.pk]) in listed
    assert reverse("evaluation:tolerance-detail", args=[quiet.pk]) not in listed
    nothing = client.get(reverse("evaluation:tolerance-list") + "?waiting=extensions").content.decode()
    assert reverse("evaluation:tolerance-detail", args=[period.pk]) not in nothing
    # Every count on the page is a link to what it counts.
    counts = hub.split('data-testid="evaluation-hub"')[1]
    for item in counts.split("<li>")[1:]:
        assert item.startswith("<a href="), item[:80]
