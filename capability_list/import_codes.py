"""The import's coded columns and the values each accepts, shared by the template (its drop-down
lists and its 代码表 sheet) and the checker (its messages name the same values).

The import file is a Chinese form whatever the interface language (its headers are fixed), so the
values are the Chinese labels. A list short enough for Excel's inline list (at most 255 characters,
no comma) is written into the validation and named in full in the checker's messages; a longer one
(the 97 industry divisions) lives on the template's 代码表 sheet, and the messages point there.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import District
from capability_list.choices import CredentialKind, CredentialLevel, EntryKind, Maturity, PriceBand
from capability_list.models import Industry, StrategicArea

CODE_SHEET = "代码表"
INLINE_LIMIT = 255  # Excel refuses an inline list longer than this
YES_NO = ["是", "否"]


@dataclass(frozen=True)
class CodeList:
    key: str  # the column's key (import_checker.COLUMNS)
    values: list[str]

    @property
    def inline(self) -> bool:
        """Fits Excel's inline list: 255 characters with the separating commas, no comma or quote inside."""
        return len(",".join(self.values)) <= INLINE_LIMIT and not any(
            "," in value or '"' in value for value in self.values
        )


def industry_label(industry) -> str:
    """A division as the drop-down offers it: its code, then its name (39 计算机、通信…)."""
    return f"{industry.code} {industry.name}"


def code_lists() -> dict[str, CodeList]:
    """{column key: its allowed values}, in the order the reference data sorts them. Four queries."""
    with translation.override(settings.LANGUAGE_CODE):
        lists = [
            CodeList("district", [district.name for district in District.objects.all()]),
            CodeList("kind", [str(label) for label in EntryKind.labels]),
            CodeList(
                "industry",
                [industry_label(industry) for industry in Industry.objects.filter(section__isnull=False)],
            ),
            CodeList("strategic_area", [area.name for area in StrategicArea.objects.order_by("code")]),
            CodeList("maturity", [str(label) for label in Maturity.labels]),
            CodeList("price_band", [str(label) for label in PriceBand.labels]),
            CodeList("is_strategic_emerging", YES_NO),
            CodeList("is_independent_innovation", YES_NO),
            CodeList("credential_kind", [str(label) for label in CredentialKind.labels]),
            CodeList("credential_level", [str(label) for label in CredentialLevel.labels]),
        ]
    return {code_list.key: code_list for code_list in lists}


def allowed_values_hint(code_list: CodeList, header: str) -> str:
    """The sentence a checker message ends with: the allowed values, or where the template lists them."""
    if code_list.inline:
        return _("可选值：%(values)s。") % {"values": "、".join(code_list.values)}
    return _("可选值见导入模板“%(sheet)s”工作表的“%(column)s”列。") % {"sheet": CODE_SHEET, "column": header}
