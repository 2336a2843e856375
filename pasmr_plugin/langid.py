"""Which table language a text is written in.

Chosen by measurement (``bench/langid_bench.py`` on the 2,750 MGSM questions and 88 exemplar
solutions): the script decides when it belongs to one table language only (Bengali, Telugu,
Thai, Cyrillic; Han with kana is Japanese, Han without kana Chinese), and py3langid,
restricted to the table's Latin-script languages, decides between German, English,
Spanish, French and Swahili (script checks alone cannot tell German from English).

>>> detect_language("Janets Enten legen 16 Eier pro Tag.")
'de'
>>> detect_language("ジャネットのアヒルは1日に16個の卵を産みます。")
'ja'
>>> detect_language("5 + 6 = 11") is None  # too few letters to judge
True
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache

from .languages import LANGUAGES

MAX_LANGID_CHARS = 1_000
"""Only the first 1,000 characters are identified: question-length text already identifies at
100% on MGSM, and the cost of identification grows with length (about 2 ms at 5k characters)."""

MIN_LETTERS = 8
"""Texts with fewer letters than this (after removing numbers, LaTeX and markup) are not judged."""

_CJK_WEIGHT = 3  # one Han or kana character carries about as much evidence as three Latin letters
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_SCRIPT_PATTERNS = {
    "Latn": re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"),
    "Cyrl": re.compile(r"[\u0400-\u04ff]"),
    "Beng": re.compile(r"[\u0980-\u09ff]"),
    "Telu": re.compile(r"[\u0c00-\u0c7f]"),
    "Thai": re.compile(r"[\u0e00-\u0e7f]"),
    "Han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
    "Kana": re.compile(r"[\u3041-\u3096\u30a1-\u30fa]"),  # without ー and ・, which Chinese uses too
}
_lock = threading.Lock()


def _script_counts(text: str) -> dict[str, int]:
    counts = {script: len(pattern.findall(text)) for script, pattern in _SCRIPT_PATTERNS.items()}
    counts["Han"] *= _CJK_WEIGHT
    counts["Kana"] *= _CJK_WEIGHT
    return counts


def _language_of_script(script: str, counts: dict[str, int], candidates: frozenset[str]) -> set[str]:
    """The candidate languages written in ``script`` (Han and kana together are CJK)."""
    if script in ("Han", "Kana"):
        return {"ja"} & candidates if counts["Kana"] else {"zh"} & candidates
    return {code for code in candidates if LANGUAGES[code].script == script}


@lru_cache(maxsize=32)
def _identifier(languages: tuple[str, ...]):
    """A py3langid identifier restricted to ``languages`` (one per set, built once; thread-safe)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    load = getattr(LanguageIdentifier, "from_model_file", None) or LanguageIdentifier.from_pickled_model
    identifier = load(MODEL_FILE)
    identifier.set_languages(list(languages))
    return identifier


def _classify(text: str, languages: tuple[str, ...]) -> str:
    with _lock:  # building is not thread-safe, and classify shares numpy buffers
        return _identifier(languages).classify(text)[0]


def detect_language(text: object, candidates: Iterable[str] | None = None) -> str | None:
    """The table language ``text`` is written in, or None when it cannot be judged.

    ``candidates`` restricts the answer to some table languages (default: all of them).
    Never raises: anything that is not a string with enough letters gives None.
    """
    if not isinstance(text, str):
        return None
    allowed = frozenset(LANGUAGES) if candidates is None else frozenset(candidates) & frozenset(LANGUAGES)
    sample = _LATEX_COMMAND.sub(" ", text[:MAX_LANGID_CHARS])
    counts = _script_counts(sample)
    script = max(counts, key=counts.__getitem__)
    if counts[script] < MIN_LETTERS:
        return None
    languages = _language_of_script(script, counts, allowed)
    if len(languages) <= 1:
        return next(iter(languages), None)
    try:
        return _classify(sample, tuple(sorted(languages)))
    except (ValueError, UnicodeError):  # odd input (lone surrogates, control characters) is not judged
        return None
