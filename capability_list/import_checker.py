"""The Excel import's checker: the columns of the workbook, and every check of a file and its rows.

For associations and operators who import capability entries in bulk. It reads (reference data,
what is already listed) but writes nothing; services/imports.py writes what it found.

1. The whole file: core.excel_reading (shared with the other Excel import) refuses a corrupt,
   encrypted, wrong-format, oversized, macro-carrying or hostile file before openpyxl opens it,
   and reads only the first visible sheet, below its header row, trusting nothing the file says
   about itself; every refusal is a WorkbookRefused with a Chinese message.
2. read_rows / check_rows (the dry run): every bad cell as (row, column, reason in Chinese);
   a row already in the list (same company and name) is marked existing.
The workbooks handed out (the template, the rejected rows) are import_workbooks.py; the coded
columns' allowed values, which the template and the checks both read, import_codes.py.
"""

import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import District, Organisation
from accounts.validators import credit_code_check_character, validate_credit_code
from capability_list.choices import CredentialKind, CredentialLevel, EntryKind, Maturity, PriceBand
from capability_list.entry_rules import (
    FIRST_CREDENTIAL_YEAR,
    IMPORT_KEYWORD_SEPARATORS,
    MAX_FIELDS,
    MAX_KEYWORD_LENGTH,
    credential_years,
    split_keywords,
)
from capability_list.import_codes import allowed_values_hint, code_lists, industry_label
from capability_list.models import CapabilityEntry, Credential, Industry, StrategicArea
from core.excel_reading import check_workbook_file, read_table
from core.ids import whole_number

MAX_ROWS = 100_000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    max_length: int | None = None
    help: str = ""


COLUMNS = [
    Column("company_name", "企业名称", True, 100),
    Column("credit_code", "统一社会信用代码", True, help="18 位"),
    Column("district", "企业所在区域", True, help="如：鄞州区"),
    Column("name", "技术（产品）名称", True, 100),
    Column("kind", "类型", True, help="技术 / 产品 / 解决方案"),
    Column("description", "技术（产品）简介", True, 3000),
    Column("application_cases", "应用案例", False, 3000),
    Column("technology_fields", "技术领域", False, help="关键词用顿号分隔，最多 10 个"),
    Column("industry", "行业大类代码", True, help="GB/T 4754-2017 两位代码，如 39；或从下拉列表选择“代码 名称”"),
    Column("strategic_area", "战略性新兴产业领域", True, help="如：新一代信息技术产业"),
    Column("maturity", "成熟度", True, help="样机/原型、中试、示范应用、规模化应用"),
    Column("price_band", "价格区间", False, help="如：50–200 万元"),
    Column("is_strategic_emerging", "战略性新兴技术（产品）", False, help="是 / 否"),
    Column("is_independent_innovation", "自主创新产品", False, help="是 / 否"),
    Column("credential_kind", "三首认定类型", False, help="首台套 / 首批次 / 首版次"),
    Column("credential_number", "三首证书编号", False, 60),
    Column("credential_level", "三首认定级别", False, help="国家级 / 省级 / 市级"),
    Column("credential_year", "三首认定年度", False, help="如 2024"),
]
HEADERS = [column.header for column in COLUMNS]
YES, NO = {"是", "Y", "YES", "TRUE", "1"}, {"否", "", "N", "NO", "FALSE", "0"}


@dataclass
class RowCheck:
    number: int  # the row number in the sheet, as Excel shows it
    values: list
    errors: list = field(default_factory=list)  # [(column header, message)]
    cleaned: dict = field(default_factory=dict)
    existing: bool = False


def read_rows(uploaded):
    """Yield (row number, values in COLUMNS order) from the first visible sheet, below its header
    row (core.excel_reading.read_table: hidden sheets, title rows, malformed parts, the row limit)."""
    return read_table(uploaded, HEADERS, max_rows=MAX_ROWS)


def _labels(choices) -> dict[str, str]:
    """{label: value}: the Chinese labels the template offers, and those of the interface's language."""
    labels = {str(label): value for value, label in choices.choices}
    with translation.override(settings.LANGUAGE_CODE):
        labels.update({str(label): value for value, label in choices.choices})
    return labels


class Lookups:
    """Reference data loaded once per import, so checking a row costs no query."""

    def __init__(self):
        self.codes = code_lists()
        self.districts = {district.name: district for district in District.objects.all()}
        self.districts.update({district.name.rstrip("区县市"): district for district in self.districts.values()})
        self.divisions = {industry.code: industry for industry in Industry.objects.filter(section__isnull=False)}
        self.sections = set(Industry.objects.filter(section__isnull=True).values_list("code", flat=True))
        self.industry_labels = {industry_label(industry): industry for industry in self.divisions.values()}
        self.areas = {area.name: area for area in StrategicArea.objects.all()}
        self.areas.update({area.name.removesuffix("产业"): area for area in list(self.areas.values())})
        self.areas.update({area.code: area for area in StrategicArea.objects.all()})
        self.kinds = _labels(EntryKind)
        self.maturities = _labels(Maturity)
        self.price_bands = {label.replace(" ", ""): value for label, value in _labels(PriceBand).items()}
        self.credential_kinds = _labels(CredentialKind)
        self.levels = _labels(CredentialLevel)
        self.levels.update({label.removesuffix("级"): value for label, value in list(self.levels.items())})

    def hint(self, key: str) -> str:
        """The end of a message about a value not in the column's list: the values allowed."""
        return allowed_values_hint(self.codes[key], next(column.header for column in COLUMNS if column.key == key))


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def check_row(number: int, values: list, lookups: Lookups) -> RowCheck:
    """Every problem of one row, each with its column and a Chinese reason."""
    check = RowCheck(number=number, values=values)
    raw = {column.key: cell_text(value) for column, value in zip(COLUMNS, values)}
    header = {column.key: column.header for column in COLUMNS}

    def error(key, message):
        check.errors.append((header[key], message))

    for column in COLUMNS:
        if column.required and not raw[column.key]:
            error(column.key, _("必填，不能为空。"))
        elif column.max_length and len(raw[column.key]) > column.max_length:
            error(column.key, _("超过 %(max)d 个字。") % {"max": column.max_length})
    for key, value in raw.items():
        if value.startswith(("=", "+", "@")) and key not in ("credential_number",):
            error(key, _("不能使用公式或以公式符号开头，请填写文本。"))
    if raw["credit_code"]:
        try:
            validate_credit_code(raw["credit_code"])
        except ValidationError as problem:
            error("credit_code", problem.messages[0])
    if raw["district"] and raw["district"] not in lookups.districts:
        error("district", _("未知区域“%(value)s”。") % {"value": raw["district"]} + lookups.hint("district"))
    if raw["kind"] and raw["kind"] not in lookups.kinds:
        error("kind", _("应为技术、产品或解决方案。"))
    if raw["industry"] in lookups.industry_labels:  # as the template's drop-down offers it: 39 计算机…
        check.cleaned["industry"] = lookups.industry_labels[raw["industry"]]
    elif raw["industry"]:
        code = raw["industry"].zfill(2) if raw["industry"].isdigit() else raw["industry"].upper()
        if code in lookups.sections:
            error("industry", _("“%(code)s”是门类，请填写两位大类代码。") % {"code": code})
        elif code not in lookups.divisions:
            error("industry", _("未知行业代码“%(code)s”。") % {"code": raw["industry"]} + lookups.hint("industry"))
        else:
            check.cleaned["industry"] = lookups.divisions[code]
    if raw["strategic_area"] and raw["strategic_area"] not in lookups.areas:
        error(
            "strategic_area",
            _("未知领域“%(value)s”。") % {"value": raw["strategic_area"]} + lookups.hint("strategic_area"),
        )
    if raw["maturity"] and raw["maturity"] not in lookups.maturities:
        error("maturity", _("应为样机/原型、中试、示范应用或规模化应用。"))
    if raw["price_band"] and raw["price_band"].replace(" ", "") not in lookups.price_bands:
        error("price_band", _("未知价格区间“%(value)s”。") % {"value": raw["price_band"]} + lookups.hint("price_band"))
    for key in ("is_strategic_emerging", "is_independent_innovation"):
        if raw[key].upper() not in YES | NO:
            error(key, _("应填“是”或“否”。"))
    fields = split_keywords(raw["technology_fields"], IMPORT_KEYWORD_SEPARATORS)
    if len(fields) > MAX_FIELDS:
        error("technology_fields", _("最多 10 个关键词。"))
    elif any(len(word) > MAX_KEYWORD_LENGTH for word in fields):
        error("technology_fields", _("关键词不能超过 20 个字。"))
    credential = [raw["credential_kind"], raw["credential_number"], raw["credential_level"], raw["credential_year"]]
    if any(credential):
        if not raw["credential_kind"]:
            error("credential_kind", _("填写了三首证书信息，但缺少认定类型。"))
        elif raw["credential_kind"] not in lookups.credential_kinds:
            error("credential_kind", _("应为首台套、首批次或首版次。"))
        if not raw["credential_number"]:
            error("credential_number", _("缺少证书编号。"))
        if raw["credential_level"] not in lookups.levels:
            error("credential_level", _("应为国家级、省级或市级。"))
        if whole_number(raw["credential_year"]) is None:
            error("credential_year", _("年度应为四位数字。"))
        elif whole_number(raw["credential_year"]) not in credential_years():
            error(
                "credential_year",
                _("年度应在 %(first)d–%(last)d 之间。")
                % {"first": FIRST_CREDENTIAL_YEAR, "last": credential_years()[-1]},
            )
    if not check.errors:
        check.cleaned.update(
            company_name=raw["company_name"],
            credit_code=raw["credit_code"],
            district=lookups.districts[raw["district"]],
            name=raw["name"],
            kind=lookups.kinds[raw["kind"]],
            description=raw["description"],
            application_cases=raw["application_cases"],
            technology_fields=list(dict.fromkeys(fields)),
            strategic_area=lookups.areas[raw["strategic_area"]],
            maturity=lookups.maturities[raw["maturity"]],
            price_band=lookups.price_bands.get(raw["price_band"].replace(" ", ""), ""),
            is_strategic_emerging=raw["is_strategic_emerging"].upper() in YES,
            is_independent_innovation=raw["is_independent_innovation"].upper() in YES,
            credential=(
                {
                    "kind": lookups.credential_kinds[raw["credential_kind"]],
                    "certificate_number": raw["credential_number"],
                    "level": lookups.levels[raw["credential_level"]],
                    "year": int(raw["credential_year"]),
                }
                if raw["credential_kind"]
                else None
            ),
        )
    return check


def check_rows(rows, report=None, total_hint: int = 0) -> list[RowCheck]:
    """The dry run: check each row, then the rules that span rows and the database."""
    lookups = Lookups()
    checks = []
    for count, (number, values) in enumerate(rows, start=1):
        checks.append(check_row(number, values, lookups))
        if report and count % 1000 == 0:
            report(min(60, int(count * 60 / max(total_hint, count))), _("已检查 %(count)d 行") % {"count": count})
    _check_across_rows(checks)
    return checks


def _check_across_rows(checks: list[RowCheck]) -> None:
    valid = [check for check in checks if not check.errors]
    seen_rows, seen_certificates = {}, {}
    for check in valid:
        key = (check.cleaned["credit_code"], check.cleaned["name"])
        if key in seen_rows:
            check.errors.append(
                (HEADERS[3], _("与第 %(row)d 行重复（同一企业的同名技术（产品））。") % {"row": seen_rows[key]})
            )
        else:
            seen_rows[key] = check.number
        credential = check.cleaned.get("credential")
        if credential:
            certificate = (credential["kind"], credential["certificate_number"])
            if certificate in seen_certificates and seen_certificates[certificate][0] != key:
                check.errors.append(
                    (HEADERS[15], _("证书编号与第 %(row)d 行重复。") % {"row": seen_certificates[certificate][1]})
                )
            seen_certificates.setdefault(certificate, (key, check.number))
    codes = list({check.cleaned["credit_code"] for check in valid})
    organisations = {
        organisation.credit_code: organisation
        for organisation in in_chunks(Organisation.objects.all(), "credit_code", codes)
    }
    existing = set(
        in_chunks(CapabilityEntry.objects.values_list("company__credit_code", "name"), "company__credit_code", codes)
    )
    taken = {
        (kind, number): (code, name)
        for kind, number, code, name in in_chunks(
            Credential.objects.values_list("kind", "certificate_number", "entry__company__credit_code", "entry__name"),
            "certificate_number",
            list({certificate[1] for certificate in seen_certificates}),
        )
    }
    for check in valid:
        if check.errors:
            continue
        organisation = organisations.get(check.cleaned["credit_code"])
        if organisation is not None and organisation.kind != "company":
            check.errors.append((HEADERS[1], _("该信用代码属于非企业机构“%(name)s”。") % {"name": organisation.name}))
        elif organisation is not None and organisation.name != check.cleaned["company_name"]:
            check.errors.append(
                (HEADERS[0], _("信用代码对应的企业为“%(name)s”，名称不一致。") % {"name": organisation.name})
            )
        credential = check.cleaned.get("credential")
        if credential:
            owner = taken.get((credential["kind"], credential["certificate_number"]))
            if owner and owner != (check.cleaned["credit_code"], check.cleaned["name"]):
                check.errors.append((HEADERS[15], _("证书编号已被其他条目登记。")))
        if not check.errors and (check.cleaned["credit_code"], check.cleaned["name"]) in existing:
            check.existing = True


LOOKUP_CHUNK = 5000


def in_chunks(queryset, field: str, values: list):
    """queryset.filter(field__in=values), a few thousand values at a time (databases cap parameters)."""
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield from queryset.filter(**{f"{field}__in": values[start : start + LOOKUP_CHUNK]})


# A well-formed code (its check character is right) for the template's example row.
EXAMPLE_CREDIT_CODE = "91330212MA2AXXXXX" + credit_code_check_character("91330212MA2AXXXXX")


def read_for_check(content: bytes, name: str):
    """Run the whole-file checks on stored bytes and return the row iterator."""
    uploaded = io.BytesIO(content)
    uploaded.name = name
    uploaded.size = len(content)
    check_workbook_file(uploaded)
    return read_rows(uploaded)
