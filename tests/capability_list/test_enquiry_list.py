"""The enquiries page as operators use it: every enquiry, searchable, filtered by status and by
deadline, at a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from capability_list.models import Enquiry
from capability_list.services import enquiry_ask
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db


def _ask(company_name, subject):
    company = UserFactory(organisation=OrganisationFactory(name=company_name), roles=["company"])
    return enquiry_ask(
        actor=company, subject=subject, question="请问接口标准？", scenario=ScenarioFactory(status="published")
    )


@pytest.fixture
def enquiries():
    parking = _ask("宁波甬视智能科技有限公司", "车位数据接口")
    water = _ask("宁波水表科技有限公司", "水表通信方式")
    Enquiry.objects.filter(pk=water.pk).update(due_date=timezone.localdate() - timedelta(days=3))
    return {"parking": parking, "water": water}


def _rows(response) -> str:
    return response.content.decode().split('data-testid="enquiries"')[1].split("<tbody>")[1].split("</tbody>")[0]


def test_operator_searches_enquiries_by_subject_and_company(client, operator, enquiries):
    client.force_login(operator)
    rows = _rows(client.get(reverse("capability_list:enquiries"), {"q": "甬视"}))
    assert "车位数据接口" in rows and "水表通信方式" not in rows
    rows = _rows(client.get(reverse("capability_list:enquiries"), {"q": "通信"}))
    assert "水表通信方式" in rows and rows.count("<tr>") == 1


def test_operator_filters_overdue_and_status(client, operator, enquiries):
    client.force_login(operator)
    rows = _rows(client.get(reverse("capability_list:enquiries"), {"overdue": "true"}))
    assert "水表通信方式" in rows and rows.count("<tr>") == 1
    rows = _rows(client.get(reverse("capability_list:enquiries"), {"status": "answered"}))
    assert "暂无咨询。" in rows


def test_enquiries_page_uses_a_fixed_number_of_queries(client, operator, enquiries, django_assert_num_queries):
    client.force_login(operator)
    # session, user (with roles and unread count); count and page of enquiries (company, addressee, scenario joined)
    with django_assert_num_queries(4):
        client.get(reverse("capability_list:enquiries"))
    for number in range(4):
        _ask(f"宁波加测企业{number}有限公司", f"加测咨询{number}")
    with django_assert_num_queries(4):
        response = client.get(reverse("capability_list:enquiries"))
    assert _rows(response).count("<tr>") == 6
