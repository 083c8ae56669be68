"""The list as Excel: an edition's workbook, one sheet per industry section (门类)."""

from django.utils.translation import gettext as _

from core.excel import SheetWriter, new_workbook, workbook_bytes

HEADERS = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所在区域",
    "技术（产品）名称",
    "类型",
    "行业大类",
    "战略性新兴产业领域",
    "技术（产品）简介",
    "应用案例",
    "技术领域",
    "成熟度",
    "价格区间",
    "战略性新兴技术（产品）",
    "自主创新产品",
    "三首认定",
]
WIDTHS = [6, 32, 22, 10, 28, 8, 28, 16, 50, 40, 24, 10, 14, 10, 10, 36]
CHUNK = 200


def _credentials_text(entry) -> str:
    return "；".join(
        f"{c.get_kind_display()}（{c.get_level_display()}，{c.year}，{c.certificate_number}）"
        for c in entry.credentials.all()
    )


def edition_workbook(edition, report) -> bytes:
    entries = (
        edition.entries.select_related(
            "company", "company__district", "industry", "industry__section", "strategic_area"
        )
        .prefetch_related("credentials")
        .order_by("industry__section__code", "industry__code", "company__name", "name")
    )
    total = entries.count()
    workbook = new_workbook()
    writers: dict[str, SheetWriter] = {}
    numbers: dict[str, int] = {}
    for done, entry in enumerate(entries.iterator(chunk_size=CHUNK), start=1):
        section = entry.industry.section if entry.industry_id else None
        sheet = f"{section.code} {section.name}" if section else "未分类"
        if sheet not in writers:
            # Sheet titles may not hold : \ / ? * [ ] and are at most 31 characters.
            clean = "".join(char for char in sheet if char not in ":\\/?*[]")[:31]
            writers[sheet] = SheetWriter(workbook, clean, HEADERS, widths=WIDTHS)
            numbers[sheet] = 0
        numbers[sheet] += 1
        writers[sheet].append(
            [
                numbers[sheet],
                entry.company.name,
                entry.company.credit_code,
                entry.company.district.name,
                entry.name,
                entry.get_kind_display(),
                f"{entry.industry.code} {entry.industry.name}" if entry.industry_id else "",
                entry.strategic_area.name if entry.strategic_area_id else "",
                entry.description,
                entry.application_cases,
                "、".join(entry.technology_fields or []),
                entry.get_maturity_display(),
                entry.get_price_band_display(),
                "是" if entry.is_strategic_emerging else "",
                "是" if entry.is_independent_innovation else "",
                _credentials_text(entry),
            ]
        )
        if done % CHUNK == 0:
            report(int(done * 90 / max(total, 1)), _("已写入 %(done)d / %(total)d 条") % {"done": done, "total": total})
    if not writers:
        SheetWriter(workbook, "说明", ["本版次没有条目"])
    return workbook_bytes(workbook)
