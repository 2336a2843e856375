"""Answers that are expressions: ``extract_expression``, ``answers_equivalent``, ``answer_key``.

Tables per kind of answer (fractions, radicals, π, powers, expressions in a variable, sets,
tuples, intervals, inequalities, equations), equivalent and non-equivalent pairs of each kind,
extraction in every table language, and the promises: never raise, bounded time, and a
numeric core that works without the ``math`` extra.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

from pasmr_plugin.answers import (
    answer_key,
    answers_equivalent,
    extract_answer,
    extract_expression,
    extract_final_expressions,
)
from pasmr_plugin.languages import MGSM_LANGUAGES, get_language

# --------------------------------------------------------------------------------------------
# Extraction: the final statement's expression, LaTeX kept
# --------------------------------------------------------------------------------------------
EXTRACTION = [
    # boxed
    ("en", "Thus the angle is $\\boxed{\\frac{\\pi}{3}}$.", "\\frac{\\pi}{3}"),
    ("en", "Hence \\[\\boxed{2^{2024} - 1}\\]", "2^{2024} - 1"),
    ("en", "So \\boxed{\\left\\{ 2, -2 \\right\\}}.", "\\left\\{ 2, -2 \\right\\}"),
    # answer sentences around $...$, \(...\), and undelimited expressions
    ("de", "Die Antwort lautet $\\{2, -2, \\frac{1}{2}, -\\frac{1}{2}\\}$.", "\\{2, -2, \\frac{1}{2}, -\\frac{1}{2}\\}"),
    ("es", "Por lo tanto, la respuesta es $[2, 3)$.", "[2, 3)"),
    ("fr", "La réponse est \\(e - 1\\).", "e - 1"),
    ("ja", "よって、答えは $2n^2 - 2n + 1$ です。", "2n^2 - 2n + 1"),
    ("zh", "所以答案是 $\\frac{\\sqrt{3}}{2}$。", "\\frac{\\sqrt{3}}{2}"),
    ("ru", "Ответ — $b \\geq -\\frac{2}{3}$.", "b \\geq -\\frac{2}{3}"),
    ("sw", "Jibu ni 2n - 1 kwa kila n.", "2n - 1"),
    ("bn", "অতএব উত্তর হল $\\sqrt{2022} - 1$।", "\\sqrt{2022} - 1"),
    ("th", "ดังนั้นคำตอบคือ $(1, 4, 4), (2, 4, 4)$", "(1, 4, 4), (2, 4, 4)"),
    ("te", "కాబట్టి సమాధానం $n!$.", "n!"),
    ("en", "The answer is n^2 - n + 1.", "n^2 - n + 1"),
    ("en", "Final answer: $(-\\infty, 0) \\cup (1, +\\infty)$", "(-\\infty, 0) \\cup (1, +\\infty)"),
    ("en", "The answer is $f(x)=0$ and $f(x)=x^2$.", "$f(x)=0$ and $f(x)=x^2$"),
    # the last statement wins; statements beat later numbers
    ("en", "The answer is $x^2$. Wait, no: the answer is $x^3$. Check: 2^3 = 8.", "x^3"),
    # plain numbers come back as extract_answer's canonical numbers
    ("en", "The answer is x = 5.", "5"),
    ("en", "The answer is 16 - 3 - 4 = 9.", "9"),
    ("de", "Die Antwort lautet 1.234,5 Euro.", "1234.5"),
    ("en", "The answer is $\\boxed{\\dfrac{1}{2}}$", "0.5"),
    ("th", "คำตอบคือ $\\frac{4}{27}$", "4/27"),  # exact: a fraction without a finite decimal stays one
    ("en", "Therefore the answer is 15 \\text{ cups}.", "15"),
    ("bn", "উত্তর হল ৭০,০০০।", "70000"),
    # an arithmetic expression is an expression, not its first number
    ("en", "The answer is $0.65 + 1$.", "0.65 + 1"),
    # no expression after the statement: the earlier rules apply
    ("en", "The answer is a bit tricky. We get 5 in the end.", "5"),
    # a \boxed{ cut off before its closing brace commits to nothing
    ("en", "The value is 7, so \\boxed{2^{20", None),
    ("en", "I cannot solve this.", None),
]


@pytest.mark.parametrize("lang, text, expected", EXTRACTION)
def test_extract_expression_reads_the_final_statement(lang, text, expected):
    assert extract_expression(text, lang) == expected


def test_every_numeric_table_row_reads_as_extract_answer_reads_it():
    """On numeric answers the two extractors agree: the rows of test_answers.py in every language."""
    import test_answers

    rows = [(name.lower(), row) for name in dir(test_answers) for row in _rows(getattr(test_answers, name))]
    assert len(rows) > 200
    for lang, row in rows:
        assert extract_expression(row.text, lang) == extract_answer(row.text, lang) == row.expected, (lang, row.what)


def _rows(value):
    return value if isinstance(value, list) and value and type(value[0]).__name__ == "Row" else []


@pytest.mark.parametrize("lang", MGSM_LANGUAGES)
def test_each_language_answer_sentence_carries_an_expression(lang):
    text = "Step 1.\n" + get_language(lang).answer_sentence("$\\frac{\\pi}{3}$")
    assert extract_expression(text, lang) == "\\frac{\\pi}{3}"
    assert answers_equivalent(extract_expression(text, lang), "\\pi/3")


def test_final_expressions_lists_each_statement_in_order():
    text = "La respuesta es $\\frac{\\pi}{3}$. Mejor dicho, la respuesta es $\\frac{\\pi}{6}$."
    assert extract_final_expressions(text, "es") == ["\\frac{\\pi}{3}", "\\frac{\\pi}{6}"]


# --------------------------------------------------------------------------------------------
# Equivalence: pairs of every kind
# --------------------------------------------------------------------------------------------
EQUIVALENT = [
    # numbers: the numeric path, with the language deciding separators
    ("18", "18.00", None),
    ("0.5", "\\frac{1}{2}", None),
    ("1.430", "1430", "de"),
    ("1,5", "1.5", "de"),
    ("৭০", "70", None),
    ("25%", "0.25", None),
    # fractions
    ("\\frac{3}{4}", "\\dfrac{6}{8}", None),
    ("\\frac{2016}{2017^2}", "\\frac{2016}{4068289}", None),
    ("-\\frac{1}{2}", "-0.5", None),
    # radicals
    ("2\\sqrt{2}", "\\sqrt{8}", None),
    ("\\frac{3\\sqrt{5}}{5}", "\\frac{3}{\\sqrt{5}}", None),
    ("\\frac{-1+\\sqrt{5}}{4}", "\\frac{\\sqrt{5}-1}{4}", None),
    ("\\sqrt[3]{8}", "2", None),
    ("\\sqrt[3]{2+\\sqrt{5}}+\\sqrt[3]{2-\\sqrt{5}}", "1", None),  # odd roots of negative numbers are real
    ("(2-\\sqrt{5})^{1/3}", "\\frac{1-\\sqrt{5}}{2}", None),
    # pi, e, logarithms
    ("\\frac{\\pi}{3}", "\\pi/3", None),
    ("\\frac{\\pi}{3}", "1.0471975511965977", None),  # rounded to 16 places
    ("\\frac{\\pi}{3}", "1.05", None),  # two decimals: the other side rounded to them, as answers_match does
    ("e-1", "-1+e", None),
    ("\\ln 2", "\\log_{2} 2 \\cdot \\ln 2", None),
    # powers, exactly
    ("2^{2024} - 1", "-1 + 2^{2024}", None),
    ("2 \\cdot (1012)^2", "2048288", None),
    ("\\frac{2^{98}}{99!}", "\\frac{2^{99}}{2 \\cdot 99!}", None),
    # expressions in a variable
    ("2n^2 - 2n + 1", "1 + 2n(n - 1)", None),
    ("2^{2n} - 2^{n}(n+1)", "4^n - (n+1)2^n", None),
    ("\\lfloor \\log_{2} n \\rfloor + 1", "1 + \\lfloor\\log_2 n\\rfloor", None),
    ("\\frac{n}{2}", "0.5n", None),
    # sets (unordered)
    ("\\{2, -2, \\frac{1}{2}, -\\frac{1}{2}\\}", "\\{-\\frac12, \\frac{1}{2}, -2, 2\\}", None),
    ("k=-4,-2,-1,1", "\\{1, -1, -2, -4\\}", None),
    ("(1,4,4), (2,4,4)", "(2,4,4), (1,4,4)", None),
    ("\\{5\\}", "5", None),
    ("\\{-1; 1\\}", "\\{1, -1\\}", "de"),  # a semicolon separates items where the comma is the decimal mark
    ("\\{-1,5; 2\\}", "\\{2, -1.5\\}", "de"),
    # tuples (ordered)
    ("(3, 2)", "\\left( 3, 2 \\right)", None),
    ("(a,b,c)=(9,8,7)", "(9, 8, 7)", None),
    # intervals and unions
    ("[2,3)", "[2, 3)", None),
    ("(-\\infty, 0)\\cup(0,1)\\cup(1,+\\infty)", "(0,1) \\cup (-\\infty,0) \\cup (1,\\infty)", None),
    ("(0, \\frac{\\sqrt{2}}{2}]", "(0, \\frac{1}{\\sqrt{2}}]", None),
    ("]0, 1[", "(0, 1)", "fr"),  # ISO brackets facing outwards (French and others)
    ("\\left[2 ; 3\\right[", "[2, 3)", "fr"),
    ("]-\\infty, 0[ \\cup ]1, +\\infty[", "(-\\infty, 0) \\cup (1, \\infty)", None),
    ("x \\in ]0,5; 1]", "0.5 < x \\leq 1", "fr"),
    # inequalities (a condition on one variable is the set it describes)
    ("b \\geq -\\frac{2}{3}", "[-\\frac{2}{3}, +\\infty)", None),
    ("0 < \\lambda < 1", "(0, 1)", None),
    ("[2,3)", "2 \\leq x < 3", None),
    ("t \\in [\\frac{3}{2}, 2]", "[1.5, 2]", None),
    # equations
    ("x = 5", "5", None),
    ("\\frac{x^{2}}{2} - \\frac{y^{2}}{4}=1", "2x^2 - y^2 = 4", None),
    # spelling only
    ("$\\dfrac{\\pi}{3}$", "\\frac{\\pi}{3}", None),
    ("\\frac12", "\\frac{1}{2}", None),
]

NOT_EQUIVALENT = [
    ("18", "19", None),
    ("1.430", "1430", "en"),
    ("\\frac{\\pi}{3}", "\\frac{2\\pi}{3}", None),
    ("\\frac{\\pi}{3}", "1.0471", None),
    ("2\\sqrt{2}", "\\sqrt{2}", None),
    ("2^{2024} - 1", "2^{2024}", None),
    ("\\frac{100!}{2^{50}}", "\\frac{100!}{2^{49}}", None),
    ("2n^2 - 2n + 1", "2n^2 - 2n - 1", None),
    ("n(n-1)", "n(n+1)", None),
    ("\\{2, -2, \\frac{1}{2}\\}", "\\{2, -2\\}", None),
    ("\\{1, 2\\}", "(1, 2)", None),
    ("(3, 2)", "(2, 3)", None),
    ("(1,4,4), (2,4,4)", "(4,1,4), (2,4,4)", None),
    ("[2,3)", "(2,3]", None),
    ("[2,3)", "[2,3]", None),
    ("]0, 1[", "[0, 1]", "fr"),
    ("[0, 1[", "[0, 1]", "fr"),
    ("\\{-1; 1\\}", "-1", "de"),
    ("b \\geq -\\frac{2}{3}", "(-\\frac{2}{3}, +\\infty)", None),
    ("0 < \\lambda < 1", "0 \\leq \\lambda < 1", None),
    ("\\frac{x^{2}}{2} - \\frac{y^{2}}{4}=1", "x^2 - y^2 = 4", None),
    ("x = 5", "6", None),
    ("\\frac{\\pi}{3}", "keine Ahnung", None),
    ("\\frac{\\pi}{3}", None, None),
]


@pytest.mark.parametrize("a, b, lang", EQUIVALENT)
def test_equivalent_answers_are_equivalent_both_ways(a, b, lang):
    assert answers_equivalent(a, b, lang)
    assert answers_equivalent(b, a, lang)


@pytest.mark.parametrize("a, b, lang", NOT_EQUIVALENT)
def test_different_answers_are_not_equivalent_both_ways(a, b, lang):
    assert not answers_equivalent(a, b, lang)
    assert not answers_equivalent(b, a, lang)


@pytest.mark.parametrize(
    "answer, key",
    [
        ("18.00", "18"),
        (18, "18"),
        ("$\\dfrac{\\pi}{3}$", "\\frac{\\pi}{3}"),
        ("\\left[ 2, 3 \\right)", "[2,3)"),
        ("keine Zahl", None),
        ("", None),
        (None, None),
    ],
)
def test_answer_key_is_a_canonical_spelling(answer, key):
    assert answer_key(answer) == key


# --------------------------------------------------------------------------------------------
# Bounded time, never raise, optional extra
# --------------------------------------------------------------------------------------------
HOSTILE = [
    ("2^{2^{100}}", "2^{2^{100}} + 1"),
    ("10^{10^{10}}", "10^{10^{10}}"),
    ("(10^{9})!", "(10^{9})! + 1"),
    ("x^{10^{100}}", "x^{10^{100}} + 1"),
    ("\\frac{" * 500 + "1" + "}" * 500, "1"),
    ("(" * 3000 + "1" + ")" * 3000, "1"),
    ("\\sqrt{" * 200 + "2" + "}" * 200, "2"),
    ("1" * 5000, "1" * 4999),
    ("\\{" + ", ".join(str(i) for i in range(5000)) + "\\}", "\\{1, 2\\}"),
    ("\\sum_{n=1}^{\\infty} \\frac{1}{n^2}", "\\frac{\\pi^2}{6}"),
    ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 5 \\end{pmatrix}"),
    ("__import__('os').system('true')", "1"),
    ("\x00\ud800" * 100, "\\frac{1}{2}"),
    ("x" * 1_000_000, "y"),
    ("(" + "," * 5000, "(" + ", " * 3000),  # once quadratic in the expression-signal pattern
    ("$(" + "," * 500 + "$", "(" * 300 + "," * 300),
    ("-" * 5000 + "1", "x^" * 3000),
]


@pytest.mark.parametrize("a, b", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_answers_are_judged_quickly_without_raising(a, b):
    start = time.perf_counter()
    assert answers_equivalent(a, b) in (True, False)
    assert answer_key(a) is None or isinstance(answer_key(a), str)
    assert time.perf_counter() - start < 1.0  # the caps, plus canonical forms of 1 MB


def test_huge_exact_numbers_are_compared_exactly_not_by_rounding():
    assert not answers_equivalent("3^{2017} - 2019", "3^{2017} - 2018")
    assert answers_equivalent("\\frac{3^{2017}-2019}{2}", "\\frac{3^{2017}}{2} - \\frac{2019}{2}")


def test_answers_are_compared_from_worker_threads():
    results = []

    def worker():
        results.append(answers_equivalent("2n^2 - 2n + 1", "1 + 2n(n-1)"))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results == [True] * 8


def test_without_mpmath_exact_values_still_compare_and_irrational_ones_by_canonical_form(monkeypatch):
    import builtins

    from pasmr_plugin import values

    real_import = builtins.__import__

    def no_mpmath(name, *args, **kwargs):
        if name == "mpmath":
            raise ImportError("no mpmath")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_mpmath)
    monkeypatch.setattr(values, "_LOCAL", threading.local())
    values._evaluate.cache_clear()
    try:
        assert answers_equivalent("1.430", "1430", "de")
        assert answers_equivalent("2^{2024}", "4^{1012}") and answers_equivalent("n(n+1)/2", "\\frac{n^2+n}{2}")
        assert answers_equivalent("$\\dfrac{\\pi}{3}$", "\\frac{\\pi}{3}")
        assert not answers_equivalent("\\frac{\\pi}{3}", "\\pi/3")
        assert extract_expression("The answer is $\\frac{\\pi}{3}$.") == "\\frac{\\pi}{3}"
    finally:
        values._evaluate.cache_clear()


def test_the_core_imports_no_symbolic_library_and_mpmath_only_for_irrational_values():
    code = (
        "import sys, pasmr_plugin.answers as a, pasmr_plugin.reward;"
        "assert a.answers_equivalent('18', '18.0') and a.extract_expression('Jibu ni 5.', 'sw') == '5';"
        "assert a.answers_equivalent('2^{2024}', '4^{1012}') and a.answers_equivalent('n(n+1)', 'n^2+n');"
        "print(sorted(m for m in ('sympy', 'latex2sympy2_extended', 'math_verify', 'mpmath') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------------------------
# The same functions behind the graders and the labels
# --------------------------------------------------------------------------------------------
def test_the_lm_eval_grader_accepts_latex_gold_answers():
    from pasmr_plugin.evaluation.tasks import grade_response

    response = "<translation>\nWhat is angle C?\n</translation>\nAus dem Sinussatz folgt cos C = 1/2. Die Antwort lautet $\\dfrac{\\pi}{3}$."
    score = grade_response(response, "$\\frac{\\pi}{3}$", "de")
    assert (score.answer, score.exact_match, score.answer_found) == ("\\dfrac{\\pi}{3}", 1.0, 1.0)
    assert grade_response(response, "$\\frac{\\pi}{6}$", "de").exact_match == 0.0
    plain = grade_response("Also ist die Menge $\\{-2, 2\\}$. Die Antwort lautet $\\{2, -2\\}$.", "\\{-2,2\\}", "de", pam=False)
    assert plain.exact_match == 1.0


@pytest.mark.parametrize("gold", ["$\\frac{\\pi}{3}$", "[2, 3)", "2^{2024} - 1", "n^2 - n + 1", "18", 18])
def test_labels_accept_latex_gold_and_pivot_answers(gold):
    from pasmr_plugin.openrlhf.labels import make_label, parse_label

    label = parse_label(make_label("sw", gold=gold))
    assert label.gold == str(gold)
    with_pivots = parse_label({"lang": "sw", "gold": gold, "pivot_answers": ["\\pi/3", None, "[2,3)"]})
    assert with_pivots.pivot_answers == ("\\pi/3", None, "[2,3)")


def test_labels_still_reject_a_gold_that_is_no_answer():
    from pasmr_plugin.openrlhf.labels import LabelError, make_label

    with pytest.raises(LabelError, match="not a number or a math expression"):
        make_label("sw", gold="many")


def test_pasmr_extract_prints_the_expression(capsys):
    from pasmr_plugin.cli import main

    assert main(["extract", "--lang", "ja", "答えは $2n^2 - 2n + 1$ です。"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["expression"] == "2n^2 - 2n + 1"


@pytest.mark.parametrize("text", ["\\boxed{150", "\\frac{1}{", "1" * 58 + "/3千兆", "Ответ x"])
def test_cut_off_or_foreign_text_is_no_expression_answer(text):
    assert answer_key(text) is None  # votes for nothing
    assert not answers_equivalent(text, "150")
    assert answers_equivalent(text, text + " ")  # the same spelling is still the same answer
