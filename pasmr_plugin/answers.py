"""Final numeric answers in multilingual math reasoning: extraction and grading.

``extract_answer(text, lang)`` finds the number a response commits to and returns it as a
canonical string; ``answers_match(a, b)`` decides whether two answers are the same number.

>>> extract_answer("Janet verdient 9 × 2 = 18 Dollar. Die Antwort lautet 18.", "de")
'18'
>>> extract_answer("তাই মোট ৭০,০০০ টাকা। উত্তর হল ৭০,০০০।", "bn")
'70000'
>>> answers_match("18.00", 18)
True

What counts as the final answer, in order of preference:

1. The last explicit final statement: an answer sentence or label of the language, or of
   English ("Die Antwort lautet 18", "Antwort: 18", "答えは18です", "Answer: 18"), or
   ``\\boxed{18}``. It wins over numbers that follow it in an explanation. A statement is
   only taken when its number follows closely (at most one word in between, as in
   "Jibu ni dola 18"); "The answer is 16 - 3 - 4 = 9" commits to the number after the last
   "=" of that clause.
2. Otherwise the last number in the text (the "flexible" rule of MGSM evaluations).
3. None when the text holds no number at all.

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

Bad input never raises: a non-string, an empty or adversarial string gives None (or False
for ``answers_match``). Only the last ``MAX_SCAN_CHARS`` characters are scanned, so a call
costs the same on a 1 MB string as on a long response, and no pattern here backtracks
more than linearly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from fractions import Fraction
from functools import lru_cache

from .languages import LANGUAGES, NBSP, NNBSP, THIN_SPACE, Language, find_language

__all__ = [
    "MAX_SCAN_CHARS",
    "extract_answer",
    "extract_final_answers",
    "answers_match",
    "parse_number",
]

MAX_SCAN_CHARS = 12_000
"""Only this many characters at the end of a text are scanned. Final answers sit at the end of
a response, and 12k characters is well past the longest MGSM-style solution (about 3k tokens),
while it bounds the cost of a call on a degenerate or adversarial 1 MB generation."""

MAX_NUMBER_CHARS = 64
"""Longer digit runs are not answers (and would exceed Python's int-from-string limit)."""

FRACTION_DECIMALS = 10
"""Decimal places kept when a fraction such as 1/3 is written as a canonical string."""

ABSOLUTE_TOLERANCE = Fraction(1, 10**9)
RELATIVE_TOLERANCE = Fraction(1, 10**6)
"""A fraction or float matches a number this close: enough for 0.1 + 0.2 and for 1/3 written with
10 decimals. Numbers written with decimal digits on both sides must be equal (1000000 is not 1000001)."""

MAX_STATEMENTS = 16
"""Only the last this many answer statements are read: real responses have one or two, and the
cap bounds the cost of text that repeats "Answer:" thousands of times."""

_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_MAX_GAP_CHARS = 32  # how far after an answer statement its number may start
_LAST_NUMBER_WINDOW = 512  # the last number is looked for in this many final characters first
_MAX_BOXED_CHARS = 200

_MINUS_SIGNS = "-−－"
_CURRENCY_SIGNS = "$€£¥₹৳฿₽"
_CJK_MULTIPLIERS = {"百": 100, "千": 1000, "万": 10**4, "萬": 10**4, "億": 10**8, "亿": 10**8, "兆": 10**12}
_SECTION_MULTIPLIERS = frozenset("百千")
_CJK_MULTIPLIER = "(?:[百万萬億亿兆]|千(?![克米瓦]))"  # 千克 (kg), 千米 (km), 千瓦 (kW) are units
_TOKEN_NORMALIZATION = str.maketrans({"，": ",", "．": "."})  # full-width separators read as ASCII
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|[。！？।\n]")
_BRACE = re.compile(r"[{}]")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_GAP_FILLER = " \t\n*_#>:：=、，," + _CURRENCY_SIGNS + "\\([{"  # markdown, colons, currency, "\\(" between statement and number
_PARENTHETICAL = re.compile(r",[^,\n]{1,24},")  # "La respuesta es, por lo tanto, 18"
_ABBREVIATION = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,3}\.")  # "Sh. 1,500", "Rs. 500": no sentence end
_EXPRESSION_TO_EQUALS = re.compile(r"(?:[\s\d.,+\-−×xX*/÷·()]|\\times|\\cdot)*=")


def _number_pattern(space_separators: str) -> str:
    """The regex of one number token; ``space_separators`` are the blank characters allowed between digit groups.

    It starts with a bare ``\\d`` so that the regex engine skips non-digits quickly; the sign is
    read by :func:`_read_number`.
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
class _Rules:
    """Compiled patterns for one language (or for all languages when ``lang`` is None).

    ``statement`` matches final statements in the lower-cased text read backwards, so that a
    search stops at the last statement instead of scanning the whole response.
    """

    language: Language | None
    number: re.Pattern[str]
    statement: re.Pattern[str]
    keywords: frozenset[str]  # every statement contains one of these: texts without any are skipped fast


def _backwards(phrase: str) -> str:
    """Regex for ``phrase`` lower-cased and read backwards: "Die Antwort lautet" gives "tetual\\s+trowtna\\s+eid"."""
    return r"\s+".join(re.escape(word[::-1]) for word in reversed(phrase.lower().split()))


def _alternatives(phrases: set[str]) -> str:
    return "|".join(sorted(phrases, key=len, reverse=True))


@lru_cache(maxsize=None)
def _rules(code: str | None) -> _Rules:
    language = LANGUAGES.get(code) if code else None
    languages = [LANGUAGES["en"]] + ([language] if language else list(LANGUAGES.values()))
    if language is None:
        spaces = " " + NBSP + NNBSP + THIN_SPACE
    else:
        spaces = "".join(sep for sep in language.group_separators if sep.isspace())
    phrases = [phrase for lang in languages for phrase in lang.answer_labels + lang.answer_sentences + lang.answer_words]
    keywords = {max(phrase.lower().split(), key=len) for phrase in phrases} | {"boxed", "fbox"}
    headings = {_backwards(lang.step_answer_label.rstrip(" :：")) for lang in languages}
    labels = {_backwards(phrase) for lang in languages for phrase in lang.answer_labels}
    sentences = {_backwards(phrase) for lang in languages for phrase in lang.answer_sentences}
    words = {_backwards(phrase) for lang in languages for phrase in lang.answer_words}
    alternatives = [  # each one backwards: "Answer:" is ":rewsna"
        rf"(?P<heading>(?:[:：]\s*)?(?:{_alternatives(headings)}))",  # "Step-by-Step Answer:" is no final statement
        r"(?P<boxed>\{\s*(?:dexob|xobf)\\)",
        rf"(?P<label>[:：][\s*_]*(?:{_alternatives(labels)}))",
        rf"(?P<sentence>{_alternatives(sentences)})",
    ]
    if words:
        alternatives.append(rf"(?P<word>{_alternatives(words)})")
    return _Rules(
        language=language,
        number=re.compile(_number_pattern(spaces)),
        statement=re.compile("|".join(alternatives)),
        keywords=frozenset(keywords),
    )


def _tail(text: object) -> str | None:
    if not isinstance(text, str) or not text:
        return None
    return text[-MAX_SCAN_CHARS:]


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
class _Number:
    value: Fraction
    decimals: int | None  # decimal places as written; None for fractions
    percent: bool
    start: int
    end: int


def _sign_position(text: str, start: int) -> int | None:
    """Where a minus sign of the number at ``start`` is: "-5", "x = −5", "-$5"; not "16-3" or "COVID-19"."""
    position = start - 1
    if position >= 0 and text[position] in _CURRENCY_SIGNS:
        position -= 1
    if position < 0 or text[position] not in _MINUS_SIGNS:
        return None
    before = text[position - 1] if position else " "
    return None if before.isascii() and (before.isalnum() or before in ")]") else position


def _read_number(match: re.Match[str], rules: _Rules) -> _Number | None:
    if match.end() - match.start() > MAX_NUMBER_CHARS:
        return None
    text = match.string
    digits, decimals_text, separator = (
        _normalize_token(part) if part else part
        for part in (text[match.start() : match.end("digits")], match.group("decimals"), match.group("sep"))
    )
    integer, fraction_digits = _split_decimal(digits, decimals_text, separator, rules.language)
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
    return _Number(value, decimals, bool(match.group("percent")), start, match.end())


def _numbers(text: str, rules: _Rules, start: int = 0, end: int | None = None):
    for match in rules.number.finditer(text, start, len(text) if end is None else end):
        number = _read_number(match, rules)
        if number is not None:
            yield number


def _gap_words_allowed(kind: str) -> int:
    """Words allowed between a statement and its number: "La réponse est donc de 12", "Answer: Sh 5", "సమాధానం 11"."""
    return {"sentence": 2, "label": 1}.get(kind, 0)


def _close_enough(gap: str, kind: str) -> bool:
    if not gap.strip(_GAP_FILLER):
        return True
    gap = _ABBREVIATION.sub(" ", _PARENTHETICAL.sub(" ", gap))
    words = sum(1 for token in gap.split() if _LETTER_RUN.search(token))
    return words <= _gap_words_allowed(kind) and not _SENTENCE_END.search(gap)


def _follow_equals(text: str, number: _Number, rules: _Rules) -> _Number:
    """"16 - 3 - 4 = 9 × 2 = 18" commits to 18: follow "=" signs that continue the number's expression."""
    for _ in range(MAX_STATEMENTS):
        equals = _EXPRESSION_TO_EQUALS.match(text, number.end, number.end + _MAX_GAP_CHARS * 4)
        result = equals and next(_numbers(text, rules, equals.end(), equals.end() + _MAX_GAP_CHARS), None)
        if not result or text[equals.end() : result.start].strip(_GAP_FILLER):
            break
        number = result
    return number


def _number_after_statement(text: str, kind: str, end: int, rules: _Rules) -> _Number | None:
    """The number a final statement ending at ``end`` commits to, or None when none follows closely."""
    first = next(_numbers(text, rules, end, end + _MAX_GAP_CHARS + MAX_NUMBER_CHARS), None)
    if first is None or first.start - end > _MAX_GAP_CHARS or not _close_enough(text[end : first.start], kind):
        return None
    return _follow_equals(text, first, rules)


_LATEX_CLEANUP = (
    (re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}"), r"(\1)/(\2)"),
    (re.compile(r"\\text\s*\{([^{}]*)\}|\\mathrm\s*\{([^{}]*)\}"), r"\1\2"),
    (re.compile(r"\\[,;! ]"), ""),
    (re.compile(r"\\[%$]"), ""),
    (re.compile(r"\((-?[\d.,]+)\)/\((\d+)\)"), r"\1/\2"),
)


def _boxed_content(text: str, brace_end: int) -> str:
    depth = 1
    for brace in _BRACE.finditer(text, brace_end, brace_end + _MAX_BOXED_CHARS):
        depth += 1 if brace.group() == "{" else -1
        if depth == 0:
            return text[brace_end : brace.start()]
    return text[brace_end : brace_end + _MAX_BOXED_CHARS]


def _clean_latex(text: str) -> str:
    """``\\frac{3}{4}`` to "3/4", ``1\\,000`` to "1000", ``\\text{ dollars}`` to " dollars"."""
    for pattern, replacement in _LATEX_CLEANUP:
        text = pattern.sub(replacement, text)
    return text


def _number_in_boxed(text: str, start: int, end: int, rules: _Rules) -> _Number | None:
    content = _clean_latex(_boxed_content(text, end))
    found = next(_numbers(content, rules), None)
    if found is None:
        return None
    found = _follow_equals(content, found, rules)
    # positions refer to the boxed statement in the original text
    return _Number(found.value, found.decimals, found.percent, start, end)


def lower_same_length(text: str) -> str:
    """``text`` lower-cased, keeping its length ("İ" is the one character whose lower case is longer)."""
    return (text if text.isascii() else text.replace("İ", "I")).lower()


def _final_statements_backwards(text: str, rules: _Rules):
    """The numbers of the last ``MAX_STATEMENTS`` explicit final statements, last first."""
    lowered = lower_same_length(text)
    if not any(keyword in lowered for keyword in rules.keywords):
        return
    size = len(text)
    read = 0
    for statement in rules.statement.finditer(lowered[::-1]):
        kind = statement.lastgroup
        if kind == "heading":
            continue
        start, end = size - statement.end(), size - statement.start()
        if kind == "boxed":
            number = _number_in_boxed(text, start, end, rules)
        else:
            number = _number_after_statement(text, kind, end, rules)
        if number is not None:
            yield number
        read += 1
        if read == MAX_STATEMENTS:
            return


def _last_number(text: str, rules: _Rules) -> _Number | None:
    """The last number in ``text``; looks at the last ``_LAST_NUMBER_WINDOW`` characters first."""
    window_start = max(0, len(text) - _LAST_NUMBER_WINDOW)
    for start in (window_start, 0) if window_start else (0,):
        for match in reversed(list(rules.number.finditer(text, start))):
            if start and match.start() - start < MAX_NUMBER_CHARS:
                break  # might be the cut-off end of a longer number: scan the whole text
            number = _read_number(match, rules)
            if number is not None:
                return number
    return None


def _canonical(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    with localcontext() as context:
        context.prec = 80
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        rounded = exact.quantize(Decimal(1).scaleb(-FRACTION_DECIMALS), rounding=ROUND_HALF_EVEN)
        text = format(rounded.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _language_rules(lang: object) -> _Rules:
    language = find_language(lang)
    return _rules(language.code if language else None)


def _final_number(text: object, lang: object) -> _Number | None:
    tail = _tail(text)
    if tail is None:
        return None
    rules = _language_rules(lang)
    try:
        return next(_final_statements_backwards(tail, rules), None) or _last_number(tail, rules)
    except (ValueError, ArithmeticError):  # pragma: no cover - defensive: never raise into a trainer
        return None


def extract_answer(text: str, lang: str | None = None) -> str | None:
    """The final numeric answer ``text`` commits to, as a canonical number string, or None.

    ``lang`` is an ISO 639-1 code of the language table; it adds that language's answer
    sentences and decides ambiguous separators (see the module docstring). Unknown codes
    and None mean "any language, English number conventions".

    >>> extract_answer("Ответ — 57 500 рублей.", "ru")
    '57500'
    >>> extract_answer("答えは5万2,001円です。", "ja")
    '52001'
    >>> extract_answer("Sijui.", "sw") is None
    True
    """
    number = _final_number(text, lang)
    return None if number is None else _canonical(number.value)


def extract_final_answers(text: str, lang: str | None = None) -> list[str]:
    """Every answer ``text`` states explicitly (answer sentences, labels, ``\\boxed{}``), in order.

    More than one distinct value means the text commits to conflicting final answers.

    >>> extract_final_answers("La respuesta es 18. Respuesta: 20", "es")
    ['18', '20']
    """
    tail = _tail(text)
    if tail is None:
        return []
    try:
        found = [_canonical(number.value) for number in _final_statements_backwards(tail, _language_rules(lang))]
        return found[::-1]
    except (ValueError, ArithmeticError):  # pragma: no cover - defensive
        return []


@dataclass(frozen=True)
class ParsedNumber:
    """A number as written: exact value, decimal places shown (None for fractions) and percent sign."""

    value: Fraction
    decimals: int | None
    percent: bool


def _is_canonical(answer: str, lang: object) -> bool:
    """A plain "-12.5" that reads the same under ``lang``'s conventions (German "1.430" does not)."""
    if len(answer) > MAX_NUMBER_CHARS or not _PLAIN_NUMBER.fullmatch(answer):
        return False
    language = find_language(lang)
    return "." not in answer or language is None or language.decimal_separator == "."


def parse_number(answer: object, lang: str | None = None) -> ParsedNumber | None:
    """Read one answer (a short string such as "$1,234.50", "3/4", "25%", ``\\frac{1}{3}``, or a number).

    >>> parse_number("1.234,50 €", "de").value
    Fraction(2469, 2)
    """
    if isinstance(answer, str):
        if _is_canonical(answer, lang):  # fast path
            integer, _, decimals = answer.partition(".")
            value = Fraction(int(integer + decimals), 10 ** len(decimals)) if decimals else Fraction(int(integer))
            return ParsedNumber(value, len(decimals), False)
        text = answer[:MAX_SCAN_CHARS]
        number = _final_number(text if "boxed" in text else _clean_latex(text), lang)
        return None if number is None else ParsedNumber(number.value, number.decimals, number.percent)
    if isinstance(answer, bool) or answer is None:
        return None
    if isinstance(answer, (int, Fraction)):
        return ParsedNumber(Fraction(answer), 0 if isinstance(answer, int) else None, False)
    if isinstance(answer, (float, Decimal)):
        try:
            return ParsedNumber(Fraction(answer), None, False)
        except (ValueError, OverflowError, InvalidOperation):  # nan, inf
            return None
    return None


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
    if isinstance(a, str) and a == b and _is_canonical(a, lang):
        return True
    first, second = parse_number(a, lang), parse_number(b, lang)
    if first is None or second is None:
        return False
    return any(
        _equal(x, y) or _rounds_to(x, y.value) or _rounds_to(y, x.value)
        for x in _readings(first)
        for y in _readings(second)
    )
