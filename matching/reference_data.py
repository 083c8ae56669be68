"""The seeded affinities, by data migrations and in tests: domain ↔ 战新 area (DomainAreaAffinity) and
domain ↔ technology field (DomainFieldAffinity).

For each scenario domain (second-level code), the 战略性新兴产业 areas that usually supply it, most
usual first (area codes: 1 新一代信息技术, 2 高端装备制造, 3 新材料, 4 生物, 5 新能源汽车, 6 新能源,
7 节能环保, 8 数字创意, 9 相关服务业): they get LISTED_WEIGHTS in that order, every other area
OTHER_WEIGHT, so no pair is ruled out — a good supplier from an unusual area still scores on its
text. Operators change any of them on the affinities page; answers adjust them (engine/refit.py).
"""

USUAL_AREAS = {
    "industrial_parks": "1729",
    "commerce": "1897",
    "finance": "19",
    "agriculture": "1247",
    "transport": "1259",
    "power_water": "6712",
    "city_management": "1729",
    "municipal": "32179",
    "health": "4129",
    "education": "189",
    "elderly_care": "1429",
    "culture_media": "8197",
    "exhibition_tourism": "8192",
    "e_government": "19",
    "supply_chain": "1925",
}
LISTED_WEIGHTS = (1.0, 0.8, 0.6, 0.5, 0.4)
OTHER_WEIGHT = 0.2


def seed_affinities(domain_model, area_model, affinity_model) -> None:
    """Create the missing pairs (an operator's value is never overwritten)."""
    areas = {area.code: area for area in area_model.objects.all()}
    existing = set(affinity_model.objects.values_list("domain_id", "area_id"))
    rows = []
    for domain in domain_model.objects.filter(code__in=USUAL_AREAS):
        usual = USUAL_AREAS[domain.code]
        for code, area in areas.items():
            if (domain.pk, area.pk) in existing:
                continue
            position = usual.find(code) if len(code) == 1 else -1
            weight = LISTED_WEIGHTS[position] if 0 <= position < len(LISTED_WEIGHTS) else OTHER_WEIGHT
            rows.append(affinity_model(domain=domain, area=area, weight=weight))
    affinity_model.objects.bulk_create(rows)


# For each scenario domain, technology fields (as companies write them in their entries' 技术领域)
# that usually serve it; each gets FIELD_WEIGHT. A field not listed counts nothing here (it can still
# be named in the scenario's text). Written from the domains' usual projects, not from any labelled set.
USUAL_FIELDS = {
    "industrial_parks": "工业互联网 智能制造 数字孪生 能耗监测 安全生产 "
    "设备预测性维护 机器视觉 智慧园区 危化品监管 5G专网",
    "commerce": "大数据分析 精准营销 智慧零售 移动支付 客流分析 商品识别 电子商务 会员管理 直播电商 无人零售",
    "finance": "风险控制 区块链 征信 反欺诈 知识图谱 隐私计算 智能客服 身份认证 供应链金融 数据安全",
    "agriculture": "物联网 智慧农业 无人机 遥感监测 水肥一体化 病虫害识别 农产品溯源 冷链物流 环境监测 智能灌溉",
    "transport": "车路协同 车牌识别 视频分析 交通信号控制 北斗定位 毫米波雷达 激光雷达 边缘计算 气象监测 智能网联",
    "power_water": "电力监测 局部放电检测 漏损监测 智能电表 储能 光伏 无人机巡检 机器人巡检 水质监测 分布式能源",
    "city_management": "视频分析 机器视觉 城市大脑 物联网感知 数字孪生 "
    "地理信息系统 垃圾分类 噪声监测 消防预警 网格化管理",
    "municipal": "建筑信息模型 结构健康监测 地下管网探测 智慧工地 数字孪生 "
    "装配式建筑 地理信息系统 沉降监测 桥梁检测 防水材料",
    "health": "医学影像 辅助诊断 电子病历 远程医疗 可穿戴设备 健康管理 药品追溯 医疗大数据 自然语言处理 智能导诊",
    "education": "在线教育 虚拟现实 增强现实 智慧课堂 学情分析 自适应学习 知识图谱 语音识别 校园安全 教育大数据",
    "elderly_care": "跌倒检测 可穿戴设备 健康监测 智能家居 紧急呼叫 毫米波雷达 远程看护 康复辅具 陪护机器人 慢病管理",
    "culture_media": "虚拟现实 增强现实 数字人 内容审核 超高清视频 云渲染 文物数字化 全息投影 推荐算法 版权保护",
    "exhibition_tourism": "虚拟现实 客流分析 智慧景区 数字人 电子票务 室内定位 增强现实 人脸识别 全景直播 智能导览",
    "e_government": "政务大数据 电子签章 身份认证 区块链 数据共享交换 智能审批 智能客服 自然语言处理 数据安全 隐私计算",
    "supply_chain": "智能仓储 物流调度 冷链物流 射频识别 区块链 北斗定位 路径规划 自动分拣 供应链金融 无人搬运",
}
FIELD_WEIGHT = 0.8


def seed_field_affinities(domain_model, affinity_model) -> None:
    """Create the missing domain × field rows (an operator's value, or removal, of another is not touched)."""
    from matching.engine.text import field_key

    existing = set(affinity_model.objects.values_list("domain_id", "key"))
    rows = []
    for domain in domain_model.objects.filter(code__in=USUAL_FIELDS):
        for field in USUAL_FIELDS[domain.code].split():
            key = field_key(field)
            if (domain.pk, key) not in existing:
                existing.add((domain.pk, key))
                rows.append(affinity_model(domain=domain, field=field, key=key, weight=FIELD_WEIGHT))
    affinity_model.objects.bulk_create(rows)
