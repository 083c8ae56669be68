"""The front page everyone sees: besides who takes part, the catalogue's newest scenarios, the size
of the capability list and the challenges taking entries now, each leading to its list."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.capability_list import EntryFactory
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db


def test_the_front_page_shows_the_newest_scenarios_the_list_and_the_open_challenges(
    client, challenge, django_assert_num_queries
):
    now = timezone.now()
    for days in range(6):
        ScenarioFactory(status="published", title=f"港区智能理货场景{days}", published_at=now - timedelta(days=days))
    ScenarioFactory(status="draft", title="尚未发布的草稿场景")
    EntryFactory.create_batch(2, status="listed")
    EntryFactory(status="submitted")

    client.get("/")
    # Organisations by kind; scenarios: count and the newest five; listed entries; open challenges.
    with django_assert_num_queries(5):
        page = client.get("/").content.decode()

    scenarios = page.split('data-testid="public-scenarios"')[1].split("</section>")[0]
    assert "已发布 7 个场景" in scenarios  # six here and the challenge's own
    assert scenarios.count('data-testid="public-latest-scenario"') == 5
    # Newest first: the challenge's scenario (published today), then 0 … 3; 4 and 5 are older.
    assert scenarios.index("港区智能理货场景0") < scenarios.index("港区智能理货场景3")
    assert "港区智能理货场景4" not in scenarios and "尚未发布的草稿场景" not in page
    assert reverse("scenarios:catalogue") in scenarios

    assert "已入库 2 项技术（产品）" in page.split('data-testid="public-capabilities"')[1]

    challenges = page.split('data-testid="public-challenges"')[1].split("</section>")[0]
    assert "正在征集方案的榜单 1 个" in challenges and "智慧停车管理系统" in challenges
    assert reverse("scenarios:detail", args=[challenge.scenario_id]) in challenges
    assert reverse("contests:open-challenges") in challenges


def test_the_front_page_says_so_when_nothing_is_open(client, reference_data):
    page = client.get("/").content.decode()
    assert "暂无已发布的应用场景。" in page and "目前没有正在征集方案的榜单。" in page
    assert reverse("contests:open-challenges") not in page
