"""Reading numbers as multilingual math responses write them.

A :class:`NumberReader` per language finds number tokens in text; :func:`read_number` turns one
into an exact :class:`Number`; :func:`canonical` writes a value as the canonical answer string.

>>> reader = number_reader("de")
>>> [canonical(number.value) for number in numbers_in("Er zahlt 1.234,50 € für 3 Bücher.", reader)]
['1234.5', '3']

How numbers are read:

- Native digits of any script count (Bengali ৭০, Thai ๗๐, Devanagari, Arabic-Indic,
  full-width ７０); the minus sign may be "-", "−" or "－" when no letter or digit precedes it.
- Grouping: "," "." space, no-break space (U+00A0), narrow no-break space (U+202F) and thin
  space between groups of three digits, the same separator throughout ("70.000",
  "195 000", "57 500"); Indian grouping "1,00,000"; LaTeX "1{,}000" and "1\\,000".
- When both "." and "," occur the last one is the decimal separator ("1.234,56" and
  "1,234.56"). A lone separator followed by other than three digits is a decimal separator
  ("3,5", "29,00 $", "2.5"). A lone separator followed by exactly three digits is ambiguous:
  it is the decimal separator when it is the language's own (German "1,430" is 1.43, English
  "1.430" is 1.43) and grouping otherwise (German "1.430" is 1430, English "1,430" is 1430);
  without a language, English conventions apply. A leading "0" ("0.125") is always decimal.
- CJK multipliers inside numbers: "8万" is 80000, "5万2,001" is 52001, "1億2000万" is 120000000.
- "3/4" and ``\\frac{3}{4}`` are fractions; currency signs and words, units, percent signs
  and trailing punctuation (".", "。", "।") around the number are ignored.
- Exponent notation "1e+16", "2.5E-3" is read as its value (never as 16 or 3); an exponent
  beyond ``MAX_EXPONENT`` makes the token no number.
- Numbers are bounded: a token longer than ``MAX_NUMBER_CHARS`` characters, or a value whose
  numerator or denominator has more than ``MAX_NUMBER_DIGITS`` digits (``10**5000``,
  ``Decimal("1e99999999")``, a run of CJK multipliers), is no number. The check comes before
  any arithmetic, so such input costs no more time than a small number.
- A number is never read in part: a token that a scan window cuts is skipped (see
  :func:`numbers_in` and :func:`number_safe_start`).

Canonical strings use ASCII digits, "-" and "." with no grouping and no trailing zeros
("70000", "3.5", "-12"); a fraction without a finite decimal expansion (or with more than
``MAX_NUMBER_DIGITS`` places) is rounded to ``FRACTION_DECIMALS`` places. Canonical strings are
at most ``MAX_CANONICAL_CHARS`` long, so each one reads back as itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from .languages import LANGUAGES, NBSP, NNBSP, THIN_SPACE, Language

MAX_NUMBER_CHARS = 64
"""Longer number tokens are not answers (and would exceed Python's int-from-string limit)."""

MAX_NUMBER_DIGITS = 64
"""A number whose numerator or denominator (in lowest terms) has more digits than this is no answer,
whatever its type (text, int, float, Decimal, Fraction). No math answer needs more, and the cap is
checked before any arithmetic, so ``Decimal("1e99999999")`` or ``10**5000`` costs microseconds
instead of minutes, and every canonical string stays short enough to be read back."""

MAX_CANONICAL_CHARS = 2 * MAX_NUMBER_DIGITS + 2
"""The longest canonical string: a sign, ``MAX_NUMBER_DIGITS`` digits, ".", as many places."""

MAX_EXPONENT = 64
"""Exponent notation ("1e+16", Decimal("2.5E-3")) is read while the exponent's size stays within
this: beyond it no value fits :data:`MAX_NUMBER_DIGITS` digits anyway."""

MAX_CJK_MULTIPLIERS = 8
"""A number has at most this many CJK multipliers ("1億2000万" has two). A longer run is no number:
the cap keeps the regex from building one 12k-character token out of "1万1万1万..." (slow)."""

FRACTION_DECIMALS = 10
"""Decimal places kept when a fraction such as 1/3 is written as a canonical string."""

LAST_NUMBER_WINDOW = 512
"""The last number is looked for in this many final characters first."""

MINUS_SIGNS = "-−－"
CURRENCY_SIGNS = "$€£¥₹৳฿₽"
_CJK_MULTIPLIERS = {"百": 100, "千": 1000, "万": 10**4, "萬": 10**4, "億": 10**8, "亿": 10**8, "兆": 10**12}
_SECTION_MULTIPLIERS = frozenset("百千")
_CJK_MULTIPLIER = "(?:[百万萬億亿兆]|千(?![克米瓦]))"  # 千克 (kg), 千米 (km), 千瓦 (kW) are units
_TOKEN_NORMALIZATION = str.maketrans({"，": ",", "．": "."})  # full-width separators read as ASCII
_EXPONENT = re.compile(r"[eE]([+\-−]?)(\d+)")  # right after a number token: "1e+16", "2.5E-3"
_EXPONENT_BEFORE = re.compile(r"\d[eE][+\-−]?\Z")  # "16" in "1e+16" is an exponent, not a number
_NUMBER_LIMIT = 10**MAX_NUMBER_DIGITS
_NUMBER_CHAR = r"\d.,，．'’{}\\/%٪％\u00a0\u202f\u2009 百千万萬億亿兆eE+\-−－"  # a number token or its sign
_NUMBER_RUN_TO = re.compile(rf"[{_NUMBER_CHAR}]*\Z")
_NUMBER_RUN = re.compile(rf"[{_NUMBER_CHAR}]*")


def _number_pattern(space_separators: str) -> str:
    """The regex of one number token; ``space_separators`` are the blank characters allowed between digit groups.

    It starts with a bare ``\\d`` so that the regex engine skips non-digits quickly; the sign is
    read by :func:`read_number`.
    """
    group_separator = "[.,，'’" + space_separators + r"]|\{,\}|\\,"  # LaTeX writes 1{,}000 and 1\,000
    return (
        r"\d(?P<digits>"
        r"\d?(?:,\d{2})+,\d{3}"  # Indian grouping: 1,00,000
        rf"|\d{{0,2}}(?P<sep>{group_separator})\d{{3}}(?:(?P=sep)\d{{3}})*"  # 70.000, 195 000
        r"|\d*"
        r")"
        r"(?P<decimals>(?:[.,．]|\{,\})\d+)?(?!\d)"
        r"(?:/(?P<denominator>\d+)(?![\d.,]\d))?"
        rf"(?P<cjk>(?:{_CJK_MULTIPLIER}(?:\d{{1,3}}(?:,\d{{3}})+|\d+)?){{1,{MAX_CJK_MULTIPLIERS}}})?"
        r"(?P<percent>\s?[%٪％])?"
    )


@dataclass(frozen=True)
class NumberReader:
    """The compiled number pattern of one language (``language`` None: any language, English conventions)."""

    language: Language | None
    pattern: re.Pattern[str]


@lru_cache(maxsize=None)
def number_reader(code: str | None) -> NumberReader:
    """The reader for a language code of the table; None or an unknown code reads any language."""
    language = LANGUAGES.get(code) if code else None
    if language is None:
        spaces = " " + NBSP + NNBSP + THIN_SPACE
    else:
        spaces = "".join(sep for sep in language.group_separators if sep.isspace())
    return NumberReader(language, re.compile(_number_pattern(spaces)))


def _ascii_digits(token: str) -> str:
    return token if token.isascii() else "".join(str(unicodedata.decimal(c, c)) if c.isdecimal() else c for c in token)


def _normalize_token(token: str) -> str:
    """ASCII digits, and LaTeX ``{,}`` and full-width "，" "．" as the plain separators they stand for."""
    return _ascii_digits(token.replace("{,}", ",")).translate(_TOKEN_NORMALIZATION)


def _split_decimal(digits: str, decimals: str | None, separator: str | None, language: Language | None):
    """(integer digits, fractional digits) of a token, applying the grouping rules of the module docstring."""
    if decimals and separator and decimals[0] == separator:
        # "1.234.5": the same character cannot group and end the number; read it as a decimal separator
        return digits.replace(separator, ""), decimals[1:]
    if decimals:  # "1.234,56" / "1,234.56" / "3,5"
        return re.sub(r"\D", "", digits), decimals[1:]
    if separator is None:
        if "," in digits:  # Indian grouping
            return digits.replace(",", ""), ""
        return digits, ""
    groups = digits.split(separator)
    if separator in ".," and len(groups) == 2:
        lead = groups[0]
        decimal_separator = language.decimal_separator if language else "."
        if lead.startswith("0") or separator == decimal_separator:
            return lead, groups[1]
    return "".join(groups), ""


def _cjk_value(value: Fraction, tail: str) -> Fraction:
    """Apply CJK multipliers: ``5`` + ``万2,001`` is 52001, ``5`` + ``百万`` is 5000000."""
    total = section = Fraction(0)
    current = value
    position = 0
    while position < len(tail):
        multiplier = _CJK_MULTIPLIERS[tail[position]]
        position += 1
        if tail[position - 1] in _SECTION_MULTIPLIERS:
            section += current * multiplier
        else:
            total += (section + current) * multiplier
            section = Fraction(0)
        current = Fraction(0)
        follow = re.match(r"\d{1,3}(?:,\d{3})+|\d+", tail[position:])
        if follow:
            current = Fraction(int(_ascii_digits(follow.group()).replace(",", "")))
            position += follow.end()
    return total + section + current


@dataclass(frozen=True)
class Number:
    """A number found in a text: exact value, decimals as written, percent sign, and where it stands."""

    value: Fraction
    decimals: int | None  # decimal places as written; None for fractions
    percent: bool
    start: int
    end: int


def _sign_position(text: str, start: int) -> int | None:
    """Where a minus sign of the number at ``start`` is: "-5", "x = −5", "-$5"; not "16-3" or "COVID-19"."""
    position = start - 1
    if position >= 0 and text[position] in CURRENCY_SIGNS:
        position -= 1
    if position < 0 or text[position] not in MINUS_SIGNS:
        return None
    before = text[position - 1] if position else " "
    return None if before.isascii() and (before.isalnum() or before in ")]") else position


def bounded(value: Fraction) -> bool:
    """Whether ``value`` is small enough to be an answer (see :data:`MAX_NUMBER_DIGITS`)."""
    return abs(value.numerator) < _NUMBER_LIMIT and value.denominator < _NUMBER_LIMIT


def scaled_by_exponent(value: Fraction, decimals: int | None, exponent: int) -> tuple[Fraction, int | None] | None:
    """``value`` times ten to ``exponent`` and its decimal places; None when the exponent passes :data:`MAX_EXPONENT`."""
    if abs(exponent) > MAX_EXPONENT:
        return None
    places = None if decimals is None else max(0, decimals - exponent)
    return value * Fraction(10) ** exponent, places


def read_number(match: re.Match[str], reader: NumberReader) -> Number | None:
    """The number of one match of ``reader.pattern``, or None when it is no answer (too long, too large, a part)."""
    if match.end() - match.start() > MAX_NUMBER_CHARS:
        return None
    text = match.string
    start = match.start()
    if match.group("cjk") and text[match.end() : match.end() + 1] in _CJK_MULTIPLIERS:
        return None  # more multipliers than MAX_CJK_MULTIPLIERS: not a number
    if start >= 2 and text[start - 1] in _CJK_MULTIPLIERS and text[start - 2].isdecimal():
        return None  # the rest of such a run
    if _EXPONENT_BEFORE.search(text, max(0, start - 3), start):
        return None  # the exponent of "1e+16"
    digits, decimals_text, separator = (
        _normalize_token(part) if part else part
        for part in (text[match.start() : match.end("digits")], match.group("decimals"), match.group("sep"))
    )
    integer, fraction_digits = _split_decimal(digits, decimals_text, separator, reader.language)
    value = Fraction(int(integer + fraction_digits), 10 ** len(fraction_digits))
    decimals: int | None = len(fraction_digits)
    denominator = match.group("denominator")
    if denominator:
        denominator_value = int(_ascii_digits(denominator))
        if denominator_value == 0:
            return None
        value /= denominator_value
        decimals = None
    if match.group("cjk"):
        value = _cjk_value(value, _ascii_digits(match.group("cjk")))
    end = match.end()
    exponent = None
    if not (denominator or match.group("cjk") or match.group("percent") or separator):
        exponent = _EXPONENT.match(text, end)
    if exponent is not None:
        sign = -1 if exponent.group(1) in ("-", "−") else 1
        digits = exponent.group(2)
        size = int(_ascii_digits(digits)) if len(digits) <= 8 else MAX_EXPONENT + 1  # no int() of a huge run
        scaled = scaled_by_exponent(value, decimals, sign * size)
        if scaled is None:
            return None
        (value, decimals), end = scaled, exponent.end()
    if not bounded(value):
        return None
    sign = _sign_position(text, start)
    if sign is not None:
        value, start = -value, sign
    return Number(value, decimals, bool(match.group("percent")), start, end)


def numbers_in(text: str, reader: NumberReader, start: int = 0, end: int | None = None) -> Iterator[Number]:
    """The numbers of ``text[start:end]``, in order; a token that reaches ``end`` may be cut there and is skipped."""
    limit = len(text) if end is None or end > len(text) else end
    for match in reader.pattern.finditer(text, start, limit):
        if match.end() == limit < len(text):
            continue  # perhaps the first digits of a longer number
        number = read_number(match, reader)
        if number is not None:
            yield number


def number_safe_start(text: str, start: int) -> int:
    """A position near ``start`` where cutting ``text`` cuts no number token in two.

    The cut moves back to the start of the number run it falls into (a few characters), or,
    when that run is longer than any number, forward past it.
    """
    if start <= 0:
        return 0
    lookback = max(0, start - MAX_NUMBER_CHARS - 3)
    run = _NUMBER_RUN_TO.search(text, lookback, start)
    if run.start() > lookback or lookback == 0:
        return run.start()
    return _NUMBER_RUN.match(text, start).end()


def last_number(text: str, reader: NumberReader) -> Number | None:
    """The last number in ``text``; looks at the last ``LAST_NUMBER_WINDOW`` characters first."""
    window_start = max(0, len(text) - LAST_NUMBER_WINDOW)
    for start in (window_start, 0) if window_start else (0,):
        for match in reversed(list(reader.pattern.finditer(text, start))):
            if start and match.start() - start < MAX_NUMBER_CHARS:
                break  # might be the cut-off end of a longer number: scan the whole text
            number = read_number(match, reader)
            if number is not None:
                return number
    return None


def _decimal_places(denominator: int) -> int | None:
    """How many decimal places ``1/denominator`` has, or None when its expansion does not end."""
    twos = (denominator & -denominator).bit_length() - 1
    rest, fives = denominator >> twos, 0
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    return max(twos, fives) if rest == 1 else None


def canonical(value: Fraction) -> str:
    """The canonical answer string of a value (integer arithmetic only: exact and fast for any bounded value).

    >>> canonical(Fraction(7, 2)), canonical(Fraction(1, 3)), canonical(Fraction(-18)), canonical(Fraction(1, 2048))
    ('3.5', '0.3333333333', '-18', '0.00048828125')
    """
    if value.denominator == 1:
        return str(value.numerator)
    places = _decimal_places(value.denominator)
    if places is None or places > MAX_NUMBER_DIGITS:
        places = FRACTION_DECIMALS
    scaled = round(value * 10**places)  # exact; ties to even
    digits = str(abs(scaled)).rjust(places + 1, "0")
    integer, decimals = digits[:-places], digits[-places:].rstrip("0")
    text = integer + ("." + decimals if decimals else "")
    return "-" + text if scaled < 0 and text != "0" else text


_LATEX_CLEANUP = (
    (re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}"), r"(\1)/(\2)"),
    (re.compile(r"\\text\s*\{([^{}]*)\}|\\mathrm\s*\{([^{}]*)\}"), r"\1\2"),
    (re.compile(r"\\[,;! ]"), ""),
    (re.compile(r"\\[%$]"), ""),
    (re.compile(r"\((-?[\d.,]+)\)/\((\d+)\)"), r"\1/\2"),
)


def clean_latex(text: str) -> str:
    """``\\frac{3}{4}`` to "3/4", ``1\\,000`` to "1000", ``\\text{ dollars}`` to " dollars"."""
    for pattern, replacement in _LATEX_CLEANUP:
        text = pattern.sub(replacement, text)
    return text


