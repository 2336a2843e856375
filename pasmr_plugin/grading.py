"""Whether two answers are the same: numbers exactly or by the rounding rule, expressions symbolically.

Exact where exact: two values are equal only when exactly equal, whatever their size. The one
tolerance is :func:`pasmr_plugin.numbers.rounds_to`: a decimal written with two or more places matches
a value that rounds to it ("33.33" and 100/3, "1.05" and π/3), the same for numbers here, for
expressions in :mod:`pasmr_plugin.expressions`, and so in the vote and the report.

>>> answers_match("১৮", "18.0"), answers_match("33.33", "100/3"), answers_match("3", "4")
(True, True, False)
"""

from __future__ import annotations

from functools import lru_cache

from . import expressions
from .extraction import ParsedNumber, is_plain_number, parse_number, plain_number
from .numbers import decimal_text, exact_text, neutral_notation, rounds_to


def _equal(x: ParsedNumber, y: ParsedNumber) -> bool:
    """Exactly equal, or one written as a decimal that the other rounds to."""
    return (
        x.value == y.value
        or (x.decimals is not None and rounds_to(y.value, x.value, x.decimals))
        or (y.decimals is not None and rounds_to(x.value, y.value, y.decimals))
    )


def _readings(number: ParsedNumber) -> tuple[ParsedNumber, ...]:
    """"25%" is read both as 25 and as 0.25."""
    if not number.percent:
        return (number,)
    decimals = None if number.decimals is None else number.decimals + 2
    return (number, ParsedNumber(number.value / 100, decimals, False))


def answers_match(a: object, b: object, lang: str | None = None) -> bool:
    """Whether two answers (strings or numbers) are the same number; None never matches.

    Equal exactly; a side written with two or more decimals also matches a value that rounds to
    it (:func:`pasmr_plugin.numbers.rounds_to`: money, and 1/3 written with 10 decimals); "25%"
    matches 25 and 0.25; "3/4" and ``\\frac{3}{4}`` match 0.75.

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
    return any(_equal(x, y) for x in _readings(first) for y in _readings(second))


def neutral_answer(answer: object, lang: str | None = None) -> object:
    """An answer written in ``lang`` in the language-neutral notation (:func:`pasmr_plugin.numbers.neutral_notation`);
    other objects, and any answer when ``lang`` is None, unchanged.

    >>> neutral_answer("\\\\boxed{-1,5}", "de"), neutral_answer("-1,1", "en"), neutral_answer("-1,1")
    ('\\\\boxed{-1.5}', '-1, 1', '-1,1')
    """
    return neutral_notation(answer, lang) if isinstance(answer, str) and lang is not None else answer


def answer_key(answer: object, lang: str | None = None) -> str | None:
    """A cheap canonical key: equal keys mean equivalent answers (different keys may still be equivalent).

    Numbers give their exact text (:func:`pasmr_plugin.numbers.exact_text`: "18", "0.125", "4/27"),
    expressions their canonical LaTeX form (:func:`pasmr_plugin.expressions.canonical_form`); None for
    what is no answer at all. ``lang`` says how the answer is written (None: neutral notation).

    >>> answer_key("18.00"), answer_key("$\\\\dfrac{\\\\pi}{3}$"), answer_key("keine Zahl"), answer_key("1,5", "de")
    ('18', '\\\\frac{\\\\pi}{3}', None, '1.5')
    """
    try:
        answer = neutral_answer(answer, lang)
        number = plain_number(answer)
        if number is not None:
            return exact_text(number.value)
        return expressions.math_form(answer) if isinstance(answer, str) else None
    except Exception:  # pragma: no cover - defensive: never raise into a trainer
        return None


def _number(answer: object) -> ParsedNumber | None:
    """:func:`~pasmr_plugin.extraction.plain_number` of an answer in neutral notation (cached for answer-sized strings:
    a vote compares each answer with every other)."""
    if isinstance(answer, str) and len(answer) <= expressions.MAX_EXPRESSION_CHARS:
        return _cached_number(answer)
    return plain_number(answer)


@lru_cache(maxsize=4096)
def _cached_number(answer: str) -> ParsedNumber | None:
    return plain_number(answer)


def answers_equivalent(a: object, b: object, lang: str | None = None) -> bool:
    """Whether two answers are the same mathematical object; never raises.

    ``lang`` says how both answers are written: their numbers are read in its notation first
    (:func:`neutral_answer`: German "-1,5" is -1.5, English "-1,1" the list -1, 1); None reads them
    as written, with a decimal point (what extraction returns, and how benchmarks write gold answers).
    Two numbers are compared by :func:`answers_match`. Otherwise the answers are compared as LaTeX:
    first by canonical form, then symbolically (fractions, radicals, π, powers, factorials,
    expressions in variables, unordered sets, ordered tuples, intervals, inequalities, equations;
    :mod:`pasmr_plugin.expressions`). The verdict depends on the answers and ``lang`` only; past the
    caps on their size, answers with different canonical forms are not equivalent.

    >>> answers_equivalent("\\\\{2, -\\\\frac{1}{2}\\\\}", "\\\\{-0.5, 2\\\\}"), answers_equivalent("1.430", "1430", "de")
    (True, True)
    >>> answers_equivalent("2^{2024} - 1", "2^{2024}"), answers_equivalent("1,2", "1.2", "en"), answers_equivalent("10!", "3628800")
    (False, False, True)
    """
    try:
        if a is None or b is None:
            return False
        a, b = neutral_answer(a, lang), neutral_answer(b, lang)
        if isinstance(a, str) and a == b and is_plain_number(a, None):  # fast path: canonical numbers
            return True
        first, second = _number(a), _number(b)
        if first is not None and second is not None:
            return _parsed_match(first, second)
        texts = []
        for answer, number in ((a, first), (b, second)):
            if number is not None:
                texts.append(decimal_text(number.value, number.decimals))
            elif isinstance(answer, str):
                texts.append(answer)
            else:
                return False
        if not all(expressions.looks_like_math(text) for text in texts):  # words or cut-off LaTeX: spelling only
            form = expressions.canonical_form(texts[0])
            return bool(form) and form == expressions.canonical_form(texts[1])
        return bool(expressions.symbolically_equivalent(texts[0], texts[1]))
    except Exception:  # pragma: no cover - defensive: never raise into a trainer or an evaluation
        return False
