"""Reference data of steering, one function per topic; the data migrations call them with the
historical models, and tests call them again after a flush."""

import datetime
from decimal import Decimal

# === Targets ===

# Policy §一(三): 力争到2025年 10 个特色示范性场景、100 个复制推广典型应用、1000 家高成长性科技企业.
POLICY_TARGETS = [
    ("flagship", "十 · 特色示范性场景（2025年）", 10, [("2023-12-31", 3), ("2024-12-31", 6)]),
    ("replications", "百 · 复制推广典型应用（2025年）", 100, [("2023-12-31", 30), ("2024-12-31", 65)]),
    ("high_growth", "千 · 高成长性科技企业（2025年）", 1000, [("2023-12-31", 300), ("2024-12-31", 650)]),
]
POLICY_STARTS_ON = datetime.date(2023, 1, 1)
POLICY_DEADLINE = datetime.date(2025, 12, 31)
POLICY_NOTE = (
    "依据《关于开放应用场景推动创新发展的实施意见》“十百千”工程：力争到2025年。年度计划节点为初始设定，运营方可调整。"
)


def seed_policy_targets(Target, TargetPlanPoint) -> None:  # noqa: N803 - historical models
    """The policy's city targets with a yearly plan, unless a city target of that metric exists."""
    for metric, title, value, plan in POLICY_TARGETS:
        if Target.objects.filter(metric=metric, district__isnull=True).exists():
            continue
        target = Target.objects.create(
            metric=metric,
            title=title,
            target_value=value,
            baseline=0,
            starts_on=POLICY_STARTS_ON,
            deadline=POLICY_DEADLINE,
            note=POLICY_NOTE,
        )
        TargetPlanPoint.objects.bulk_create(
            [TargetPlanPoint(target=target, day=datetime.date.fromisoformat(day), planned_value=v) for day, v in plan]
        )


def seed_high_growth_listings(Organisation, HighGrowthListing) -> None:  # noqa: N803 - historical models
    """A listing for every company flagged 高成长性 today (and not yet listed), from the day it was
    verified (or created), so the 千 figure has dates to count from."""
    from django.utils import timezone

    listed = set(HighGrowthListing.objects.filter(delisted_on__isnull=True).values_list("organisation_id", flat=True))
    rows = []
    for organisation in Organisation.objects.filter(is_high_growth=True, kind="company").exclude(pk__in=listed):
        since = organisation.verified_at or organisation.created_at
        rows.append(HighGrowthListing(organisation=organisation, listed_on=timezone.localtime(since).date()))
    HighGrowthListing.objects.bulk_create(rows)


# === Programme tasks ===

# === SOE assessment ===

# The first scheme: the year the assessment starts counting (the portal's first full year).
ASSESSMENT_FIRST_YEAR = 2026

ASSESSMENT_SCHEME_NOTE = (
    "依据《宁波市应用场景开放工作方案》§三(一)“将应用场景开放纳入国资企业考核体系”和§四(三)"
    "“将场景大赛入围产品的实际使用作为相关行业主管或监管部门信用评价的加分指标”拟定，"
    "待市国资委确认分值和报送格式。"
    "国有企业部分：分值随场景走得越远越高——提交和发布只说明需求被开放（每个 0.5 分），"
    "纳入大赛和进入实施说明有企业揭榜、技术开始落地（每个 1 分），形成示范说明新技术真正用起来（每个 2 分）；"
    "使用大赛入围产品是政策点名要求的行为（每项 1 分）。各项设上限，防止以数量小、拆分多的场景堆分，"
    "满分 18 分，约合国资科技创新考核加分档的常见量级。"
    "企业信用部分：入围说明产品经过同台比选（每个 1 分，上限 3 分）；获得已核实的实际使用是政策要加分的事实"
    "（每项 2 分，上限 6 分）。"
)

# (subject, code, label, points, cap)
ASSESSMENT_ITEMS = [
    ("soe", "scenarios_opened", "开放场景数（提交审核）", "0.5", "2"),
    ("soe", "scenarios_published", "发布场景数", "0.5", "2"),
    ("soe", "scenarios_in_contest", "纳入场景大赛场景数", "1", "3"),
    ("soe", "scenarios_in_implementation", "进入实施场景数", "1", "3"),
    ("soe", "scenarios_demonstrated", "形成示范场景数", "2", "4"),
    ("soe", "products_used", "使用大赛入围产品数（已核实）", "1", "4"),
    ("company", "products_shortlisted", "大赛入围产品数", "1", "3"),
    ("company", "products_in_use", "入围产品获实际使用数（已核实）", "2", "6"),
]


def seed_assessment_scheme(AssessmentScheme, AssessmentItem, year: int = ASSESSMENT_FIRST_YEAR):  # noqa: N803
    """The scheme of `year` with the items above, unless that year has one already."""
    if AssessmentScheme.objects.filter(year=year).exists():
        return
    scheme = AssessmentScheme.objects.create(year=year, note=ASSESSMENT_SCHEME_NOTE)
    AssessmentItem.objects.bulk_create(
        [
            AssessmentItem(
                scheme=scheme,
                subject=subject,
                code=code,
                label=label,
                points=Decimal(points),
                cap=Decimal(cap),
                sort_order=index,
            )
            for index, (subject, code, label, points, cap) in enumerate(ASSESSMENT_ITEMS)
        ]
    )


# === Reports ===
