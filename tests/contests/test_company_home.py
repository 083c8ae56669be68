"""The company's home page (企业工作台): its entries by status and enquiries, its best recommended
scenarios and its contest entries, each with the way to the full list — the next steps of a
company's work, not a card that only describes them."""

import pytest
from django.urls import reverse

from capability_list.models import Enquiry
from contests import services
from tests.contests.conftest import move_to
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.capability_list import EntryFactory
from tests.factories.matching import match_for

pytestmark = pytest.mark.django_db


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("accounts:role-home", args=["company"]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_company_home_shows_its_entries_recommendations_and_contest_entries(
    client, challenge, entrant, django_assert_num_queries
):
    company = entrant.organisation
    listed = EntryFactory(company=company, submitted_by=entrant, status="listed", name="高位视频车位检测终端")
    EntryFactory(company=company, submitted_by=entrant, status="submitted")
    EntryFactory(company=company, submitted_by=entrant, status="draft")
    EntryFactory(status="listed")  # another company's: not counted
    match_for(challenge.scenario, listed, score=78.66)
    Enquiry.objects.create(
        company=company,
        asked_by=entrant,
        addressee=challenge.scenario.publisher,
        scenario=challenge.scenario,
        subject="光照条件",
        question="车位检测需支持哪些光照条件？",
        due_date="2026-12-31",
    )
    move_to(challenge.contest, "registration")
    entry = services.entry_create(
        actor=entrant, challenge=challenge, title="基于高位视频的无感停车方案", summary="以成熟产品为基础定制集成。"
    )

    client.force_login(entrant)
    client.get(reverse("accounts:role-home", args=["company"]))  # warm the per-person caches
    # The page and its three panels (entries and enquiries 2, recommendations 1, contest entries
    # and open challenges 2): a fixed number, whatever the company has (the menu from the cache).
    with django_assert_num_queries(10):
        page = client.get(reverse("accounts:role-home", args=["company"])).content.decode()

    counts = page.split('data-testid="company-entry-counts"')[1].split("</p>")[0]
    assert "已入库 1 项，待审核 1 项，已退回 0 项，草稿 1 项" in counts
    assert "待答复 1 件，已答复 0 件" in page.split('data-testid="company-enquiry-counts"')[1].split("</p>")[0]
    assert reverse("capability_list:create") in page and reverse("capability_list:mine") in page

    recommendation = page.split('data-testid="home-recommendation"')[1].split("</li>")[0]
    assert "智慧停车管理系统" in recommendation and "高位视频车位检测终端" in recommendation
    assert "匹配度 78.7" in recommendation
    assert reverse("scenarios:detail", args=[challenge.scenario.pk]) in recommendation
    assert reverse("matching:recommendations") in page

    contest_entry = page.split('data-testid="home-entry"')[1].split("</li>")[0]
    assert "基于高位视频的无感停车方案" in contest_entry and "智慧停车管理系统" in contest_entry
    assert reverse("contests:entry-detail", args=[entry.pk]) in contest_entry
    assert "正在征集方案的榜单 1 个" in page
    assert reverse("contests:my-entries") in page


def test_a_new_company_is_told_what_comes_next(client, reference_data):
    newcomer = UserFactory(organisation=OrganisationFactory(name="宁波新创科技有限公司"), roles=["company"])
    page = _home(client, newcomer)
    assert "已入库 0 项，待审核 0 项，已退回 0 项，草稿 0 项" in page
    assert "暂无推荐。技术（产品）入库后系统会自动匹配。" in page and "贵企业尚未揭榜。" in page
    assert 'data-testid="home-recommendation"' not in page and 'data-testid="home-entry"' not in page


def test_a_colleague_without_the_company_role_sees_no_company_panels(client, reference_data, entrant):
    EntryFactory(company=entrant.organisation, submitted_by=entrant, status="listed")
    judge = UserFactory(organisation=entrant.organisation, roles=["judge"])
    client.force_login(judge)
    page = client.get(reverse("accounts:role-home", args=["judge"])).content.decode()
    assert 'data-testid="panel-company-entries"' not in page and "已入库" not in page
    # …and the company home is not theirs.
    assert client.get(reverse("accounts:role-home", args=["company"])).status_code == 404
