"""The Excel import's row checks, read to the end: every spelling of 是 and 否 and what it is stored
as, the year range named in its message, and a row already listed only when it is otherwise good
(capability_list.import_checker)."""

import pytest
from django.utils import timezone

from capability_list.import_checker import HEADERS, Lookups, check_row, check_rows
from tests.capability_list.test_import import GOOD, row
from tests.factories.accounts import OrganisationFactory, valid_credit_code
from tests.factories.capability_list import EntryFactory

pytestmark = pytest.mark.django_db

NO_CREDENTIAL = {"三首认定类型": "", "三首证书编号": "", "三首认定级别": "", "三首认定年度": ""}


@pytest.fixture
def lookups():
    return Lookups()


@pytest.mark.parametrize(
    "value, stored",
    [
        *((spelling, True) for spelling in ("是", "Y", "y", "YES", "Yes", "TRUE", "true", "1", 1)),
        *((spelling, False) for spelling in ("否", "", None, "N", "n", "NO", "no", "FALSE", "False", "0", 0)),
    ],
)
def test_every_spelling_of_yes_and_no_is_read_as_it_means(lookups, value, stored):
    """Rule: 是/Y/YES/TRUE/1 (any case) are yes, 否/N/NO/FALSE/0 and an empty cell are no; in both
    是/否 columns, and the row is stored with that flag."""
    values = list(GOOD)
    values[HEADERS.index("战略性新兴技术（产品）")] = value
    values[HEADERS.index("自主创新产品")] = value
    check = check_row(2, values, lookups)
    assert check.errors == []
    assert check.cleaned["is_strategic_emerging"] is stored
    assert check.cleaned["is_independent_innovation"] is stored


@pytest.mark.parametrize("year", [1999, "3000"])
def test_a_credential_year_out_of_range_names_the_whole_range(lookups, year):
    """Rule: the message for a year out of range names the first year (2000) and this year as the
    last one accepted."""
    values = list(GOOD)
    values[HEADERS.index("三首认定年度")] = year
    check = check_row(2, values, lookups)
    this_year = timezone.localdate().year
    assert check.errors == [("三首认定年度", f"年度应在 2000–{this_year} 之间。")]


def test_a_row_already_listed_is_marked_existing_only_when_nothing_else_is_wrong():
    """Rule: a row whose company and name are already in the list is marked existing (imported
    again it changes nothing); a row that also has an error is an error row, never existing; a
    new row is neither."""
    company = OrganisationFactory(name="宁波已有企业有限公司", credit_code=valid_credit_code(9200))
    EntryFactory(company=company, name="已登记产品")
    EntryFactory(company=company, name="名称不符产品")
    listed = {"统一社会信用代码": company.credit_code, "企业名称": company.name, **NO_CREDENTIAL}
    rows = [
        row(**listed, **{"技术（产品）名称": "已登记产品"}),
        row(**{**listed, "企业名称": "宁波冒名有限公司"}, **{"技术（产品）名称": "名称不符产品"}),
        row(**listed, **{"技术（产品）名称": "新产品"}),
    ]
    checks = check_rows(enumerate(rows, start=2))
    assert [(bool(check.errors), check.existing) for check in checks] == [(False, True), (True, False), (False, False)]
