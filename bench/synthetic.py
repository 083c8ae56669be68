"""Realistic synthetic data at city scale, shared by the benchmarks.

Deterministic (seeded): the same call builds the same rows, so runs can be compared.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

PLACES = [
    "鼓楼",
    "东部新城",
    "南部商务区",
    "梅山",
    "镇海新城",
    "慈东",
    "宁海西店",
    "象山石浦",
    "余姚阳明",
    "奉化岳林",
    "杭州湾",
    "姜山",
]
SUBJECTS = [
    ("智慧停车", ["车位检测", "车牌识别", "无感支付", "停车诱导"]),
    ("轨道交通安检", ["毫米波成像", "违禁品识别", "客流分析"]),
    ("再生水厂", ["水质在线监测", "智能加药", "数字孪生"]),
    ("智慧养老", ["跌倒检测", "健康监测手环", "远程问诊"]),
    ("电子政务", ["电子签章", "身份认证", "数据共享交换"]),
    ("港口物流", ["无人集卡", "5G专网", "智能理货"]),
    ("燃气安全", ["管网泄漏监测", "压力传感", "风险预警模型"]),
    ("桥梁健康监测", ["结构应力传感", "振动分析", "裂缝识别"]),
    ("智慧校园", ["AI 体能测评", "校园安防", "在线学习平台"]),
    ("医疗影像", ["AI 影像诊断", "影像云存储", "远程会诊"]),
    ("零碳园区", ["光伏储能", "能耗监测", "碳排放核算"]),
    ("智慧农业", ["病虫害识别", "水肥一体化", "农业无人机"]),
    ("新零售商圈", ["刷脸支付", "客流热力分析", "直播电商"]),
    ("城市安全", ["路面塌陷监测", "视频结构化", "应急指挥"]),
    ("文旅数字化", ["虚拟现实导览", "票务大数据", "超高清直播"]),
]
KINDS = ["系统", "平台", "改造工程", "示范项目", "建设项目", "试点"]


def scenario_rows(count: int, seed: int = 20261128):
    """Yield dicts with title, needs and the catalogue fields, varied like the real catalogue."""
    rng = random.Random(seed)
    for number in range(count):
        subject, needs = SUBJECTS[rng.randrange(len(SUBJECTS))]
        place = PLACES[rng.randrange(len(PLACES))]
        chosen = rng.sample(needs, k=rng.randint(1, len(needs)))
        start = date(2025, 1, 1) + timedelta(days=rng.randrange(700))
        yield {
            "title": f"{place}{subject}{KINDS[rng.randrange(len(KINDS))]}（{number:05d}）",
            "needs": chosen,
            "need_description": (
                f"在{place}片区实施{subject}，需要{'、'.join(chosen)}等新技术，提升运行效率和服务水平。"
            ),
            "stage": rng.choice(["under_construction", "planned"]),
            "funding_level": rng.choice(["city", "district"]),
            "funding_share": rng.choice(["full", "partial"]),
            "funding_amount": Decimal(rng.randrange(30, 8000) * 10000),
            "track": rng.choice(["mature", "mature", "forward_looking"]),
            "is_flagship": rng.random() < 0.02,
            "start_date": start,
            "end_date": start + timedelta(days=rng.randrange(180, 900)),
        }


PRODUCTS = [
    ("车位检测终端", "39", "新一代信息技术产业", "机器视觉、边缘计算"),
    ("人体安检仪", "40", "高端装备制造产业", "毫米波成像、AI 识别"),
    ("电子印章管理系统", "65", "新一代信息技术产业", "电子签章、国密算法"),
    ("水质在线监测仪", "40", "节能环保产业", "在线监测、物联网"),
    ("跌倒检测雷达", "39", "新一代信息技术产业", "毫米波雷达、养老"),
    ("储能变流器", "38", "新能源产业", "储能、电力电子"),
    ("高性能改性塑料", "29", "新材料产业", "改性材料、轻量化"),
    ("工业互联网平台", "65", "新一代信息技术产业", "工业互联网、数字孪生"),
    ("医学影像辅助诊断软件", "65", "生物产业", "AI 影像、深度学习"),
    ("新能源汽车电驱系统", "36", "新能源汽车产业", "电驱动、热管理"),
]
DISTRICT_NAMES = [
    "海曙区",
    "江北区",
    "镇海区",
    "北仑区",
    "鄞州区",
    "奉化区",
    "余姚市",
    "慈溪市",
    "宁海县",
    "象山县",
    "前湾新区",
    "高新区",
]


def entry_rows(count: int, companies: int = 5000, seed: int = 20261128):
    """Rows in the import template's column order, every one valid, spread over `companies` companies."""
    from accounts.validators import CREDIT_CODE_ALPHABET, credit_code_check_character

    rng = random.Random(seed)
    codes = []
    for number in range(companies):
        body, value = "", number + 10_000
        for _ in range(9):
            value, digit = divmod(value, 31)
            body = CREDIT_CODE_ALPHABET[digit] + body
        first = "91330212" + body
        codes.append(first + credit_code_check_character(first))
    for number in range(count):
        company = number % companies
        name, industry, area, fields = PRODUCTS[rng.randrange(len(PRODUCTS))]
        credential = ["首台套", f"B-{number:06d}", "市级", 2020 + number % 5] if number % 10 == 0 else ["", "", "", ""]
        yield [
            f"宁波基准企业{company:05d}有限公司",
            codes[company],
            DISTRICT_NAMES[company % len(DISTRICT_NAMES)],
            f"{name}（型号 {number:06d}）",
            "产品",
            f"{name}，适用于城市治理与产业场景，第 {number} 号型号。",
            "已在宁波多个项目应用",
            fields,
            industry,
            area,
            "规模化应用",
            "10–50 万元",
            "是",
            "否",
            *credential,
        ]
