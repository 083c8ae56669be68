"""Reference data of steering, seeded by data migrations (one section per topic). The functions
take the models as arguments so a data migration can pass its historical ones."""

# === SOE assessment ===
from decimal import Decimal  # noqa: E402

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
