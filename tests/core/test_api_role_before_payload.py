"""A create endpoint checks who is asking before it reads what they sent: someone whose role may never
create there gets 404 (config.api_errors: the wrong role is answered as if the action did not exist;
the scenarios' create keeps its 403 with the reason) and no list of the fields it wants, where the
payload was validated first and answered 400 with them (found by the access matrix, #18: POST `{}` as
a member without a role). Whoever may create still gets the 400 for an empty payload, so the check is
the role's, not a blanket refusal."""

import pytest
from django.test import Client

from accounts.choices import OrganisationKind
from core.models import AuditRecord
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.refusals import database_state

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def _soe_publisher():
    return UserFactory(organisation=OrganisationFactory(kind=OrganisationKind.SOE), roles=["publisher"])


def _company_user():
    return UserFactory(organisation=OrganisationFactory(), roles=["company"])


def _judge():
    return UserFactory(organisation=OrganisationFactory(kind=OrganisationKind.INSTITUTE), roles=["judge"])


def _member_without_role():
    return UserFactory(organisation=OrganisationFactory(), roles=[])


def _auditor():
    return UserFactory(roles=["auditor"])


def _official():
    return UserFactory(organisation=OrganisationFactory(kind=OrganisationKind.GOVERNMENT), roles=["official"])


# (address, who may create there, someone of another role who may not)
CREATE_ENDPOINTS = [
    ("/api/v1/scenarios/", _soe_publisher, _company_user),
    ("/api/v1/events/", operator_user, _soe_publisher),
    ("/api/v1/objections/", _company_user, None),
    ("/api/v1/replications/", _company_user, _judge),
    ("/api/v1/product-uses/", _soe_publisher, _company_user),
    ("/api/v1/product-uses/from-agreement/", _soe_publisher, _company_user),
    ("/api/v1/score-sheets/", _judge, _company_user),
    ("/api/v1/tolerance-periods/", operator_user, _soe_publisher),
    ("/api/v1/evaluation-sheets/save/", _judge, _official),
    ("/api/v1/evaluation-sheets/submit/", _judge, _official),
    ("/api/v1/contests/", operator_user, _company_user),
    ("/api/v1/challenges/", _soe_publisher, _company_user),
    ("/api/v1/entries/", _company_user, _soe_publisher),
    ("/api/v1/awards/", operator_user, _official),
    ("/api/v1/agreements/", operator_user, _soe_publisher),
    ("/api/v1/benefits/", operator_user, _soe_publisher),
    ("/api/v1/capabilities/", _company_user, _soe_publisher),
    ("/api/v1/enquiries/", _company_user, _soe_publisher),
    ("/api/v1/instruments/", operator_user, _company_user),
]


@pytest.mark.parametrize(("address", "creator", "other_role"), CREATE_ENDPOINTS, ids=[e[0] for e in CREATE_ENDPOINTS])
def test_a_create_endpoint_refuses_the_wrong_role_before_reading_the_payload(client, address, creator, other_role):
    refused = [_member_without_role(), _auditor()] + ([other_role()] if other_role else [])
    clients = []
    for person in refused:  # signed in first: a sign-in writes the account's last_login
        clients.append((person, Client()))
        clients[-1][1].force_login(person)
    before = database_state()
    for person, client_of_person in clients:
        response = client_of_person.post(address, {}, content_type="application/json")
        assert response.status_code in (403, 404), (person.username, response.status_code, response.content[:200])
        assert b"required" not in response.content and "必填".encode() not in response.content
    assert database_state() == before
    # The refusal of a signed-in person is recorded as a denial (core.permissions.AccessRefused).
    assert AuditRecord.objects.filter(action="access.denied").count() == len(refused)

    client.force_login(creator())
    response = client.post(address, {}, content_type="application/json")
    assert response.status_code == 400, response.content[:300]


def test_the_notice_page_offers_objections_only_to_a_business_role(client):
    """The 公示 page's objection form: not for a member without a role, nor the 三员 (三员分立)."""
    from contests.permissions import may_raise_objection

    assert may_raise_objection(_company_user()) and may_raise_objection(_judge()) and may_raise_objection(_official())
    assert not may_raise_objection(_member_without_role())
    assert not may_raise_objection(_auditor())
    assert not may_raise_objection(UserFactory(roles=["admin"]))


def test_an_action_on_an_object_finds_it_before_it_reads_the_payload(client):
    """An enquiry's answer and rating, a capability entry's review: a foreign object is 404 and an
    action that is not the person's on an object they see is 403, whatever was sent (the payload was
    read first, and a foreigner got a 400 naming the fields the action wants)."""
    from capability_list.services import enquiry_ask
    from tests.factories.capability_list import EntryFactory
    from tests.factories.scenarios import ScenarioFactory

    publisher = _soe_publisher()
    asker = _company_user()
    scenario = ScenarioFactory(status="published", publisher=publisher.organisation, created_by=publisher)
    enquiry = enquiry_ask(actor=asker, subject="数据接口", question="请问客流数据是否开放接口？", scenario=scenario)
    entry = EntryFactory(company=asker.organisation, status="submitted")
    answer, rate = f"/api/v1/enquiries/{enquiry.pk}/answer/", f"/api/v1/enquiries/{enquiry.pk}/rate/"
    review = f"/api/v1/capabilities/{entry.pk}/review/"
    expected = [
        (_soe_publisher(), answer, 404),  # another SOE: not its enquiry
        (_company_user(), rate, 404),
        (_soe_publisher(), review, 404),  # a draft under review is not theirs to see
        (asker, answer, 403),  # sees it, asked it, does not answer it
        (publisher, rate, 403),  # answers it, does not rate it
        (asker, review, 403),  # its own entry, reviewed by operators
    ]
    before = database_state()
    for person, address, status in expected:
        client.force_login(person)
        response = client.post(address, {}, content_type="application/json")
        assert response.status_code == status, (address, person.username, response.content[:200])
    client.force_login(publisher)
    assert client.post(answer, {}, content_type="application/json").status_code == 400  # theirs: the payload
    changed = {label for label, rows in database_state().items() if rows != before[label]}
    assert changed <= {"accounts.user", "core.auditrecord"}, changed  # sign-ins and the recorded denials
