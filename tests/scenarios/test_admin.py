"""Scenarios in the system administrator's admin: read-only, a changelist of fixed cost."""

import pytest

from scenarios.models import Domain, Scenario
from tests.admin_checks import assert_read_only, changelist_queries, system_administrator
from tests.factories.scenarios import ScenarioFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def test_the_system_administrator_reads_a_scenario_and_cannot_add_change_or_delete_one(client):
    scenario = ScenarioFactory(status="published", needs=["车位检测", "车牌识别"])
    client.force_login(system_administrator())
    assert_read_only(client, scenario)
    page = client.get(f"/admin/scenarios/scenario/{scenario.pk}/change/").content.decode()
    assert scenario.title in page and "车位检测" in page  # the needs, shown under it
    assert_read_only(client, Domain.objects.get(code="transport"))  # operators keep domains (audited)


def test_the_scenario_changelist_takes_the_same_queries_for_one_row_as_for_many(client):
    client.force_login(system_administrator())
    ScenarioFactory(status="published")
    one = changelist_queries(client, Scenario)
    for _ in range(4):
        ScenarioFactory(status="published", domain=Domain.objects.get(code="health"))
    assert changelist_queries(client, Scenario) == one
