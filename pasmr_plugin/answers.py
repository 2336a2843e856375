"""Final answers in multilingual math reasoning: the public entry points for extraction and grading.

``extract_answer(text, lang)`` finds the number a response commits to and returns it as a
canonical string; ``answers_match(a, b)`` decides whether two answers are the same number.
Answers that are expressions: ``extract_expression(text, lang)`` returns the final answer as
written (LaTeX kept, a plain number as ``extract_answer``'s number) and
``answers_equivalent(a, b, lang)`` decides mathematical equivalence (numbers as
``answers_match``; fractions, radicals, π, powers, factorials, expressions in variables, sets,
tuples, intervals, inequalities through :mod:`pasmr_plugin.expressions`; the verdict depends on the
answers only, never on time or load). Extraction returns answers in a language-neutral notation
(a decimal point, ", " between list items), which compare without a language.

>>> extract_answer("Janet verdient 9 × 2 = 18 Dollar. Die Antwort lautet 18.", "de")
'18'
>>> extract_answer("তাই মোট ৭০,০০০ টাকা। উত্তর হল ৭০,০০০।", "bn")
'70000'
>>> answers_match("18.00", 18)
True

The work is done by three modules, each with its rules in its docstring:
:mod:`pasmr_plugin.numbers` reads numbers as languages write them, :mod:`pasmr_plugin.extraction`
finds the final statement a response commits to, :mod:`pasmr_plugin.grading` compares answers,
:mod:`pasmr_plugin.expressions` compares LaTeX answers (:mod:`pasmr_plugin.values` computes their values;
mpmath, imported lazily, for those that are not rational: the ``math`` extra).
Bad input never raises: a non-string, an empty or adversarial string gives None (or False for
``answers_match``).
"""

from __future__ import annotations

from .extraction import (
    MAX_SCAN_CHARS,
    ParsedNumber,
    extract_answer,
    extract_expression,
    extract_final_answers,
    extract_final_expressions,
    parse_number,
)
from .grading import answer_key, answers_equivalent, answers_match, neutral_answer

__all__ = [
    "MAX_SCAN_CHARS",
    "ParsedNumber",
    "answer_key",
    "answers_equivalent",
    "answers_match",
    "extract_answer",
    "extract_expression",
    "extract_final_answers",
    "extract_final_expressions",
    "neutral_answer",
    "parse_number",
]
