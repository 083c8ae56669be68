import pytest
from django.core.exceptions import ValidationError

from accounts.validators import credit_code_check_character, validate_credit_code

# Published codes of real organisations (from their business licences).
REAL_CODES = ["91110000802100433B", "91330200144070917T"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_valid_credit_codes_pass(code):
    validate_credit_code(code)


def test_check_character_is_computed_with_gb32100_weights():
    assert credit_code_check_character("91110000802100433") == "B"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91110000802100433C", "校验位不正确"),
        ("9111000080210043", "应为 18 位，当前为 16 位"),
        ("91110000802100433B1", "应为 18 位，当前为 19 位"),
        ("91330200144070917t", "字母应为大写"),
        ("91330200 144070917T", "不能包含空格"),
        (" 91330200144070917T", "不能包含空格"),
        ("91330200144070917Ｔ", "不允许的字符"),
        ("9133020014407091IT", "不允许的字符：I"),
        ("91AB0200144070917T", "行政区划代码"),
        ("", "请填写统一社会信用代码"),
    ],
)
def test_bad_credit_codes_get_a_specific_chinese_message(code, message):
    with pytest.raises(ValidationError) as raised:
        validate_credit_code(code)
    assert message in raised.value.messages[0]
