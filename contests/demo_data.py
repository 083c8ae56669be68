"""Demo contests: one in each stage, with challenges, entries, a consortium, judges and a conflict."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from contests.choices import ROUND_ORDER

JUDGES = [
    ("judge_chen", "陈国强", "宁波大学", "教授", ["智慧停车", "机器视觉", "交通"]),
    ("judge_lin", "林晓燕", "中国科学院宁波材料技术与工程研究所", "研究员", ["新材料", "储能"]),
    ("judge_wang", "王志明", "宁波工程学院", "教授", ["工业互联网", "智能制造"]),
    ("judge_zhao", "赵丽", "宁波市科技信息研究院", "高级工程师", ["智慧城管", "大数据"]),
    ("judge_sun", "孙建华", "宁波大学", "副教授", ["医疗健康", "人工智能"]),
    ("judge_qian", "钱伟", "宁波甬科技术转移中心有限公司", "高级经济师", ["商务评估", "科技成果转化"]),
]
# (name, the round in force now)
CONTESTS = [
    ("2025 年宁波市场景大赛", "results"),
    ("2026 年宁波市场景大赛（智慧城市专场）", "notice"),
    ("2026 年宁波市场景大赛（产业升级专场）", "review"),
    ("2026 年宁波市场景大赛（民生服务专场）", "roadshow"),
    ("2026 年宁波市场景大赛（新材料专场）", "eligibility"),
    ("2027 年宁波市场景大赛（第一批）", "registration"),
    ("2027 年宁波市场景大赛（第二批）", "challenges"),
]


def seed(stdout=None) -> None:
    from accounts.models import Organisation, RoleAssignment, User
    from contests.models import ROUND_FIELDS, Challenge, ConsortiumMember, Contest, ContestEntry, Criterion, JudgeProfile, JudgeRelationship, PanelMembership
    from contests.services import DEFAULT_RUBRIC
    from scenarios.models import Scenario

    if Contest.objects.exists():
        if stdout:
            stdout.write(f"场景大赛：已有 {Contest.objects.count()} 届。")
        return
    operator = User.objects.get(username="operator")
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    judges = []
    for username, name, affiliation, title, fields in JUDGES:
        judge, created = User.objects.get_or_create(username=username, defaults={"display_name": name, "email": f"{username}@demo.ningbo.example", "organisation": organisations.get(affiliation)})
        if created:
            judge.set_password("Demo@2026")
            judge.email_confirmed_at = timezone.now()
            judge.save()
        RoleAssignment.objects.get_or_create(user=judge, role="judge")
        JudgeProfile.objects.get_or_create(user=judge, defaults={"title": title, "fields": fields})
        judges.append(judge)
    judges.append(User.objects.get(username="judge"))
    scenarios = list(Scenario.objects.filter(status="in_contest").select_related("publisher").order_by("id"))
    companies = list(Organisation.objects.filter(kind="company", verification_status="verified").order_by("id")[:12])
    now = timezone.now()
    for number, (name, current) in enumerate(CONTESTS):
        index = ROUND_ORDER.index(current)
        rounds = {ROUND_FIELDS[round_name]: now + timedelta(days=10 * (position - index)) - timedelta(days=1) for position, round_name in enumerate(ROUND_ORDER)}
        contest = Contest.objects.create(name=name, year=int(name[:4]), award_budget=Decimal("5000000"), created_by=operator, **rounds)
        Criterion.objects.bulk_create([Criterion(contest=contest, dimension=d, name=n, max_points=p, position=i) for i, (d, n, p) in enumerate(DEFAULT_RUBRIC)])
        scenario = scenarios[number % len(scenarios)] if scenarios else None
        if scenario is None:
            continue
        challenge = Challenge.objects.create(
            contest=contest, scenario=scenario, title=scenario.title, requirements="方案须覆盖全部技术需求，并给出现场测试计划。",
            award_cap=Decimal("800000") if number % 2 == 0 else Decimal("1000000"), created_by=scenario.created_by,
        )
        challenge.drafters.add(scenario.created_by)
        if index < ROUND_ORDER.index("registration"):
            continue
        for position in range(3 if index >= ROUND_ORDER.index("eligibility") else 2):
            lead = companies[(number * 3 + position) % len(companies)]
            status = "eligible" if index >= ROUND_ORDER.index("roadshow") else ("submitted" if index == ROUND_ORDER.index("eligibility") else "draft")
            entry = ContestEntry.objects.create(
                challenge=challenge, lead=lead, created_by=operator, title=f"{lead.name[2:8]}{scenario.title[:10]}解决方案", summary="以成熟产品为基础，针对场景需求定制集成，三个月内完成现场测试。",
                status=status, submitted_at=now if status != "draft" else None, commitment_signed_at=now if status != "draft" else None,
                credit_check="passed" if index >= ROUND_ORDER.index("notice") else "pending",
            )
            if position == 0:  # a consortium with one confirmed member
                member = companies[(number * 3 + 5) % len(companies)]
                ConsortiumMember.objects.create(entry=entry, organisation=member, status="confirmed", responded_at=now)
        if index >= ROUND_ORDER.index("roadshow"):
            for position, judge in enumerate([judges[-1], *judges[:4]]):  # the demo judge login sits on every panel
                PanelMembership.objects.create(challenge=challenge, judge=judge, is_chair=position == 0, assigned_by=operator)
    # A declared relationship that the conflict rules pick up: a judge who collaborated with a company.
    if companies:
        JudgeRelationship.objects.get_or_create(judge=judges[3], organisation=companies[0], kind="collaboration", defaults={"ended_year": timezone.localdate().year - 1, "note": "联合申报市级科研项目"})
    if stdout:
        stdout.write(f"场景大赛：{Contest.objects.count()} 届（各阶段各一），榜单 {Challenge.objects.count()} 个，揭榜方案 {ContestEntry.objects.count()} 个，评审专家 {len(judges)} 位。")
