"""Factories for steering, one section per topic."""

# === Targets ===
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from evaluation.choices import CaseStatus, ReplicationKind, ReplicationStatus
from evaluation.models import Replication, TypicalCase
from steering.models import HighGrowthListing
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.evaluation import evaluation_round, subject
from tests.factories.scenarios import ScenarioFactory

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """An aware moment on a Beijing-time day."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def approved_case(title: str = "宁波舟山港梅山港区集装箱卡车智能调度与无人化运输典型应用") -> TypicalCase:
    scenario = ScenarioFactory(title=title, status="in_implementation")
    return TypicalCase.objects.create(
        subject=subject(evaluation_round(), scenario=scenario),
        status=CaseStatus.APPROVED,
        title=title,
        solution="基于视觉识别的集卡智能调度系统",
        outcomes="排队时间缩短 40%",
        decided_at=timezone.now(),
    )


def verified_replication(case, adopter, verified_at, *, status=ReplicationStatus.VERIFIED) -> Replication:
    replication = Replication.objects.create(
        case=case,
        adopter=adopter,
        kind=ReplicationKind.ADOPTION,
        description="在本单位园区推广应用，覆盖 3 个作业区",
        recorded_by=UserFactory(organisation=adopter, roles=["company"]),
        status=status,
    )
    if status == ReplicationStatus.VERIFIED:
        Replication.objects.filter(pk=replication.pk).update(verified_at=verified_at)
        replication.refresh_from_db()
    return replication


def listed_company(listed_on: datetime.date, *, delisted_on=None, **kwargs):
    """A verified company on the 高成长性科技企业 list since listed_on (verified the day before)."""
    company = OrganisationFactory(is_high_growth=delisted_on is None, **kwargs)
    company.verified_at = at(listed_on - datetime.timedelta(days=1))
    company.save(update_fields=["verified_at"])
    HighGrowthListing.objects.create(organisation=company, listed_on=listed_on, delisted_on=delisted_on)
    return company


def high_growth_workbook(
    rows, *, headers=("统一社会信用代码", "企业名称"), name="高成长性科技企业名单（2026年第一批）.xlsx"
):
    """An uploaded .xlsx of the list: headers then rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/vnd.ms-excel")


# === Programme tasks ===
import datetime  # noqa: E402

from accounts.choices import OrganisationKind  # noqa: E402
from steering.models import ProgrammeTask, ProgrammeUnit, ReportingCycle, UnitReport  # noqa: E402


def unit_reporter(short_name: str = "市国资委", **kwargs):
    """An official-role user of the unit's organisation (department staff); the seeded unit is
    linked to a government organisation named by its full name when it has none yet."""
    unit = ProgrammeUnit.objects.get(short_name=short_name)
    if unit.organisation_id is None:
        unit.organisation = OrganisationFactory(kind=OrganisationKind.GOVERNMENT, name=unit.full_name)
        unit.save(update_fields=["organisation"])
    return UserFactory(organisation=unit.organisation, roles=["official"], **kwargs)


def city_leader(**kwargs):
    """An official in no programme unit (分管市领导): reads everything, read-only."""
    organisation = OrganisationFactory(kind=OrganisationKind.GOVERNMENT, name="宁波市人民政府办公厅")
    return UserFactory(organisation=organisation, roles=["official"], **kwargs)


def open_cycle(*, due_on: datetime.date, opens_on: datetime.date | None = None, label: str = "2026年11月专项调度"):
    """An open ad hoc cycle with one report per task × unit (built directly, test setup only)."""
    from steering.services.programme import _create_reports

    cycle = ReportingCycle.objects.create(
        label=label, kind="ad_hoc", opens_on=opens_on or due_on - datetime.timedelta(days=24), due_on=due_on
    )
    _create_reports(cycle)
    return cycle


def report_of(cycle, *, task_code: int = 1, unit: str = "市国资委") -> UnitReport:
    return UnitReport.objects.get(cycle=cycle, task=ProgrammeTask.objects.get(code=task_code), unit__short_name=unit)


# === SOE assessment ===
import datetime as _dt  # noqa: E402
import zoneinfo as _zoneinfo  # noqa: E402
from decimal import Decimal as _Decimal  # noqa: E402

import factory as _factory  # noqa: E402

from contests.models import Challenge, Contest, ContestEntry  # noqa: E402
from scenarios.models import ScenarioStatusChange  # noqa: E402
from steering.models import ProductUse  # noqa: E402
from tests.factories.accounts import operator_user  # noqa: E402

SHANGHAI = _zoneinfo.ZoneInfo("Asia/Shanghai")


def beijing(year, month, day, hour=10) -> _dt.datetime:
    return _dt.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def contest_with_results(
    results_at: _dt.datetime, *, name="2026年宁波市应用场景大赛（第一届）“揭榜挂帅”专场"
) -> Contest:
    """A contest whose rounds end with 结果发布 at `results_at` (the rounds a week apart before it)."""
    week = _dt.timedelta(days=7)
    return Contest.objects.create(
        name=name,
        year=results_at.year,
        award_budget=_Decimal("5000000.00"),
        challenges_open_at=results_at - 6 * week,
        registration_open_at=results_at - 5 * week,
        eligibility_open_at=results_at - 4 * week,
        roadshow_open_at=results_at - 3 * week,
        review_open_at=results_at - 2 * week,
        notice_open_at=results_at - week,
        results_open_at=results_at,
        created_by=operator_user(),
    )


def contest_entry(contest: Contest, *, lead=None, publisher=None, status="eligible", credit_check="passed", title=None):
    """An entry of a new challenge of the contest, on a published scenario of `publisher`."""
    scenario = ScenarioFactory(status="in_contest", **({"publisher": publisher} if publisher else {}))
    challenge = Challenge.objects.create(
        contest=contest,
        scenario=scenario,
        title=f"{scenario.title}揭榜挂帅榜单",
        requirements="满足现场部署、数据安全和运维要求。",
        award_cap=_Decimal("1000000.00"),
        created_by=scenario.created_by,
    )
    lead = lead or OrganisationFactory(name="宁波甬视智能科技有限公司（测试）")
    return ContestEntry.objects.create(
        challenge=challenge,
        lead=lead,
        created_by=UserFactory(organisation=lead, roles=["company"]),
        title=title or f"{lead.name}——基于多模态感知的{scenario.title}解决方案",
        summary="方案摘要：边缘计算 + 视觉识别，三个月完成部署。",
        status=status,
        credit_check=credit_check,
    )


def status_reached(scenario, to_status: str, when: _dt.datetime, *, from_status="draft"):
    """A timeline row saying the scenario reached `to_status` at `when`."""
    change = ScenarioStatusChange.objects.create(
        scenario=scenario, action="test", from_status=from_status, to_status=to_status, actor=scenario.created_by
    )
    ScenarioStatusChange.objects.filter(pk=change.pk).update(created_at=when)
    return change


class ProductUseFactory(_factory.django.DjangoModelFactory):
    class Meta:
        model = ProductUse

    kind = "procurement"
    contract_number = _factory.Sequence(lambda n: f"NBGT-2026-CG-{n:04d}")
    amount = _Decimal("380000.00")
    used_on = _dt.date(2026, 6, 1)
    status = "verified"
    recorded_by = _factory.LazyAttribute(lambda use: UserFactory(organisation=use.organisation, roles=["publisher"]))


# === Reports ===
