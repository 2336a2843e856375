"""Whether two answers are the same: numbers exactly or within tolerance, expressions symbolically.

>>> answers_match("১৮", "18.0"), answers_match("33.33", "100/3"), answers_match("3", "4")
(True, True, False)
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, localcontext
from fractions import Fraction

from . import expressions
from .extraction import ParsedNumber, is_plain_number, parse_number, plain_number
from .numbers import canonical

ABSOLUTE_TOLERANCE = Fraction(1, 10**9)
RELATIVE_TOLERANCE = Fraction(1, 10**6)
"""A fraction or float matches a number this close: enough for 0.1 + 0.2 and for 1/3 written with
10 decimals. Numbers written with decimal digits on both sides must be equal (1000000 is not 1000001)."""

_SHARED_DEADLINE: ContextVar[float | None] = ContextVar("pasmr_symbolic_deadline", default=None)


@contextmanager
def symbolic_time_limit(seconds: float) -> Iterator[None]:
    """Every :func:`answers_equivalent` call inside shares ``seconds`` of symbolic work in all.

    A scorer that compares several answers (the target, the gold, a vote over pivot answers) stays
    within one bound however many comparisons it makes; past it, answers with different canonical
    forms are not equivalent. Nested limits keep the earlier deadline.

    >>> with symbolic_time_limit(0.0):
    ...     answers_equivalent("\\frac{\\pi}{2}", "\\pi/2"), answers_equivalent("18", "18.0")
    (False, True)
    """
    deadline = time.monotonic() + seconds
    outer = _SHARED_DEADLINE.get()
    token = _SHARED_DEADLINE.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _SHARED_DEADLINE.reset(token)


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
    return _parsed_match(first, second)


def _parsed_match(first: ParsedNumber, second: ParsedNumber) -> bool:
    """The comparison of :func:`answers_match` on numbers already read."""
    return any(
        _equal(x, y) or _rounds_to(x, y.value) or _rounds_to(y, x.value)
        for x in _readings(first)
        for y in _readings(second)
    )


def _written(number: ParsedNumber) -> str:
    """A number as ASCII with the decimal places it was written with ("18.50" stays "18.50")."""
    if not number.decimals:
        return canonical(number.value)
    with localcontext() as context:
        context.prec = 80
        exact = Decimal(number.value.numerator) / Decimal(number.value.denominator)
        return format(exact.quantize(Decimal(1).scaleb(-number.decimals)), "f")


def answer_key(answer: object, lang: str | None = None) -> str | None:
    """A cheap canonical key: equal keys mean equivalent answers (different keys may still be equivalent).

    Numbers give their canonical number, expressions their canonical LaTeX form
    (:func:`pasmr_plugin.expressions.canonical_form`); None for what is no answer at all.

    >>> answer_key("18.00"), answer_key("$\\\\dfrac{\\\\pi}{3}$"), answer_key("keine Zahl")
    ('18', '\\\\frac{\\\\pi}{3}', None)
    """
    try:
        number = plain_number(answer, lang)
        if number is not None:
            return canonical(number.value)
        return expressions.math_form(answer) if isinstance(answer, str) else None
    except Exception:  # pragma: no cover - defensive: never raise into a trainer
        return None


def answers_equivalent(a: object, b: object, lang: str | None = None, *, budget: float | None = None) -> bool:
    """Whether two answers are the same mathematical object; never raises.

    Two numbers are compared by :func:`answers_match` (``lang`` decides separators there).
    Otherwise the answers are compared as LaTeX: first by canonical form, then symbolically
    (fractions, radicals, π, powers, expressions in variables, unordered sets, ordered tuples,
    intervals, inequalities, equations) within ``budget`` seconds
    (``expressions.SYMBOLIC_TIME_BUDGET`` by default, less inside :func:`symbolic_time_limit`);
    without the ``math`` extra, or past the budget, answers with different canonical forms are not
    equivalent.

    >>> answers_equivalent("\\\\{2, -\\\\frac{1}{2}\\\\}", "\\\\{-0.5, 2\\\\}"), answers_equivalent("1.430", "1430", "de")
    (True, True)
    >>> answers_equivalent("2^{2024} - 1", "2^{2024}")
    False
    """
    try:
        if a is None or b is None:
            return False
        if isinstance(a, str) and a == b and is_plain_number(a, lang):  # fast path: canonical numbers
            return True
        first, second = plain_number(a, lang), plain_number(b, lang)
        if first is not None and second is not None:
            return _parsed_match(first, second)
        texts = []
        for answer, number in ((a, first), (b, second)):
            if number is not None:
                texts.append(_written(number))
            elif isinstance(answer, str):
                texts.append(answer)
            else:
                return False
        if not all(expressions.looks_like_math(text) for text in texts):  # words or cut-off LaTeX: spelling only
            form = expressions.canonical_form(texts[0])
            return bool(form) and form == expressions.canonical_form(texts[1])
        limit = expressions.SYMBOLIC_TIME_BUDGET if budget is None else budget
        shared = _SHARED_DEADLINE.get()
        if shared is not None:
            limit = min(limit, shared - time.monotonic())
        if limit <= 0:
            return expressions.canonical_form(texts[0]) == expressions.canonical_form(texts[1])
        return bool(expressions.symbolically_equivalent(texts[0], texts[1], budget=limit))
    except Exception:  # pragma: no cover - defensive: never raise into a trainer or an evaluation
        return False
