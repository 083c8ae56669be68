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

# (short name as in the policy, full name) of the city departments named in §三.
PROGRAMME_DEPARTMENTS = [
    ("市科技局", "宁波市科学技术局"),
    ("市国资委", "宁波市人民政府国有资产监督管理委员会"),
    ("市发改委", "宁波市发展和改革委员会"),
    ("市经信局", "宁波市经济和信息化局"),
    ("市教育局", "宁波市教育局"),
    ("市住建局", "宁波市住房和城乡建设局"),
    ("市交通局", "宁波市交通运输局"),
    ("市水利局", "宁波市水利局"),
    ("市商务局", "宁波市商务局"),
    ("市卫健委", "宁波市卫生健康委员会"),
    ("市医保局", "宁波市医疗保障局"),
    ("市农业农村局", "宁波市农业农村局"),
    ("市综合行政执法局", "宁波市综合行政执法局"),
    ("市政务办", "宁波市人民政府政务服务办公室"),
]

# The functional areas of Ningbo are governed by a 管委会, the others by a people's government.
MANAGEMENT_COMMITTEES = {
    "qianwan": ("前湾新区管委会", "宁波前湾新区管理委员会"),
    "gaoxin": ("高新区管委会", "宁波国家高新技术产业开发区管理委员会"),
    "dongqianhu": ("东钱湖管委会", "宁波东钱湖旅游度假区管理委员会"),
}

TASK_TITLES = {
    1: "建立国资国企主动释放应用场景的新机制",
    2: "搭建《宁波市企业技术（产品）能力清单》对接平台",
    3: "组织“场景大赛”推动新技术、新产品落地应用",
    4: "探索建立应用场景科技攻关新机制",
    5: "试点建设一批应用场景示范区",
    6: "培育融通发展的应用场景创新生态",
}

# The text of §三, each task as the policy words it (its units at the end).
TASK_POLICY_TEXT = {
    1: (
        "建立国资国企主动释放应用场景的新机制。结合国有企业提供公共产品与服务、保障城市安全运行、服务社会民生等方面的职责，国资部门要进一步健全国企研发投入效益加回机制，进一步提升国企科技创"
        "新考核权重，推动国有企业主动设计、开放一批创新场景。重点围绕轨道建设、环境卫生、交通出行、气热供应、商贸消费、医疗健康、教育培训等领域，深入挖掘国有企业在推进、拟推进的公共服务、重"
        "点工程等方面对新技术、新产品的应用需求。推进节能环保、人工智能、高端装备、新一代信息技术、新材料等在重大工程（项目）中示范应用。（牵头单位：市国资委；配合单位：市发改委、市教育局、"
        "市住建局、市交通局、市水利局、市科技局、市商务局、市卫健委、市医保局、市农业农村局、市综合行政执法局）"
    ),
    2: (
        "搭建《宁波市企业技术（产品）能力清单》对接平台。围绕国资场景需求，市科技局牵头，委托相关行业协会、宁波市8718中小企业公共服务平台等向全市征集企业战略性新兴技术（产品）、自主创新"
        "产品、“三首”优质产品等，按不同行业领域发布《宁波市企业技术（产品）能力清单》。同时，联合市住建、交通、电力、水务、教育、卫健、医保以及部分国资平台等，开展常态化新技术（产品）论证"
        "会、对接会；加强供需衔接匹配，主管部门应积极响应清单企业的咨询对接诉求，提高企业服务满意度。（牵头单位：市科技局；配合单位：市发改委、市经信局、市教育局、市住建局、市交通局、市水利"
        "局、市卫健委、市医保局、市政务办）"
    ),
    3: (
        "组织“场景大赛”推动新技术、新产品落地应用。以“揭榜挂帅”的形式举办场景大赛。鼓励企业开展同台竞技和技术产品公平比选。各国有项目投资主体作为“发榜方”发布应用场景，参赛企业作为“揭"
        "榜方”上台路演。路演环节邀请专业嘉宾担任评审，主要从商务和技术两大维度对项目进行打分。着重考察企业对场景需求的理解、整体技术解决方案、方案可实施性及结果评价等因素，根据总分排名评选"
        "出优秀榜单项目，并给予每个不超过100万元的奖励。（牵头单位：市科技局；配合单位：市发改委、市教育局、市住建局、市交通局、市水利局、市国资委、市商务局、市卫健委、市医保局、市农业农"
        "村局、市综合行政执法局、市政务办）"
    ),
    4: (
        "探索建立应用场景科技攻关新机制。通过场景大赛等活动，促成“发榜方”以直接采购技术（产品）、联合开发新产品等多种方式与“揭榜方”进行合作。对于需现场攻关的重大场景，由市科技局和行业主"
        "管部门牵头，组织开展项目设计、现场测试、成果验证等创新试验，市科技局与发榜方、揭榜方签订联合攻关任务书。向各类场景开放全市科研院所和高校实验室等大型科研仪器设备，促成示范应用取得实"
        "效。（牵头单位：市科技局；配合单位：市发改委、市教育局、市住建局、市交通局、市水利局、市卫健委、市国资委、市商务局、市医保局、市农业农村局、市综合行政执法局）"
    ),
    5: (
        "试点建设一批应用场景示范区。在国家级、省级高新技术开发区、科技企业孵化器、产业基地等区域率先试点建设一批应用场景示范区（或试验区）。重点围绕智能交通、智能网联汽车、工业互联网、康养"
        "医疗、零碳园区、人工智能等技术布局，通过城市级、区级应用场景构建，长期为新技术新产品提供集中展示和真实场景的应用示范条件，打造一批创新应用标杆。（牵头单位：市科技局、各区（县、市）"
        "和管委会；配合单位：市发改委、市经信局）"
    ),
    6: (
        "培育融通发展的应用场景创新生态。鼓励大中小企业结成应用场景“联合体”。由行业龙头企业牵头加强场景组织设计。通过搭建场景平台开放技术、标准、渠道等资源，运用众智、众包、众扶、众筹等新"
        "模式吸引中小企业参与，共同推进场景建设。支持底层技术跨界示范应用，实现不同场景协同联动发展。积极培育场景集成服务企业和第三方中介服务机构，开展技术集成“总包”、场景供需对接等服务，"
        "不断提升场景组织效率。（牵头单位：市经信局、市科技局；配合单位：市发改委）"
    ),
}

_ALL_SUPPORT_1 = (
    "市发改委 市教育局 市住建局 市交通局 市水利局 市科技局 市商务局 市卫健委 市医保局 市农业农村局 市综合行政执法局"
)
# task code: (lead units, supporting units), exactly as in the text; "DISTRICTS" stands for every
# district's government or 管委会 (task 五: 各区（县、市）和管委会).
TASK_UNITS = {
    1: ("市国资委", _ALL_SUPPORT_1),
    2: ("市科技局", "市发改委 市经信局 市教育局 市住建局 市交通局 市水利局 市卫健委 市医保局 市政务办"),
    3: (
        "市科技局",
        "市发改委 市教育局 市住建局 市交通局 市水利局 市国资委 市商务局 市卫健委 市医保局 市农业农村局 "
        "市综合行政执法局 市政务办",
    ),
    4: (
        "市科技局",
        "市发改委 市教育局 市住建局 市交通局 市水利局 市卫健委 市国资委 市商务局 市医保局 市农业农村局 "
        "市综合行政执法局",
    ),
    5: ("市科技局 DISTRICTS", "市发改委 市经信局"),
    6: ("市经信局 市科技局", "市发改委"),
}

# How each task's percentage is computed, shown next to it.
TASK_PROGRESS_METHODS = {
    1: "milestones",
    2: "milestones",
    3: "milestones",
    4: "milestones",
    5: "milestones",
    6: "lead_report",
}

# A milestone plan for 2026–2027 (title, due date, weight); weights sum to 100 per task.
TASK_MILESTONES = {
    1: [
        ("国资委印发国企场景开放工作方案，明确考核加分口径", "2026-03-31", 15),
        ("市属国企报送首批创新场景清单（不少于30项）", "2026-06-30", 25),
        ("重大工程（项目）示范应用场景发布", "2026-10-31", 20),
        ("国企研发投入效益加回机制落地，场景开放纳入年度考核", "2026-12-31", 20),
        ("第二批国企场景清单发布并完成年度评估", "2027-06-30", 20),
    ],
    2: [
        ("委托行业协会、8718平台启动能力清单征集", "2026-03-31", 20),
        ("分行业发布《宁波市企业技术（产品）能力清单》", "2026-06-30", 30),
        ("开展新技术（产品）论证会、对接会不少于6场", "2026-12-31", 25),
        ("清单动态更新，咨询对接满意度测评", "2027-06-30", 25),
    ],
    3: [
        ("发布年度场景大赛方案和赛题", "2026-04-30", 20),
        ("完成报名、资格审查和路演评审", "2026-08-31", 30),
        ("公示获奖名单并兑现奖励", "2026-11-30", 30),
        ("跟踪获奖项目落地应用和采购情况", "2027-06-30", 20),
    ],
    4: [
        ("梳理需现场攻关的重大场景清单", "2026-05-31", 20),
        ("签订联合攻关任务书", "2026-09-30", 30),
        ("开放科研院所、高校大型仪器设备服务场景", "2026-12-31", 20),
        ("完成现场测试和成果验证", "2027-09-30", 30),
    ],
    5: [
        ("各区（县、市）和管委会报送示范区建设方案", "2026-06-30", 25),
        ("认定首批应用场景示范区（试验区）", "2026-12-31", 35),
        ("示范区开展城市级、区级场景构建和集中展示", "2027-06-30", 20),
        ("示范区建设成效评估", "2027-12-31", 20),
    ],
    6: [
        ("发布场景“联合体”组建指引", "2026-06-30", 30),
        ("培育场景集成服务企业和第三方中介机构", "2026-12-31", 35),
        ("开展跨界示范应用和场景协同联动", "2027-12-31", 35),
    ],
}

# (kind, parameters, colour, label) in order; worst colour wins.
LAMP_RULES = [
    ("due_within_days", {"days": 3}, "blue", "临期提示：距截止不足3天"),
    ("behind_plan_points", {"min_points": 10, "max_points": 30}, "yellow", "落后序时进度10–30个百分点"),
    ("behind_plan_points", {"min_points": 31, "max_points": None}, "red", "落后序时进度超过30个百分点"),
    ("overdue", {}, "red", "逾期未报送"),
    ("silent_days", {"days": 30}, "yellow", "连续30天未报送"),
]


def seed_programme(apps, schema_editor=None) -> None:
    """Units (departments and one per district), the six tasks with their units and milestones,
    the lamp rules and the reporting settings. Idempotent; a unit is linked to the organisation
    on the portal whose name is its full name, when there is exactly one."""
    District = apps.get_model("accounts", "District")
    Organisation = apps.get_model("accounts", "Organisation")
    ProgrammeUnit = apps.get_model("steering", "ProgrammeUnit")
    ProgrammeTask = apps.get_model("steering", "ProgrammeTask")
    TaskUnit = apps.get_model("steering", "TaskUnit")
    TaskMilestone = apps.get_model("steering", "TaskMilestone")
    LampRule = apps.get_model("steering", "LampRule")
    ReportingSettings = apps.get_model("steering", "ReportingSettings")

    def link(unit):
        if unit.organisation_id is None:
            matches = list(Organisation.objects.filter(name=unit.full_name).values_list("pk", flat=True)[:2])
            if len(matches) == 1:
                unit.organisation_id = matches[0]
                unit.save(update_fields=["organisation"])

    units = {}
    for order, (short, full) in enumerate(PROGRAMME_DEPARTMENTS, start=1):
        unit, _created = ProgrammeUnit.objects.get_or_create(
            short_name=short, defaults={"full_name": full, "sort_order": order}
        )
        link(unit)
        units[short] = unit
    district_units = []
    for district in District.objects.order_by("sort_order", "id"):
        short, full = MANAGEMENT_COMMITTEES.get(
            district.code,
            (
                f"{district.name}政府",
                f"{'' if district.name.endswith(('市', '县')) else '宁波市'}{district.name}人民政府",
            ),
        )
        unit, _created = ProgrammeUnit.objects.get_or_create(
            district=district,
            defaults={"short_name": short, "full_name": full, "sort_order": 100 + district.sort_order},
        )
        link(unit)
        district_units.append(unit)

    for code, title in TASK_TITLES.items():
        task, created = ProgrammeTask.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "policy_text": TASK_POLICY_TEXT[code],
                "progress_method": TASK_PROGRESS_METHODS[code],
                "starts_on": datetime.date(2026, 1, 1),
                "ends_on": datetime.date(2027, 12, 31),
            },
        )
        leads, supports = TASK_UNITS[code]
        for role, names in (("lead", leads), ("support", supports)):
            for name in names.split():
                for unit in district_units if name == "DISTRICTS" else [units[name]]:
                    TaskUnit.objects.get_or_create(task=task, unit=unit, defaults={"role": role})
        if created:
            for title_, due, weight in TASK_MILESTONES[code]:
                TaskMilestone.objects.create(
                    task=task, title=title_, due_on=datetime.date.fromisoformat(due), weight=weight
                )

    if not LampRule.objects.exists():
        for order, (kind, parameters, colour, label) in enumerate(LAMP_RULES, start=1):
            LampRule.objects.create(kind=kind, parameters=parameters, colour=colour, label=label, order=order)
    ReportingSettings.objects.get_or_create(
        pk=1, defaults={"monthly_due_day": 25, "remind_days_before": [3, 1], "remind_days_after": [1, 3, 7]}
    )


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
