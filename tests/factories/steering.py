"""Factories for steering, one section per topic."""

# === Targets ===

# === Programme tasks ===

# === SOE assessment ===
import datetime as _dt  # noqa: E402
import zoneinfo as _zoneinfo  # noqa: E402
from decimal import Decimal as _Decimal  # noqa: E402

import factory as _factory  # noqa: E402

from contests.models import Challenge, Contest, ContestEntry  # noqa: E402
from scenarios.models import ScenarioStatusChange  # noqa: E402
from steering.models import ProductUse  # noqa: E402
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user  # noqa: E402
from tests.factories.scenarios import ScenarioFactory  # noqa: E402

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
