"""Whether two answers are the same number: exact for decimals, tolerant for fractions, money rounding.

>>> answers_match("১৮", "18.0"), answers_match("33.33", "100/3"), answers_match("3", "4")
(True, True, False)
"""

from __future__ import annotations

from fractions import Fraction

from .extraction import ParsedNumber, is_plain_number, parse_number

ABSOLUTE_TOLERANCE = Fraction(1, 10**9)
RELATIVE_TOLERANCE = Fraction(1, 10**6)
"""A fraction or float matches a number this close: enough for 0.1 + 0.2 and for 1/3 written with
10 decimals. Numbers written with decimal digits on both sides must be equal (1000000 is not 1000001)."""

def _equal(x: ParsedNumber, y: ParsedNumber) -> bool:
    """Exact for numbers written in decimals ("1000000" is not "1000001"); within tolerance for fractions and floats."""
    if x.decimals is not None and y.decimals is not None:
        return x.value == y.value
    return abs(x.value - y.value) <= ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * max(abs(x.value), abs(y.value))


def _rounds_to(written: ParsedNumber, other: Fraction) -> bool:
    """Money-style rounding: "33.33" matches 33.3333… and 100/3 (two or more decimals written)."""
    if written.decimals is None or written.decimals < 2:
        return False
    return abs(written.value - other) <= Fraction(1, 2 * 10**written.decimals)


def _readings(number: ParsedNumber) -> tuple[ParsedNumber, ...]:
    """"25%" is read both as 25 and as 0.25."""
    if not number.percent:
        return (number,)
    decimals = None if number.decimals is None else number.decimals + 2
    return (number, ParsedNumber(number.value / 100, decimals, False))


def answers_match(a: object, b: object, lang: str | None = None) -> bool:
    """Whether two answers (strings or numbers) are the same number; None never matches.

    Equal within ``RELATIVE_TOLERANCE``; a side written with two or more decimals also
    matches the other side rounded to that many places (money); "25%" matches 25 and 0.25;
    "3/4" and ``\\frac{3}{4}`` match 0.75.

    >>> answers_match("১৮", "18.0"), answers_match("33.33", "100/3"), answers_match("3", "4")
    (True, True, False)
    """
    if isinstance(a, str) and a == b and is_plain_number(a, lang):
        return True
    first = parse_number(a, lang)
    if first is None:
        return False  # the other side is not read at all
    second = first if isinstance(a, str) and a == b else parse_number(b, lang)  # the same text is read once
    if second is None:
        return False
    return any(
        _equal(x, y) or _rounds_to(x, y.value) or _rounds_to(y, x.value)
        for x in _readings(first)
        for y in _readings(second)
    )
