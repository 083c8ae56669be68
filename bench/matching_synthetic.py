"""City-scale synthetic scenarios and capability entries for the matching benchmark.

Deterministic (seeded). Texts are assembled from fifteen domains' technology terms, product
nouns, brand syllables, Ningbo places and phrase banks with numbers, so the vocabulary is large
and no two documents are the same — closer to real filings than a handful of templates.
"""

import random

DOMAINS = {
    "transport": ["车位检测", "车牌识别", "停车诱导", "无感支付", "信号配时", "车路协同", "公交优先", "客流统计", "违停抓拍", "交通流量预测", "高精度定位", "隧道巡检", "路面病害检测", "智慧路灯", "电子围栏"],
    "power_water": ["智能电表", "配电自动化", "变电站巡检", "光伏", "储能", "虚拟电厂", "漏损检测", "水质监测", "智能水表", "二次供水", "管网监测", "污水处理", "智能加药", "负荷预测", "无人机巡检"],
    "city_management": ["垃圾分类", "井盖监测", "渣土车监管", "网格化管理", "视频分析", "城市大脑", "消防物联网", "电梯监测", "违建识别", "噪声监测", "扬尘监测", "应急指挥", "一网统管", "共享单车治理", "户外广告监测"],
    "municipal": ["结构健康监测", "桥梁检测", "数字孪生", "BIM 协同", "防腐涂层", "海绵城市", "管廊巡检", "装配式建筑", "智能工地", "塔吊监控", "基坑监测", "路灯节能", "沥青再生", "高性能混凝土", "建筑垃圾资源化"],
    "health": ["远程会诊", "医学影像", "辅助诊断", "电子病历", "病理分析", "慢病管理", "智慧药房", "院内导航", "手术机器人", "消毒机器人", "智能输液", "体检数据分析", "DRG 分析", "互联网医院", "冷链药品追溯"],
    "elderly_care": ["跌倒检测", "居家养老", "健康监测", "紧急呼叫", "康复机器人", "护理机器人", "睡眠监测", "认知训练", "适老化改造", "助餐服务", "离床监测", "慢病随访", "智能手环", "语音陪伴", "防走失定位"],
    "education": ["智慧课堂", "在线教育", "AI 体能测评", "作业批改", "学情分析", "校园安防", "虚拟实验", "职业培训", "录播系统", "电子班牌", "VR 实训", "英语口语测评", "图书馆机器人", "食堂监管", "心理测评"],
    "culture_media": ["数字人", "超高清直播", "虚拟现实", "增强现实", "文物数字化", "智能剪辑", "数字藏品", "全息投影", "融媒体平台", "版权保护", "AI 配音", "沉浸式展陈", "光影秀", "非遗数字化", "智能播控"],
    "exhibition_tourism": ["智能导览", "票务系统", "客流预警", "景区安防", "数字孪生景区", "无人售货", "会展签到", "人脸识别", "智慧酒店", "文旅大数据", "无人观光车", "语音导览", "电子围栏", "AR 导航", "预约分时"],
    "e_government": ["电子签章", "一网通办", "公文处理", "OCR", "智能客服", "数据共享", "身份认证", "区块链存证", "政务大数据", "智能审批", "语音识别", "信创适配", "隐私计算", "12345 热线分析", "知识图谱"],
    "supply_chain": ["冷链监控", "仓储管理系统", "运输管理系统", "AGV", "集装箱识别", "智能理货", "无人配送", "溯源", "供应链金融", "多式联运", "电子运单", "车辆调度", "无人叉车", "分拣机器人", "危化品运输监管"],
    "industrial_parks": ["能耗监测", "碳排放核算", "智慧园区", "工业互联网", "预测性维护", "机器视觉", "缺陷检测", "安全生产", "危化品监测", "5G专网", "设备健康管理", "余热回收", "微电网", "数字工厂", "智能仓储"],
    "commerce": ["客流分析", "直播电商", "无人零售", "会员营销", "智能收银", "刷脸支付", "商圈大数据", "电子价签", "智能货架", "跨境电商", "即时配送", "夜间经济监测", "消费券发放", "防伪溯源", "数字人民币"],
    "finance": ["反欺诈", "信用评估", "智能投顾", "区块链", "风控模型", "票据识别", "供应链金融", "普惠金融", "保险理赔", "反洗钱", "智能催收", "数字人民币", "金融知识图谱", "电子合同", "远程视频银行"],
    "agriculture": ["精准施肥", "病虫害识别", "农业无人机", "水肥一体化", "土壤墒情", "温室大棚", "水产养殖", "畜禽养殖", "农产品溯源", "冷库监控", "智能灌溉", "气象监测", "采摘机器人", "农机调度", "种苗繁育"],
}
AREAS = {"transport": "1", "power_water": "6", "city_management": "1", "municipal": "3", "health": "4", "elderly_care": "1", "education": "1", "culture_media": "8",
         "exhibition_tourism": "8", "e_government": "1", "supply_chain": "9", "industrial_parks": "2", "commerce": "1", "finance": "9", "agriculture": "4"}
PLACES = ["鼓楼", "东部新城", "南部商务区", "梅山", "镇海新城", "慈东", "西店", "石浦", "阳明", "岳林", "杭州湾", "姜山", "北仑港区", "庄桥", "集士港", "高桥", "宁海跃龙", "象山丹东", "余姚梨洲", "慈溪浒山", "前湾", "江北慈城", "三江口", "甬江北岸", "东钱湖", "奉化溪口", "鄞江", "洞桥", "九龙湖", "春晓"]
SCENARIO_KINDS = ["建设项目", "改造工程", "示范项目", "试点", "提升工程", "二期工程", "数字化改造", "智慧化升级"]
PRODUCT_NOUNS = ["系统", "平台", "终端", "一体机", "传感器", "模组", "软件", "云服务", "解决方案", "机器人", "网关", "边缘盒子", "管理平台", "分析引擎", "采集设备"]
BRANDS = ["甬", "海", "智", "天", "明", "睿", "星", "云", "合", "信", "博", "远", "通", "安", "华", "创", "新", "力", "达", "鑫"]
OPENINGS = ["针对{place}片区{subject}中{need}的痛点，", "{place}现有设施老旧，{need}依靠人工，", "为落实市级数字化改革要求，{place}拟开展{subject}，", "结合{place}{subject}的实际运营数据，"]
MIDDLES = ["需要引入{needs}等新技术，", "计划采购{needs}相关产品并完成系统集成，", "拟通过{needs}实现全流程闭环管理，", "希望以{needs}提升处置效率，"]
CLOSINGS = ["要求上线后响应时间不超过{ms}毫秒，准确率不低于{pct}%。", "项目周期{months}个月，需支持与现有平台对接。", "覆盖{count}个点位，须提供三年运维。", "验收指标包括可用性{pct}%、并发{count}路。"]
FEATURES = ["识别准确率达{pct}%", "响应时间小于{ms}毫秒", "支持{count}路并发接入", "续航{months}个月", "已在{count}个项目落地", "符合等保三级要求", "支持国产化芯片与操作系统", "提供开放 API 接口", "部署周期{months}周", "支持私有化部署"]
CASES = ["已应用于{place}{subject}项目", "服务宁波及周边{count}家单位", "入选省级典型案例", "在{place}完成示范应用", ""]


def _fill(template: str, rng: random.Random, **values) -> str:
    return template.format(
        place=values.get("place") or rng.choice(PLACES), subject=values.get("subject", ""), need=values.get("need", ""), needs=values.get("needs", ""),
        ms=rng.choice([50, 100, 200, 300, 500]), pct=rng.choice([95, 97, 98, 99, 99.5]), months=rng.randint(2, 36), count=rng.randint(3, 5000),
    )


def scenario_rows(count: int, seed: int = 5):
    """Dicts with title, domain code, needs, description and the fields the matching reads."""
    rng = random.Random(seed)
    domains = list(DOMAINS)
    for number in range(count):
        domain = domains[number % len(domains)]
        terms = DOMAINS[domain]
        needs = rng.sample(terms, k=rng.randint(2, 5))
        place = rng.choice(PLACES)
        subject = rng.choice(terms) + rng.choice(["管理", "服务", "监测", "应用", "治理"])
        description = "".join(
            [_fill(rng.choice(OPENINGS), rng, place=place, subject=subject, need=needs[0]), _fill(rng.choice(MIDDLES), rng, needs="、".join(needs)), _fill(rng.choice(CLOSINGS), rng)]
        )
        yield {
            "title": f"{place}{subject}{rng.choice(SCENARIO_KINDS)}（{number:05d}）", "domain": domain, "needs": needs, "need_description": description,
            "stage": rng.choice(["under_construction", "planned"]), "funding_amount": rng.randrange(20, 5000) * 10000,
            "required_credential": rng.choice(["first_set", "first_batch", "first_version"]) if rng.random() < 0.05 else "",
            "local_only": rng.random() < 0.03,
        }


def entry_rows(count: int, seed: int = 7):
    """Dicts with name, description, fields and the attributes the matching reads."""
    rng = random.Random(seed)
    domains = list(DOMAINS)
    for number in range(count):
        domain = rng.choice(domains)
        terms = rng.sample(DOMAINS[domain], k=rng.randint(1, 3))
        brand = rng.choice(BRANDS) + rng.choice(BRANDS)
        name = f"{brand}{terms[0]}{rng.choice(PRODUCT_NOUNS)} V{number % 9 + 1}.{number % 7}"
        features = "，".join(_fill(feature, rng) for feature in rng.sample(FEATURES, k=3))
        description = f"{brand}面向{rng.choice(PLACES)}等地的{'、'.join(terms)}需求，提供{name}，{features}。"
        yield {
            "name": name[:100], "description": description, "application_cases": _fill(rng.choice(CASES), rng, subject=terms[0]), "fields": terms,
            "area": AREAS[domain], "maturity": rng.choice(["prototype", "pilot", "demonstrated", "mass", "mass"]),
            "price_band": rng.choice(["lt_10w", "10w_50w", "50w_200w", "200w_1000w", "gt_1000w"]),
            "credential": rng.choice(["first_set", "first_batch", "first_version"]) if rng.random() < 0.1 else "",
        }
