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

Canonical strings use ASCII digits, "-" and "." with no grouping and no trailing zeros
("70000", "3.5", "-12"); a fraction without a finite decimal expansion is rounded to
``FRACTION_DECIMALS`` places.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from functools import lru_cache

from .languages import LANGUAGES, NBSP, NNBSP, THIN_SPACE, Language

MAX_NUMBER_CHARS = 64
"""Longer digit runs are not answers (and would exceed Python's int-from-string limit)."""

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
        rf"(?P<cjk>(?:{_CJK_MULTIPLIER}(?:\d{{1,3}}(?:,\d{{3}})+|\d+)?)+)?"
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


def read_number(match: re.Match[str], reader: NumberReader) -> Number | None:
    """The number of one match of ``reader.pattern``, or None for a digit run too long to be an answer."""
    if match.end() - match.start() > MAX_NUMBER_CHARS:
        return None
    text = match.string
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
    start = match.start()
    sign = _sign_position(text, start)
    if sign is not None:
        value, start = -value, sign
    return Number(value, decimals, bool(match.group("percent")), start, match.end())


def numbers_in(text: str, reader: NumberReader, start: int = 0, end: int | None = None) -> Iterator[Number]:
    """The numbers of ``text[start:end]``, in order."""
    for match in reader.pattern.finditer(text, start, len(text) if end is None else end):
        number = read_number(match, reader)
        if number is not None:
            yield number


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


def canonical(value: Fraction) -> str:
    """The canonical answer string of a value: ``Fraction(7, 2)`` gives "3.5", ``Fraction(1, 3)`` "0.3333333333"."""
    if value.denominator == 1:
        return str(value.numerator)
    with localcontext() as context:
        context.prec = 80
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        rounded = exact.quantize(Decimal(1).scaleb(-FRACTION_DECIMALS), rounding=ROUND_HALF_EVEN)
        text = format(rounded.normalize(), "f")
    return "0" if text in ("-0", "") else text


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


