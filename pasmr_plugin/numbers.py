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
- Exponent notation "1e+16", "2.5E-3" is read as its value (never as 16 or 3); an exponent
  beyond ``MAX_EXPONENT`` makes the token no number.
- Numbers are bounded: a token longer than ``MAX_NUMBER_CHARS`` characters, a value whose
  numerator or denominator has more than ``MAX_NUMBER_DIGITS`` digits (``10**5000``,
  ``Decimal("1e99999999")``), or more than ``MAX_MULTIPLIERS`` multiplier words in a row is no
  number. The check comes before any arithmetic, so such input costs no more time than a small
  number.
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

from .languages import LANGUAGES, NBSP, NNBSP, SHIPPED_LANGUAGES, THIN_SPACE, Language

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

MAX_MULTIPLIERS = 8
"""A number has at most this many multiplier words ("1億2000万" has two). A longer run is no number:
the cap keeps the regex from building one 12k-character token out of "1万1万1万..." (slow)."""

FRACTION_DECIMALS = 10
"""Decimal places kept when a fraction such as 1/3 is written as a canonical string."""

APPROXIMATION_PLACES = 2
"""A decimal written with at least this many digits after the mark is read as an approximation (the
one tolerance rule, :func:`rounds_to`): "33.33" for 100/3, "1.05" for π/3. With fewer it is exact:
"2.5" and "0.5" are how exact answers are written, and "0.3" is not 1/3."""

MAX_NEUTRAL_CHARS = 1_024
"""Longer texts keep their notation (:func:`neutral_notation`): an answer is at most
``expressions.MAX_EXPRESSION_CHARS`` long, and the cap bounds the rewrite of a 1 MB string."""

LAST_NUMBER_WINDOW = 512
"""The last number is looked for in this many final characters first."""

MINUS_SIGNS = "-−－"
_SIGN_WINDOW = 8  # a minus sign stands at most this far before its digits: "-R$ 5", "−US$ 5"
CURRENCY_SIGNS = "".join(sorted({sign for lang in SHIPPED_LANGUAGES.values() for sign in lang.currency_signs if len(sign) == 1}))
"""The shipped table's one-character currency signs ("$€£¥₹৳฿₽₩₫..."); readers use the whole table in
use, multi-character signs ("Rp", "R$", "RM") included (:attr:`NumberReader.currency_signs`)."""
_TOKEN_NORMALIZATION = str.maketrans({"，": ",", "．": "."})  # full-width separators read as ASCII
_SPACES = " " + NBSP + NNBSP + THIN_SPACE
_EXPONENT = re.compile(r"[eE]([+\-−]?)(\d+)")  # right after a number token: "1e+16", "2.5E-3"
_EXPONENT_BEFORE = re.compile(r"\d[eE][+\-−]?\Z")  # "16" in "1e+16" is an exponent, not a number
_NUMBER_LIMIT = 10**MAX_NUMBER_DIGITS
_NUMBER_CHAR = r"\d.,，．'’{}\\/%٪％٫٬\u00a0\u202f\u2009 百千万萬億亿兆eE+\-−－"  # a number token or its sign
_NUMBER_RUN_TO = re.compile(rf"[{_NUMBER_CHAR}]*\Z")
_NUMBER_RUN = re.compile(rf"[{_NUMBER_CHAR}]*")


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
        rf"(?P<multiplier>(?: ?{multiplier}(?: ?\d{{1,3}}(?:,\d{{3}})+| ?\d+(?![.,]\d))?){{1,{MAX_MULTIPLIERS}}})?"
        if multiplier
        else ""
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
    multiplier_next: re.Pattern[str] | None = None  # a multiplier word right after a token: one too many
    multiplier_before: re.Pattern[str] | None = None  # a digit and a multiplier word right before a token


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
    next_word = re.compile(f" ?{multiplier}") if multiplier else None
    word_before = re.compile(rf"\d ?{multiplier} ?\Z") if multiplier else None
    return NumberReader(language, pattern, multipliers, currency, decimal_marks, next_word, word_before)


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


def bounded(value: Fraction) -> bool:
    """Whether ``value`` is small enough to be an answer (see :data:`MAX_NUMBER_DIGITS`)."""
    return abs(value.numerator) < _NUMBER_LIMIT and value.denominator < _NUMBER_LIMIT


def scaled_by_exponent(value: Fraction, decimals: int | None, exponent: int) -> tuple[Fraction, int | None] | None:
    """``value`` times ten to ``exponent`` and its decimal places; None when the exponent passes :data:`MAX_EXPONENT`."""
    if abs(exponent) > MAX_EXPONENT:
        return None
    places = None if decimals is None else max(0, decimals - exponent)
    return value * Fraction(10) ** exponent, places


def _part_of_a_longer_run(match: re.Match[str], reader: NumberReader) -> bool:
    """A token inside "1万1万1万..." (more than MAX_MULTIPLIERS multipliers) or the exponent of "1e+16"."""
    text, start = match.string, match.start()
    if match.group("multiplier") and reader.multiplier_next and reader.multiplier_next.match(text, match.end()):
        return True
    if reader.multiplier_before and reader.multiplier_before.search(text, max(0, start - 32), start):
        return True
    return bool(_EXPONENT_BEFORE.search(text, max(0, start - 3), start))


def read_number(match: re.Match[str], reader: NumberReader) -> Number | None:
    """The number of one match of ``reader.pattern``, or None when it is no answer (too long, too large, a part)."""
    if match.end() - match.start() > MAX_NUMBER_CHARS or _part_of_a_longer_run(match, reader):
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
    end = match.end()
    exponent = None
    if not (denominator or match.group("multiplier") or match.group("percent") or separator):
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
    start = match.start()
    sign = _sign_position(text, start, reader.currency_signs)
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


def rounds_to(value: Fraction, decimal: Fraction, places: int) -> bool:
    """Whether ``value`` rounds to ``decimal``, a number written with ``places`` digits after the mark.

    The one rule for approximate answers, the same in extraction, grading, the vote and the report:
    with at least :data:`APPROXIMATION_PLACES` places, a decimal matches every value within half a
    unit of its last digit; otherwise only its own value.

    >>> rounds_to(Fraction(100, 3), Fraction("33.33"), 2), rounds_to(Fraction(1, 3), Fraction("0.3"), 1)
    (True, False)
    """
    if places < APPROXIMATION_PLACES:
        return value == decimal
    return abs(value - decimal) * 2 * 10**places <= 1


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


def decimal_text(value: Fraction, places: int | None) -> str:
    """A number as ASCII with the decimal places it was written with ("18.50" stays "18.50"); without
    places (a fraction) its :func:`exact_text`.

    >>> decimal_text(Fraction(37, 2), 2), decimal_text(Fraction(1, 3), None)
    ('18.50', '1/3')
    """
    if not places:
        return exact_text(value)
    scaled = value * 10**places
    if scaled.denominator != 1:  # more places than written: never the case for a number as read
        return exact_text(value)
    digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
    return ("-" if value < 0 else "") + digits[:-places] + "." + digits[-places:]


def exact_text(value: Fraction) -> str:
    """The canonical string of a value, exactly: :func:`canonical` when its decimal expansion ends within
    ``MAX_NUMBER_DIGITS`` places, else the fraction "p/q" (two different fractions never share a text).

    >>> exact_text(Fraction(1, 8)), exact_text(Fraction(4, 27)), exact_text(Fraction(-7))
    ('0.125', '4/27', '-7')
    """
    places = _decimal_places(value.denominator)
    if places is not None and places <= MAX_NUMBER_DIGITS:
        return canonical(value)
    return f"{value.numerator}/{value.denominator}"


_SIGNED_LIST = re.compile(r"\d\s*,[-−+]\d")  # "-4,-2": items separated by commas without spaces
_OPENING, _CLOSING = ("(", "[", "]"), (")", "]", "[", "\\right")


def _bracketed(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is all that stands between two brackets: "[2,3)", "]0,1[", "\\left(2,3\\right)"."""
    before = text[:start].rstrip().rstrip("-−+").rstrip()  # "(-1,1)"
    return before.endswith(_OPENING) and text[end:].lstrip().startswith(_CLOSING)


_NEUTRAL_NUMBER = re.compile(r"[0-9]+(?:\\.[0-9]+)?")
_DIGIT_RUN = re.compile(r"\d+(?:(?:[.,٫٬]|\{,\})\d+)*")
_THOUSANDS = re.compile(r"(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d?(?:,\d{2})+,\d{3})(?:\.\d+)?")  # 1,234,567.5 and 1,25,000


def neutral_notation(text: str, lang: object) -> str:
    """``text`` with its numbers written in the language-neutral notation: ASCII digits, "." as the decimal
    mark, no grouping, and ", " between the items of a list.

    A comma followed by a space separates items in every language. A comma between digits is the
    decimal mark where the language's decimal separator is "," (its number rules read the digits:
    German "-1,5" is -1.5, "1.234,5" is 1234.5), except where the text shows it separates items: the
    two ends of an interval or pair, a number alone between brackets ("[2,3)", "(0,1)"), and a list
    of signed numbers written without spaces ("k=-4,-2,-1,1"). Where the decimal separator is ".", a
    comma between digits groups thousands only before exactly three digits in consistent groups
    ("1,234,567", and the Indian "1,25,000"), and otherwise separates items (English "-1,1" is the
    list -1, 1). LaTeX's ``{,}`` is a decimal comma or a thousands group, never a list
    separator. Without a language (``lang`` None or unknown) the text is returned unchanged: answers
    are then read with the rules of :func:`pasmr_plugin.extraction.parse_number`.

    >>> neutral_notation("\\\\{-1,5; 2\\\\}", "de"), neutral_notation("-1,1", "en"), neutral_notation("x = 1,234,567", "en")
    ('\\\\{-1.5; 2\\\\}', '-1, 1', 'x = 1234567')
    """
    language = LANGUAGES.get(lang) if isinstance(lang, str) else None
    if language is None or len(text) > MAX_NEUTRAL_CHARS:
        return text
    reader = number_reader(language.code)
    signed_list = _SIGNED_LIST.search(text) is not None

    def neutral(match: re.Match[str]) -> str:
        run = match.group()
        if _NEUTRAL_NUMBER.fullmatch(run) and (language.decimal_separator == "." or "." not in run):
            return run  # "12" and "1.5" are neutral already (in German "1.500" is not)
        if language.decimal_separator == "," and (signed_list or _bracketed(text, match.start(), match.end())):
            return ", ".join(_ascii_digits(item) for item in run.split(","))
        if language.decimal_separator == "," or "," not in run.replace("{,}", ""):
            number = reader.pattern.fullmatch(run)
            read = number and read_number(number, reader)
            if read:
                return decimal_text(read.value, read.decimals)
        elif _THOUSANDS.fullmatch(_ascii_digits(run)):
            return _ascii_digits(run).replace(",", "")
        return ", ".join(_ascii_digits(item) for item in run.split(","))

    return _DIGIT_RUN.sub(neutral, text)


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


