"""Demo capability list: companies with their entries (300+), 三首 credentials, an edition,
enquiries in every state, and two matchmaking events."""

from datetime import timedelta

from django.utils import timezone

# Model variants make the list realistic in size: several companies offer comparable products.
VARIANT_SUFFIXES = ["", "（第二代）", "（轻量版）"]
ENQUIRIES = [
    ("接口标准", "设备与现有停车平台对接采用什么接口标准？", "answered", 5),
    ("试点周期", "试点期多长？期间运维费用由谁承担？", "answered", 4),
    ("资质要求", "是否要求具备首台套认定？", "answered", 3),
    ("现场踏勘", "能否安排一次现场踏勘？", "open", None),
    ("数据安全", "采集的视频数据存储在哪里，是否需等保三级？", "open_overdue", None),
    ("预算范围", "本项目设备部分的预算上限是多少？", "answered", None),
]


def seed(stdout=None) -> None:
    from accounts.demo_data import demo_credit_code
    from accounts.models import District, Organisation, User
    from capability_list.demo_entries import COMPANIES, ENTRIES
    from capability_list.models import AgendaItem, CapabilityEntry, Credential, Enquiry, Industry, MatchmakingEvent, StrategicArea
    from capability_list.reference_data import seed_industries, seed_strategic_areas
    from capability_list.services import _refresh_search_text
    from capability_list.working_days import add_working_days
    from scenarios.models import Scenario

    seed_industries(Industry)
    seed_strategic_areas(StrategicArea)
    districts = {district.code: district for district in District.objects.all()}
    industries = {industry.code: industry for industry in Industry.objects.all()}
    areas = {area.code: area for area in StrategicArea.objects.all()}
    now = timezone.now()
    companies = []
    for name, district, flags in COMPANIES:
        company, _created = Organisation.objects.get_or_create(
            credit_code=demo_credit_code(name, district, "company"),
            defaults={"name": name, "kind": "company", "district": districts[district], "verification_status": "verified", "verified_at": now, **{flag: True for flag in flags}},
        )
        companies.append(company)
    demo_company = User.objects.get(username="company").organisation
    association = User.objects.get(username="association")
    operator = User.objects.get(username="operator")
    company_login = User.objects.get(username="company")
    created = 0
    statuses = ["listed"] * 8 + ["submitted", "draft", "returned"]
    number = 0
    for variant, suffix in enumerate(VARIANT_SUFFIXES):
        for index, data in enumerate(ENTRIES):
            company = companies[(data["company"] + variant * 7) % len(companies)] if variant else companies[data["company"]]
            if variant == 0 and index % 25 == 0:
                company = demo_company  # the demo company login has entries of its own
            name = data["name"] + suffix
            number += 1
            if CapabilityEntry.objects.filter(company=company, name=name).exists():
                continue
            status = statuses[number % len(statuses)]
            entry = CapabilityEntry(
                # The demo company files its own entries; the association files for the others.
                company=company, submitted_by=company_login if company == demo_company else association,
                submitted_via=association.organisation if company != demo_company else None, name=name, kind=data["kind"], description=data["description"],
                application_cases=data["application_cases"], technology_fields=data["technology_fields"], industry=industries[data["industry"]],
                strategic_area=areas[data["strategic_area"]], maturity=data["maturity"], price_band=data["price_band"],
                is_strategic_emerging=data["is_strategic_emerging"], is_independent_innovation=data["is_independent_innovation"], status=status,
                review_note="请补充应用案例及检测报告。" if status == "returned" else "", listed_at=now - timedelta(days=number % 200) if status == "listed" else None,
                reviewed_by=operator if status in ("listed", "returned") else None,
            )
            _refresh_search_text(entry)
            entry.save()
            if data["credential"] and variant == 0:
                kind, level, year = data["credential"]
                Credential.objects.get_or_create(kind=kind, certificate_number=f"{kind[:2].upper()}-{year}-{index:04d}", defaults={"entry": entry, "level": level, "year": year})
            created += 1

    scenarios = list(Scenario.objects.filter(status="published").select_related("publisher")[:12])
    asker = company_login
    if scenarios and not Enquiry.objects.exists():
        today = timezone.localdate()
        for position, (subject, question, state, rating) in enumerate(ENQUIRIES):
            scenario = scenarios[position % len(scenarios)]
            asked = today - timedelta(days=14 if state == "open_overdue" else 2 + position)
            answered = not state.startswith("open")
            status = "open" if not answered else "closed" if rating else "answered"  # a rated answer closes the enquiry
            enquiry = Enquiry.objects.create(
                company=asker.organisation, asked_by=asker, scenario=scenario, addressee=scenario.publisher, subject=subject, question=question,
                due_date=add_working_days(asked, 5), status=status, answer="可以，请与联系人约定时间。" if answered else "",
                answered_by=User.objects.filter(organisation=scenario.publisher).first() if answered else None,
                answered_at=now - timedelta(days=1) if answered else None, rating=rating,
            )
            Enquiry.objects.filter(pk=enquiry.pk).update(created_at=now - (today - asked))
    listed = list(CapabilityEntry.objects.filter(status="listed").order_by("id")[:8])
    if scenarios and listed and not MatchmakingEvent.objects.exists():
        host = operator.organisation
        for offset, (title, kind) in enumerate([("智慧城管新技术对接会", "matchmaking"), ("轨道交通新产品论证会", "argumentation")]):
            event = MatchmakingEvent.objects.create(title=title, kind=kind, starts_at=now + timedelta(days=10 + 7 * offset), venue="宁波市科技大厦 3 楼报告厅", host=host, created_by=operator)
            for position in range(3):
                AgendaItem.objects.create(
                    event=event, scenario=scenarios[(offset * 3 + position) % len(scenarios)], entry=listed[(offset * 3 + position) % len(listed)], position=position + 1,
                    outcome=["intent", "follow_up", "pending"][position] if offset == 0 else "pending",
                    publisher_attended=True if offset == 0 else None, company_attended=True if offset == 0 else None,
                )
    if stdout:
        stdout.write(f"能力清单：新增 {created} 条，共 {CapabilityEntry.objects.count()} 条；咨询 {Enquiry.objects.count()} 条；对接活动 {MatchmakingEvent.objects.count()} 场。")


def after_seed(stdout=None) -> None:
    """Build the matches once every demo scenario and entry is in (skipped when some exist)."""
    from capability_list.matching.engine import rebuild
    from capability_list.models import MatchingModel

    if MatchingModel.objects.filter(state="active").exists():
        return
    model = rebuild()
    if stdout:
        stdout.write(f"匹配：{model.scenarios} 个场景 × {model.entries} 个条目，{model.pairs} 对推荐。")
