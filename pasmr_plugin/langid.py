"""Which table language a text is written in.

Chosen by measurement (``bench/langid_bench.py`` on PolyMath's 18 x 500 questions, much of them
LaTeX, on 30-character snippets and on MGSM's 2,750 questions):

1. Math is set aside first: ``$...$``, ``\\(...\\)``, ``\\[...\\]`` and environments are dropped
   unless they hold prose (two words in a row, or letters of a non-Latin script, as when a
   dollar sign is money), and LaTeX command names are dropped; ``\\text{...}`` is kept.
2. Letters are counted per script (:data:`~pasmr_plugin.languages.SCRIPT_LETTERS`; a Han or kana
   character weighs 3 Latin letters, a Hangul syllable 2). A non-Latin script wins when it has at
   least ``MIN_SCRIPT_LETTERS`` letters and ``MIN_SCRIPT_SHARE`` of all letters: Latin letters in
   other languages' texts are mostly math and English terms. Otherwise Latin decides when it has
   at least ``MIN_LETTERS`` letters (counting the formulas' letters too when the prose alone has
   fewer: "Trova $\\int ...$").
3. The languages written in that script whose scripts cover most letters remain (Han with kana is
   Japanese, Han alone Chinese); when several remain, py3langid restricted to them decides
   (German, English, Spanish, French, Swahili, Indonesian, Italian, Malay, Portuguese, Vietnamese).

Indonesian and Malay are often confused (a third of PolyMath's Malay questions read as
Indonesian); the table declares that they count as each other for language fidelity
(:func:`pasmr_plugin.languages.counts_as`), so callers compare with that, not with ``==``.

>>> detect_language("Janets Enten legen 16 Eier pro Tag.")
'de'
>>> detect_language("ジャネットのアヒルは1日に16個の卵を産みます。")
'ja'
>>> detect_language("หา $\\\\sum_{n=1}^{\\\\infty} \\\\frac{1}{n^2}$")  # the math is not Thai, the prose is
'th'
>>> detect_language("5 + 6 = 11") is None  # too few letters to judge
True
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache

from .languages import LANGUAGES, MATH_SCRIPT, SCRIPT_LETTERS, SCRIPT_WEIGHTS, Language

MAX_LANGID_CHARS = 1_000
"""Only the first 1,000 characters are identified: question-length text already identifies at
100% on MGSM, and the cost of identification grows with length (about 2 ms at 5k characters)."""

MIN_LETTERS = 8
"""Latin-script prose with fewer letters than this is judged together with its formulas' letters
("Trova $\\int_0^1 x\\,dx$": one word is too little for py3langid); with fewer still, not at all.
Measured: judging prose down to 4 letters gains 0.2-0.4 points on a few languages' full
questions but loses 2-3 points on 30-character snippets."""

MIN_SCRIPT_LETTERS = 2
MIN_SCRIPT_SHARE = 0.2
"""A non-Latin script decides when it has at least 2 (weighted) letters and 20% of all letters."""

_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_TEXT_COMMAND = re.compile(r"\\(?:text|textbf|textit|textrm|mathrm|mbox|emph)\s*\{([^{}]*)\}")
_MATH = re.compile(
    r"\$\$(.*?)(?:\$\$|\Z)|\$([^$]*)(?:\$|\Z)|\\\((.*?)(?:\\\)|\Z)|\\\[(.*?)(?:\\\]|\Z)"
    r"|\\begin\{(\w+\*?)\}(.*?)(?:\\end\{\5\}|\Z)",
    re.S,
)
_PROSE = re.compile(r"(?<![\\\w])[^\W\d_]{2,}\s+[^\W\d_]{2,}(?!\w*\s*[{(])")  # "and then": not "\sin x"
_NON_LATIN_WORD = re.compile(rf"[^\W\d_{SCRIPT_LETTERS[MATH_SCRIPT]}]{{2,}}")
_lock = threading.Lock()


def _keep_prose(match: re.Match[str]) -> str:
    body = next((group for group in match.groups() if group is not None), "")
    return match.group() if _PROSE.search(body) or _NON_LATIN_WORD.search(body) else " "


def strip_math(text: str) -> str:
    """``text`` without its math and LaTeX command names: "Find $x^2$ if \\(x>1\\)." gives "Find   if  ."."""
    text = _TEXT_COMMAND.sub(r" \1 ", text)
    return _LATEX_COMMAND.sub(" ", _MATH.sub(_keep_prose, text))


@lru_cache(maxsize=8)
def _script_pattern(scripts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{script}>[{SCRIPT_LETTERS[script]}]+)" for script in scripts))


def _script_counts(text: str, scripts: tuple[str, ...]) -> dict[str, int]:
    counts = dict.fromkeys(scripts, 0)
    for run in _script_pattern(scripts).finditer(text):
        counts[run.lastgroup] += len(run.group())
    return {script: count * SCRIPT_WEIGHTS.get(script, 1) for script, count in counts.items()}


def _deciding_script(counts: dict[str, int]) -> str | None:
    """The non-Latin script with enough letters and share, else Latin, else None."""
    total = sum(counts.values())
    others = {script: count for script, count in counts.items() if script != MATH_SCRIPT}
    if others:
        best = max(others, key=others.__getitem__)
        if others[best] >= MIN_SCRIPT_LETTERS and others[best] >= MIN_SCRIPT_SHARE * total:
            return best
    return MATH_SCRIPT if counts.get(MATH_SCRIPT, 0) >= MIN_LETTERS else None


def _best_covered(languages: list[Language], counts: dict[str, int]) -> list[Language]:
    """The languages whose scripts cover most letters; among those, the ones with the fewest scripts."""
    cover = {lang.code: sum(counts.get(script, 0) for script in lang.scripts) for lang in languages}
    top = max(cover.values())
    languages = [lang for lang in languages if cover[lang.code] == top]
    fewest = min(len(lang.scripts) for lang in languages)
    return [lang for lang in languages if len(lang.scripts) == fewest]


@lru_cache(maxsize=1)
def _model():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    load = getattr(LanguageIdentifier, "from_model_file", None) or LanguageIdentifier.from_pickled_model
    return MODEL_FILE, load


@lru_cache(maxsize=1)
def identifiable_codes() -> frozenset[str]:
    """The language codes py3langid can tell apart (a pack language sharing a script needs one)."""
    with _lock:
        return frozenset(_identifier(())[0].nb_classes)


@lru_cache(maxsize=32)
def _identifier(codes: tuple[str, ...]):
    """A py3langid identifier restricted to ``codes`` (all languages for ``()``), built once per set."""
    model_file, load = _model()
    identifier = load(model_file)
    if codes:
        identifier.set_languages(list(codes))
    return identifier, codes


def _classify(text: str, languages: list[Language]) -> str | None:
    known = identifiable_codes()
    by_code = {lang.identifier_code: lang.code for lang in languages if lang.identifier_code in known}
    if not by_code:
        return None
    if len(by_code) == 1:
        return next(iter(by_code.values()))
    with _lock:  # building is not thread-safe, and classify shares numpy buffers
        identifier, _ = _identifier(tuple(sorted(by_code)))
        return by_code.get(identifier.classify(text)[0])


def detect_language(text: object, candidates: Iterable[str] | None = None) -> str | None:
    """The table language ``text`` is written in, or None when it cannot be judged.

    ``candidates`` restricts the answer to some table languages (default: all of them).
    Never raises: anything that is not a string with enough letters gives None.
    """
    if not isinstance(text, str):
        return None
    table = list(LANGUAGES.values())
    allowed = {lang.code for lang in table} if candidates is None else set(candidates)
    scripts = tuple(sorted({script for lang in table for script in lang.scripts} | {MATH_SCRIPT}))
    sample = text[:MAX_LANGID_CHARS]
    prose = strip_math(sample)
    counts = _script_counts(prose, scripts)
    script = _deciding_script(counts)
    if script is None:  # a word and a formula: judge the formula's letters too
        prose = _LATEX_COMMAND.sub(" ", sample)
        counts = _script_counts(prose, scripts)
        script = _deciding_script(counts)
        if script != MATH_SCRIPT:
            return None
    written = [lang for lang in table if script in lang.scripts]
    # the script's evidence decides over the whole table (Japanese is not Chinese even when only
    # Chinese is a candidate); the candidates then restrict what remains
    remaining = [lang for lang in _best_covered(written, counts) if lang.code in allowed] if written else []
    if len(remaining) <= 1:
        return remaining[0].code if remaining else None
    try:
        return _classify(prose, remaining)
    except (ValueError, UnicodeError):  # odd input (lone surrogates, control characters) is not judged
        return None
