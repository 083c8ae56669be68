"""Whole numbers as they arrive from outside: an id in a URL or a form, a year in a query string."""

from django.http import Http404

# The largest id a 64-bit primary key holds; a larger number in a query string must be a 400 or
# match nothing, not an overflow deep in the database driver.
LARGEST_ID = 2**63 - 1


def whole_number(value, *, largest: int = LARGEST_ID) -> int | None:
    """`value` as a whole number written in ASCII digits, at most `largest`; else None.

    Nothing else is read as one: not "1 " nor "+1", and not "²" or "①", which str.isdigit() accepts
    and int() refuses (a 500)."""
    text = str(value) if value is not None else ""
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= largest else None


def id_or_404(value) -> int:
    """A record id from a URL or a form; anything else (missing, "abc", "²", beyond 64 bits) is a 404."""
    number = whole_number(value)
    if number is None:
        raise Http404
    return number
