"""GB 32100-2015's check character, position by position, and the password rules at their
boundaries (accounts.validators). `make mutate` measures that breaking any of them fails here."""

import pytest
from django.core.exceptions import ValidationError

from accounts.validators import (
    CREDIT_CODE_ALPHABET,
    CREDIT_CODE_WEIGHTS,
    PasswordComplexityValidator,
    credit_code_check_character,
    validate_credit_code,
)


def test_the_weights_are_the_standards_powers_of_three_modulo_31():
    """Rule: GB 32100 weights W_i = 3^(i) mod 31 for the 17 positions."""
    assert CREDIT_CODE_WEIGHTS == tuple(pow(3, position, 31) for position in range(17))


@pytest.mark.parametrize("position", range(17))
def test_each_position_weighs_in_the_check_character(position):
    """Rule: a 1 at one position and 0 elsewhere gives the check character 31 − W mod 31 —
    so a wrong weight at any position, even where real codes have a 0, changes the answer."""
    weight = pow(3, position, 31)
    code = "0" * position + "1" + "0" * (16 - position)
    assert credit_code_check_character(code) == CREDIT_CODE_ALPHABET[(31 - weight) % 31]


def test_a_weighted_sum_that_is_a_multiple_of_31_checks_with_zero():
    """Rule: (31 − sum mod 31) mod 31: a sum divisible by 31 gives '0', not the 31st character."""
    assert credit_code_check_character("0" * 17) == "0"


def test_a_real_code_passes_and_the_next_check_character_fails():
    """Rule: validate_credit_code accepts exactly the computed check character."""
    validate_credit_code("91330200MA2H4Q7P7N"[:17] + credit_code_check_character("91330200MA2H4Q7P7"))
    wrong = "91330200MA2H4Q7P7" + ("0" if credit_code_check_character("91330200MA2H4Q7P7") != "0" else "1")
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(wrong)
    assert refused.value.code == "check_digit"


@pytest.mark.parametrize(
    "value, code",
    [
        ("", "required"),
        (None, "required"),
        (" 91330200MA2H4Q7P7", "spaces"),
        ("91330200MA2H4Q7P7\u3000", "spaces"),
        ("9133020 MA2H4Q7P7X", "spaces"),
        ("91330200MA2H4Q7P", "length"),
        ("91330200MA2H4Q7P7XX", "length"),
        ("91330200ma2h4q7p7x", "lowercase"),
        ("91330200MA2H4Q7P7I", "characters"),
        ("9133A200MA2H4Q7P7X", "division"),
    ],
)
def test_each_way_a_code_is_wrong_has_its_own_refusal(value, code):
    """Rule: each check of validate_credit_code refuses on its own, with its own code."""
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(value)
    assert refused.value.code == code


def test_eighteen_characters_exactly():
    """Rule: the length is 18 — 17 and 19 are refused for their length, not their check character."""
    body = "91330200MA2H4Q7P7"
    validate_credit_code(body + credit_code_check_character(body))


@pytest.mark.parametrize(
    "password, too_short, too_simple",
    [
        ("Abcdefgh1!", False, False),  # 10 characters, 4 classes
        ("Abcdefg1!", True, False),  # 9 characters
        ("Abcdefghij1", False, False),  # 3 classes: capital, small, digit
        ("abcdefghij1!", False, False),  # 3 classes: small, digit, symbol
        ("ABCDEFGHIJ1!", False, False),  # 3 classes: capital, digit, symbol
        ("Abcdefghij!", False, False),  # 3 classes: capital, small, symbol
        ("abcdefghijk1", False, True),  # 2 classes
        ("abcdefghij 1", False, True),  # a space is no symbol
        ("abcdefghijkl", False, True),  # 1 class
    ],
)
def test_password_complexity_at_its_boundaries(password, too_short, too_simple):
    """Rule: at least 10 characters of at least 3 of 4 classes (等保 level 3)."""
    validator = PasswordComplexityValidator()
    try:
        validator.validate(password)
        codes = set()
    except ValidationError as refused:
        codes = {error.code for error in refused.error_list}
    assert ("password_too_short" in codes) is too_short
    assert ("password_too_simple" in codes) is too_simple


def test_password_classes_are_counted_one_each():
    """Rule: the four classes — capitals, small letters, digits, anything else but a space."""
    assert PasswordComplexityValidator.classes_in("A") == 1
    assert PasswordComplexityValidator.classes_in("Aa1!") == 4
    assert PasswordComplexityValidator.classes_in("中") == 1
    assert PasswordComplexityValidator.classes_in("   ") == 0
    validator = PasswordComplexityValidator()
    assert (validator.min_length, validator.min_classes) == (10, 3)
    assert "10" in validator.get_help_text() and "3" in validator.get_help_text()


def test_a_value_that_is_not_text_is_refused_as_missing():
    """Rule: anything but a non-empty string is "required"."""
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(913302001234567890)
    assert refused.value.code == "required"


@pytest.mark.parametrize("value", ["91330200MA2H4Q7P7\t", "9133020\u3000MA2H4Q7P7X", "\n91330200MA2H4Q7P7"])
def test_any_blank_is_refused_as_spaces(value):
    """Rule: leading or trailing blanks of any kind, and inner spaces (also full-width), are refused."""
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(value)
    assert refused.value.code == "spaces"


def _with_check(body: str) -> str:
    return body + credit_code_check_character(body)


@pytest.mark.parametrize(
    "body, valid",
    [
        ("9A330200MA2H4Q7P7", True),  # position 2: the organisation type may be a letter
        ("91A30200MA2H4Q7P7", False),  # position 3: the division begins
        ("9133020AMA2H4Q7P7", False),  # position 8: the division ends
        ("91330200MA2H4Q7P7", True),  # position 9: the organisation code may hold letters
    ],
)
def test_the_division_is_positions_three_to_eight(body, valid):
    """Rule: characters 3–8 are the administrative division, digits only; the others may be letters."""
    if valid:
        validate_credit_code(_with_check(body))
    else:
        with pytest.raises(ValidationError) as refused:
            validate_credit_code(_with_check(body))
        assert refused.value.code == "division"


def test_the_password_history_keeps_five():
    """Rule: no reuse of the last 5 passwords (the default count)."""
    from accounts.validators import PasswordHistoryValidator

    assert PasswordHistoryValidator().count == 5
    assert "5" in PasswordHistoryValidator().get_help_text()


@pytest.mark.django_db
def test_the_history_is_the_users_own_and_includes_the_current_password():
    """Rule: the history checked is the person's own previous passwords, plus the password they
    have now (an account older than the history); nobody else's; nothing for an unsaved user."""
    from accounts.models import PreviousPassword, User
    from accounts.validators import PasswordHistoryValidator
    from tests.factories.accounts import UserFactory

    validator = PasswordHistoryValidator()
    someone, other = UserFactory(), UserFactory()
    PreviousPassword.objects.filter(user=someone).delete()
    with pytest.raises(ValidationError):
        validator.validate("Secret-pass-2026", user=someone)  # the current one, with no history kept
    other.set_password("Other-pass-2026!")
    other.save()
    validator.validate("Other-pass-2026!", user=someone)  # another person's password is no concern
    validator.validate("Secret-pass-2026", user=User())  # not saved yet: nothing to compare
    before = PreviousPassword.objects.count()
    validator.password_changed("x", user=User())
    validator.password_changed("x", user=None)
    assert PreviousPassword.objects.count() == before
    validator.password_changed("Secret-pass-2026", user=someone)
    assert PreviousPassword.objects.filter(user=someone).count() == 1
