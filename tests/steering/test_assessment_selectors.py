"""The SOE scorecard and the company credit list, hand-computed from tests/steering/assessment_world.py:
caps applied, a use before the contest's result, a rejected and a pending one not counted; every
count drills down to exactly its records; fixed query counts."""

from decimal import Decimal

import pytest

from steering import selectors
from steering.choices import COMPANY_ITEM_CODES, SOE_ITEM_CODES
from steering.models import AssessmentItem, AssessmentScheme
from steering.reference_data import seed_assessment_scheme
from tests.steering.assessment_world import EXPECTED_RAIL, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _row(rows, organisation):
    return next(row for row in rows if row["organisation"].pk == organisation.pk)


def _cells(row):
    return {cell["code"]: (cell["count"], f"{cell['score']:.2f}") for cell in row["items"]}


def test_soe_scorecard_counts_each_item_by_the_date_it_was_reached_and_applies_the_caps(world):
    rows = selectors.soe_scorecard(year=2026)

    rail = _row(rows, world.rail)
    assert _cells(rail) == EXPECTED_RAIL
    assert rail["total"] == Decimal("11.00")
    capped = {cell["code"] for cell in rail["items"] if cell["capped"]}
    assert capped == {"scenarios_opened", "scenarios_demonstrated"}


def test_an_soe_with_nothing_counted_still_has_its_row_of_zeros(world):
    urban = _row(selectors.soe_scorecard(year=2026), world.urban)

    assert [cell["count"] for cell in urban["items"]] == [0] * 6
    assert urban["total"] == 0


def test_the_scorecard_of_another_year_counts_that_year(world):
    seed_assessment_scheme(AssessmentScheme, AssessmentItem, year=2025)
    rail = _row(selectors.soe_scorecard(year=2025), world.rail)

    cells = _cells(rail)
    assert cells["scenarios_opened"][0] == 1  # the scenario first submitted at 23:00 on 31 Dec 2025
    # published in 2025: the old one, the implementing one, the three demonstrated and the contest one
    assert cells["scenarios_published"] == (6, "2.00")
    assert cells["products_used"][0] == 0


def test_company_credit_counts_shortlisted_entries_and_verified_uses(world):
    rows = selectors.company_credit(year=2026)

    assert [row["organisation"].name for row in rows] == [
        "宁波甬视智能科技有限公司",
        "宁波海曙感知物联网技术有限公司",
        "宁波甬视智能科技有限公司（测试）",  # the lead of the 轨道 challenge's entry: shortlisted once
    ]
    yongshi, haishu, other = rows
    assert _cells(yongshi) == {"products_shortlisted": (2, "2.00"), "products_in_use": (2, "4.00")}
    assert yongshi["total"] == Decimal("6.00")
    assert _cells(haishu) == {"products_shortlisted": (0, "0.00"), "products_in_use": (1, "2.00")}
    assert haishu["total"] == Decimal("2.00")
    assert _cells(other) == {"products_shortlisted": (1, "1.00"), "products_in_use": (0, "0.00")}


def test_a_use_before_the_result_a_rejected_and_a_pending_one_are_not_counted(world):
    counted = set(selectors.product_uses_verified(year=2026).values_list("pk", flat=True))

    assert counted == {*(use.pk for use in world.counted), world.haishu_use.pk}
    assert world.before_result.pk not in counted
    assert world.rejected.pk not in counted and world.pending.pk not in counted


def test_product_uses_verified_by_district_is_the_using_organisations_district(world):
    district = world.rail.district
    uses = selectors.product_uses_verified(year=2026, district=district)

    assert {use.organisation_id for use in uses} <= {
        org.pk for org in (world.rail, world.bureau) if org.district_id == district.pk
    }


@pytest.mark.parametrize("code", SOE_ITEM_CODES)
def test_every_soe_count_drills_down_to_exactly_its_records(world, code):
    rows = selectors.soe_scorecard(year=2026)
    for organisation in (world.rail, world.urban):
        count = next(cell["count"] for cell in _row(rows, organisation)["items"] if cell["code"] == code)
        records = selectors.soe_item_records(soe=organisation, year=2026, item_code=code)
        assert len(list(records)) == count == records.count()


@pytest.mark.parametrize("code", COMPANY_ITEM_CODES)
def test_every_company_count_drills_down_to_exactly_its_records(world, code):
    for row in selectors.company_credit(year=2026):
        count = next(cell["count"] for cell in row["items"] if cell["code"] == code)
        records = selectors.company_item_records(company=row["organisation"], year=2026, item_code=code)
        assert len(list(records)) == count


def test_the_drill_down_of_opened_scenarios_lists_the_five_counted(world):
    records = selectors.soe_item_records(soe=world.rail, year=2026, item_code="scenarios_opened")

    assert {scenario.pk for scenario in records} == {scenario.pk for scenario in world.opened}


def test_soe_scorecard_runs_a_fixed_number_of_queries(world, django_assert_num_queries):
    # scheme, its items, the SOEs, and one aggregate per SOE item (6)
    with django_assert_num_queries(9):
        selectors.soe_scorecard(year=2026)
    for n in range(3):  # more SOEs, more scenarios: the same number
        build_more_soe(n)
    with django_assert_num_queries(9):
        selectors.soe_scorecard(year=2026)


def build_more_soe(n):
    from tests.factories.accounts import OrganisationFactory
    from tests.factories.scenarios import ScenarioFactory
    from tests.factories.steering import beijing, status_reached

    soe = OrganisationFactory(kind="soe", name=f"宁波市交通投资控股集团第{n}分公司")
    scenario = ScenarioFactory(publisher=soe, status="demonstrated")
    status_reached(scenario, "demonstrated", beijing(2026, 8, 8))


def test_company_credit_runs_a_fixed_number_of_queries(world, django_assert_num_queries):
    # scheme, its items, one aggregate per credit item (2), the companies
    with django_assert_num_queries(5):
        selectors.company_credit(year=2026)


def test_a_year_without_a_scheme_has_rows_but_no_items(world):
    rows = selectors.soe_scorecard(year=2031)

    assert rows and all(row["items"] == [] and row["total"] == 0 for row in rows)
