"""/api/v1/evaluation-frameworks/: nested trees, drafts for operators only, publish and new-version."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from evaluation import services
from evaluation.choices import FrameworkStatus, Level
from evaluation.models import Framework
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def operator():
    return operator_user()


@pytest.fixture
def draft(operator):
    return services.framework_draft_create(
        actor=operator, level=Level.CITY, based_on=Framework.objects.get(level=Level.CITY, version=1)
    )


def test_the_list_nests_indicators_and_bands_in_a_fixed_number_of_queries(
    api, operator, draft, django_assert_num_queries
):
    api.force_authenticate(operator)
    # the page count, the frameworks with their counts and based-on versions, their indicators, their bands
    with django_assert_num_queries(4):
        rows = api.get(reverse("v1:evaluation-framework-list")).json()["results"]
    assert sorted((row["level"], row["version"], row["status"]) for row in rows) == [
        ("city", 1, "published"),
        ("city", 2, "draft"),
        ("enterprise", 1, "published"),
        ("industry", 1, "published"),
    ]
    enterprise = next(row for row in rows if row["level"] == "enterprise")
    process = enterprise["indicators"][1]
    assert (process["code"], process["name"], process["weight"]) == ("2", "过程", "25.00")
    implementation = process["children"][0]
    assert (implementation["code"], implementation["absolute_weight"]) == ("2.1", "10.00")
    assert implementation["children"][1]["rule_label"] == "大赛产品签约采购（合作协议）数"
    assert [band["name"] for band in enterprise["grade_bands"]] == ["优", "良", "中", "差"]
    services.framework_draft_create(
        actor=operator, level=Level.INDUSTRY, based_on=Framework.objects.get(level=Level.INDUSTRY, version=1)
    )
    with django_assert_num_queries(4):  # one more framework, the same queries
        api.get(reverse("v1:evaluation-framework-list"))


def test_others_see_only_published_versions_and_a_draft_is_not_found(api, draft):
    judge = UserFactory(roles=["judge"])
    api.force_authenticate(judge)
    rows = api.get(reverse("v1:evaluation-framework-list")).json()["results"]
    assert {row["status"] for row in rows} == {"published"} and len(rows) == 3
    assert api.get(reverse("v1:evaluation-framework-detail", args=[draft.pk])).status_code == 404
    assert api.post(reverse("v1:evaluation-framework-publish", args=[draft.pk])).status_code == 404
    outsider = UserFactory(organisation=OrganisationFactory(), roles=["company"])
    api.force_authenticate(outsider)
    assert api.get(reverse("v1:evaluation-framework-list")).json()["results"] == []


def test_a_judge_cannot_start_a_new_version(api):
    api.force_authenticate(UserFactory(roles=["judge"]))
    published = Framework.objects.get(level=Level.ENTERPRISE, version=1)
    response = api.post(reverse("v1:evaluation-framework-new-version", args=[published.pk]), {}, format="json")
    assert response.status_code == 404  # an operator's action: answered as if it did not exist
    assert not Framework.objects.filter(level=Level.ENTERPRISE, version=2).exists()


def test_publish_refuses_with_the_problems_in_chinese_then_publishes(api, operator, draft):
    api.force_authenticate(operator)
    services.indicator_update(actor=operator, indicator=draft.indicators.get(code="1"), weight="25")
    url = reverse("v1:evaluation-framework-publish", args=[draft.pk])
    response = api.post(url)
    assert response.status_code == 400
    assert "一级指标权重合计为 110.00，应为 100。" in str(response.json())
    services.indicator_update(actor=operator, indicator=draft.indicators.get(code="1"), weight="15")
    response = api.post(url)
    assert response.status_code == 200 and response.json()["status"] == FrameworkStatus.PUBLISHED
    again = api.post(url)
    assert again.status_code == 400 and "已发布的指标体系不能修改" in str(again.json())


def test_new_version_copies_a_published_framework(api, operator):
    api.force_authenticate(operator)
    published = Framework.objects.get(level=Level.ENTERPRISE, version=1)
    url = reverse("v1:evaluation-framework-new-version", args=[published.pk])
    response = api.post(url, {"change_note": "年度修订"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["version"], body["status"], body["based_on"], body["change_note"]) == (
        2,
        "draft",
        published.pk,
        "年度修订",
    )
    assert body["indicator_count"] == published.indicators.count()
    second = api.post(url, {}, format="json")
    assert second.status_code == 400 and "草稿" in str(second.json())
    assert api.post(reverse("v1:evaluation-framework-new-version", args=[999999]), {}, format="json").status_code == 404
