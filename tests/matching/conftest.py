import pytest

from tests.factories.accounts import OrganisationFactory
from tests.factories.capability_list import EntryFactory, strategic_area
from tests.factories.scenarios import ScenarioFactory, district, domain

# The real-worker harness of tests/workers/ also serves test_matching_rebuild_killed.py. (Matching's
# browser journey stays in tests/browser/: Playwright's session-wide browser starts once per test
# process, so its fixture cannot be imported into a second conftest the same way.)
from tests.workers.conftest import celery_worker, celery_workers  # noqa: E402, F401


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Every matching test may use districts, industries and strategic areas."""


def matching_entry(name, description, fields, district_code="haishu", status="listed", **kwargs):
    company = OrganisationFactory(
        kind="company", name=kwargs.pop("company_name", f"{name}科技有限公司"), district=district(district_code)
    )
    return EntryFactory(
        company=company, name=name, description=description, technology_fields=fields, status=status, **kwargs
    )


@pytest.fixture
def corpus():
    parking = ScenarioFactory(
        title="老城区智慧停车改造",
        status="published",
        domain=domain("transport"),
        district=district("haishu"),
        need_description=(
            "对老城区 3000 个路侧泊位进行智能化改造，"
            "实现车位状态实时检测、进出车辆车牌识别和无感移动支付，减少人工收费。"
        ),
        needs=["车位检测", "车牌识别", "移动支付"],
    )
    entries = {
        "sensor": matching_entry(
            "路侧高位视频车位检测系统",
            "高位视频桩识别泊位占用状态，检测准确率 99%，同时完成车牌识别，支持视频取证。",
            ["机器视觉", "车位检测"],
            strategic_area=strategic_area("1"),
        ),
        "plate": matching_entry(
            "车辆号牌自动识别一体机",
            "卡口与出入口车辆号牌自动识别，识别率 99.5%，夜间补光，白名单放行。",
            ["机器视觉"],
            district_code="beilun",
        ),
        "paint": matching_entry(
            "停车场耐磨地坪涂料", "环氧树脂停车场地坪，耐磨防滑，划线清晰持久，适用于地下车库。", ["高分子材料"]
        ),
        "textile": matching_entry(
            "纺织面料瑕疵识别系统", "基于深度学习识别坯布表面瑕疵，检出率 98%，替代人工验布。", ["机器视觉", "缺陷检测"]
        ),
        "draft": matching_entry(
            "地磁车位检测器", "地磁感应检测泊位占用，电池寿命 5 年。", ["车位检测"], status="draft"
        ),
    }
    return parking, entries
