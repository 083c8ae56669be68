"""Money in contests: exact yuan as Decimal with at most two decimals, never a float."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.errors import DomainError

# Far above any budget (¥1,000,000 per award); beyond it Decimal.quantize itself would fail.
LARGEST_AMOUNT = Decimal("1e13")


def parse_money(value, *, field: str, column=None) -> Decimal:
    """Exact yuan with at most two decimals; never a float. `field` names the amount in the refusal.

    `column`, the model DecimalField the amount is stored in, bounds it to what the column holds:
    PostgreSQL refuses a number beyond max_digits with an error (a 500), so it is refused here."""
    largest = LARGEST_AMOUNT if column is None else min(LARGEST_AMOUNT, _largest_in(column))
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        raise DomainError(_("%(field)s应为金额数字。") % {"field": field}, code="money") from None
    if amount.is_finite() and abs(amount) >= largest:
        raise DomainError(_("%(field)s超出范围。") % {"field": field}, code="money")
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("%(field)s最多保留两位小数。") % {"field": field}, code="money")
    return amount.quantize(Decimal("0.01"))


def _largest_in(column) -> Decimal:
    """The first amount a DecimalField(max_digits, decimal_places) cannot hold."""
    return Decimal(10) ** (column.max_digits - column.decimal_places)


def yuan(amount: Decimal) -> str:
    """¥1,234.50 — as the refusals quote amounts."""
    return f"¥{amount:,.2f}"
