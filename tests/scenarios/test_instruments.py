import pytest
from django.urls import reverse

from core.errors import DomainError, PermissionDenied
from core.models import Notification
from scenarios import services
from scenarios.models import InstrumentRequest, LabInstrument
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def institute():
    return OrganisationFactory(kind="institute", name="宁波某研究院")


@pytest.fixture
def instrument(institute):
    return LabInstrument.objects.create(name="场发射扫描电镜", institute=institute)


def test_publisher_requests_an_instrument_and_the_institute_answers(client, institute, instrument):
    scenario = ScenarioFactory(status="published")
    researcher = UserFactory(organisation=institute, roles=["publisher"])
    client.force_login(scenario.created_by)
    client.post(
        reverse("scenarios:instrument-request", args=[scenario.pk]),
        {"instrument": instrument.pk, "purpose": "新材料样品表征"},
    )
    request = InstrumentRequest.objects.get()
    assert Notification.objects.filter(recipient=researcher, title__contains="场发射扫描电镜").exists()
    client.force_login(researcher)
    page = client.get(reverse("scenarios:detail", args=[scenario.pk])).content.decode()
    assert "待答复的仪器使用申请" in page and "新材料样品表征" in page
    client.post(
        reverse("scenarios:instrument-request-answer", args=[scenario.pk, request.pk]),
        {"decision": "approve", "answer": "下周二可上机"},
    )
    request.refresh_from_db()
    assert request.status == "approved" and request.answer == "下周二可上机"


def test_only_the_institute_answers_and_only_the_publisher_asks(instrument, company_member):
    scenario = ScenarioFactory(status="published")
    with pytest.raises(PermissionDenied):
        services.instrument_request_create(actor=company_member, scenario=scenario, instrument=instrument, purpose="x")
    request = services.instrument_request_create(
        actor=scenario.created_by, scenario=scenario, instrument=instrument, purpose="检测"
    )
    with pytest.raises(DomainError, match="等待答复中"):
        services.instrument_request_create(
            actor=scenario.created_by, scenario=scenario, instrument=instrument, purpose="再次"
        )
    with pytest.raises(PermissionDenied):
        services.instrument_request_answer(actor=company_member, request=request, approve=True)


def test_closed_instrument_cannot_be_requested(instrument):
    instrument.is_open = False
    instrument.save()
    scenario = ScenarioFactory(status="published")
    with pytest.raises(DomainError, match="暂未开放"):
        services.instrument_request_create(
            actor=scenario.created_by, scenario=scenario, instrument=instrument, purpose="检测"
        )
