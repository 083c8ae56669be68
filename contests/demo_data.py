"""Demo contests: one in each stage, with challenges, entries, a consortium, judges and a conflict."""

import hashlib
import random
from datetime import date, timedelta
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
            panel = [judges[-1], *judges[:4]]
            for position, judge in enumerate(panel):  # the demo judge login sits on every panel
                PanelMembership.objects.create(challenge=challenge, judge=judge, is_chair=position == 0, assigned_by=operator)
            _seed_scoring(challenge, panel, operator, current)
    # A declared relationship that the conflict rules pick up: a judge who collaborated with a company.
    if companies:
        JudgeRelationship.objects.get_or_create(judge=judges[3], organisation=companies[0], kind="collaboration", defaults={"ended_year": timezone.localdate().year - 1, "note": "联合申报市级科研项目"})
    if stdout:
        stdout.write(f"场景大赛：{Contest.objects.count()} 届（各阶段各一），榜单 {Challenge.objects.count()} 个，揭榜方案 {ContestEntry.objects.count()} 个，评审专家 {len(judges)} 位。")


def _seed_scoring(challenge, panel, operator, current) -> None:
    """Roadshow onwards: running order, signed commitments and score sheets. In 路演评审 the other
    judges have scored the first entry and the demo judge (the chair) has scored nothing yet; from
    复议 on every sheet is in and ranked. After 公示: an answered objection; at 结果发布: the
    winner's award, joint-development task book, a progress report and two policy benefits."""
    from contests.agreements import agreement_save, benefit_record, progress_report_add
    from contests.awards import award_decide
    from contests.models import Award, Objection, RecusalCommitment, RoadshowSlot, Score, ScoreSheet
    from contests.scoring import expected_judges, ranking_recompute, sheet_content_sha256
    from contests.services import RECUSAL_COMMITMENT

    now = timezone.now()
    entries = list(challenge.entries.filter(status="eligible").order_by("pk"))
    start = challenge.contest.roadshow_open_at + timedelta(hours=10)
    for position, entry in enumerate(entries, start=1):
        RoadshowSlot.objects.create(entry=entry, position=position, starts_at=start + timedelta(minutes=20 * (position - 1)), room="宁波国际会议中心 2 号厅")
    for judge in panel:
        signed = current != "roadshow" or judge.username != "judge"  # the demo judge signs for the live contest
        if signed:
            RecusalCommitment.objects.get_or_create(judge=judge, contest=challenge.contest, defaults={"text_sha256": hashlib.sha256(f"{RECUSAL_COMMITMENT}|{judge.pk}".encode()).hexdigest()})
    criteria = list(challenge.contest.criteria.all())
    expected = expected_judges(challenge, entries)
    lots = random.Random(challenge.pk)
    for number, entry in enumerate(entries):
        if current == "roadshow" and number > 0:
            break
        quality = Decimal(str(lots.choice([0.72, 0.8, 0.86, 0.9])))
        for judge in panel:
            if judge.pk not in expected[entry.pk] or (current == "roadshow" and judge.username == "judge"):
                continue
            sheet = ScoreSheet.objects.create(entry=entry, judge=judge, status="submitted", submitted_at=now, content_sha256="0" * 64)
            scores = []
            # In 复议 one judge marked the second entry far below the others: it is flagged for re-review.
            harsh = Decimal("0.3") if current == "review" and number == 1 and judge.pk == expected[entry.pk][-1] else Decimal(0)
            for criterion in criteria:
                share = min(Decimal(1), quality - harsh + Decimal(lots.randint(-8, 8)) / 100)
                points = (Decimal(criterion.max_points) * share * 2).quantize(Decimal(1)) / 2
                scores.append(Score(sheet=sheet, criterion=criterion, points=points, comment=""))
            Score.objects.bulk_create(scores)
            sheet.content_sha256 = sheet_content_sha256(sheet, scores, sheet.submitted_at)
            sheet.save(update_fields=["content_sha256"])
    snapshot = ranking_recompute(challenge, trigger="demo")
    if ROUND_ORDER.index(current) >= ROUND_ORDER.index("notice") and entries:
        citizen = entries[-1].created_by
        Objection.objects.create(
            challenge=challenge, entry=entries[0], raised_by=citizen, text="第一名方案的现场测试数据是否经第三方检测？请予以说明。",
            status="answered" if current == "results" else "open",
            answer="已核查：现场测试数据由宁波市计量测试研究院出具检测报告，排名维持不变。" if current == "results" else "",
            answered_by=operator if current == "results" else None, answered_at=now if current == "results" else None,
        )
    if current == "results" and snapshot.results["entries"] and not Award.objects.filter(challenge=challenge).exists():
        winner = next(entry for entry in entries if entry.pk == snapshot.results["entries"][0]["entry"])
        award = award_decide(actor=operator, entry=winner, amount=challenge.award_cap, note="第一名")
        year = challenge.contest.year + 1
        agreement = agreement_save(
            actor=operator, entry=award.entry, mode="joint", title=f"{challenge.title}联合攻关任务书", objectives="完成场景方案设计、现场测试与验证评价，关键指标达到揭榜要求。",
            contract_amount="1500000", starts_on=date(year, 1, 1), ends_on=date(year, 12, 31), signed_on=date(year - 1, 12, 20),
            milestones={"design": date(year, 3, 31), "onsite_test": date(year, 8, 31), "verification": date(year, 12, 15)},
        )
        progress_report_add(actor=operator, agreement=agreement, text="方案设计已通过发榜方评审，现场测试设备已进场。", milestone=agreement.milestones.get(kind="design"))
        benefit_record(actor=operator, entry=award.entry, kind="catalogue", year=year, reference="甬科高〔2026〕12 号")
        benefit_record(actor=operator, entry=award.entry, kind="insurance", year=year, insured_kind="first_set", premium="200000", subsidy_percent="80")
