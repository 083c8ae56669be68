"""Hypothesis over the Excel import's rows (#18): cells of any type openpyxl can hand over — text
with control characters, numbers, NaN, dates, booleans, formulas — never make the row checker
raise; every problem is a Chinese message on a named column; the check writes nothing; and a row
made of allowed values passes with exactly those values."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.validators import credit_code_check_character
from capability_list.import_checker import COLUMNS, HEADERS, Lookups, cell_text, check_row
from tests.fuzzing import watch_writes
from tests.refusals import CHINESE

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

PROPERTY = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CELL = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Cc", "Cf", "Zs"]), max_size=8),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.sampled_from(["=SUM(A1)", "+1", "@x", "是", "否", "39", "鄞州区", "产品", "首台套", "国家级", "2024", "#N/A"]),
)


@pytest.fixture
def lookups(reference_data):
    return Lookups()


@PROPERTY
# read_rows hands the checker one value per column, whatever the sheet's width (None for a missing cell).
@given(cells=st.lists(CELL, min_size=len(COLUMNS), max_size=len(COLUMNS)))
def test_any_cells_are_checked_without_an_exception_and_refused_in_chinese(lookups, cells):
    with watch_writes() as writes:
        check = check_row(2, cells, lookups)
    assert not writes, str(writes)
    assert all(column in HEADERS and CHINESE.search(message) for column, message in check.errors), check.errors
    if not check.errors:
        # Only a full row of allowed values passes, and what passes is the text of its cells.
        assert check.cleaned["name"] == cell_text(cells[3]) and 0 < len(check.cleaned["name"]) <= 100


def credit_code(body: str) -> str:
    return body + credit_code_check_character(body)


VALID_ROW = st.fixed_dictionaries(
    {
        "company_name": st.text(alphabet="宁波甬视智能科技有限公司", min_size=2, max_size=100),
        "credit_code": st.from_regex(r"\A91330212[0-9A-HJ-NPQRTUWXY]{9}\Z").map(credit_code),
        "district": st.sampled_from(["鄞州区", "海曙区", "北仑区"]),
        "name": st.text(alphabet="高位视频车位检测终端", min_size=1, max_size=100),
        "kind": st.sampled_from(["技术", "产品", "解决方案"]),
        "description": st.text(alphabet="适用于道路停车的检测。", min_size=1, max_size=3000),
        "industry": st.sampled_from(["39", "65", 39.0, 65]),
        "strategic_area": st.sampled_from(["新一代信息技术产业", "新一代信息技术"]),
        "maturity": st.sampled_from(["样机/原型", "中试", "示范应用", "规模化应用"]),
        "credential_year": st.integers(min_value=2018, max_value=datetime.date.today().year),
    }
)


@PROPERTY
@given(row=VALID_ROW)
def test_a_row_of_allowed_values_passes_with_exactly_those_values(lookups, row):
    cells = {column.key: "" for column in COLUMNS} | row
    cells |= {"credential_kind": "首台套", "credential_number": "TT-2024-001", "credential_level": "省级"}
    check = check_row(2, [cells[column.key] for column in COLUMNS], lookups)
    assert not check.errors, (check.errors, row)
    cleaned = check.cleaned
    assert cleaned["company_name"] == row["company_name"].strip() and cleaned["name"] == row["name"].strip()
    assert cleaned["credit_code"] == row["credit_code"] and cleaned["description"] == row["description"].strip()
    assert cleaned["industry"].code == f"{int(row['industry']):02d}"
    assert cleaned["credential"]["year"] == row["credential_year"]
