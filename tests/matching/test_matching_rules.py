"""What a person sees of the matching rules: no score floor (best 20 suppliers, best 5 scenarios,
弱匹配 labelled), a 三首 credential counting only where the scenario asks for one, generic entries
discounted, and the stored matches agreeing with a scenario's exhaustive ranking."""

import pytest
from django.urls import reverse

from capability_list.models import Credential
from matching.engine import similarity
from matching.engine.rebuild import rebuild
from matching.engine.rematch import ranked_entries
from matching.engine.scoring import ENTRY_SHOWS, SCENARIO_SHOWS
from matching.models import Match
from tests.factories.scenarios import ScenarioFactory, domain
from tests.matching import matching_hard
from tests.matching.conftest import matching_entry
from tests.matching.test_matching_quality import _load

pytestmark = pytest.mark.django_db

TOPICS = ["车位检测", "车牌识别", "水质监测", "跌倒检测", "电子签章", "光伏储能", "客流统计"]


def _scenario(title, needs, description, **kwargs):
    return ScenarioFactory(
        title=title, status="published", domain=domain("transport"), needs=needs, need_description=description, **kwargs
    )


def test_every_scenario_shows_its_best_twenty_and_every_entry_its_best_five_weak_ones_labelled():
    scenarios = [
        _scenario(f"{topic}试点项目", [topic], f"征集{topic}方面的成熟产品，在本区先行试点，后续推广。")
        for topic in TOPICS
    ]
    for number in range(30):
        topic = TOPICS[number % len(TOPICS)]
        matching_entry(f"{topic}产品{number:02d}", f"本产品面向{topic}需求，已在多地应用，性能稳定。", [topic])
    rebuild()
    for scenario in scenarios:
        assert Match.objects.filter(scenario=scenario).count() >= SCENARIO_SHOWS  # no floor drops any
    for entry_id in Match.objects.values_list("entry_id", flat=True).distinct():
        assert Match.objects.filter(entry_id=entry_id).count() >= ENTRY_SHOWS
    weak = Match.objects.filter(scenario=scenarios[0]).order_by("score").first()
    assert weak.is_weak and "仅供参考" in weak.explanation
    strong = Match.objects.filter(scenario=scenarios[0]).order_by("-score").first()
    assert not strong.is_weak and strong.entry.name.startswith("车位检测")


def test_a_three_firsts_credential_counts_only_where_the_scenario_asks_for_one():
    plain = _scenario("路侧停车泊位检测", ["车位检测"], "对路侧泊位的占用状态进行实时检测。")
    first_product = _scenario(
        "路侧停车泊位检测首台套应用", ["车位检测"], "对路侧泊位的占用状态进行实时检测，优先采用首台套装备。"
    )
    description = "地磁与视频双模检测泊位占用状态，准确率 99%，低功耗，免布线。"
    holder = matching_entry("双模泊位检测器", description, ["车位检测"], company_name="甲科技有限公司")
    Credential.objects.create(entry=holder, kind="first_set", certificate_number="SS-1", level="provincial", year=2024)
    other = matching_entry("双模车位检测器", description, ["车位检测"], company_name="乙科技有限公司")
    rebuild()

    def match(scenario, entry):
        return Match.objects.get(scenario=scenario, entry=entry)

    # Unrelated to a first product: the credential lifts nobody (same text, same score part).
    assert match(plain, holder).credential == match(plain, other).credential == 0
    assert "首台套" not in match(plain, holder).explanation
    # Where the scenario concerns a first product, holding one counts and is explained.
    assert match(first_product, holder).credential == 1 and match(first_product, other).credential == 0
    assert match(first_product, holder).score > match(first_product, other).score
    assert "具备首台套认定（2024）" in match(first_product, holder).explanation


def test_a_generic_platform_that_resembles_every_scenario_is_discounted():
    scenarios = [
        _scenario(f"{topic}智慧化改造", [topic], f"需要{topic}的专用设备与软件，接入现有管理平台。") for topic in TOPICS
    ]
    generic = matching_entry(
        "城市综合服务平台",
        "一站式综合服务平台，覆盖" + "、".join(TOPICS) + "等全部场景，统一接入、统一管理。",
        ["综合服务平台"],
    )
    special = matching_entry("高位视频车位检测系统", "高位视频识别路侧泊位占用，车位检测准确率 99%。", ["车位检测"])
    for number in range(12):
        matching_entry(f"无关产品{number}", "纺织面料瑕疵识别，替代人工验布。", ["缺陷检测"])
    rebuild()
    parking = scenarios[0]
    assert (
        Match.objects.get(scenario=parking, entry=special).score
        > Match.objects.get(scenario=parking, entry=generic).score
    )


def test_the_stored_matches_hold_each_scenarios_best_as_its_own_ranking_finds_them(monkeypatch):
    """The rebuild's candidate search keeps few candidates (patched down to a fifth of the entries,
    to exercise it: on a city's corpus 200 are a five-hundredth); what it stores of each scenario is
    its own best 20 as a rematch ranks them against every entry, but for at most 1 % of the pairs
    (the proxy misses them). Pairs an entry brings in (its own best 5) may be stored beside them."""
    monkeypatch.setattr(similarity, "CANDIDATES", 60)
    scenarios, _entries = _load(matching_hard.dataset())
    rebuild()
    missing = total = 0
    for scenario in scenarios.values():
        stored = set(Match.objects.filter(scenario=scenario).values_list("entry_id", flat=True))
        own_best = {match.entry_id for match in ranked_entries(scenario.pk, limit=SCENARIO_SHOWS)}
        missing += len(own_best - stored)
        total += len(own_best)
    assert missing <= 0.01 * total, (missing, total)


def test_a_posted_match_id_that_is_not_a_number_is_not_found(corpus, client):
    parking, _entries = corpus
    rebuild()
    client.force_login(parking.created_by)
    url = reverse("matching:scenario-suppliers", args=[parking.pk])
    for value in ("abc", "", "1e30", "-1", "１", "1 "):
        assert client.post(url, {"match": value, "decision": "accepted"}).status_code == 404
