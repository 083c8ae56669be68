"""Demo scenarios across every domain, district and state, with zones and lab instruments."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from scenarios.choices import ScenarioStatus as S
from scenarios.choices import Track, ZoneKind

ZONES = [
    ("宁波国家高新区应用场景示范区", ZoneKind.NATIONAL_HIGH_TECH, "gaoxin", "工业互联网、人工智能"),
    ("前湾新区智能网联汽车示范区", ZoneKind.PROVINCIAL_HIGH_TECH, "qianwan", "智能网联汽车、车路协同"),
    ("甬江科创区孵化器场景试验区", ZoneKind.INCUBATOR, "zhenhai", "新材料、双碳科技"),
    ("北仑临港产业基地零碳园区", ZoneKind.INDUSTRIAL_BASE, "beilun", "零碳园区、智慧物流"),
]

INSTRUMENTS = [
    ("场发射扫描电子显微镜", "SU8230", "中国科学院宁波材料技术与工程研究所", "材料表征", "微观形貌观察与成分分析"),
    ("X 射线光电子能谱仪", "AXIS SUPRA", "中国科学院宁波材料技术与工程研究所", "材料表征", "表面元素及化学态分析"),
    ("电磁兼容测试系统", "ESR26", "宁波大学", "电子测试", "智能终端与车载设备电磁兼容预测试"),
    ("智能网联汽车硬件在环测试平台", "HIL-V2X", "宁波工程学院", "汽车测试", "车路协同算法与控制器在环验证"),
]

# The state each demo scenario is left in, cycling through the list: mostly published, and every
# other state present, so each page and queue has something to show.
STATE_CYCLE = [
    S.PUBLISHED, S.PUBLISHED, S.PUBLISHED, S.IN_CONTEST, S.PUBLISHED, S.MATCHED, S.PUBLISHED, S.SUBMITTED,
    S.PUBLISHED, S.IN_IMPLEMENTATION, S.PUBLISHED, S.APPROVED, S.PUBLISHED, S.DEMONSTRATED, S.DRAFT, S.PUBLISHED,
    S.REJECTED, S.PUBLISHED, S.CLOSED, S.WITHDRAWN, S.PUBLISHED, S.IN_CONTEST,
]
# The workflow path to each state (actions in order), so every demo scenario has a true timeline.
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: ["submit"],
    S.APPROVED: ["submit", "approve"],
    S.PUBLISHED: ["submit", "approve", "publish"],
    S.IN_CONTEST: ["submit", "approve", "publish", "enter_contest"],
    S.MATCHED: ["submit", "approve", "publish", "mark_matched"],
    S.IN_IMPLEMENTATION: ["submit", "approve", "publish", "mark_matched", "start_implementation"],
    S.DEMONSTRATED: ["submit", "approve", "publish", "mark_matched", "start_implementation", "mark_demonstrated"],
    S.CLOSED: ["submit", "approve", "publish", "mark_matched", "start_implementation", "mark_demonstrated", "close"],
    S.REJECTED: ["submit", "reject"],
    S.WITHDRAWN: ["submit", "withdraw"],
}
REASONS = {"reject": "需求描述不够具体，请补充技术指标。", "withdraw": "项目建设计划调整。", "close": "示范任务完成。"}


def seed(stdout=None) -> None:
    from accounts.models import District, Organisation, User
    from scenarios.demo_scenarios import SCENARIOS
    from scenarios.models import DemonstrationZone, Domain, LabInstrument, NeedItem, Scenario, ScenarioStatusChange
    from scenarios.reference_data import seed_domains
    from scenarios.services import _refresh_search_text
    from scenarios.workflow import TRANSITIONS, target_of

    seed_domains(Domain)
    districts = {district.code: district for district in District.objects.all()}
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    domains = {domain.code: domain for domain in Domain.objects.all()}
    zones = []
    for name, kind, district, focus in ZONES:
        zone, _created = DemonstrationZone.objects.get_or_create(name=name, defaults={"kind": kind, "district": districts[district], "focus": focus})
        zones.append(zone)
    for name, model_number, institute, category, capabilities in INSTRUMENTS:
        LabInstrument.objects.get_or_create(
            name=name, institute=organisations[institute], defaults={"model_number": model_number, "category": category, "capabilities": capabilities}
        )

    operator = User.objects.get(username="operator")
    demo_publisher = User.objects.get(username="publisher")
    today = timezone.localdate()
    created = 0
    for index, data in enumerate(SCENARIOS):
        publisher = organisations[data["publisher"]]
        if Scenario.objects.filter(publisher=publisher, title=data["title"]).exists():
            continue
        author = demo_publisher if publisher.pk == demo_publisher.organisation_id else operator
        start = today + timedelta(days=30 * (index % 9) - 120)
        forward = data["track"] == Track.FORWARD_LOOKING
        scenario = Scenario(
            title=data["title"],
            summary=data["summary"],
            publisher=publisher,
            created_by=author,
            domain=domains[data["domain"]],
            need_description=data["need_description"],
            track=data["track"],
            stage=data["stage"],
            funding_level=data["funding_level"],
            funding_share=data["funding_share"],
            funding_amount=Decimal(data["funding_amount"]),
            district=districts[data["district"]],
            location=data["location"],
            start_date=start,
            end_date=start + timedelta(days=365 + 30 * (index % 12)),
            tolerance_start=start if forward else None,
            tolerance_end=start + timedelta(days=540) if forward else None,
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            is_flagship=data["is_flagship"],
            zone=zones[index % len(zones)] if index % 3 == 0 else None,
        )
        needs = [{"name": name, "detail": detail} for name, detail in data["needs"]]
        _refresh_search_text(scenario, needs)
        scenario.save()
        NeedItem.objects.bulk_create([NeedItem(scenario=scenario, sort_order=order, **need) for order, need in enumerate(needs)])
        moment = timezone.now() - timedelta(days=len(SCENARIOS) - index + 10)
        for action in PATHS[STATE_CYCLE[index % len(STATE_CYCLE)]]:
            transition = TRANSITIONS[action]
            source, target = scenario.status, target_of(action, scenario.track)
            if source == target:  # a mature scenario is published by its approval
                continue
            moment += timedelta(hours=20)
            actor = author if "publisher" in transition.actors and "operator" not in transition.actors else operator
            change = ScenarioStatusChange.objects.create(
                scenario=scenario, action=action, from_status=source, to_status=target, actor=actor, reason=REASONS.get(action, "")
            )
            ScenarioStatusChange.objects.filter(pk=change.pk).update(created_at=moment)
            scenario.status = target
            scenario.status_reason = REASONS.get(action, "")
            if action == "submit":
                scenario.submitted_at = moment
            if target == S.PUBLISHED:
                scenario.published_at = moment
        scenario.save()
        created += 1
    if stdout:
        stdout.write(f"应用场景：新增 {created} 个，共 {Scenario.objects.count()} 个；示范区 {len(ZONES)} 个，科研仪器 {len(INSTRUMENTS)} 台。")
