"""评价指标体系 pages: list, detail, editor, new version, diff; who may see what."""

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.choices import FrameworkStatus, Level
from evaluation.models import Framework
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return operator_user()


@pytest.fixture
def judge():
    return UserFactory(roles=["judge"])


@pytest.fixture
def draft(operator):
    return services.framework_draft_create(
        actor=operator,
        level=Level.ENTERPRISE,
        based_on=Framework.objects.get(level=Level.ENTERPRISE, version=1),
        change_note="调整",
    )


def test_the_operator_sees_every_level_with_versions_in_a_fixed_number_of_queries(
    client, operator, draft, django_assert_num_queries
):
    client.force_login(operator)
    # session, user (with roles), the frameworks with their indicator counts and based-on versions, the
    # nav's and the page's context (notifications count)
    with django_assert_num_queries(3):
        response = client.get(reverse("evaluation:framework-list"))
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("企业级场景应用评价指标体系", "产业级场景应用评价指标体系", "城市级场景应用评价指标体系"):
        assert name in page
    assert "草稿" in page and "评价指标体系" in page
    services.framework_draft_create(
        actor=operator, level=Level.CITY, based_on=Framework.objects.get(level=Level.CITY, version=1)
    )
    with django_assert_num_queries(3):  # one more draft: still the same queries
        client.get(reverse("evaluation:framework-list"))


def test_a_judge_reads_published_frameworks_but_a_draft_and_the_editor_are_not_found(client, judge, draft):
    client.force_login(judge)
    listing = client.get(reverse("evaluation:framework-list")).content.decode()
    # the version cells, not the page (its random CSRF token may hold "v2")
    assert "<td>v1</td>" in listing and "<td>v2</td>" not in listing
    published = Framework.objects.get(level=Level.ENTERPRISE, version=1)
    assert client.get(reverse("evaluation:framework-detail", args=[published.pk])).status_code == 200
    assert client.get(reverse("evaluation:framework-detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("evaluation:framework-edit", args=[draft.pk])).status_code == 404
    assert client.get(reverse("evaluation:framework-diff", args=[draft.pk])).status_code == 404
    assert client.post(reverse("evaluation:framework-new-version", args=[published.pk])).status_code == 404


def test_a_company_user_outside_any_evaluation_finds_no_framework_pages(client):
    client.force_login(UserFactory(organisation=OrganisationFactory(), roles=["company"]))
    published = Framework.objects.get(level=Level.CITY, version=1)
    assert client.get(reverse("evaluation:framework-list")).status_code == 404
    assert client.get(reverse("evaluation:framework-detail", args=[published.pk])).status_code == 404


def test_the_detail_shows_the_tree_with_absolute_weights_rules_and_bands(client, judge):
    client.force_login(judge)
    framework = Framework.objects.get(level=Level.ENTERPRISE, version=1)
    page = client.get(reverse("evaluation:framework-detail", args=[framework.pk])).content.decode()
    assert "大赛产品签约采购（合作协议）数" in page  # the rule's label on 2.1.2
    assert "10.00" in page  # 2.1 实施管理: 40 % of 过程's 25 = 10.00
    assert "安全生产与数据安全" in page and "红线" in page
    assert "最低等级（触及红线时封顶）" in page


def test_the_editor_adds_an_indicator_and_refuses_to_publish_naming_the_tier(client, operator, draft):
    client.force_login(operator)
    url = reverse("evaluation:framework-edit", args=[draft.pk])
    process = draft.indicators.get(code="2")
    response = client.post(
        url,
        {
            "action": "indicator",
            "parent": process.pk,
            "name": "资金监管",
            "weight": "10",
            "method": "expert",
            "max_points": "10",
        },
    )
    assert response.status_code == 302
    assert draft.indicators.get(code="2.4").name == "资金监管"
    response = client.post(url, {"action": "publish"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "“过程”下的指标权重合计为 110.00，应为 100。" in page
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.DRAFT
    added = draft.indicators.get(code="2.4")
    client.post(url, {"action": "delete", "indicator": added.pk})
    response = client.post(url, {"action": "publish"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.PUBLISHED
    assert client.get(url).status_code == 302  # a published version is no longer editable


def test_the_editor_edits_an_indicator_and_rejects_a_foreign_one(client, operator, draft):
    client.force_login(operator)
    url = reverse("evaluation:framework-edit", args=[draft.pk])
    leaf = draft.indicators.get(code="1.1")
    assert "需求理解与场景定位" in client.get(url, {"indicator": leaf.pk}).content.decode()
    client.post(
        f"{url}?indicator={leaf.pk}",
        {"action": "indicator", "name": "需求理解", "weight": "40", "method": "expert", "max_points": "10"},
    )
    leaf.refresh_from_db()
    assert leaf.name == "需求理解"
    foreign = Framework.objects.get(level=Level.CITY, version=1).indicators.first()
    assert client.get(url, {"indicator": foreign.pk}).status_code == 404
    assert client.post(url, {"action": "delete", "indicator": foreign.pk}).status_code == 404


def test_a_new_version_is_started_from_a_published_one_and_its_diff_is_readable(client, operator):
    client.force_login(operator)
    published = Framework.objects.get(level=Level.INDUSTRY, version=1)
    response = client.post(
        reverse("evaluation:framework-new-version", args=[published.pk]), {"change_note": "年度修订"}
    )
    draft = Framework.objects.get(level=Level.INDUSTRY, version=2)
    assert response.url == reverse("evaluation:framework-edit", args=[draft.pk])
    services.indicator_update(actor=operator, indicator=draft.indicators.get(code="2.2"), name="参与揭榜企业数")
    page = client.get(reverse("evaluation:framework-diff", args=[draft.pk])).content.decode()
    assert "2.2 更名：参与企业数 → 参与揭榜企业数" in page
