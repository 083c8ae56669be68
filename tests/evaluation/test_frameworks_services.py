"""评价指标体系: drafts, validation on publish, immutability of a published version, the diff."""

from decimal import Decimal

import pytest

from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord
from evaluation import services
from evaluation.choices import FrameworkStatus, Level, ScoringMethod
from evaluation.models import Framework, GradeBand, Indicator
from evaluation.services.frameworks import framework_problems
from tests.factories.accounts import UserFactory, operator_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return operator_user()


def published(level=Level.ENTERPRISE) -> Framework:
    return Framework.objects.get(level=level, version=1)


def test_the_three_seeded_frameworks_are_published_and_pass_the_publish_checks():
    frameworks = Framework.objects.filter(version=1).order_by("level")
    assert sorted(item.level for item in frameworks) == ["city", "enterprise", "industry"]
    for framework in frameworks:
        assert framework.status == FrameworkStatus.PUBLISHED
        assert framework_problems(framework) == []
        first_tier = framework.indicators.filter(tier=1).order_by("position").values_list("name", flat=True)
        assert list(first_tier) == ["决策", "过程", "产出", "效益"]
        methods = set(framework.indicators.values_list("method", flat=True))
        assert {ScoringMethod.EXPERT, ScoringMethod.COMPUTED, ScoringMethod.IMPORTED} <= methods
        assert framework.indicators.filter(is_red_line=True).exists()
        assert framework.indicators.filter(evidence_required=True).exists()
        assert framework.indicators.filter(tier=3).exists()
        assert [(band.name, band.min_total, band.is_lowest) for band in framework.grade_bands.all()] == [
            ("优", Decimal("90.00"), False),
            ("良", Decimal("80.00"), False),
            ("中", Decimal("60.00"), False),
            ("差", Decimal("0.00"), True),
        ]


def test_a_revision_copies_the_tree_with_its_codes_and_bands(operator):
    old = published()
    draft = services.framework_draft_create(
        actor=operator, level=Level.ENTERPRISE, based_on=old, change_note="调整过程指标"
    )
    assert (draft.version, draft.status, draft.based_on_id) == (2, FrameworkStatus.DRAFT, old.pk)
    copy = {
        item.code: (item.name, item.weight, item.tier, item.parent.code if item.parent else None)
        for item in draft.indicators.select_related("parent")
    }
    original = {
        item.code: (item.name, item.weight, item.tier, item.parent.code if item.parent else None)
        for item in old.indicators.select_related("parent")
    }
    assert copy == original
    assert draft.grade_bands.count() == 4
    assert framework_problems(draft) == []
    assert AuditRecord.objects.filter(action="evaluation.framework.draft_create", object_id=str(draft.pk)).exists()


def test_only_one_draft_per_level_and_only_operators_start_one(operator):
    services.framework_draft_create(actor=operator, level=Level.CITY, based_on=published(Level.CITY))
    with pytest.raises(DomainError) as refused:
        services.framework_draft_create(actor=operator, level=Level.CITY, based_on=published(Level.CITY))
    assert refused.value.code == "draft_exists"
    with pytest.raises(PermissionDenied):
        services.framework_draft_create(actor=UserFactory(roles=["judge"]), level=Level.INDUSTRY)
    with pytest.raises(DomainError):  # a version of another level is no basis
        services.framework_draft_create(actor=operator, level=Level.INDUSTRY, based_on=published(Level.CITY))


def test_weights_not_summing_to_100_are_refused_naming_the_tier_and_nothing_is_stored(operator):
    draft = services.framework_draft_create(actor=operator, level=Level.ENTERPRISE, based_on=published())
    process = draft.indicators.get(code="2")
    implementation = draft.indicators.get(code="2.1")
    services.indicator_update(actor=operator, indicator=implementation, weight="30")  # 过程: 30 + 30 + 30 = 90
    audits = AuditRecord.objects.count()
    with pytest.raises(DomainError) as refused:
        services.framework_publish(actor=operator, framework=draft)
    assert f"“{process.name}”下的指标权重合计为 90.00，应为 100" in refused.value.message
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.DRAFT and draft.published_at is None
    assert AuditRecord.objects.count() == audits


def test_the_first_tier_and_a_third_tier_are_checked_too(operator):
    draft = services.framework_draft_create(actor=operator, level=Level.ENTERPRISE, based_on=published())
    services.indicator_update(actor=operator, indicator=draft.indicators.get(code="1"), weight="20")
    services.indicator_update(actor=operator, indicator=draft.indicators.get(code="2.1.1"), weight="55")
    problems = framework_problems(draft)
    assert problems == [
        "一级指标权重合计为 105.00，应为 100。",
        "“实施管理”下的指标权重合计为 105.00，应为 100。",
    ]


def test_computed_and_imported_leaves_need_a_rule_and_a_target(operator):
    draft = services.framework_draft_create(actor=operator, level=Level.ENTERPRISE)
    root = services.indicator_add(actor=operator, framework=draft, name="产出", weight="100")
    computed = services.indicator_add(
        actor=operator, framework=draft, parent=root, name="签约", weight="50", method="computed"
    )
    services.indicator_add(actor=operator, framework=draft, parent=root, name="降本", weight="50", method="imported")
    assert framework_problems(draft) == [
        "“1.1 签约”为系统计算指标，须选择适用的计算规则。",
        "“1.1 签约”为系统计算指标，须填写满分目标值。",
        "“1.2 降本”为导入数据指标，须填写满分目标值。",
    ]
    with pytest.raises(DomainError):  # a rule of another level is refused when set
        services.indicator_update(actor=operator, indicator=computed, rule="city.scenarios_published")
    services.indicator_update(
        actor=operator, indicator=computed, rule="enterprise.contest_products_contracted", target="2"
    )
    services.indicator_update(actor=operator, indicator=draft.indicators.get(code="1.2"), target="15")
    assert framework_problems(draft) == []
    services.framework_publish(actor=operator, framework=draft)
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.PUBLISHED and draft.published_by == operator


def test_indicator_codes_follow_the_parent_and_tiers_stop_at_three(operator):
    draft = services.framework_draft_create(actor=operator, level=Level.ENTERPRISE, based_on=published())
    process = draft.indicators.get(code="2")
    added = services.indicator_add(actor=operator, framework=draft, parent=process, name="资金监管", weight="10")
    assert (added.code, added.tier) == ("2.4", 2)
    leaf = services.indicator_add(actor=operator, framework=draft, parent=added, name="资金拨付", weight="100")
    assert (leaf.code, leaf.tier) == ("2.4.1", 3)
    with pytest.raises(DomainError) as refused:
        services.indicator_add(actor=operator, framework=draft, parent=leaf, name="第四级", weight="100")
    assert refused.value.code == "tier"
    # a deleted code is not handed to a new indicator: the diff would read it as a rename
    services.indicator_delete(actor=operator, indicator=draft.indicators.get(code="2.3"))
    again = services.indicator_add(actor=operator, framework=draft, parent=process, name="安全", weight="30")
    assert again.code == "2.5"


def test_bands_need_unique_names_one_lowest_and_thresholds_within_0_to_100(operator):
    draft = services.framework_draft_create(actor=operator, level=Level.INDUSTRY, based_on=published(Level.INDUSTRY))
    for bands, message in [
        ([{"name": "优", "min_total": "90"}, {"name": "优", "min_total": "0"}], "等级名称不能重复"),
        ([{"name": "优", "min_total": "120"}, {"name": "差", "min_total": "0"}], "0–100"),
        (
            [{"name": "优", "min_total": "90", "is_lowest": True}, {"name": "差", "min_total": "0", "is_lowest": True}],
            "有且只有一个最低等级",
        ),
        ([{"name": "优", "min_total": "90"}, {"name": "差", "min_total": "40"}], "最低总分应为 0"),
    ]:
        with pytest.raises(DomainError) as refused:
            services.grade_bands_set(actor=operator, framework=draft, bands=bands)
        assert message in refused.value.message
    assert draft.grade_bands.count() == 4  # nothing replaced
    services.grade_bands_set(
        actor=operator,
        framework=draft,
        bands=[{"name": "合格", "min_total": "60"}, {"name": "不合格", "min_total": "0"}],
    )
    assert list(draft.grade_bands.values_list("name", "is_lowest")) == [("合格", False), ("不合格", True)]


def test_a_published_framework_cannot_be_changed_by_any_service(operator):
    framework = published()
    indicator = framework.indicators.get(code="1.1")
    before = (list(framework.indicators.values_list("code", "name", "weight")), framework.grade_bands.count())
    attempts = [
        lambda: services.indicator_add(actor=operator, framework=framework, name="新增", weight="10"),
        lambda: services.indicator_update(actor=operator, indicator=indicator, name="改名"),
        lambda: services.indicator_delete(actor=operator, indicator=indicator),
        lambda: services.grade_bands_set(
            actor=operator, framework=framework, bands=[{"name": "合格", "min_total": "0"}]
        ),
        lambda: services.framework_publish(actor=operator, framework=framework),
        lambda: services.framework_draft_delete(actor=operator, framework=framework),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.code == "framework_published"
        assert "已发布的指标体系不能修改" in refused.value.message
    assert (list(framework.indicators.values_list("code", "name", "weight")), framework.grade_bands.count()) == before


def test_non_operators_cannot_edit_a_draft(operator):
    draft = services.framework_draft_create(actor=operator, level=Level.ENTERPRISE, based_on=published())
    judge = UserFactory(roles=["judge"])
    with pytest.raises(PermissionDenied):
        services.indicator_update(actor=judge, indicator=draft.indicators.get(code="1.1"), name="改名")
    with pytest.raises(PermissionDenied):
        services.framework_publish(actor=judge, framework=draft)


def test_the_diff_of_a_new_version_reads_by_code(operator):
    old = published()
    draft = services.framework_draft_create(actor=operator, level=Level.ENTERPRISE, based_on=old)
    services.indicator_update(actor=operator, indicator=draft.indicators.get(code="1.1"), name="需求理解")
    services.indicator_update(actor=operator, indicator=draft.indicators.get(code="1.2"), weight="25")
    services.indicator_update(actor=operator, indicator=draft.indicators.get(code="1.3"), weight="35")
    services.indicator_update(
        actor=operator, indicator=draft.indicators.get(code="3.3"), method="imported", target="5", is_red_line=True
    )
    services.indicator_update(actor=operator, indicator=draft.indicators.get(code="4.2"), definition="民生改善。")
    services.indicator_delete(actor=operator, indicator=draft.indicators.get(code="2.2.2"))
    services.indicator_update(actor=operator, indicator=draft.indicators.get(code="2.2.1"), weight="100")
    services.indicator_add(
        actor=operator, framework=draft, parent=draft.indicators.get(code="3"), name="示范带动", weight="10"
    )
    services.indicator_update(actor=operator, indicator=draft.indicators.get(code="3.1"), weight="25")
    services.grade_bands_set(
        actor=operator,
        framework=draft,
        bands=[
            {"name": "优", "min_total": "85"},
            {"name": "良", "min_total": "75"},
            {"name": "中", "min_total": "60"},
            {"name": "差", "min_total": "0"},
        ],
    )
    texts = [change["text"] for change in services.framework_diff(old, draft)]
    assert texts == [
        "1.1 更名：需求理解与场景定位 → 需求理解",
        "1.2 方案论证：权重 35.00 → 25.00",
        "1.3 资金与要素保障：权重 25.00 → 35.00",
        "2.2.1 包容期节点完成：权重 60.00 → 100.00",
        "删除 2.2.2 未予免责的事件",
        "3.1 解决方案交付：权重 35.00 → 25.00",
        "3.3 知识产权与标准：评分方式 专家评分 → 导入数据",
        "3.3 知识产权与标准：满分目标值 — → 5.00",
        "3.3 知识产权与标准：设为红线指标",
        "新增 3.4 示范带动（权重 10.00，专家评分）",
        "4.2 服务与社会效益：指标解释 “对公共服务、民生改善、城市安全、绿色低碳的贡献。” → “民生改善。”",
        "等级“优”最低总分 90.00 → 85.00",
        "等级“良”最低总分 80.00 → 75.00",
    ]
    assert framework_problems(draft) == []
    services.framework_publish(actor=operator, framework=draft)
    record = AuditRecord.objects.get(action="evaluation.framework.publish", object_id=str(draft.pk))
    assert record.after["diff"] == texts
    assert services.framework_diff(old, old) == []


def test_deleting_an_indicator_removes_its_branch(operator):
    draft = services.framework_draft_create(actor=operator, level=Level.ENTERPRISE, based_on=published())
    services.indicator_delete(actor=operator, indicator=draft.indicators.get(code="2.1"))
    assert not draft.indicators.filter(code__startswith="2.1").exists()
    record = AuditRecord.objects.filter(action="evaluation.indicator.delete").latest("id")
    assert record.before["descendants"] == ["2.1.1", "2.1.2"]


def test_bad_numbers_are_refused_in_chinese(operator):
    draft = services.framework_draft_create(actor=operator, level=Level.CITY)
    for kwargs, code in [
        ({"weight": "abc"}, "number"),
        ({"weight": "0"}, "weight"),
        ({"weight": "10.123"}, "number"),
        ({"weight": "10", "max_points": "7.3"}, "max_points"),
        ({"weight": "10", "method": "magic"}, "method"),
    ]:
        with pytest.raises(DomainError) as refused:
            services.indicator_add(actor=operator, framework=draft, name="指标", **kwargs)
        assert refused.value.code == code
    assert not Indicator.objects.filter(framework=draft).exists()
    assert GradeBand.objects.filter(framework=draft).count() == 4  # the default bands
