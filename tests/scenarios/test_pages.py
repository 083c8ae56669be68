import pytest
from django.urls import reverse

from scenarios.models import Domain, Scenario
from tests.factories.scenarios import ScenarioFactory, publisher_user

pytestmark = pytest.mark.django_db


def test_my_scenarios_shows_states_and_what_each_waits_for(client):
    publisher = publisher_user()
    ScenarioFactory(title="草稿场景", publisher=publisher.organisation, created_by=publisher)
    ScenarioFactory(
        title="退回场景",
        publisher=publisher.organisation,
        created_by=publisher,
        status="rejected",
        status_reason="请补充指标",
    )
    ScenarioFactory(title="别家场景")
    client.force_login(publisher)
    page = client.get(reverse("scenarios:mine")).content.decode()
    assert "草稿场景" in page and "待您完善并提交审核" in page
    assert "退回场景" in page and "请按意见修改后重新提交" in page and "请补充指标" in page
    assert "别家场景" not in page


def test_operator_bulk_approves_and_rejects(client, operator):
    first = ScenarioFactory(title="甲", status="submitted")
    second = ScenarioFactory(
        title="乙",
        status="submitted",
        track="forward_looking",
        tolerance_start="2026-01-01",
        tolerance_end="2026-12-31",
    )
    third = ScenarioFactory(title="丙", status="submitted")
    client.force_login(operator)
    response = client.post(
        reverse("scenarios:review-queue"), {"action": "approve", "scenarios": [first.pk, second.pk]}, follow=True
    )
    assert "已处理 2 个场景" in response.content.decode()
    assert Scenario.objects.get(pk=first.pk).status == "published"  # mature: short path
    assert Scenario.objects.get(pk=second.pk).status == "approved"
    response = client.post(
        reverse("scenarios:review-queue"), {"action": "reject", "scenarios": [third.pk], "reason": ""}, follow=True
    )
    assert "请填写退回修改的原因" in response.content.decode()
    assert Scenario.objects.get(pk=third.pk).status == "submitted"
    response = client.post(reverse("scenarios:review-queue"), {"action": "approve"}, follow=True)
    assert "请至少勾选一个场景" in response.content.decode()


def test_review_queue_is_for_operators_only(client, company_member):
    client.force_login(company_member)
    assert client.get(reverse("scenarios:review-queue")).status_code == 404


def test_review_queue_uses_a_fixed_number_of_queries(client, operator, django_assert_num_queries):
    ScenarioFactory.create_batch(2, status="submitted")
    client.force_login(operator)
    # session, user (with roles and unread count), page count, rows (with their publisher; the queue shows no
    # need items); the filter form's domain and district choices
    with django_assert_num_queries(6):
        client.get(reverse("scenarios:review-queue"))
    ScenarioFactory.create_batch(20, status="submitted")
    with django_assert_num_queries(6):
        client.get(reverse("scenarios:review-queue"))


def test_a_warm_review_queue_asks_only_about_the_person_and_shows_each_status_change_at_once(
    client, operator, django_assert_num_queries
):
    """The queue's filters and rows are stored for every operator (issue #20: rendering them was most
    of the page's time); every save of a scenario makes them stale: a new submission, a bulk
    decision, a renamed publisher show on the next visit."""
    first = ScenarioFactory(status="submitted", title="待审核的第一个场景")
    client.force_login(operator)
    url = reverse("scenarios:review-queue")
    assert "待审核的第一个场景" in client.get(url).content.decode()
    with django_assert_num_queries(2):  # session, user (with roles and unread count): the rows from the cache
        client.get(url)
    second = ScenarioFactory(status="submitted", title="刚提交的第二个场景")
    assert "刚提交的第二个场景" in client.get(url).content.decode()
    decided = client.post(url, {"action": "reject", "scenarios": [second.pk], "reason": "材料不全"}, follow=True)
    assert Scenario.objects.get(pk=second.pk).status not in ("submitted", "approved")
    assert "刚提交的第二个场景" not in decided.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    first.publisher.name = "改名后的发榜单位"
    first.publisher.save()
    assert "改名后的发榜单位" in client.get(url).content.decode()


def test_the_stored_review_queue_carries_each_operators_own_token_and_name(operator):
    """Only the filters and rows are shared: the bulk form's CSRF token and the header are each
    operator's own (a token rendered for the first operator would be refused for the second)."""
    from django.test import Client

    from tests.factories.accounts import UserFactory, government

    scenario = ScenarioFactory(status="submitted")
    other = UserFactory(organisation=government(), roles=["operator"], display_name="另一位运营人员")
    url = reverse("scenarios:review-queue")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(operator)
    second.force_login(other)
    mine = first.get(url).content.decode()
    theirs = second.get(url).content.decode()
    assert "另一位运营人员" in theirs and "另一位运营人员" not in mine
    token = theirs.split('data-testid="review-form"><input type="hidden" name="csrfmiddlewaretoken" value="')[1]
    answer = second.post(
        url,
        {"csrfmiddlewaretoken": token.split('"')[0], "action": "reject", "scenarios": [scenario.pk], "reason": "补充"},
    )
    assert answer.status_code == 302
    assert Scenario.objects.get(pk=scenario.pk).status != "submitted"


def test_operator_adds_a_domain_and_publishers_can_choose_it(client, operator):
    client.force_login(operator)
    category = Domain.objects.get(code="industry")
    response = client.post(
        reverse("scenarios:domain-create"),
        {"code": "low_altitude", "name": "低空经济", "parent": category.pk, "sort_order": 9, "is_active": "on"},
    )
    assert response.status_code == 302
    publisher = publisher_user()
    client.force_login(publisher)
    assert "低空经济" in client.get(reverse("scenarios:create")).content.decode()


def test_duplicate_domain_code_is_a_form_error(client, operator):
    client.force_login(operator)
    response = client.post(reverse("scenarios:domain-create"), {"code": "transport", "name": "交通2", "sort_order": 1})
    assert response.status_code == 200 and "已存在" in response.content.decode()


def test_live_validation_reports_problems_without_saving(client):
    publisher = publisher_user()
    client.force_login(publisher)
    response = client.post(
        reverse("scenarios:validate"),
        {
            "title": "测试",
            "funding_amount": "-3",
            "start_date": "2026-05-01",
            "end_date": "2026-01-01",
            "needs-TOTAL_FORMS": "0",
            "needs-INITIAL_FORMS": "0",
        },
    )
    text = response.content.decode()
    assert "投资额不能为负数" in text and "不能早于计划开始日期" in text
    assert not Scenario.objects.exists()


def test_publisher_home_counts_its_scenarios(client):
    publisher = publisher_user()
    ScenarioFactory(publisher=publisher.organisation, created_by=publisher)
    ScenarioFactory(publisher=publisher.organisation, created_by=publisher, status="published")
    client.force_login(publisher)
    page = client.get(reverse("accounts:role-home", args=["publisher"])).content.decode()
    assert "草稿 1 个，审核中 0 个，已发布 1 个。" in page
