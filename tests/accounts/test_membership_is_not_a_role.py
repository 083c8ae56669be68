"""Membership is not a role (#18): a person whose only role is 评审专家, or who has none, employed by
an SOE or a company, reads nothing of its unpublished scenarios, enquiries, entries, recommended
suppliers or matches, and answers or acts for it in nothing; the publisher and the company user do."""

import pytest
from django.utils import timezone

from capability_list.models import Enquiry
from capability_list.permissions import can_answer, is_asker_of
from capability_list.selectors import enquiries_visible_to, entries_visible_to
from matching.permissions import side_of
from matching.selectors import matches_visible_to
from scenarios.models import InstrumentRequest, LabInstrument
from scenarios.permissions import can_manage_instrument, can_view_scenario
from scenarios.selectors import scenarios_visible_to
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.capability_list import EntryFactory
from tests.factories.matching import match_for
from tests.factories.scenarios import ScenarioFactory, publisher_user, soe

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def world():
    employer = soe()
    publisher = publisher_user(organisation=employer)
    company = OrganisationFactory()
    company_user = UserFactory(organisation=company, roles=["company"])
    draft = ScenarioFactory(status="draft", publisher=employer, created_by=publisher)
    published = ScenarioFactory(status="published", publisher=employer, created_by=publisher)
    entry = EntryFactory(company=company, status="submitted")
    enquiry = Enquiry.objects.create(
        company=company,
        asked_by=company_user,
        scenario=published,
        addressee=employer,
        subject="数据接口",
        question="能否开放客流数据？",
        due_date=timezone.localdate(),
    )
    return {
        "employer": employer,
        "publisher": publisher,
        "company_user": company_user,
        "draft": draft,
        "published": published,
        "entry": entry,
        "enquiry": enquiry,
        "match": match_for(published, EntryFactory(company=company, status="listed")),
        "soe_judge": UserFactory(organisation=employer, roles=["judge"]),
        "soe_member": UserFactory(organisation=employer, roles=[]),
        "company_judge": UserFactory(organisation=company, roles=["judge"]),
        "company_member": UserFactory(organisation=company, roles=[]),
    }


@pytest.mark.parametrize("colleague", ["soe_judge", "soe_member"])
def test_a_colleague_without_the_publisher_role_sees_and_answers_nothing_of_the_soe(client, world, colleague):
    person = world[colleague]
    assert not can_view_scenario(person, world["draft"])
    assert world["draft"] not in scenarios_visible_to(person)
    assert world["enquiry"] not in enquiries_visible_to(person) and not can_answer(person, world["enquiry"])
    assert world["match"] not in matches_visible_to(person) and side_of(person, world["match"]) is None
    client.force_login(person)
    for path in [
        f"/scenarios/{world['draft'].pk}/",
        f"/api/v1/scenarios/{world['draft'].pk}/",
        f"/scenarios/{world['published'].pk}/suppliers/",
        f"/enquiries/{world['enquiry'].pk}/",
        f"/api/v1/enquiries/{world['enquiry'].pk}/",
        "/enquiries/",
    ]:
        assert client.get(path).status_code == 404, path
    answer = client.post(f"/api/v1/enquiries/{world['enquiry'].pk}/answer/", {"answer": "冒名答复"})
    assert answer.status_code == 404
    world["enquiry"].refresh_from_db()
    assert world["enquiry"].answer == ""


@pytest.mark.parametrize("colleague", ["company_judge", "company_member"])
def test_a_colleague_without_the_company_role_sees_and_does_nothing_of_the_company(client, world, colleague):
    person = world[colleague]
    assert world["entry"] not in entries_visible_to(person)
    assert world["enquiry"] not in enquiries_visible_to(person) and not is_asker_of(person, world["enquiry"])
    assert side_of(person, world["match"]) is None
    client.force_login(person)
    assert client.get(f"/capabilities/{world['entry'].pk}/").status_code == 404
    assert client.get(f"/api/v1/capabilities/{world['entry'].pk}/").status_code == 404


def test_the_owning_roles_still_see_and_answer(world):
    assert can_view_scenario(world["publisher"], world["draft"])
    assert can_answer(world["publisher"], world["enquiry"])
    assert is_asker_of(world["company_user"], world["enquiry"])
    assert world["entry"] in entries_visible_to(world["company_user"])
    assert side_of(world["publisher"], world["match"]) == "publisher"
    assert side_of(world["company_user"], world["match"]) == "company"


def test_only_the_institutes_publisher_manages_its_instruments_and_answers_requests(client, world):
    institute = OrganisationFactory(kind="institute")
    instrument = LabInstrument.objects.create(name="扫描电镜", institute=institute, is_open=True)
    request = InstrumentRequest.objects.create(
        scenario=world["published"], instrument=instrument, purpose="材料表征", requested_by=world["publisher"]
    )
    expert = UserFactory(organisation=institute, roles=["judge"])
    manager = publisher_user(organisation=institute)
    assert not can_manage_instrument(expert, institute.pk) and can_manage_instrument(manager, institute.pk)
    client.force_login(expert)
    path = f"/scenarios/{world['published'].pk}/instruments/{request.pk}/answer/"
    assert client.post(path, {"decision": "approve"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "requested"
