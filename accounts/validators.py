"""统一社会信用代码 (unified social credit identifier), GB 32100-2015.

18 characters from a 31-character alphabet (digits and capitals without I, O, Z, S, V):
registration authority (1), organisation type (1), administrative division (6 digits),
organisation code (9), and a check character computed over the first 17 with fixed weights.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {char: index for index, char in enumerate(CREDIT_CODE_ALPHABET)}


def credit_code_check_character(first_seventeen: str) -> str:
    total = sum(_VALUE[char] * weight for char, weight in zip(first_seventeen, CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Raise a ValidationError with a specific Chinese message for each way a code can be wrong."""
    if not isinstance(value, str) or not value:
        raise ValidationError(_("请填写统一社会信用代码。"), code="required")
    if value != value.strip() or " " in value or "\u3000" in value:
        raise ValidationError(_("统一社会信用代码不能包含空格。"), code="spaces")
    if len(value) != 18:
        raise ValidationError(
            _("统一社会信用代码应为 18 位，当前为 %(length)d 位。") % {"length": len(value)}, code="length"
        )
    if any(char.islower() for char in value):
        raise ValidationError(_("统一社会信用代码中的字母应为大写。"), code="lowercase")
    bad = sorted({char for char in value if char not in _VALUE})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）。") % {"chars": "、".join(bad)},
            code="characters",
        )
    if not value[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第 3–8 位应为行政区划代码（数字）。"), code="division")
    if credit_code_check_character(value[:17]) != value[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对后重新输入。"), code="check_digit")
