"""A small, hand-countable portal for the 驾驶舱 tests (built directly: test setup only).

Two districts (鄞州区, 海曙区), scenarios published in 2025 and 2026, one 2026 contest with
challenges, entries, a scored entry, awards and an agreement, listed capability entries with 三首
credentials, enquiries answered on time and late, recommended matches on an agenda, a closed
evaluation round with published grades, an overdue finding and a tolerance period ending soon.
The expected figures are written beside each test, counted by hand from this file."""

import datetime
from decimal import Decimal

from django.utils import timezone

from capability_list.models import (
    AgendaItem,
    Credential,
    Enquiry,
    MatchmakingEvent,
)
from contests.models import Award, Challenge, Contest, ContestEntry, CooperationAgreement, ScoreSheet
from evaluation.models import Finding, SubjectResult, TolerancePeriod
from matching.models import Match, MatchingModel
from scenarios.models import Domain
from tests.factories import evaluation as evaluation_factories
from tests.factories.accounts import OrganisationFactory, UserFactory, government, operator_user
from tests.factories.capability_list import EntryFactory
from tests.factories.scenarios import ScenarioFactory, district

TZ = timezone.get_current_timezone()


def at(year, month=6, day=15, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=TZ)


def official_user(**kwargs):
    return UserFactory(
        organisation=government(name="宁波市人民政府国有资产监督管理委员会"), roles=["official"], **kwargs
    )


def scenario(*, title, district_code="yinzhou", year=2026, status="published", stage="under_construction", domain=None):
    item = ScenarioFactory(
        title=title,
        district=district(district_code),
        status=status,
        stage=stage,
        domain=domain or Domain.objects.get(code="transport"),
    )
    if status != "draft":
        item.published_at = at(year)
        item.save(update_fields=["published_at"])
    return item


def contest(operator, year=2026):
    start = at(year, 3, 1)
    return Contest.objects.create(
        name=f"{year} 年宁波市“揭榜挂帅”应用场景创新大赛（智慧交通与城市治理专场）",
        year=year,
        award_budget=Decimal("5000000"),
        challenges_open_at=start,
        registration_open_at=start + datetime.timedelta(days=10),
        eligibility_open_at=start + datetime.timedelta(days=40),
        roadshow_open_at=start + datetime.timedelta(days=50),
        review_open_at=start + datetime.timedelta(days=60),
        notice_open_at=start + datetime.timedelta(days=70),
        results_open_at=start + datetime.timedelta(days=80),
        created_by=operator,
    )


def challenge(contest_, scenario_):
    return Challenge.objects.create(
        contest=contest_,
        scenario=scenario_,
        title=f"{scenario_.title}揭榜任务",
        requirements="具备车路协同感知与边缘计算能力，半年内完成现场部署。",
        award_cap=Decimal("800000"),
        created_by=scenario_.created_by,
    )


def contest_entry(challenge_, *, status="eligible", lead=None):
    lead = lead or OrganisationFactory()  # 宁波测试科技有限公司N: each entrant its own name
    return ContestEntry.objects.create(
        challenge=challenge_,
        lead=lead,
        created_by=UserFactory(organisation=lead, roles=["company"]),
        title=f"{lead.name}基于多源感知融合的解决方案",
        summary="方案摘要：多源感知、边缘计算、云边协同。",
        status=status,
        submitted_at=None if status == "draft" else at(2026, 3, 20),
        credit_check="passed",
    )


def build_world():
    """Returns a dict of the records the tests name."""
    operator = operator_user()
    transport = Domain.objects.get(code="transport")
    # Scenarios: 3 published in 2026 (2 鄞州, 1 海曙), 1 in 2025 (鄞州), 1 draft (not counted).
    s1 = scenario(title="宁波轨道交通5号线智慧车站客流感知与调度优化应用场景", stage="under_construction")
    s2 = scenario(title="鄞州区城市道路智能停车管理系统示范应用", status="in_contest", stage="planned")
    s3 = scenario(title="海曙区老旧小区智慧消防物联网监测应用场景", district_code="haishu", status="demonstrated")
    s4 = scenario(title="2025年东钱湖景区智慧导览应用场景", year=2025, stage="")
    scenario(title="尚未提交的草稿场景", status="draft")

    # Contest 2026: challenges on s1 (鄞州) and s3 (海曙).
    c = contest(operator)
    ch1, ch3 = challenge(c, s1), challenge(c, s3)
    e1 = contest_entry(ch1, status="eligible")
    e2 = contest_entry(ch1, status="eligible")
    e3 = contest_entry(ch1, status="ineligible")
    contest_entry(ch1, status="draft")  # not counted
    e5 = contest_entry(ch3, status="eligible")
    judge = UserFactory(roles=["judge"])
    ScoreSheet.objects.create(
        entry=e1, judge=judge, status="submitted", submitted_at=at(2026, 4, 25), content_sha256="a" * 64
    )
    ScoreSheet.objects.create(entry=e2, judge=judge, status="draft")  # a draft sheet: e2 is not scored
    ScoreSheet.objects.create(
        entry=e5, judge=judge, status="submitted", submitted_at=at(2026, 4, 25), content_sha256="b" * 64
    )
    Award.objects.create(entry=e1, challenge=ch1, contest=c, amount=Decimal("600000.50"), decided_by=operator)
    Award.objects.create(entry=e5, challenge=ch3, contest=c, amount=Decimal("300000.25"), decided_by=operator)
    CooperationAgreement.objects.create(
        entry=e1, mode="joint", signed_on=datetime.date(2026, 6, 1), recorded_by=operator
    )

    # Capability entries: 2 listed in 2026 (鄞州 company, one with 首台套 and 首版次), 1 listed in 2026 in 海曙,
    # 1 submitted (not counted).
    yinzhou_company = OrganisationFactory(name="宁波甬视智能科技有限公司", district=district("yinzhou"))
    haishu_company = OrganisationFactory(name="宁波海曙数智城市科技有限公司", district=district("haishu"))
    ce1 = EntryFactory(
        company=yinzhou_company, name="城市级多源感知融合平台", status="listed", listed_at=at(2026, 2, 1)
    )
    ce2 = EntryFactory(company=yinzhou_company, name="边缘计算网关", status="listed", listed_at=at(2026, 2, 2))
    ce3 = EntryFactory(company=haishu_company, name="智慧消防物联网终端", status="listed", listed_at=at(2026, 2, 3))
    EntryFactory(company=haishu_company, name="待审核的产品", status="submitted")
    Credential.objects.create(
        entry=ce1, kind="first_set", certificate_number="NB-2025-001", level="municipal", year=2025
    )
    Credential.objects.create(
        entry=ce1, kind="first_version", certificate_number="ZJ-2025-009", level="provincial", year=2025
    )

    # Enquiries (2026) to a 鄞州 addressee: on time (rated 5), late (rated 2), open overdue;
    # to a 海曙 one: open, not due.
    asker = OrganisationFactory(name="宁波某某智能装备股份有限公司")
    asked_by = UserFactory(organisation=asker, roles=["company"])
    yinzhou_publisher, haishu_publisher = s1.publisher, s3.publisher
    yinzhou_publisher.district = district("yinzhou")
    yinzhou_publisher.save()
    haishu_publisher.district = district("haishu")
    haishu_publisher.save()

    def enquiry(addressee, due, answered=None, rating=None, subject="关于场景技术参数的咨询"):
        item = Enquiry.objects.create(
            company=asker,
            asked_by=asked_by,
            addressee=addressee,
            subject=subject,
            question="请问接口规范？",
            due_date=due,
            answered_at=answered,
            rating=rating,
            status="answered" if answered else "open",
        )
        Enquiry.objects.filter(pk=item.pk).update(created_at=at(2026, 3, 1))
        return item

    today = timezone.localdate()
    q_on_time = enquiry(yinzhou_publisher, datetime.date(2026, 3, 10), at(2026, 3, 10, 23), 5)  # 23:00 the due day
    q_late = enquiry(yinzhou_publisher, datetime.date(2026, 3, 10), at(2026, 3, 11, 9), 2)
    q_overdue = enquiry(yinzhou_publisher, today - datetime.timedelta(days=2))
    q_open = enquiry(haishu_publisher, today + datetime.timedelta(days=3))

    # Matches: (s1, ce1) met at an event with a contract; (s1, ce2) met, pending; (s3, ce3) only recommended.
    generation = MatchingModel.objects.create(state="active")
    common = dict(
        generation=generation,
        text=0.5,
        coverage=0.5,
        fields=0.5,
        district=1.0,
        credential=0.0,
        fit=0.5,
        explanation="技术领域相符",
    )
    Match.objects.create(scenario=s1, entry=ce1, score=0.91, **common)
    Match.objects.create(scenario=s1, entry=ce2, score=0.72, **common)
    Match.objects.create(scenario=s3, entry=ce3, score=0.66, **common)
    event = MatchmakingEvent.objects.create(
        title="2026 年智慧交通场景供需对接会",
        starts_at=at(2026, 5, 1),
        venue="宁波国际会议中心",
        host=government(),
        created_by=operator,
    )
    AgendaItem.objects.create(event=event, scenario=s1, entry=ce1, outcome="contract", position=1)
    AgendaItem.objects.create(event=event, scenario=s1, entry=ce2, outcome="follow_up", position=2)

    # Evaluation: a closed 2026 enterprise round with two published results (优 for s1, 良 for s3),
    # a scoring round whose result is not counted.
    closed = evaluation_factories.evaluation_round(status="closed", opened_by=operator)
    sub1 = evaluation_factories.subject(closed, scenario=s1)
    sub3 = evaluation_factories.subject(closed, scenario=s3)
    results = dict(inputs={}, inputs_sha256="c" * 64, results={})
    SubjectResult.objects.create(subject=sub1, total=Decimal("92.5"), grade="优", is_published=True, **results)
    SubjectResult.objects.create(subject=sub3, total=Decimal("81"), grade="良", is_published=True, **results)
    SubjectResult.objects.create(subject=sub3, total=Decimal("70"), grade="中", is_published=False, **results)
    scoring = evaluation_factories.evaluation_round(status="scoring", opened_by=operator, framework=closed.framework)
    SubjectResult.objects.create(
        subject=evaluation_factories.subject(scoring, scenario=s2),
        total=Decimal("95"),
        grade="优",
        is_published=True,
        **results,
    )
    finding = Finding.objects.create(
        subject=sub1,
        severity="general",
        description="客流数据接口未按期开放",
        recommendation="三十日内完成接口开放",
        organisation=s1.publisher,
        due_date=today - datetime.timedelta(days=5),
        created_by=operator,
    )
    Finding.objects.create(
        subject=sub3,
        severity="minor",
        description="已核实的问题",
        recommendation="无",
        organisation=s3.publisher,
        due_date=today - datetime.timedelta(days=5),
        status="verified",
        created_by=operator,
    )
    tolerance = TolerancePeriod.objects.create(
        scenario=s3,
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today + datetime.timedelta(days=20),
        original_ends_on=today + datetime.timedelta(days=20),
        created_by=operator,
    )
    TolerancePeriod.objects.create(
        scenario=s1,
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today + datetime.timedelta(days=90),
        original_ends_on=today + datetime.timedelta(days=90),
        created_by=operator,
    )
    return {
        "operator": operator,
        "transport": transport,
        "s1": s1,
        "s2": s2,
        "s3": s3,
        "s4": s4,
        "contest": c,
        "e1": e1,
        "e2": e2,
        "e3": e3,
        "e5": e5,
        "ce1": ce1,
        "ce2": ce2,
        "ce3": ce3,
        "q_on_time": q_on_time,
        "q_late": q_late,
        "q_overdue": q_overdue,
        "q_open": q_open,
        "finding": finding,
        "tolerance": tolerance,
    }
