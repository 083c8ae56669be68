"""The three default 评价指标体系 (v1, published), seeded by migration 0002 and re-seeded by tests.

Written from the policy's aims (宁波市应用场景开放工作方案, §一 目标, §三(三) 以赛代招, §四(二) 包容期与
容错, §四(三) 城市级、产业级、企业级场景应用评估) and the four-part skeleton of project performance
evaluation (决策 / 过程 / 产出 / 效益). Every leaf is out of 10 points, scored in half points.

A node is (name, weight, definition, options, children); options: method ("expert" by default,
"computed" with rule and target, "imported" with target), evidence (须提供佐证材料), red (红线).
The functions take the models as arguments so the data migration can pass its historical ones.
"""

from decimal import Decimal


def E(name, weight, definition, *, evidence=False, red=False):  # noqa: N802 - a row of the table below
    return (name, weight, definition, {"method": "expert", "evidence": evidence, "red": red}, [])


def C(name, weight, definition, *, rule, target):  # noqa: N802
    return (name, weight, definition, {"method": "computed", "rule": rule, "target": target}, [])


def I(name, weight, definition, *, target, evidence=True):  # noqa: N802, E743
    return (name, weight, definition, {"method": "imported", "target": target, "evidence": evidence}, [])


def G(name, weight, definition, children):  # noqa: N802
    return (name, weight, definition, {}, children)


ENTERPRISE = [
    G(
        "决策",
        "15",
        "场景立项的需求依据、方案论证和要素保障。",
        [
            E(
                "需求理解与场景定位",
                "40",
                "场景需求清晰具体，与发榜单位主业、在建项目和技术攻关方向相符，痛点和应用目标明确。",
            ),
            E("方案论证", "35", "技术解决方案经过论证，目标、技术路线、考核指标明确可测，风险有预案。", evidence=True),
            E("资金与要素保障", "25", "项目投资、配套资金、人员、数据和试验条件落实到位。", evidence=True),
        ],
    ),
    G(
        "过程",
        "25",
        "场景实施的组织管理、包容期管理和安全合规。",
        [
            G(
                "实施管理",
                "40",
                "按计划推进，合作协议履行到位。",
                [
                    E("进度执行", "50", "里程碑节点按计划完成，偏差有分析和纠正措施。", evidence=True),
                    C(
                        "大赛产品签约采购",
                        "50",
                        "场景大赛揭榜方案与发榜单位签订合作协议（直接采购或联合攻关任务书）的情况。",
                        rule="enterprise.contest_products_contracted",
                        target="1",
                    ),
                ],
            ),
            G(
                "包容期与容错管理",
                "30",
                "前瞻性场景包容期的节点管理和容错纠错情况；成熟技术场景按实施管理情况评价。",
                [
                    E("包容期节点完成", "60", "包容期检查节点按期完成，延期申请理由充分并经批准。"),
                    C(
                        "未予免责的事件",
                        "40",
                        "包容期内发生且未经认定免责的事件；经认定免责的不计入（越少越好，3 件及以上不得分）。",
                        rule="enterprise.tolerance_incidents_held",
                        target="3",
                    ),
                ],
            ),
            E(
                "安全生产与数据安全",
                "30",
                "实施期间未发生重大安全生产事故、数据安全事件，未弄虚作假；发生的触及红线，等级最高为“差”。"
                "包容期内经认定免责的事件不作为红线事件。",
                red=True,
            ),
        ],
    ),
    G(
        "产出",
        "30",
        "解决方案交付和新技术、新产品的首试首用。",
        [
            E("解决方案交付", "35", "交付的技术（产品）满足场景需求，通过验收、试运行或第三方测试。", evidence=True),
            G(
                "首试首用",
                "35",
                "自主创新产品、“三首”产品在本场景的首次试用和应用。",
                [
                    E(
                        "新技术新产品首次应用",
                        "60",
                        "自主创新产品、“三首”产品在本场景首次试用或规模应用。",
                        evidence=True,
                    ),
                    I(
                        "采购合同金额",
                        "40",
                        "发榜单位采购或联合攻关的合同金额（万元），200 万元及以上得满分。",
                        target="200",
                    ),
                ],
            ),
            E("知识产权与标准", "30", "形成专利、软件著作权、标准、规范或技术报告。"),
        ],
    ),
    G(
        "效益",
        "30",
        "应用带来的成本效率改善、社会效益和可复制推广性。",
        [
            I(
                "降本增效",
                "40",
                "与应用前相比成本降低或效率提升的幅度（%），由发榜单位提供测算依据，15% 及以上得满分。",
                target="15",
            ),
            E("服务与社会效益", "30", "对公共服务、民生改善、城市安全、绿色低碳的贡献。"),
            E("可复制推广性", "30", "形成可复制的路径、模式和机制，具备在其他单位、区域推广的条件。"),
        ],
    ),
]

INDUSTRY = [
    G(
        "决策",
        "15",
        "领域场景开放的规划和政策统筹。",
        [
            E(
                "产业场景规划",
                "50",
                "领域场景清单与产业发展规划衔接，分级分类供给，前瞻性场景占比合理。",
                evidence=True,
            ),
            E("政策与资源统筹", "50", "资金、人才、数据、试验条件等支持政策落实，主管部门协同。"),
        ],
    ),
    G(
        "过程",
        "25",
        "场景开放的组织、企业参与和监管。",
        [
            G(
                "场景开放组织",
                "50",
                "场景发布和对接活动的组织情况。",
                [
                    C(
                        "本年度发布场景数",
                        "60",
                        "本领域（含下级领域）在评价年度内发布的场景数，10 个及以上得满分。",
                        rule="industry.scenarios_published",
                        target="10",
                    ),
                    E("大赛与对接活动组织", "40", "组织揭榜挂帅、新技术论证会、供需对接会的次数和成效。"),
                ],
            ),
            C(
                "参与企业数",
                "30",
                "向本领域场景揭榜或提出咨询对接的不同企业数，30 家及以上得满分。",
                rule="industry.companies_engaged",
                target="30",
            ),
            E(
                "诚信与安全底线",
                "20",
                "领域场景未发生重大安全生产事故、数据安全事件或弄虚作假、骗取奖励；发生的触及红线。",
                red=True,
            ),
        ],
    ),
    G(
        "产出",
        "35",
        "“三首”产品应用、技术攻关成果和典型应用。",
        [
            C(
                "“三首”产品应用",
                "40",
                "在本领域场景获奖或签约的企业中，具有首台套/首批次/首版次认定的产品数，5 个及以上得满分。",
                rule="industry.first_products_applied",
                target="5",
            ),
            E("技术攻关成果", "30", "“科技攻关—场景验证—产业化应用”取得的关键技术突破。", evidence=True),
            E("典型应用形成", "30", "形成可复制推广的典型新应用和解决方案。"),
        ],
    ),
    G(
        "效益",
        "25",
        "对产业发展和创新生态的带动。",
        [
            G(
                "产业带动",
                "60",
                "场景应用带动的产业化和企业成长。",
                [
                    I(
                        "后续订单与投资",
                        "50",
                        "场景应用带动的后续订单和产业化投资（万元），5000 万元及以上得满分。",
                        target="5000",
                    ),
                    I(
                        "高成长企业培育",
                        "50",
                        "参与企业中新认定高新技术企业、专精特新企业的数量，10 家及以上得满分。",
                        target="10",
                    ),
                ],
            ),
            E("创新生态", "40", "产学研协同、行业协会参与、能力清单企业对接的活跃程度。"),
        ],
    ),
]

CITY = [
    G(
        "决策",
        "15",
        "场景开放工作的顶层设计和机制建设。",
        [
            E("顶层设计", "50", "工作方案、年度计划和“十百千”目标分解落实到牵头、配合单位。", evidence=True),
            E("机制建设", "50", "包容期管理、容错纠错、“信用承诺+信用核查”等机制建立并运行。", evidence=True),
        ],
    ),
    G(
        "过程",
        "25",
        "场景开放的覆盖面和协同推进。",
        [
            G(
                "覆盖面",
                "50",
                "场景在领域和区域上的覆盖。",
                [
                    C(
                        "覆盖领域数",
                        "50",
                        "评价年度内发布场景覆盖的场景领域数，8 个及以上得满分。",
                        rule="city.domains_covered",
                        target="8",
                    ),
                    C(
                        "覆盖区县（市）数",
                        "50",
                        "评价年度内发布场景所在的区县（市）数，10 个及以上得满分。",
                        rule="city.districts_covered",
                        target="10",
                    ),
                ],
            ),
            E("协同推进", "30", "牵头单位和配合单位任务落实、月度调度和督办情况。"),
            E(
                "安全与廉洁底线",
                "20",
                "场景开放工作中未发生重大安全生产事故、数据安全事件或弄虚作假；发生的触及红线。",
                red=True,
            ),
        ],
    ),
    G(
        "产出",
        "35",
        "场景发布、大赛签约和特色示范性场景。",
        [
            C(
                "本年度发布场景数",
                "30",
                "评价年度内发布的场景数，100 个及以上得满分。",
                rule="city.scenarios_published",
                target="100",
            ),
            C(
                "场景大赛签约数",
                "25",
                "评价年度内签订的场景大赛合作协议数，30 份及以上得满分。",
                rule="city.agreements_signed",
                target="30",
            ),
            I("特色示范性场景", "20", "建成的特色示范性场景数（“十百千”之“十”），10 个得满分。", target="10"),
            C(
                "典型案例复制推广数",
                "25",
                "评价年度内经核实的典型案例复制推广数（“十百千”之“百”），100 项及以上得满分。",
                rule="city.replications_verified",
                target="100",
            ),
        ],
    ),
    G(
        "效益",
        "25",
        "公共服务、企业成长和制度成果。",
        [
            E("公共服务与城市品质", "40", "场景应用对交通出行、医疗健康、城市治理等公共服务和城市品质的提升。"),
            I("高成长性科技企业", "30", "培育的高成长性科技企业数（“十百千”之“千”），1000 家得满分。", target="1000"),
            E("制度成果", "30", "总结形成可复制推广的路径、机制和理论制度成果。"),
        ],
    ),
]

DEFAULT_FRAMEWORKS = [
    ("enterprise", "企业级场景应用评价指标体系", ENTERPRISE),
    ("industry", "产业级场景应用评价指标体系", INDUSTRY),
    ("city", "城市级场景应用评价指标体系", CITY),
]
DEFAULT_BANDS = [("优", "90", False), ("良", "80", False), ("中", "60", False), ("差", "0", True)]


def seed_default_frameworks(Framework, Indicator, GradeBand, CaseNominationRule) -> None:  # noqa: N803
    """Create the published v1 framework of each level that has none yet, and the default
    nomination rule when there is none."""
    from django.utils import timezone

    now = timezone.now()
    for level, name, tree in DEFAULT_FRAMEWORKS:
        if Framework.objects.filter(level=level).exists():
            continue
        framework = Framework.objects.create(
            level=level,
            version=1,
            name=name,
            status="published",
            change_note="默认指标体系",
            published_at=now,
        )

        def create(nodes, parent, framework=framework):
            for position, (node_name, weight, definition, options, children) in enumerate(nodes, start=1):
                code = f"{parent.code}.{position}" if parent else str(position)
                indicator = Indicator.objects.create(
                    framework=framework,
                    parent=parent,
                    tier=parent.tier + 1 if parent else 1,
                    code=code,
                    name=node_name,
                    definition=definition,
                    weight=Decimal(weight),
                    method=options.get("method", "expert"),
                    max_points=Decimal("10"),
                    rule=options.get("rule", ""),
                    target=Decimal(options["target"]) if options.get("target") else None,
                    evidence_required=options.get("evidence", False),
                    is_red_line=options.get("red", False),
                    position=position,
                )
                create(children, indicator)

        create(tree, None)
        for band_name, minimum, lowest in DEFAULT_BANDS:
            GradeBand.objects.create(framework=framework, name=band_name, min_total=Decimal(minimum), is_lowest=lowest)
    if not CaseNominationRule.objects.exists():
        CaseNominationRule.objects.create()
