"""十百千 figures: each card equals its drill-down list; the 十 figure moves when a flagship
scenario is demonstrated; snapshots, backfill, zeros."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import District, Organisation
from evaluation.choices import ReplicationStatus
from scenarios.models import Scenario, ScenarioStatusChange
from scenarios.services import scenario_transition
from steering import selectors
from steering.models import HighGrowthListing, TargetSnapshot
from steering.services import targets_snapshot_take
from steering.target_rules import RULES, flagship_counted, high_growth_counted, rule_for
from steering.tasks import targets_snapshot_daily_task
from tests.factories.accounts import OrganisationFactory, operator_user
from tests.factories.scenarios import ScenarioFactory, district
from tests.factories.steering import approved_case, at, listed_company, verified_replication

pytestmark = pytest.mark.django_db

D1 = datetime.date(2025, 3, 1)
D2 = datetime.date(2025, 3, 2)
D3 = datetime.date(2025, 3, 3)


def _demonstrated(scenario, when):
    ScenarioStatusChange.objects.create(
        scenario=scenario,
        action="mark_demonstrated",
        from_status="in_implementation",
        to_status="demonstrated",
        actor=operator_user(),
    )
    ScenarioStatusChange.objects.filter(scenario=scenario).update(created_at=when)


@pytest.fixture
def world(reference_data):
    """Records on 2025-03-01/02 in 鄞州 and 海曙; 江北 has none."""
    yinzhou, haishu = district("yinzhou"), district("haishu")
    flagship = ScenarioFactory(
        title="宁波轨道交通 5 号线智慧车站综合运维示范场景", is_flagship=True, status="demonstrated", district=yinzhou
    )
    _demonstrated(flagship, at(D1))
    later = ScenarioFactory(
        title="海曙区老旧小区智慧停车改造示范场景", is_flagship=True, status="closed", district=haishu
    )
    _demonstrated(later, at(D2, 23))
    ScenarioFactory(title="非特色场景（不计入）", is_flagship=False, status="demonstrated", district=yinzhou)
    no_district = ScenarioFactory(
        title="全市范围的示范场景（未填区域）", is_flagship=True, status="demonstrated", district=None
    )
    _demonstrated(no_district, at(D2))

    case = approved_case()
    adopter_yz = OrganisationFactory(name="宁波市鄞州区城市建设投资发展有限公司", district=yinzhou)
    adopter_hs = OrganisationFactory(name="宁波市海曙区国有资产投资经营有限公司", district=haishu)
    verified_replication(case, adopter_yz, at(D1))
    verified_replication(case, adopter_yz, at(D2))  # the same adopter again: counted once
    verified_replication(case, adopter_hs, at(D2))
    verified_replication(case, OrganisationFactory(district=haishu), None, status=ReplicationStatus.PENDING)

    listed_company(D1, district=yinzhou, name="宁波甬视智能科技有限公司")
    listed_company(D2, district=haishu, name="宁波海曙高成长科技有限公司")
    listed_company(datetime.date(2025, 1, 1), delisted_on=D2, district=yinzhou, name="已移出名单的企业")
    return {"yinzhou": yinzhou, "haishu": haishu}


EXPECTED = {
    # metric: (city D1, city D2, 鄞州 D2, 海曙 D2)
    "flagship": (1, 3, 1, 1),
    "replications": (1, 2, 1, 1),
    "high_growth": (2, 2, 1, 1),
}


@pytest.mark.parametrize("metric", ["flagship", "replications", "high_growth"])
def test_card_value_equals_its_drill_down_list_for_city_and_district(world, metric):
    city_d1, city_d2, yz_d2, hs_d2 = EXPECTED[metric]
    for scope, day, expected in [
        (None, D1, city_d1),
        (None, D2, city_d2),
        (world["yinzhou"], D2, yz_d2),
        (world["haishu"], D2, hs_d2),
    ]:
        card = next(c for c in selectors.target_cards(as_of=day, district=scope) if c["code"] == metric)
        records = selectors.counted_records(metric, day, scope)
        assert card["value"] == expected
        assert len(list(records)) == card["value"]


def test_flagship_without_district_counts_for_the_city_only(world):
    city = selectors.counted_records("flagship", D2)
    districts = sum(selectors.counted_records("flagship", D2, d).count() for d in District.objects.all())
    assert "全市范围的示范场景（未填区域）" in [s.title for s in city]
    assert districts == city.count() - 1


def test_marking_a_flagship_scenario_demonstrated_moves_the_figure_and_its_snapshot(reference_data):
    operator = operator_user()
    scenario = ScenarioFactory(title="宁波栎社机场智慧航站楼特色示范场景", is_flagship=True, status="in_implementation")
    today = timezone.localdate()
    before = next(c for c in selectors.target_cards() if c["code"] == "flagship")["value"]

    scenario_transition(actor=operator, scenario=scenario, action="mark_demonstrated")

    after = next(c for c in selectors.target_cards() if c["code"] == "flagship")
    assert after["value"] == before + 1
    assert scenario in selectors.counted_records("flagship", today)
    targets_snapshot_take(day=today)
    assert selectors.snapshot_value("flagship", today) == before + 1
    assert selectors.snapshot_value("flagship", today, scenario.district) == 1


def test_daily_task_stores_yesterday_for_city_and_every_district_with_zeros(world):
    targets_snapshot_daily_task()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    districts = District.objects.filter(is_active=True).count()
    assert TargetSnapshot.objects.filter(day=yesterday).count() == 3 * (1 + districts)
    jiangbei = district("jiangbei")
    assert selectors.snapshot_value("flagship", yesterday, jiangbei) == 0


def test_snapshot_taking_is_idempotent(world):
    targets_snapshot_take(day=D2)
    targets_snapshot_take(day=D2)
    assert TargetSnapshot.objects.filter(day=D2, district__isnull=True).count() == 3
    assert selectors.snapshot_value("flagship", D2) == 3


def test_a_stored_snapshot_is_never_rewritten(world):
    targets_snapshot_take(day=D2)
    Scenario.objects.filter(is_flagship=True).update(is_flagship=False)  # a later correction of the records

    assert targets_snapshot_take(day=D2) == 0
    assert selectors.snapshot_value("flagship", D2) == 3


def test_backfill_reproduces_stored_snapshots(world):
    for day in (D1, D2, D3):
        targets_snapshot_take(day=day)
    stored = set(TargetSnapshot.objects.values_list("metric", "district_id", "day", "value", "rule_version"))
    TargetSnapshot.objects.all().delete()

    call_command("steering_backfill_snapshots", "--from", "2025-03-01", "--to", "2025-03-03")

    assert set(TargetSnapshot.objects.values_list("metric", "district_id", "day", "value", "rule_version")) == stored
    assert len(stored) == TargetSnapshot.objects.count() and any(row[3] for row in stored)


def test_series_shows_zeros_for_a_district_with_nothing(world):
    for day in (D1, D2, D3):
        targets_snapshot_take(day=day)
    series = selectors.target_series(metric="replications", district=district("jiangbei"), start=D1, end=D3)
    assert [point["value"] for point in series] == [0, 0, 0]
    city = selectors.target_series(metric="replications", start=D1, end=D3)
    assert [point["value"] for point in city] == [1, 2, 2]


def test_backfill_command_refuses_bad_dates(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("steering_backfill_snapshots", "--from", "2025-13-01", "--to", "2025-03-03")
    with pytest.raises(CommandError, match="结束日期"):
        call_command("steering_backfill_snapshots", "--from", "2025-03-03", "--to", "2025-03-01")


def test_cards_use_a_fixed_number_of_queries(world, django_assert_num_queries):
    # three counts (one per rule), the targets, their plan points
    with django_assert_num_queries(5):
        cards = selectors.target_cards(as_of=D2)
    assert [card["value"] for card in cards] == [3, 2, 2]


def test_planned_value_is_interpolated_between_plan_points(reference_data):
    card = next(c for c in selectors.target_cards(as_of=datetime.date(2024, 7, 1)) if c["code"] == "high_growth")
    # seeded plan: 300 on 2023-12-31, 650 on 2024-12-31 → 182 of 366 days later
    assert card["target"] == 1000
    assert float(card["planned"]) == pytest.approx(300 + 350 * 183 / 366, abs=0.1)
    assert card["lamp"] == "red"


def test_each_rule_counts_by_the_version_its_written_definition_names():
    """Rule: a rule's version is the one its written 口径 states (口径 vN), so a snapshot's
    rule_version names the definition it was counted by."""
    for code, rule in RULES.items():
        assert rule_for(code) is rule and rule.code == code
        assert f"（口径 v{rule.version}）" in rule.definition.splitlines()[0]
        assert len(rule.definition.splitlines()) > 2  # the numbered clauses follow the title


def test_a_scenario_demonstrated_twice_counts_from_the_first_time(reference_data):
    """Rule (十, 2): the counting date is the first time the scenario reached 已示范."""
    scenario = ScenarioFactory(title="两次示范的特色场景", is_flagship=True, status="demonstrated")
    for when in (at(D1), at(D3)):
        change = ScenarioStatusChange.objects.create(
            scenario=scenario,
            action="mark_demonstrated",
            from_status="in_implementation",
            to_status="demonstrated",
            actor=operator_user(),
        )
        ScenarioStatusChange.objects.filter(pk=change.pk).update(created_at=when)
    assert flagship_counted(D3).get(pk=scenario.pk).counted_at == at(D1)
    assert flagship_counted(D1).get(pk=scenario.pk).counted_at == at(D1)


def test_a_company_listed_again_counts_from_the_listing_in_force(reference_data):
    """Rule (千, 1): a company delisted and listed again counts from the listing in force."""
    company = listed_company(D1, delisted_on=D2)
    HighGrowthListing.objects.create(organisation=company, listed_on=D3)
    assert high_growth_counted(D1).get(pk=company.pk).counted_at == D1
    assert not high_growth_counted(D2).filter(pk=company.pk).exists()
    assert high_growth_counted(D3).get(pk=company.pk).counted_at == D3


def test_a_company_counts_once_verified_or_registered_by_the_end_of_the_day(reference_data):
    """Rule (千, 2): the verification — or, with no review time, the registration — must be no
    later than 24:00 of the counting day."""
    reviewed, registered = listed_company(D1), listed_company(D1)
    Organisation.objects.filter(pk=reviewed.pk).update(verified_at=at(D2, 23))
    Organisation.objects.filter(pk=registered.pk).update(verified_at=None, created_at=at(D2, 23))
    for company in (reviewed, registered):
        assert not high_growth_counted(D1).filter(pk=company.pk).exists()
        assert high_growth_counted(D2).filter(pk=company.pk).exists()


def test_only_flagship_scenarios_and_verified_companies_count(reference_data):
    """Rules (十, 1) and (千, 2): a scenario not marked flagship, demonstrated or not, is no 十; a
    listed organisation that is not a verified company is no 千."""
    plain = ScenarioFactory(title="已示范但非特色的场景", is_flagship=False, status="demonstrated")
    _demonstrated(plain, at(D1))
    unverified = listed_company(D1, name="待审核的企业")
    Organisation.objects.filter(pk=unverified.pk).update(verification_status="pending")
    institute = listed_company(D1, name="宁波某研究院", kind="institute")
    assert not flagship_counted(D2).filter(pk=plain.pk).exists()
    assert not high_growth_counted(D2).filter(pk__in=[unverified.pk, institute.pk]).exists()


def test_each_counting_date_is_read_from_one_row():
    """Rule: the counting date is one row of its subquery (LIMIT 1): PostgreSQL refuses a scalar
    subquery that returns two, which SQLite would pass over."""
    for counted in (flagship_counted(D1), high_growth_counted(D1)):
        one_row = counted.query.annotations["counted_at"].query
        assert (one_row.low_mark, one_row.high_mark) == (0, 1)
