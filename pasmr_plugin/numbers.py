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
  it groups thousands when the language's ``three_digit_groups`` lists it and is decimal
  otherwise: German "1.430" is 1430 and "1,430" 1.43, English "1,430" is 1430 and "1.430" 1.43,
  and Indonesian, Italian, Portuguese and Vietnamese read both "5.000" and "5,000" as 5000
  (their real text keeps "$5,000" from English next to "1,5"; measured by
  ``bench/number_formats_bench.py``). Without a language, English conventions apply. A
  leading "0" ("0.125") is always decimal.
- Arabic "٫" is always a decimal separator and "٬" a thousands separator ("١٬٢٣٤٫٥" is 1234.5).
- Multipliers of the table's languages (``Language.multipliers``) inside numbers: "8万" is 80000,
  "5万2,001" is 52001, "1億2000万" is 120000000, Korean "3만 5천" is 35000, Hindi "5 लाख" 500000;
  words the table lists as units ("千克", "3조각") are not multipliers.
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

from .languages import LANGUAGES, NBSP, NNBSP, SHIPPED_LANGUAGES, THIN_SPACE, Language

MAX_NUMBER_CHARS = 64
"""Longer digit runs are not answers (and would exceed Python's int-from-string limit)."""

FRACTION_DECIMALS = 10
"""Decimal places kept when a fraction such as 1/3 is written as a canonical string."""

LAST_NUMBER_WINDOW = 512
"""The last number is looked for in this many final characters first."""

MINUS_SIGNS = "-−－"
_SIGN_WINDOW = 8  # a minus sign stands at most this far before its digits: "-R$ 5", "−US$ 5"
CURRENCY_SIGNS = "".join(sorted({sign for lang in SHIPPED_LANGUAGES.values() for sign in lang.currency_signs if len(sign) == 1}))
"""The shipped table's one-character currency signs ("$€£¥₹৳฿₽₩₫..."); readers use the whole table in
use, multi-character signs ("Rp", "R$", "RM") included (:attr:`NumberReader.currency_signs`)."""
_TOKEN_NORMALIZATION = str.maketrans({"，": ",", "．": "."})  # full-width separators read as ASCII
_SPACES = " " + NBSP + NNBSP + THIN_SPACE


def _number_pattern(space_separators: str, group_marks: str, decimal_marks: str, multiplier: str) -> str:
    """The regex of one number token.

    ``space_separators`` are the blank characters allowed between digit groups, ``group_marks``
    and ``decimal_marks`` the table's other grouping ("٬") and decimal ("٫") characters, and
    ``multiplier`` the regex of the table's multiplier words ("" for none). It starts with a bare
    ``\\d`` so that the regex engine skips non-digits quickly; the sign is read by :func:`read_number`.
    """
    group_separator = "[.,，'’" + re.escape(space_separators + group_marks) + r"]|\{,\}|\\,"  # LaTeX 1{,}000, 1\,000
    decimal_separator = "[.,．" + re.escape(decimal_marks) + r"]|\{,\}"
    multiplied = (
        rf"(?P<multiplier>(?: ?{multiplier}(?: ?\d{{1,3}}(?:,\d{{3}})+| ?\d+(?![.,]\d))?)+)?" if multiplier else ""
    )
    return (
        r"\d(?P<digits>"
        r"\d?(?:,\d{2})+,\d{3}"  # Indian grouping: 1,00,000
        rf"|\d{{0,2}}(?P<sep>{group_separator})\d{{3}}(?:(?P=sep)\d{{3}})*"  # 70.000, 195 000
        r"|\d*"
        r")"
        rf"(?P<decimals>(?:{decimal_separator})\d+)?(?!\d)"
        r"(?:/(?P<denominator>\d+)(?![\d.,]\d))?"
        + multiplied
        + r"(?P<percent>\s?[%٪％])?"
    )


@dataclass(frozen=True)
class NumberReader:
    """How to read numbers in one language (``language`` None: any language, English conventions).

    Multipliers, currency signs and the special separators come from the whole table in use, so
    a Japanese "万" or an Arabic "٫" is read in any response.
    """

    language: Language | None
    pattern: re.Pattern[str]
    multipliers: dict[str, int]
    currency_signs: tuple[str, ...]  # longest first
    decimal_marks: str


def number_reader(code: str | None) -> NumberReader:
    """The reader for a language code of the table; None or an unknown code reads any language."""
    return _number_reader(code, LANGUAGES.version)


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=None)
def _number_reader(code: str | None, _table_version: int) -> NumberReader:
    language = LANGUAGES.get(code) if code else None
    table = list(LANGUAGES.values())
    spaces = _SPACES if language is None else "".join(sep for sep in language.group_separators if sep.isspace())
    group_marks = "".join(sorted({c for lang in table for c in lang.group_separators if c not in _SPACES + ".,"}))
    decimal_marks = "".join(sorted({c for lang in table for c in lang.decimal_marks}))
    multipliers = {word: value for lang in table for word, value in lang.multipliers}
    units = {word for lang in table for word in lang.not_multipliers}
    multiplier = ""
    if multipliers:
        multiplier = f"(?:{_alternation(multipliers)})"
        if units:
            multiplier = f"(?!{_alternation(units)}){multiplier}"
    currency = tuple(sorted({sign for lang in table for sign in lang.currency_signs}, key=len, reverse=True))
    pattern = re.compile(_number_pattern(spaces, group_marks, decimal_marks, multiplier))
    return NumberReader(language, pattern, multipliers, currency, decimal_marks)


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
        grouping = language.grouping_before_three_digits if language else ","
        if lead.startswith("0") or separator not in grouping:
            return lead, groups[1]
    return "".join(groups), ""


def _multiplied_value(value: Fraction, tail: str, multipliers: dict[str, int]) -> Fraction:
    """Apply multiplier words: ``5`` + ``万2,001`` is 52001, ``5`` + ``百万`` is 5000000, ``3`` + ``만 5천`` 35000.

    Multipliers below 10,000 (百, 千, 천) build a section that the next larger one multiplies.
    """
    words = re.compile(rf"\s*({_alternation(multipliers)})|\s*(\d{{1,3}}(?:,\d{{3}})+|\d+)")
    total = section = Fraction(0)
    current = value
    for token in words.finditer(tail):
        word, digits = token.groups()
        if digits is not None:
            current = Fraction(int(_ascii_digits(digits).replace(",", "")))
            continue
        multiplier = multipliers[word]
        if multiplier < 10_000:
            section += current * multiplier
        else:
            total += (section + current) * multiplier
            section = Fraction(0)
        current = Fraction(0)
    return total + section + current


@dataclass(frozen=True)
class Number:
    """A number found in a text: exact value, decimals as written, percent sign, and where it stands."""

    value: Fraction
    decimals: int | None  # decimal places as written; None for fractions
    percent: bool
    start: int
    end: int


def _sign_position(text: str, start: int, currency_signs: tuple[str, ...] = ()) -> int | None:
    """Where a minus sign of the number at ``start`` is: "-5", "x = −5", "-$5", "-R$ 5"; not "16-3" or "COVID-19"."""
    if not any(c in MINUS_SIGNS for c in text[max(0, start - _SIGN_WINDOW) : start]):
        return None  # the common case, decided without looking at currency signs
    position = start - 1
    if position >= 0 and text[position] == " ":
        position -= 1
    sign = next((sign for sign in currency_signs if text.endswith(sign, 0, position + 1)), None)
    position = position - len(sign) if sign else start - 1
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
    if match.group("multiplier"):
        value = _multiplied_value(value, _ascii_digits(match.group("multiplier")), reader.multipliers)
    start = match.start()
    sign = _sign_position(text, start, reader.currency_signs)
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


