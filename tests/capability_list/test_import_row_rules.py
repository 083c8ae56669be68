"""The Excel import's row checks one by one (capability_list.import_checker.check_row and the
rules across rows): each required column, each length at its limit and one over, formulas, the
yes/no columns, keywords, and the 三首 columns that go together."""

import pytest
from django.utils import timezone

from capability_list.import_checker import COLUMNS, HEADERS, Lookups, cell_text, check_row, check_rows
from capability_list.import_codes import industry_label
from capability_list.models import Credential
from tests.capability_list.test_import import GOOD
from tests.factories.accounts import OrganisationFactory
from tests.factories.capability_list import EntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lookups():
    return Lookups()


def _check(lookups, **changes):
    values = list(GOOD)
    for header, value in changes.items():
        values[HEADERS.index(header)] = value
    return check_row(2, values, lookups)


def _errors(check) -> dict:
    found = {}
    for column, message in check.errors:
        found.setdefault(column, []).append(message)
    return found


def test_the_good_row_passes_and_is_cleaned(lookups):
    """Rule: a row meeting every check has no error and its values cleaned for the import."""
    check = _check(lookups)
    assert check.errors == []
    cleaned = check.cleaned
    assert cleaned["is_strategic_emerging"] is True and cleaned["is_independent_innovation"] is False
    assert cleaned["technology_fields"] == ["机器视觉", "边缘计算"]
    assert cleaned["credential"] == {
        "kind": "first_set",
        "certificate_number": "NB-2024-0001",
        "level": "municipal",
        "year": 2024,
    }
    assert cleaned["industry"].code == "39" and cleaned["kind"] == "product"


@pytest.mark.parametrize("column", [column for column in COLUMNS if column.required])
def test_each_required_column_left_empty_is_refused_alone(lookups, column):
    """Rule: each required column must be filled (its own message, in its own column)."""
    check = _check(lookups, **{column.header: ""})
    assert _errors(check)[column.header] == ["必填，不能为空。"]
    assert set(_errors(check)) == {column.header}


@pytest.mark.parametrize(
    "column",
    [
        column
        for column in COLUMNS
        if not column.required and column.key.startswith(("application", "technology", "price", "is_"))
    ],
)
def test_an_optional_column_may_stay_empty(lookups, column):
    """Rule: the columns not required may be left empty."""
    assert _check(lookups, **{column.header: ""}).errors == []


@pytest.mark.parametrize("column", [column for column in COLUMNS if column.max_length])
def test_each_length_limit_admits_its_maximum_and_refuses_one_more(lookups, column):
    """Rule: a column's text is at most its max_length characters."""
    filler = "A" if column.key == "credential_number" else "字"
    assert column.header not in _errors(_check(lookups, **{column.header: filler * column.max_length}))
    too_long = _errors(_check(lookups, **{column.header: filler * (column.max_length + 1)}))
    assert too_long[column.header] == [f"超过 {column.max_length} 个字。"]


@pytest.mark.parametrize("start", ["=", "+", "@"])
def test_a_cell_starting_like_a_formula_is_refused_but_not_a_certificate_number(lookups, start):
    """Rule: no formula (or formula sign at the start) in any cell but the certificate number."""
    assert "不能使用公式" in _errors(_check(lookups, **{"技术（产品）简介": f"{start}1+1"}))["技术（产品）简介"][0]
    assert "三首证书编号" not in _errors(_check(lookups, **{"三首证书编号": f"{start}2024-1"}))


@pytest.mark.parametrize(
    "value, ok", [("是", True), ("否", True), ("Y", True), ("no", True), ("1", True), ("", True), ("可能", False)]
)
def test_yes_no_columns_take_only_yes_or_no(lookups, value, ok):
    """Rule: 是/否 (and Y/N, YES/NO, TRUE/FALSE, 1/0, empty for no)."""
    assert ("自主创新产品" not in _errors(_check(lookups, 自主创新产品=value))) is ok


def test_ten_keywords_of_twenty_characters_pass_and_one_more_of_either_fails(lookups):
    """Rule: at most 10 technology-field keywords, each at most 20 characters."""
    ten = "、".join(f"关键词{n}" for n in range(10))
    assert "技术领域" not in _errors(_check(lookups, 技术领域=ten))
    assert _errors(_check(lookups, 技术领域=ten + "、第十一个"))["技术领域"] == ["最多 10 个关键词。"]
    assert "技术领域" not in _errors(_check(lookups, 技术领域="字" * 20))
    assert _errors(_check(lookups, 技术领域="字" * 21))["技术领域"] == ["关键词不能超过 20 个字。"]


@pytest.mark.parametrize(
    "header, message",
    [
        ("三首认定类型", "填写了三首证书信息，但缺少认定类型。"),
        ("三首证书编号", "缺少证书编号。"),
        ("三首认定级别", "应为国家级、省级或市级。"),
        ("三首认定年度", "年度应为四位数字。"),
    ],
)
def test_each_credential_column_is_needed_once_any_is_filled(lookups, header, message):
    """Rule: a 三首 credential needs its kind, number, level and year together."""
    assert _errors(_check(lookups, **{header: ""}))[header] == [message]


def test_no_credential_columns_at_all_is_fine(lookups):
    """Rule: the 三首 columns are optional together."""
    check = _check(lookups, 三首认定类型="", 三首证书编号="", 三首认定级别="", 三首认定年度="")
    assert check.errors == [] and check.cleaned["credential"] is None


def test_the_credential_year_from_2000_to_this_year(lookups):
    """Rule: the year is between FIRST_CREDENTIAL_YEAR (2000) and this year, both included."""
    this_year = timezone.localdate().year
    for year, ok in ((1999, False), (2000, True), (this_year, True), (this_year + 1, False)):
        assert ("三首认定年度" not in _errors(_check(lookups, 三首认定年度=year))) is ok, year
    assert _check(lookups, 三首认定类型="首版权")  # a kind outside the list
    assert _errors(_check(lookups, 三首认定类型="首版权"))["三首认定类型"] == ["应为首台套、首批次或首版次。"]


def test_industry_codes_single_digit_sections_and_unknown(lookups):
    """Rule: a two-digit division (a one-digit one padded), never a section letter."""
    assert "行业大类代码" in _errors(_check(lookups, 行业大类代码="C"))
    assert "是门类" in _errors(_check(lookups, 行业大类代码="c"))["行业大类代码"][0]
    assert "未知行业代码" in _errors(_check(lookups, 行业大类代码="00"))["行业大类代码"][0]
    assert _check(lookups, 行业大类代码=39.0).cleaned["industry"].code == "39"


def test_cells_are_read_as_text():
    """Rule: a whole float reads as an integer; spaces are trimmed; empty is ''."""
    assert (cell_text(2024.0), cell_text(2.5), cell_text("  甲 "), cell_text(None)) == ("2024", "2.5", "甲", "")


def test_the_same_certificate_on_two_rows_of_one_entry_is_a_duplicate_row_not_a_certificate_clash(lookups):
    """Rule: across rows, the same company and name repeat as a row; a certificate clashes only
    between different entries."""
    rows = [(2, list(GOOD)), (3, list(GOOD))]
    checks = check_rows(rows)
    assert checks[0].errors == []
    assert [column for column, _message in checks[1].errors] == ["技术（产品）名称"]


def test_an_industry_from_the_drop_down_or_a_one_digit_division_is_read(lookups):
    """Rule: the template's drop-down value (39 计算机…) and a one-digit division (6 → 06) are
    both divisions."""
    computers = lookups.divisions["39"]
    assert _check(lookups, 行业大类代码=industry_label(computers)).cleaned["industry"] == computers
    assert _check(lookups, 行业大类代码="6").cleaned["industry"].code == "06"


def test_rules_across_rows_put_each_error_in_its_column_and_only_once(lookups):
    """Rule: a repeated row is marked in the name column, a repeated certificate in the certificate
    column, a code of a non-company in the credit-code column, a different company name in the
    name column; a row already refused for repeating is not checked against the database."""
    government = OrganisationFactory(kind="government", name="宁波市某局")
    named = OrganisationFactory(name="宁波真实名称有限公司")
    entry = EntryFactory(name="已登记产品")
    Credential.objects.create(entry=entry, kind="first_set", certificate_number="TAKEN-1", level="national", year=2023)
    no_credential = {"三首认定类型": "", "三首证书编号": "", "三首认定级别": "", "三首认定年度": ""}

    def values(**changes):
        row = list(GOOD)
        for header, value in changes.items():
            row[HEADERS.index(header)] = value
        return row

    rows = [
        values(**{"技术（产品）名称": "证书甲", "三首证书编号": "SAME"}),
        values(**{"技术（产品）名称": "证书乙", "三首证书编号": "SAME"}),
        values(**{"技术（产品）名称": "证书被占用", "三首证书编号": "TAKEN-1"}),
        values(统一社会信用代码=government.credit_code, 企业名称=government.name, **no_credential),
        values(统一社会信用代码=government.credit_code, 企业名称=government.name, **no_credential),
        values(统一社会信用代码=named.credit_code, 企业名称="宁波冒名有限公司", **no_credential),
    ]
    checks = check_rows(enumerate(rows, start=2))
    columns = [[column for column, _message in check.errors] for check in checks]
    assert columns == [
        [],
        ["三首证书编号"],
        ["三首证书编号"],
        ["统一社会信用代码"],
        ["技术（产品）名称"],  # the repeat only: not the database's finding again
        ["企业名称"],
    ]
    assert "证书编号与第 2 行重复" in checks[1].errors[0][1]
