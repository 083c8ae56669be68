"""A publisher's home page: the companies' questions waiting for its organisation's answer, the
overdue ones called out, and the link to answer them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from capability_list.models import Enquiry
from capability_list.services import enquiry_answer, enquiry_ask
from tests.conftest import home_panel
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db


def _panel(client, user) -> str:
    return home_panel(client, user, "publisher", "publisher-enquiries")


def _company(name):
    return UserFactory(organisation=OrganisationFactory(name=name), roles=["company"])


def test_the_publisher_sees_the_questions_waiting_for_its_answer_and_goes_to_answer_them(client):
    scenario = ScenarioFactory(status="published", title="地铁站点P+R停车场智慧停车诱导系统")
    publisher = scenario.created_by
    assert "暂无待答复的咨询。" in _panel(client, publisher)

    parking = enquiry_ask(
        actor=_company("宁波甬视智能科技有限公司"), scenario=scenario, subject="车位数据接口", question="采用什么标准？"
    )
    late = enquiry_ask(
        actor=_company("宁波海智物联网技术有限公司"), scenario=scenario, subject="供电条件", question="现场有无市电？"
    )
    Enquiry.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    elsewhere = ScenarioFactory(status="published")  # another publisher's question is not this one's to answer
    enquiry_ask(actor=_company("宁波某科技有限公司"), scenario=elsewhere, subject="别处", question="与本单位无关")

    panel = _panel(client, publisher)
    assert "待本单位答复的咨询 2 件" in panel and "其中已逾期 1 件" in panel
    link = reverse("capability_list:enquiries") + "?box=received&amp;status=open"
    assert f'href="{link}"' in panel
    listed = client.get(reverse("capability_list:enquiries"), {"box": "received", "status": "open"}).content.decode()
    assert "车位数据接口" in listed and "供电条件" in listed and "别处" not in listed

    enquiry_answer(actor=publisher, enquiry=late, answer="有 380V 市电，距机位 20 米。")
    panel = _panel(client, publisher)
    assert "待本单位答复的咨询 1 件" in panel and "逾期" not in panel
    enquiry_answer(actor=publisher, enquiry=parking, answer="采用 GB/T 某标准，可提供样例。")
    assert "暂无待答复的咨询。" in _panel(client, publisher)
