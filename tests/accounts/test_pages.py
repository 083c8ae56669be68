import pytest
from django.urls import reverse

from tests.factories.accounts import OrganisationFactory

pytestmark = pytest.mark.django_db

ROLE_HEADINGS = {
    "publisher": "发榜方工作台",
    "company": "企业工作台",
    "association": "协会工作台",
    "judge": "评审专家工作台",
    "operator": "运营管理工作台",
    "official": "领导驾驶舱",
    "auditor": "安全审计工作台",
    "admin": "系统管理工作台",
}


def test_public_home_needs_no_login(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "宁波市应用场景开放门户" in response.content.decode()


def test_a_role_home_of_a_role_not_held_answers_404(client, company_member):
    client.force_login(company_member)
    assert client.get(reverse("accounts:role-home", args=["operator"])).status_code == 404
    assert client.get(reverse("accounts:role-home", args=["nonsense"])).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_english_interface(client, company_member):
    client.force_login(company_member)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:role-home", args=["company"])).content.decode()
    assert "Company workspace" in page and "企业工作台" not in page


def test_operator_organisation_list_uses_a_fixed_number_of_queries(client, operator, django_assert_num_queries):
    client.force_login(operator)
    OrganisationFactory.create_batch(3)
    # session, user (with roles and unread count), districts (filter form), page count, page rows
    with django_assert_num_queries(5):
        client.get(reverse("accounts:operator-organisations"))
    OrganisationFactory.create_batch(30)
    with django_assert_num_queries(5):
        client.get(reverse("accounts:operator-organisations"))


def test_operator_organisation_list_filters(client, operator):
    OrganisationFactory(name="宁波海曙甲公司", verification_status="pending")
    OrganisationFactory(name="宁波江北乙公司")
    client.force_login(operator)
    page = client.get(reverse("accounts:operator-organisations"), {"verification_status": "pending"}).content.decode()
    assert "宁波海曙甲公司" in page and "宁波江北乙公司" not in page
    page = client.get(reverse("accounts:operator-organisations"), {"q": "江北"}).content.decode()
    assert "宁波江北乙公司" in page and "宁波海曙甲公司" not in page
    bad = client.get(reverse("accounts:operator-organisations"), {"verification_status": "bogus", "page": "x"})
    assert bad.status_code == 200 and "选择一个有效的选项" in bad.content.decode()


def test_chinese_is_shown_whatever_the_browser_language(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "用户名" in page and "Username" not in page
