from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from capability_list.models import Enquiry, Holiday
from capability_list.services import enquiries_check_overdue, enquiry_answer, enquiry_ask, enquiry_rate
from capability_list.working_days import add_working_days, working_days_between
from core.errors import DomainError, PermissionDenied
from core.models import Notification
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db


def test_deadline_skips_weekends_and_holidays_and_counts_make_up_days():
    friday = date(2026, 9, 25)
    assert add_working_days(friday, 5) == date(2026, 10, 2)  # Mon–Fri next week
    for day in range(1, 8):  # National Day week
        Holiday.objects.create(date=date(2026, 10, day), name="国庆节")
    Holiday.objects.create(date=date(2026, 9, 27), is_working_day=True, name="国庆调休")  # a Sunday worked
    assert add_working_days(friday, 3) == date(2026, 9, 29)  # Sun 27 (make-up), Mon 28, Tue 29
    assert add_working_days(date(2026, 9, 29), 2) == date(2026, 10, 8)  # Wed 30, then Thu 8 Oct
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 9)) == 2


def test_company_asks_publisher_answers_company_rates(client, company_member):
    scenario = ScenarioFactory(status="published")
    publisher = scenario.created_by
    client.force_login(company_member)
    page = client.get(reverse("scenarios:detail", args=[scenario.pk])).content.decode()
    assert "咨询发榜方" in page
    response = client.post(
        reverse("capability_list:enquiry-create"),
        {"scenario": scenario.pk, "subject": "接口标准", "question": "车位数据接口采用什么标准？"},
    )
    enquiry = Enquiry.objects.get()
    assert response.url == reverse("capability_list:enquiry-detail", args=[enquiry.pk])
    assert enquiry.addressee == scenario.publisher and enquiry.due_date == add_working_days(timezone.localdate(), 5)
    assert Notification.objects.filter(recipient=publisher, title__contains="新的企业咨询").exists()

    client.force_login(publisher)
    client.post(response.url, {"form": "answer", "answer": "采用 GB/T 某标准，可提供样例。"})
    enquiry.refresh_from_db()
    assert enquiry.status == "answered"
    client.force_login(company_member)
    client.post(response.url, {"form": "rating", "rating": "5", "comment": "答复及时"})
    enquiry.refresh_from_db()
    assert enquiry.rating == 5 and enquiry.status == "closed"
    assert "满意度：5/5" in client.get(response.url).content.decode()


def test_rating_rules(company_member):
    scenario = ScenarioFactory(status="published")
    enquiry = enquiry_ask(actor=company_member, scenario=scenario, subject="甲", question="乙")
    with pytest.raises(DomainError, match="只能对已答复"):
        enquiry_rate(actor=company_member, enquiry=enquiry, rating=4)
    enquiry_answer(actor=scenario.created_by, enquiry=enquiry, answer="丙")
    for bad in (0, 6, "很好", None):
        with pytest.raises(DomainError, match="1–5"):
            enquiry_rate(actor=company_member, enquiry=enquiry, rating=bad)
    with pytest.raises(PermissionDenied):
        enquiry_rate(
            actor=UserFactory(organisation=OrganisationFactory(), roles=["company"]), enquiry=enquiry, rating=3
        )
    enquiry_rate(actor=company_member, enquiry=enquiry, rating=3)
    with pytest.raises(DomainError):
        enquiry_rate(actor=company_member, enquiry=enquiry, rating=5)


def test_only_published_scenarios_and_only_companies(company_member):
    with pytest.raises(DomainError, match="只能咨询已发布的场景"):
        enquiry_ask(actor=company_member, scenario=ScenarioFactory(status="draft"), subject="甲", question="乙")
    publisher = ScenarioFactory(status="published").created_by
    with pytest.raises(PermissionDenied):
        enquiry_ask(actor=publisher, scenario=ScenarioFactory(status="published"), subject="甲", question="乙")
    with pytest.raises(DomainError, match="请填写主题和问题"):
        enquiry_ask(actor=company_member, scenario=ScenarioFactory(status="published"), subject=" ", question="乙")


def test_department_enquiry_and_strangers_see_404(client, company_member):
    department = OrganisationFactory(kind="government", name="宁波市住房和城乡建设局")
    enquiry = enquiry_ask(actor=company_member, department=department, subject="政策", question="适用哪些补贴？")
    client.force_login(UserFactory(organisation=OrganisationFactory(), roles=["company"]))
    assert client.get(reverse("capability_list:enquiry-detail", args=[enquiry.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        enquiry_answer(actor=company_member, enquiry=enquiry, answer="自问自答")


def test_daily_job_reminds_then_escalates_once(company_member, operator):
    scenario = ScenarioFactory(status="published")
    enquiry = enquiry_ask(actor=company_member, scenario=scenario, subject="逾期咨询", question="？")
    due = enquiry.due_date
    assert enquiries_check_overdue(today=due) == {"reminded": 0, "escalated": 0}
    day_after = due + timedelta(days=1)
    result = enquiries_check_overdue(today=day_after)
    assert result["reminded"] == 1
    assert Notification.objects.filter(recipient=scenario.created_by, title__contains="咨询已逾期").count() == 1
    assert enquiries_check_overdue(today=day_after)["reminded"] == 0  # idempotent
    later = add_working_days(due, 3)
    assert enquiries_check_overdue(today=later) == {"reminded": 0, "escalated": 1}
    assert Notification.objects.filter(recipient=operator, title__contains="逾期").count() == 1
    assert enquiries_check_overdue(today=later + timedelta(days=7))["escalated"] == 0
    enquiry.refresh_from_db()
    assert enquiry.escalated_at is not None


def test_enquiry_api(company_member):
    from rest_framework.test import APIClient

    scenario = ScenarioFactory(status="published")
    api = APIClient()
    api.force_authenticate(company_member)
    response = api.post(
        reverse("v1:enquiry-list"),
        {"subject": "接口", "question": "数据接口？", "scenario": scenario.pk},
        format="json",
    )
    assert response.status_code == 201
    enquiry_id = response.json()["id"]
    assert (
        api.post(
            reverse("v1:enquiry-list"),
            {"subject": "接口", "question": "？", "scenario": ScenarioFactory(status="draft").pk},
            format="json",
        ).status_code
        == 404
    )
    api.force_authenticate(scenario.created_by)
    assert (
        api.post(reverse("v1:enquiry-answer", args=[enquiry_id]), {"answer": "支持 RESTful"}, format="json").json()[
            "status"
        ]
        == "answered"
    )
    api.force_authenticate(company_member)
    assert api.post(reverse("v1:enquiry-rate", args=[enquiry_id]), {"rating": 9}, format="json").status_code == 400
    assert api.post(reverse("v1:enquiry-rate", args=[enquiry_id]), {"rating": 4}, format="json").json()["rating"] == 4


def test_enquiry_api_filters(company_member):
    from rest_framework.test import APIClient

    scenario = ScenarioFactory(status="published")
    late = enquiry_ask(actor=company_member, scenario=scenario, subject="逾期", question="？")
    Enquiry.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=3))
    answered = enquiry_ask(actor=company_member, scenario=scenario, subject="已答", question="？")
    enquiry_answer(actor=scenario.created_by, enquiry=answered, answer="好")
    api = APIClient()
    api.force_authenticate(company_member)
    subjects = lambda **query: [row["subject"] for row in api.get(reverse("v1:enquiry-list"), query).json()["results"]]  # noqa: E731
    assert subjects(overdue="true") == ["逾期"]
    assert subjects(status="answered") == ["已答"]
    assert api.get(reverse("v1:enquiry-list"), {"status": "nonsense"}).status_code == 400
