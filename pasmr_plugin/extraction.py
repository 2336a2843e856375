"""Finding the final answer a response commits to: answer sentences, labels, ``\\boxed{}``.

``extract_answer(text, lang)`` returns the number as a canonical string;
``extract_final_answers`` lists every explicit final statement; ``parse_number`` reads one
short answer such as a label's gold.

>>> extract_answer("Janet verdient 9 × 2 = 18 Dollar. Die Antwort lautet 18.", "de")
'18'
>>> extract_answer("তাই মোট ৭০,০০০ টাকা। উত্তর হল ৭০,০০০।", "bn")
'70000'

What counts as the final answer, in order of preference:

1. The last explicit final statement: an answer sentence or label of the language, or of
   English ("Die Antwort lautet 18", "Antwort: 18", "答えは18です", "Answer: 18"), or
   ``\\boxed{18}``. It wins over numbers that follow it in an explanation. A statement is
   only taken when its number follows closely (at most one word in between, as in
   "Jibu ni dola 18"); "The answer is 16 - 3 - 4 = 9" commits to the number after the last
   "=" of that clause.
2. Otherwise the last number in the text (the "flexible" rule of MGSM evaluations).
3. None when the text holds no number at all.

``\\boxed{`` takes the first number of its content. A box still open when the text ends (a
response cut off inside its answer) is read up to the end of the text: "\\boxed{150" is 150.
A box longer than ``_MAX_BOXED_CHARS`` is read only when its number ends well inside that
window, so a number is never read in part ("\\boxed{" + 198 spaces + "150}" is not 15).

How numbers are read is :mod:`pasmr_plugin.numbers`'s business.

Bad input never raises: a non-string, an empty or adversarial string gives None. Only the
last ``MAX_SCAN_CHARS`` characters are scanned (the cut moved off any number it would split),
so a call costs the same on a 1 MB string as on a long response, and no pattern here
backtracks more than linearly. :func:`parse_number` takes a value of any type and size: a
number beyond ``MAX_NUMBER_DIGITS`` digits or ``MAX_EXPONENT`` is None, found before any
arithmetic.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from .expressions import MAX_EXPRESSION_CHARS
from .languages import ENGLISH, LANGUAGES, find_language
from .numbers import (
    MAX_CANONICAL_CHARS,
    MAX_EXPONENT,
    MAX_NUMBER_CHARS,
    MAX_NUMBER_DIGITS,
    Number,
    NumberReader,
    bounded,
    canonical,
    clean_latex,
    exact_text,
    last_number,
    number_reader,
    number_safe_start,
    neutral_notation,
    numbers_in,
    scaled_by_exponent,
)

MAX_SCAN_CHARS = 12_000
"""Only this many characters at the end of a text are scanned. Final answers sit at the end of
a response, and 12k characters is well past the longest MGSM-style solution (about 3k tokens),
while it bounds the cost of a call on a degenerate or adversarial 1 MB generation."""

MAX_STATEMENTS = 16
"""Only the last this many answer statements are read: real responses have one or two, and the
cap bounds the cost of text that repeats "Answer:" thousands of times."""

FLOAT_DIGITS = 15
"""A Python float is read as the decimal of its first 15 significant digits, all that a double
carries exactly: 0.1 + 0.2 is 0.3, 1/3 is 0.333333333333333 (which the rounding rule matches to 1/3)."""

_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_SCIENTIFIC = re.compile(r"\s*(-?[0-9]+(?:\.[0-9]+)?)[eE]([+-]?)([0-9]+)\s*")  # a whole answer "1e+16", "1e-05"
_NUMBER_LIMIT = 10**MAX_NUMBER_DIGITS
_MAX_GAP_CHARS = 32  # how far after an answer statement its number may start
_MAX_BOXED_CHARS = 200

_BRACE = re.compile(r"[{}]")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_GAP_FILLER = " \t\n*_#>:：=、，,\\([{"  # markdown, colons, "\\(" between statement and number (and currency signs)
_PARENTHETICAL = re.compile(r",[^,\n]{1,24},")  # "La respuesta es, por lo tanto, 18"
_ABBREVIATION = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,3}\.")  # "Sh. 1,500", "Rs. 500": no sentence end
_EXPRESSION_TO_EQUALS = re.compile(r"(?:[\s\d.,+\-−×xX*/÷·()]|\\times|\\cdot)*=")



@dataclass(frozen=True)
class _Rules:
    """Compiled patterns for one language (or for all languages when ``lang`` is None).

    ``statement`` matches final statements in the lower-cased text read backwards, so that a
    search stops at the last statement instead of scanning the whole response.
    """

    numbers: NumberReader
    statement: re.Pattern[str]
    keywords: frozenset[str]  # every statement contains one of these: texts without any are skipped fast
    currency: re.Pattern[str]  # the table's currency signs, taken out of a gap before it is judged
    sentence_end: re.Pattern[str]  # ". " "! " "? ", a newline and the table's sentence ends ("。", "।", "؟")

    def filler_only(self, gap: str) -> bool:
        """Whether ``gap`` holds nothing but markup, colons and currency signs ("** Rp ")."""
        return not self.currency.sub("", gap).strip(_GAP_FILLER)


def _backwards(phrase: str) -> str:
    """Regex for ``phrase`` lower-cased and read backwards: "Die Antwort lautet" gives "tetual\\s+trowtna\\s+eid"."""
    return r"\s+".join(re.escape(word[::-1]) for word in reversed(phrase.lower().split()))


def _alternatives(phrases: set[str]) -> str:
    return "|".join(sorted(phrases, key=len, reverse=True))


def _rules(code: str | None) -> _Rules:
    return _table_rules(code, LANGUAGES.version)


@lru_cache(maxsize=None)
def _table_rules(code: str | None, _table_version: int) -> _Rules:
    language = LANGUAGES.get(code) if code else None
    languages = [LANGUAGES[ENGLISH]] + ([language] if language else list(LANGUAGES.values()))
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
    reader = number_reader(code if language else None)
    sentence_ends = "".join(sorted({c for lang in LANGUAGES.values() for c in lang.sentence_ends}))
    return _Rules(
        numbers=reader,
        statement=re.compile("|".join(alternatives)),
        keywords=frozenset(keywords),
        currency=re.compile("|".join(map(re.escape, reader.currency_signs)) or "(?!)"),
        sentence_end=re.compile(r"[.!?](?:\s|$)|[\n" + re.escape(sentence_ends) + "]"),
    )


def _tail(text: object) -> str | None:
    """The last ``MAX_SCAN_CHARS`` characters of ``text``, the cut moved off any number it would split."""
    if not isinstance(text, str) or not text:
        return None
    if len(text) <= MAX_SCAN_CHARS:
        return text
    return text[number_safe_start(text, len(text) - MAX_SCAN_CHARS) :]


def _gap_words_allowed(kind: str) -> int:
    """Words allowed between a statement and its number: "La réponse est donc de 12", "Answer: Sh 5", "సమాధానం 11"."""
    return {"sentence": 2, "label": 1}.get(kind, 0)


def _close_enough(gap: str, kind: str, rules: _Rules) -> bool:
    if rules.filler_only(gap):
        return True
    gap = _ABBREVIATION.sub(" ", _PARENTHETICAL.sub(" ", rules.currency.sub(" ", gap)))
    words = sum(1 for token in gap.split() if _LETTER_RUN.search(token))
    return words <= _gap_words_allowed(kind) and not rules.sentence_end.search(gap)


def _follow_equals(text: str, number: Number, rules: _Rules) -> Number:
    """"16 - 3 - 4 = 9 × 2 = 18" commits to 18: follow "=" signs that continue the number's expression."""
    for _ in range(MAX_STATEMENTS):
        equals = _EXPRESSION_TO_EQUALS.match(text, number.end, number.end + _MAX_GAP_CHARS * 4)
        window = equals and equals.end() + _MAX_GAP_CHARS + MAX_NUMBER_CHARS + 1  # room for a whole number
        result = equals and next(numbers_in(text, rules.numbers, equals.end(), window), None)
        if not result or not rules.filler_only(text[equals.end() : result.start]):
            break
        number = result
    return number


def _number_after_statement(text: str, kind: str, end: int, rules: _Rules) -> Number | None:
    """The number a final statement ending at ``end`` commits to, or None when none follows closely."""
    first = next(numbers_in(text, rules.numbers, end, end + _MAX_GAP_CHARS + MAX_NUMBER_CHARS + 1), None)
    if first is None or first.start - end > _MAX_GAP_CHARS or not _close_enough(text[end : first.start], kind, rules):
        return None
    return _follow_equals(text, first, rules)


def _boxed_content(text: str, brace_end: int) -> tuple[str, bool]:
    """The content of a box and whether it is whole (closed, or open to the end of the text).

    A box longer than ``_MAX_BOXED_CHARS`` gives its first ``_MAX_BOXED_CHARS`` characters, not whole.
    """
    depth = 1
    for brace in _BRACE.finditer(text, brace_end, brace_end + _MAX_BOXED_CHARS):
        depth += 1 if brace.group() == "{" else -1
        if depth == 0:
            return text[brace_end : brace.start()], True
    return text[brace_end : brace_end + _MAX_BOXED_CHARS], brace_end + _MAX_BOXED_CHARS >= len(text)


def _number_in_boxed(text: str, start: int, end: int, rules: _Rules) -> Number | None:
    content, whole = _boxed_content(text, end)
    content = clean_latex(content)
    found = next(numbers_in(content, rules.numbers), None)
    if found is None or not (whole or found.end + MAX_NUMBER_CHARS < len(content)):
        return None  # a box cut by the window: its number may be cut too
    found = _follow_equals(content, found, rules)
    # positions refer to the boxed statement in the original text
    return Number(found.value, found.decimals, found.percent, start, end)


def lower_same_length(text: str) -> str:
    """``text`` lower-cased, keeping its length ("İ" is the one character whose lower case is longer)."""
    return (text if text.isascii() else text.replace("İ", "I")).lower()


def _statement_spans(text: str, rules: _Rules):
    """(kind, start, end) of the last ``MAX_STATEMENTS`` explicit final statements, last first."""
    lowered = lower_same_length(text)
    if not any(keyword in lowered for keyword in rules.keywords):
        return
    size = len(text)
    read = 0
    for statement in rules.statement.finditer(lowered[::-1]):
        kind = statement.lastgroup
        if kind == "heading":
            continue
        yield kind, size - statement.end(), size - statement.start()
        read += 1
        if read == MAX_STATEMENTS:
            return


def _statement_number(text: str, kind: str, start: int, end: int, rules: _Rules) -> Number | None:
    if kind == "boxed":
        return _number_in_boxed(text, start, end, rules)
    return _number_after_statement(text, kind, end, rules)


def _final_statements_backwards(text: str, rules: _Rules):
    """The numbers of the last ``MAX_STATEMENTS`` explicit final statements, last first."""
    for kind, start, end in _statement_spans(text, rules):
        number = _statement_number(text, kind, start, end, rules)
        if number is not None:
            yield number


def _language_rules(lang: object) -> _Rules:
    language = find_language(lang)
    return _rules(language.code if language else None)


def _final_number(text: object, lang: object) -> Number | None:
    tail = _tail(text)
    if tail is None:
        return None
    rules = _language_rules(lang)
    try:
        return next(_final_statements_backwards(tail, rules), None) or last_number(tail, rules.numbers)
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
    return None if number is None else canonical(number.value)


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
        found = [canonical(number.value) for number in _final_statements_backwards(tail, _language_rules(lang))]
        return found[::-1]
    except (ValueError, ArithmeticError):  # pragma: no cover - defensive
        return []


@dataclass(frozen=True)
class ParsedNumber:
    """A number as written: exact value, decimal places shown (None for fractions) and percent sign."""

    value: Fraction
    decimals: int | None
    percent: bool


def is_plain_number(answer: str, lang: object) -> bool:
    """Whether ``answer`` is a plain "-12.5" that reads the same under ``lang``'s conventions (German "1.430" does not)."""
    if len(answer) > MAX_CANONICAL_CHARS or not _PLAIN_NUMBER.fullmatch(answer):
        return False
    language = find_language(lang)
    return "." not in answer or language is None or "." not in language.grouping_before_three_digits


def _read_plain(answer: str) -> ParsedNumber:
    """A plain "-12.5" (see :func:`is_plain_number`) as a number."""
    integer, _, decimals = answer.partition(".")
    value = Fraction(int(integer + decimals), 10 ** len(decimals)) if decimals else Fraction(int(integer))
    return ParsedNumber(value, len(decimals), False)


def parse_number(answer: object, lang: str | None = None) -> ParsedNumber | None:
    """Read one answer (a short string such as "$1,234.50", "3/4", "25%", "1e-05", ``\\frac{1}{3}``, or a number).

    Numbers of any type are read as their exact value; one beyond ``MAX_NUMBER_DIGITS`` digits
    (or a string exponent beyond ``MAX_EXPONENT``), nan and infinities are None.

    >>> parse_number("1.234,50 €", "de").value
    Fraction(2469, 2)
    >>> parse_number("1e-05").value, parse_number(10**5000)
    (Fraction(1, 100000), None)
    """
    if isinstance(answer, str):
        return _parse_text(answer, lang)
    if isinstance(answer, bool) or answer is None:
        return None
    decimals: int | None = None
    if isinstance(answer, int):
        value, decimals = (Fraction(answer) if -_NUMBER_LIMIT < answer < _NUMBER_LIMIT else None), 0
    elif isinstance(answer, Fraction):
        value = answer
    elif isinstance(answer, float):  # the decimal of its 15 significant digits: 0.1 + 0.2 is 0.3
        if not (math.isfinite(answer) and abs(answer) < _NUMBER_LIMIT):
            return None
        written = Decimal(format(answer, f".{FLOAT_DIGITS}g"))
        value, decimals = _decimal_value(written), max(0, -written.as_tuple().exponent)
    elif isinstance(answer, Decimal):
        value = _decimal_value(answer)
    else:
        return None
    return ParsedNumber(value, decimals, False) if value is not None and bounded(value) else None


def _decimal_value(number: Decimal) -> Fraction | None:
    """The exact value of a finite Decimal, its size checked before it is built (``Decimal("1e99999999")``)."""
    if not number.is_finite():
        return None
    _, digits, exponent = number.as_tuple()
    if len(digits) > MAX_NUMBER_DIGITS or abs(exponent) > MAX_NUMBER_DIGITS + MAX_EXPONENT:
        return None
    return Fraction(number)


def _parse_text(answer: str, lang: object) -> ParsedNumber | None:
    if is_plain_number(answer, lang):  # fast path
        number = _read_plain(answer)
        return number if bounded(number.value) else None
    scientific = _SCIENTIFIC.fullmatch(answer) if len(answer) <= MAX_CANONICAL_CHARS else None
    if scientific:  # "1e+16", "1e-05": a number as a program writes it
        mantissa, sign, digits = scientific.groups()
        number = _parse_text(mantissa, None)
        exponent = int(digits) * (-1 if sign == "-" else 1) if len(digits) <= 8 else MAX_EXPONENT + 1
        scaled = number and scaled_by_exponent(number.value, number.decimals, exponent)
        return ParsedNumber(scaled[0], scaled[1], False) if scaled and bounded(scaled[0]) else None
    text = _tail(answer)
    if text is None:
        return None
    number = _final_number(text if "boxed" in text else clean_latex(text), lang)
    return None if number is None else ParsedNumber(number.value, number.decimals, number.percent)


# --------------------------------------------------------------------------------------------
# Answers that are expressions: extraction and equivalence (the symbolic part is in .expressions)
# --------------------------------------------------------------------------------------------

_MATH_DELIMITERS = (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$"))
_BOXED_OPEN = re.compile(r"\\(?:boxed|fbox)\s*\{")
_MATH_CHARS = frozenset("0123456789+-*/^_=<>!|,.;:'()[]{}\\ %$€£¥₹πθ√∞≤≥≠−×÷·⋅∪∩∈ℝℤℕ－\t")
_FUNCTION_WORDS = frozenset("sin cos tan cot sec csc ln log exp arcsin arccos arctan sinh cosh tanh sqrt mod pi".split())
_TEXT_COMMANDS = frozenset({"text", "mathrm", "mbox", "textbf", "textit"})
_NEUTRAL_LATEX = re.compile(
    r"\\(?:text|mathrm|textbf|textit|mbox)\s*\{[^{}]*\}"  # units: 15 \text{ cups}
    r"|\\(?:times|cdot|div|left|right|displaystyle|quad|qquad)(?![A-Za-z])"  # arithmetic and spacing
    r"|\\[,;:! $%]|\{,\}"
)
_EXPRESSION_SIGNALS = re.compile(
    r"\\[A-Za-z]+"  # \frac, \sqrt, \pi, \infty, \leq ...
    r"|[\^_<>|πθ√∞≤≥≠∪∩∈ℝℤℕ]"
    r"|\d[A-Za-z](?![A-Za-z])"  # 2n
    r"|(?<![A-Za-z])[A-Za-z](?![A-Za-z])\s*[-+*/=()\[\]{}^!]"  # n + 1, x = 5, f(x)
    r"|[-+*/=(\[{]\s*[A-Za-z](?![A-Za-z])"  # 1 + n, (x
    r"|^\s*[A-Za-z]\s*$"  # a lone variable: "n", "e"
    r"|[(\[{][^()\[\]{},;]*[,;][^()\[\]{}]*[)\]}]"  # (1, 2), [2, 3), {1, 2}, German and French {-1; 1}
    r"|,\s+[-−]?\d|;\s*[-−]?\d"  # 2, -2 and -1; 1
    r"|[\d)]\s*(?:[-+*×·]|\\times|\\cdot)\s*[\d(]"  # 0.65 + 1: arithmetic is an expression (an "=" chain is read by its number)
    r"|[A-Za-z)]!|\d!"  # n!, (2n)!, 10! (an exclamation after a number never reaches here: see _undelimited)
    r"|(?<![A-Za-z])(?:sqrt|exp|ln|log|sin|cos|tan|arctan|atan)\s*\(|(?<![A-Za-z])pi(?![A-Za-z])|\*\*"  # sqrt(3), pi/2, 2**10
    r"|[-−]\s*\("  # -(1/2)
)
_PLAIN_FUNCTION = re.compile(r"(?:sqrt|exp|ln|log|sin|cos|tan|arctan)\s*\(|pi(?![A-Za-z])")  # "sqrt(3)/2", "pi/3"
_PRODUCT_WITH_LETTER = re.compile(r"[\d)]\s*(?:[*×·⋅]|\\cdot|\\times)\s*[A-Za-z](?![A-Za-z])")  # 2 \cdot n, 3*x
_EQUALS_CHAIN_LHS = re.compile(r"^[\s\d.,+\-−×xX*/÷·()]*$")
_NAME_LHS = re.compile(r"^\s*\\?[A-Za-z]+(?:_\{?[A-Za-z0-9]+\}?)?\s*(?:\([A-Za-z, ]*\))?\s*$")
_EXPRESSION_STOP = re.compile(r"\.(?:\s|$)|[。！？\n?]|:(?=\s)")
_COMMAND_NAME = re.compile(r"\\([A-Za-z]+)")
_DANGLING_OPERATOR = re.compile(r"(?:[=<>+\-]|\\[gl]eq?|\\neq)\s*$")  # a math segment that stops mid-formula
_NUMERIC_FRACTION = re.compile(r"^-?\\[dt]?frac\{\d+\}\{\d+\}$")
_LEADING_SIGN = re.compile(r"^([-−])\s+")
_OUTER_DOLLARS = re.compile(r"^\$+(.*?)\$+$", re.S)


def has_expression_signal(span: str) -> bool:
    """Whether an answer as written is an expression rather than a number with units.

    >>> has_expression_signal("2n - 1"), has_expression_signal("18 dollars"), has_expression_signal("[2, 3)")
    (True, False, True)
    """
    span = span[:MAX_EXPRESSION_CHARS]
    return bool(_EXPRESSION_SIGNALS.search(_NEUTRAL_LATEX.sub(" ", span)) or _PRODUCT_WITH_LETTER.search(span))


def _closed_group(text: str, start: int) -> str | None:
    """The content of the brace group opened just before ``start``; None when it does not close (cut off)."""
    depth = 1
    for position in range(start, min(len(text), start + MAX_EXPRESSION_CHARS)):
        char = text[position]
        if char in "{}" and text[position - 1] != "\\":
            depth += 1 if char == "{" else -1
            if depth == 0:
                return text[start:position]
    return None


def _undelimited(text: str, start: int) -> tuple[str, bool]:
    """The expression written from ``start`` without math delimiters, and whether a sentence end closed it.

    It runs up to a sentence end or the first natural-language word ("2n - 1 for all n" gives "2n - 1").
    """
    position, limit = start, min(len(text), start + MAX_EXPRESSION_CHARS)
    while position < limit:
        char = text[position]
        if char.isdecimal():
            position += 1
            continue
        if char.isalpha():
            word = _LETTER_RUN.match(text, position, limit).group()
            if (not word.isascii() and word not in "πθ") or (len(word) > 1 and word.lower() not in _FUNCTION_WORDS):
                return text[start:position], False
            position += len(word)
            continue
        if char == "\\":
            command = _COMMAND_NAME.match(text, position, limit)
            if command and command.group(1) in _TEXT_COMMANDS:
                brace = text.find("}", command.end(), limit)
                position = brace + 1 if brace != -1 else limit
            else:
                position = command.end() if command else position + 2
            continue
        if char not in _MATH_CHARS or _EXPRESSION_STOP.match(text, position):
            break
        if char == "!" and text[position - 1].isdecimal() and not text[position + 1 : position + 2].strip():
            break  # "Jibu ni 45!" ends a sentence; "n!" is a factorial
        position += 1
    return text[start:position], True


def _delimited(text: str, start: int) -> str | None:
    """The content of ``\\boxed{...}``, ``$...$``, ``$$...$$``, ``\\(...\\)`` or ``\\[...\\]`` opening at ``start``."""
    boxed = _BOXED_OPEN.match(text, start)
    if boxed:
        return _closed_group(text, boxed.end())
    for opener, closer in _MATH_DELIMITERS:
        if text.startswith(opener, start):
            close = text.find(closer, start + len(opener), start + len(opener) + MAX_EXPRESSION_CHARS)
            if close == -1:
                return None
            content = text[start + len(opener) : close]
            inner = _BOXED_OPEN.search(content)  # "$\boxed{x}$"
            if inner:
                return _closed_group(content, inner.end()) or content
            return content
    return None


def _math_start(text: str, position: int) -> bool:
    char = text[position]
    if char in "$\\-−([{πθ√∞" or char.isdecimal():
        return True
    if not char.isascii() or not char.isalpha() or text[position - 1 : position].isalpha():
        return False
    word = _LETTER_RUN.match(text, position, position + 8).group()
    return len(word) == 1 or (word in _FUNCTION_WORDS and _PLAIN_FUNCTION.match(text, position) is not None)


def _span_after_statement(text: str, kind: str, end: int, rules: _Rules) -> str | None:
    """What an answer sentence or label commits to, when it starts closely after the statement."""
    position, limit = end, min(len(text), end + _MAX_GAP_CHARS)
    while position < limit and not _math_start(text, position):
        position += 1
    if position == limit or not _close_enough(text[end:position], kind, rules):
        return None
    delimited = _delimited(text, position)
    if delimited is not None:
        return _joined_math(text, position) or delimited
    if text[position] == "$":  # a currency sign, not math: "$18"
        position += 1
    span, closed = _undelimited(text, position)
    if not closed and not re.search(r"\d|\\", span):  # "The answer is a bit tricky": no expression
        return None
    return span


def _joined_math(text: str, start: int) -> str | None:
    """"$f(x)=0$ and $f(x)=x^2$": the whole sentence when it holds several math segments, else None."""
    if not text.startswith("$", start) or text.startswith("$$", start):
        return None
    first_close = text.find("$", start + 1, start + MAX_EXPRESSION_CHARS)
    if first_close == -1:
        return None
    stop = _EXPRESSION_STOP.search(text, first_close + 1, start + MAX_EXPRESSION_CHARS)
    sentence_end = stop.start() if stop else min(len(text), start + MAX_EXPRESSION_CHARS)
    last = text.rfind("$", first_close + 1, sentence_end)
    if last == -1:
        return None
    dangling = _DANGLING_OPERATOR.search(text, start + 1, first_close) is not None  # "$b \geq $-\frac{2}{3}$"
    if text.count("$", first_close + 1, last + 1) % 2 and not dangling:
        return None
    return text[start : last + 1]


def _tidy(expression: str) -> str:
    return " ".join(expression.split()).strip(" .,;:。*")


def _numeric_equation(expression: str, rules: _Rules) -> str | None:
    """"x = 5" and "16 - 3 - 4 = 9" commit to a number: the right side, when it is plain."""
    if "=" not in expression:
        return None
    left, _, right = expression.rpartition("=")
    single = expression.count("=") == 1 and _NAME_LHS.match(left)
    if not (single or _EQUALS_CHAIN_LHS.match(left)) or has_expression_signal(right):
        return None
    right = right.strip(" .。")
    found = next(numbers_in(right, number_reader(None)), None)  # the expression is in neutral notation
    whole = found is not None and found.start == 0 and found.end == len(right)
    return exact_text(found.value) if whole else None


def _statement_answer(text: str, kind: str, start: int, end: int, rules: _Rules) -> str | None:
    """The answer one final statement commits to, in neutral notation: an expression as written, or a number's exact text."""
    if kind == "boxed":
        span = _closed_group(text, end)
        if span is None:  # cut off inside \boxed{...: it commits to nothing yet
            return None
    else:
        span = _span_after_statement(text, kind, end, rules)
    if span is not None:
        language = rules.numbers.language
        span = neutral_notation(span, language.code if language else None)  # English "-1,1" is a list
    if kind == "boxed" and is_plain_number(span.strip(), None):
        return exact_text(_read_plain(span.strip()).value)  # fast path: "\boxed{1498}"
    if span is not None and _NUMERIC_FRACTION.match(_tidy(span).replace(" ", "").replace("\\dfrac", "\\frac")):
        fraction = parse_number(_tidy(span))  # "\frac{4}{27}" is a number
        if fraction is not None:
            return exact_text(fraction.value)
    if span is not None and has_expression_signal(span):
        expression = _tidy(span)
        number = _numeric_equation(expression, rules)
        if number is not None or expression:
            return number or expression
    number = _statement_number(text, kind, start, end, rules)
    return None if number is None else exact_text(number.value)


def _last_boxed_answer(text: str, rules: _Rules) -> str | None:
    """The answer of the last ``\\boxed{}`` when no other statement follows it (the common case, read
    without scanning the whole response); None otherwise."""
    box = max(text.rfind("\\boxed"), text.rfind("\\fbox"))
    if box == -1:
        return None
    last = next(_statement_spans(text[box:], rules), None)
    if last is None or last[0] != "boxed" or last[1] != 0:
        return None
    return _statement_answer(text, "boxed", box, box + last[2], rules)


def extract_expression(text: str, lang: str | None = None) -> str | None:
    """The final answer ``text`` commits to, as written (LaTeX kept), or None.

    The same statements count as final as for :func:`extract_answer` (the last answer sentence,
    label or ``\\boxed{}``; otherwise the last number). The answer comes back in language-neutral
    notation (:func:`pasmr_plugin.numbers.neutral_notation`: a decimal point, no grouping, ", "
    between list items, so English ``\\boxed{-1,1}`` is "-1, 1" and German ``\\boxed{-1,5}`` is
    "-1.5"), comparable without a language. An expression comes back as written otherwise, without
    its ``$``/``\\(``/``\\boxed`` delimiters and trailing punctuation; a plain number as its exact
    text (:func:`pasmr_plugin.numbers.exact_text`: :func:`extract_answer`'s canonical number, or
    "4/27" for a fraction without a finite decimal). A ``\\boxed{`` cut off before its closing brace
    commits to nothing.

    >>> extract_expression("Ответ — $\\\\frac{\\\\pi}{3}$.", "ru")
    '\\\\frac{\\\\pi}{3}'
    >>> extract_expression("Jibu ni 2n - 1 kwa kila n.", "sw")
    '2n - 1'
    >>> extract_expression("Die Antwort lautet 1.234,5 Euro.", "de"), extract_expression("The answer is $\\\\boxed{-1,1}$.", "en")
    ('1234.5', '-1, 1')
    """
    tail = _tail(text)
    if tail is None:
        return None
    rules = _language_rules(lang)
    try:
        boxed = _last_boxed_answer(tail, rules)
        if boxed is not None:
            return boxed
        for kind, start, end in _statement_spans(tail, rules):
            answer = _statement_answer(tail, kind, start, end, rules)
            if answer is not None:
                return answer
            if kind == "boxed" and _closed_group(tail, end) is None:
                return None
        number = last_number(tail, rules.numbers)
        return None if number is None else exact_text(number.value)
    except Exception:  # pragma: no cover - defensive: never raise into a trainer
        return None


def extract_boxed(text: str, lang: str | None = None) -> str | None:
    """The answer of the last complete ``\\boxed{}`` of ``text``, read as :func:`extract_expression` reads
    it, or None when ``text`` has none: the answer of a response asked for ``$\\boxed{...}$``.

    >>> extract_boxed("Donc $\\\\boxed{x^2}$. Vérification : la réponse est 4.", "fr")
    'x^2'
    """
    tail = _tail(text)
    if tail is None:
        return None
    rules = _language_rules(lang)
    try:
        for kind, start, end in _statement_spans(tail, rules):
            if kind == "boxed":
                return _statement_answer(tail, kind, start, end, rules)
        return None
    except Exception:  # pragma: no cover - defensive: never raise into a trainer
        return None


def extract_final_expressions(text: str, lang: str | None = None) -> list[str]:
    """Every answer ``text`` states explicitly (answer sentences, labels, ``\\boxed{}``), in order, as
    :func:`extract_expression` reads them; more than one distinct value is a conflict.

    >>> extract_final_expressions("La respuesta es $x^2$. No: la respuesta es $x^3$.", "es")
    ['x^2', 'x^3']
    """
    tail = _tail(text)
    if tail is None:
        return []
    rules = _language_rules(lang)
    try:
        found = []
        for kind, start, end in _statement_spans(tail, rules):
            answer = _statement_answer(tail, kind, start, end, rules)
            if answer is not None:
                found.append(answer)
        return found[::-1]
    except Exception:  # pragma: no cover - defensive
        return []


def plain_number(answer: object, lang: object = None) -> ParsedNumber | None:
    """``answer`` read as a number when it is one ("18", "1.234,5", "25%", ``\\frac{3}{4}``, 7), else None.

    Unlike :func:`parse_number`, an expression is no number: "2n - 1" and "2^{10}" give None.

    >>> plain_number("1.234,5 €", "de").value, plain_number("2n - 1", "de")
    (Fraction(2469, 2), None)
    """
    if not isinstance(answer, str):
        return parse_number(answer, lang)
    text = answer.strip()
    if is_plain_number(text, lang):
        return _read_plain(text)
    if len(text) > MAX_EXPRESSION_CHARS:  # no plain number is this long
        return None
    match = _OUTER_DOLLARS.match(text)
    if match:
        text = match.group(1).strip()
        if is_plain_number(text, lang):
            return _read_plain(text)
    if has_expression_signal(text) and not _NUMERIC_FRACTION.match(text.replace(" ", "")):
        return None
    return parse_number(_LEADING_SIGN.sub(r"\1", text), lang)  # a whole answer "- \frac{1}{2}" is negative
