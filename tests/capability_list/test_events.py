from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from capability_list.models import AgendaItem
from capability_list.services import agenda_add, agenda_record, event_create
from core.errors import DomainError, PermissionDenied
from core.models import Notification
from tests.factories.capability_list import EntryFactory
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db
WHEN = datetime(2026, 12, 10, 14, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_operator_builds_an_agenda_invites_both_sides_and_records_outcomes(client, operator):
    scenario = ScenarioFactory(status="published", title="智慧停车管理系统")
    entry = EntryFactory(status="listed", name="高位视频车位检测终端")
    client.force_login(operator)
    response = client.post(
        reverse("capability_list:event-create"),
        {
            "title": "智慧城管新技术对接会",
            "kind": "matchmaking",
            "starts_at": "2026-12-10T14:00",
            "venue": "宁波市科技大厦 3 楼",
        },
    )
    event_url = response.url
    client.post(event_url, {"form": "add", "scenario": scenario.pk, "entry": entry.pk})
    item = AgendaItem.objects.get()
    assert Notification.objects.filter(recipient=scenario.created_by, title__contains="智慧城管新技术对接会").exists()
    assert Notification.objects.filter(recipient=entry.submitted_by, title__contains="智慧城管新技术对接会").exists()
    client.post(
        event_url,
        {
            "form": "record",
            "item": item.pk,
            "publisher_attended": "true",
            "company_attended": "true",
            "outcome": "contract",
            "note": "签订试点合同",
        },
    )
    item.refresh_from_db()
    assert item.outcome == "contract" and item.publisher_attended is True and item.note == "签订试点合同"
    # Both sides see the event; others do not.
    client.force_login(entry.submitted_by)
    assert "高位视频车位检测终端" in client.get(event_url).content.decode()
    client.force_login(ScenarioFactory(status="published").created_by)
    assert client.get(event_url).status_code == 404


def test_agenda_rules(operator, company_member):
    event = event_create(actor=operator, title="论证会", kind="argumentation", starts_at=WHEN, venue="市会议中心")
    with pytest.raises(DomainError, match="已发布的场景"):
        agenda_add(
            actor=operator, event=event, scenario=ScenarioFactory(status="draft"), entry=EntryFactory(status="listed")
        )
    with pytest.raises(DomainError, match="已入库"):
        agenda_add(
            actor=operator,
            event=event,
            scenario=ScenarioFactory(status="published"),
            entry=EntryFactory(status="submitted"),
        )
    scenario, entry = ScenarioFactory(status="published"), EntryFactory(status="listed")
    item = agenda_add(actor=operator, event=event, scenario=scenario, entry=entry)
    with pytest.raises(DomainError, match="已在议程中"):
        agenda_add(actor=operator, event=event, scenario=scenario, entry=entry)
    with pytest.raises(DomainError, match="未知的对接结果"):
        agenda_record(actor=operator, item=item, publisher_attended=True, company_attended=True, outcome="married")
    with pytest.raises(PermissionDenied):
        event_create(actor=company_member, title="x", kind="matchmaking", starts_at=WHEN, venue="y")


def test_event_api(operator):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(operator)
    event = api.post(
        reverse("v1:event-list"),
        {"title": "对接会", "kind": "matchmaking", "starts_at": "2026-12-10T14:00:00+08:00", "venue": "科技大厦"},
        format="json",
    ).json()
    scenario, entry = ScenarioFactory(status="published"), EntryFactory(status="listed")
    body = api.post(
        reverse("v1:event-agenda-add", args=[event["id"]]), {"scenario": scenario.pk, "entry": entry.pk}, format="json"
    ).json()
    item = body["agenda"][0]["id"]
    body = api.post(
        reverse("v1:event-agenda-record", args=[event["id"]]),
        {"item": item, "outcome": "intent", "company_attended": True},
        format="json",
    ).json()
    assert body["agenda"][0]["outcome"] == "intent"
    assert (
        api.post(
            reverse("v1:event-agenda-record", args=[event["id"]]), {"item": item, "outcome": "x"}, format="json"
        ).status_code
        == 400
    )


def test_an_event_posted_without_a_kind_is_a_matchmaking_event(operator):
    """The API leaves `kind` optional (the model's default); such a request answered 500 (found by
    tests/config/test_api_fuzz.py)."""
    from rest_framework.test import APIClient

    api = APIClient(raise_request_exception=False)
    api.force_authenticate(operator)
    response = api.post(
        reverse("v1:event-list"),
        {"title": "对接会", "starts_at": "2026-12-10T14:00:00+08:00", "venue": "科技大厦"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["kind"] == "matchmaking"


def test_events_are_for_operators_and_the_organisations_that_take_part(client, operator):
    """对接活动 (page and API): operators, and the publisher and company roles of an organisation. An
    auditor (三员分立: the audit log, not business pages), an official or a member without a role
    gets 404, not an empty list of a page that is not theirs."""
    from accounts.choices import OrganisationKind
    from tests.factories.accounts import OrganisationFactory, UserFactory

    company = OrganisationFactory()
    soe = OrganisationFactory(kind=OrganisationKind.SOE)
    allowed = [
        operator,
        UserFactory(organisation=company, roles=["company"]),
        UserFactory(organisation=soe, roles=["publisher"]),
    ]
    refused = [
        UserFactory(roles=["auditor"]),
        UserFactory(organisation=OrganisationFactory(kind=OrganisationKind.GOVERNMENT), roles=["official"]),
        UserFactory(organisation=company, roles=[]),
        UserFactory(organisation=OrganisationFactory(kind=OrganisationKind.INSTITUTE), roles=["judge"]),
    ]
    for person in allowed:
        client.force_login(person)
        assert client.get(reverse("capability_list:events")).status_code == 200, person.username
        assert client.get(reverse("v1:event-list")).status_code == 200, person.username
    for person in refused:
        client.force_login(person)
        assert client.get(reverse("capability_list:events")).status_code == 404, person.username
        assert client.get(reverse("v1:event-list")).status_code == 404, person.username
