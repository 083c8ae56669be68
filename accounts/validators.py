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


class PasswordComplexityValidator:
    """等保 level 3: at least ten characters of at least three classes — capitals, small letters,
    digits, and anything else (symbols; a Chinese character counts as one)."""

    def __init__(self, min_length: int = 10, min_classes: int = 3):
        self.min_length = min_length
        self.min_classes = min_classes

    @staticmethod
    def classes_in(password: str) -> int:
        upper = any(char.isupper() for char in password)
        lower = any(char.islower() for char in password)
        digit = any(char.isdigit() for char in password)
        other = any(not (char.isupper() or char.islower() or char.isdigit() or char.isspace()) for char in password)
        return upper + lower + digit + other

    def validate(self, password: str, user=None) -> None:
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    _("密码至少需要 %(min_length)d 个字符，当前为 %(length)d 个。")
                    % {"min_length": self.min_length, "length": len(password)},
                    code="password_too_short",
                )
            )
        if self.classes_in(password) < self.min_classes:
            errors.append(
                ValidationError(
                    _("密码须包含大写字母、小写字母、数字和符号中的至少 %(classes)d 类。")
                    % {"classes": self.min_classes},
                    code="password_too_simple",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return _("至少 %(min_length)d 个字符，包含大写字母、小写字母、数字和符号中的至少 %(classes)d 类。") % {
            "min_length": self.min_length,
            "classes": self.min_classes,
        }


class PasswordHistoryValidator:
    """No reuse of the last `count` passwords (their hashes are kept in PreviousPassword).

    Django calls `password_changed` whenever a password is set and saved (User.save after
    set_password), wherever that happens — a page, a service, `manage.py changepassword` — so the
    history is recorded in one place."""

    def __init__(self, count: int = 5):
        self.count = count

    def _recent_hashes(self, user) -> list[str]:
        from accounts.models import PreviousPassword

        hashes = list(PreviousPassword.objects.filter(user=user).values_list("password", flat=True)[: self.count])
        if user.password and user.password not in hashes:
            hashes.append(user.password)  # an account older than the history
        return hashes

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from django.contrib.auth.hashers import check_password

        if any(check_password(password, encoded) for encoded in self._recent_hashes(user)):
            raise ValidationError(
                _("新密码不能与最近 %(count)d 次使用过的密码相同。") % {"count": self.count}, code="password_reused"
            )

    def password_changed(self, password: str, user=None) -> None:
        from accounts.models import PreviousPassword

        if user is None or user.pk is None:
            return
        PreviousPassword.objects.create(user=user, password=user.password)
        stale = list(PreviousPassword.objects.filter(user=user).values_list("pk", flat=True)[self.count :])
        if stale:
            PreviousPassword.objects.filter(pk__in=stale).delete()

    def get_help_text(self) -> str:
        return _("不能与最近 %(count)d 次使用过的密码相同。") % {"count": self.count}
