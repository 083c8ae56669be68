"""Realistic synthetic data at city scale, shared by the benchmarks.

Deterministic (seeded): the same call builds the same rows, so runs can be compared.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

PLACES = ["鼓楼", "东部新城", "南部商务区", "梅山", "镇海新城", "慈东", "宁海西店", "象山石浦", "余姚阳明", "奉化岳林", "杭州湾", "姜山"]
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
            "need_description": f"在{place}片区实施{subject}，需要{'、'.join(chosen)}等新技术，提升运行效率和服务水平。",
            "stage": rng.choice(["under_construction", "planned"]),
            "funding_level": rng.choice(["city", "district"]),
            "funding_share": rng.choice(["full", "partial"]),
            "funding_amount": Decimal(rng.randrange(30, 8000) * 10000),
            "track": rng.choice(["mature", "mature", "forward_looking"]),
            "is_flagship": rng.random() < 0.02,
            "start_date": start,
            "end_date": start + timedelta(days=rng.randrange(180, 900)),
        }
