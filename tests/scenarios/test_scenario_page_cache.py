"""A scenario's page as visitors see it comes from the cache (core.page_cache, issue #20) until
what it shows changes — each change below shows on the very next visit; a signed-in person's page
and a scenario visitors may not see are never stored."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scenarios import services
from scenarios.models import DemonstrationZone, NeedItem, ScenarioAttachment
from tests.factories.accounts import UserFactory
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db


def _visit(scenario, client=None) -> tuple[str, int]:
    """The page's text as a new visitor (or `client`) gets it, and how many queries answering it took."""
    client = client or Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("scenarios:detail", args=[scenario.pk]))
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def test_the_second_visitor_gets_the_stored_page_without_a_query():
    scenario = ScenarioFactory(title="智慧停车管理系统", status="published")
    first, first_queries = _visit(scenario)
    again, again_queries = _visit(scenario)
    assert first_queries > 0 and again_queries == 0
    assert "智慧停车管理系统" in again
    other = ScenarioFactory(title="再生水厂智能加药系统", status="published")
    page, queries = _visit(other)  # another scenario is another page
    assert queries > 0 and "再生水厂智能加药系统" in page and "智慧停车管理系统" not in page


def test_a_change_to_the_scenario_or_its_needs_shows_on_the_next_visit():
    scenario = ScenarioFactory(title="燃气管网监测项目", status="published", needs=["压力传感"])
    _visit(scenario)
    scenario.summary = "覆盖全市中压管网"
    scenario.save()
    assert "覆盖全市中压管网" in _visit(scenario)[0]
    NeedItem.objects.create(scenario=scenario, name="泄漏定位", sort_order=2)
    assert "泄漏定位" in _visit(scenario)[0]


def test_a_new_attachment_shows_on_the_next_visit():
    scenario = ScenarioFactory(status="published")
    assert "无附件" in _visit(scenario)[0]
    ScenarioAttachment.objects.create(
        scenario=scenario,
        file=ContentFile(b"%PDF-1.4", name="plan.pdf"),
        original_name="实施方案.pdf",
        size=8,
        kind="pdf",
        uploaded_by=scenario.created_by,
    )
    assert "实施方案.pdf" in _visit(scenario)[0]


def test_a_renamed_publisher_domain_district_or_zone_shows_on_the_next_visit():
    zone = DemonstrationZone.objects.create(name="宁波高新区示范区", kind="national_high_tech", district_id=1)
    scenario = ScenarioFactory(status="published", zone=zone)
    _visit(scenario)
    changes = [
        (scenario.publisher, "name", "宁波市燃气集团有限公司"),
        (scenario.domain, "name", "城市交通（更名）"),
        (scenario.district, "name", "鄞州区（更名）"),
        (zone, "name", "甬江科创区示范区"),
    ]
    for record, field, value in changes:
        setattr(record, field, value)
        record.save()
        assert value in _visit(scenario)[0], record


def test_a_withdrawn_scenario_is_a_404_for_the_next_visitor():
    scenario = ScenarioFactory(title="轨道交通安检改造工程", status="published")
    _visit(scenario)
    services.scenario_transition(actor=scenario.created_by, scenario=scenario, action="withdraw", reason="项目取消")
    assert Client().get(reverse("scenarios:detail", args=[scenario.pk])).status_code == 404


def test_a_scenario_visitors_may_not_see_is_a_404_and_never_stored():
    draft = ScenarioFactory(title="未发布的场景草稿", status="draft")
    url = reverse("scenarios:detail", args=[draft.pk])
    assert Client().get(url).status_code == 404
    publisher = Client()
    publisher.force_login(draft.created_by)
    assert "未发布的场景草稿" in publisher.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(url).status_code == 404
    assert len(queries.captured_queries) > 0  # asked again, not answered from a stored page


def test_signed_in_people_get_their_own_page_and_it_is_never_stored():
    scenario = ScenarioFactory(status="published", contact_phone="0574-87180000")
    person = Client()
    person.force_login(UserFactory(roles=["company"], display_name="陈晓峰"))
    page, queries = _visit(scenario, person)
    assert queries > 0 and "陈晓峰" in page and "0574-87180000" in page
    assert _visit(scenario, person)[1] > 0
    visitor = _visit(scenario)[0]
    assert "陈晓峰" not in visitor and "0574-87180000" not in visitor and "登录后可见联系方式" in visitor


def test_a_visitors_first_visit_reads_the_scenario_without_ordering_it():
    # One row by its id: ordering it by the model's ordering (first()) cost about 1 ms a request
    # to compile and plan (issue #20).
    scenario = ScenarioFactory(status="published")
    with CaptureQueriesContext(connection) as queries:
        Client().get(reverse("scenarios:detail", args=[scenario.pk]))
    scenario_read = queries.captured_queries[0]["sql"]
    assert 'FROM "scenarios_scenario"' in scenario_read and "ORDER BY" not in scenario_read
    assert Client().get(reverse("scenarios:detail", args=[scenario.pk + 1000])).status_code == 404
