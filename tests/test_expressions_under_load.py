"""Expression answers you can train on (issue 17): exact, language-aware, the same verdict on a loaded machine.

A table of equivalent and non-equivalent pairs is judged idle and again with busy processes on every
core and busy threads in the process (:mod:`busy_machine`), caches cleared before each run: the
verdicts must be correct and identical. Then a regression test for each example of the issue.
"""

from __future__ import annotations

import threading

import pytest
from busy_machine import busy_machine

from pasmr_plugin import expressions, values
from pasmr_plugin.answers import answer_key, answers_equivalent, extract_expression
from pasmr_plugin.reward import count_votes, score_response
from pasmr_plugin.prompts import pam_response

TABLE = [
    # the four verdicts that flipped with four busy threads (a 30 ms wall-clock budget)
    ("x^2-1", "(x-1)(x+1)", None, True),
    ("n(n+1)/2", "\\frac{n^2+n}{2}", None, True),
    ("\\sqrt{3+2\\sqrt{2}}", "1+\\sqrt{2}", None, True),
    ("2^{2024}", "4^{1012}", None, True),
    # real symbolic work
    ("\\frac{3\\sqrt{5}}{5}", "\\frac{3}{\\sqrt{5}}", None, True),
    ("\\sin^2 x + \\cos^2 x", "1", None, True),
    ("\\frac{1}{2\\sqrt{2}}\\ln\\frac{\\sqrt{2}+2}{2-\\sqrt{2}}", "\\frac{\\ln(3+2\\sqrt{2})}{2\\sqrt{2}}", None, True),
    ("\\frac{(2n)!}{4^n n!}", "\\frac{(2n)!}{2^{2n} n!}", None, True),
    ("\\frac{x^{2}}{2} - \\frac{y^{2}}{4}=1", "2x^2 - y^2 = 4", None, True),
    ("\\frac{-1 \\pm \\sqrt{5}}{2}", "\\{\\frac{-1-\\sqrt{5}}{2}, \\frac{\\sqrt{5}-1}{2}\\}", None, True),
    ("\\arctan\\frac{1}{2}", "\\frac{\\pi}{2} - \\arctan 2", None, True),
    ("e^{i\\pi}", "-1", None, True),
    ("\\sqrt[3]{2+\\sqrt{5}}+\\sqrt[3]{2-\\sqrt{5}}", "1", None, True),
    # huge exact values a tolerance would merge
    ("2^{2024}+n", "2^{2024}+n+1", None, False),
    ("3^{2017} - 2019", "3^{2017} - 2018", None, False),
    ("\\frac{2016!}{1953!}-2016\\cdot 63!", "\\frac{2016!}{1953!}-2016\\cdot 63! + 1", None, False),
    ("2^{100}+\\sqrt{2}", "2^{100}+\\sqrt{2}+2^{-90}", None, False),
    ("\\pi + 10^{-100}", "\\pi", None, False),
    ("\\frac{1}{4^{2016}}", "0", None, False),
    ("\\frac{1}{300007}", "\\frac{1}{300008}", None, False),
    # factorials
    ("10!", "3628800", None, True),
    ("10!", "3628801", None, False),
    ("(n+1)!", "(n+1) n!", None, True),
    # decimals: the one rounding rule (two or more places)
    ("\\frac{1}{3}", "0.33", None, True),
    ("\\frac{1}{3}", "0.3", None, False),
    ("\\frac{\\pi}{3}", "1.05", None, True),
    ("\\frac{\\pi}{3}", "1.04", None, False),
    # lists by language
    ("-1,1", "\\{-1, 1\\}", "en", True),
    ("1,2", "1.2", "en", False),
    ("1,000", "1000", "en", True),
    ("-1,5", "-1.5", "de", True),
    ("1, 5", "\\{1, 5\\}", "de", True),
    ("[2,3)", "[2, 3)", "fr", True),
    ("5,000", "5000", "id", True),
]


def _verdicts() -> list[bool]:
    values._evaluate.cache_clear()  # every verdict is worked out again, not read from a cache
    expressions._tree.cache_clear()
    return [answers_equivalent(a, b, lang) for a, b, lang, _ in TABLE]


def test_the_table_gets_the_same_correct_verdicts_idle_and_on_a_loaded_machine():
    expected = [verdict for *_, verdict in TABLE]
    idle = _verdicts()
    assert [row for row, got in zip(TABLE, idle) if got != row[-1]] == []
    with busy_machine():
        loaded = _verdicts()
    assert loaded == idle == expected


def test_verdicts_from_many_threads_at_once_are_the_idle_ones():
    expected = [verdict for *_, verdict in TABLE]
    results: list[list[bool]] = []
    threads = [threading.Thread(target=lambda: results.append(_verdicts())) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == [expected] * 6


# --- regression tests, one per example of the issue ---------------------------------------------------------


@pytest.mark.parametrize("a, b", [row[:2] for row in TABLE[:4]])
def test_the_four_verdicts_that_flipped_under_load_are_equivalent(a, b):
    assert answers_equivalent(a, b) and answers_equivalent(b, a)


def test_two_to_the_2024_plus_n_is_not_two_to_the_2024_plus_n_plus_1():
    assert not answers_equivalent("2^{2024}+n", "2^{2024}+n+1")
    assert answers_equivalent("2^{2024}+n", "n+4^{1012}")


@pytest.mark.parametrize(
    "lang, written, neutral",
    [
        # a comma between digits in a language that writes a decimal point: items, or thousands
        ("en", "\\boxed{-1,1}", "-1, 1"),
        ("en", "\\boxed{1,2}", "1, 2"),
        ("en", "\\boxed{1,000}", "1000"),
        ("en", "\\boxed{1,234,567}", "1234567"),
        ("sw", "\\boxed{2,3}", "2, 3"),
        ("ja", "\\boxed{12,5}", "12, 5"),
        ("bn", "\\boxed{১,২৫,০০০}", "125000"),
        # a comma between digits in a decimal-comma language: the decimal mark
        ("de", "\\boxed{-1,5}", "-1.5"),
        ("fr", "\\boxed{3,14}", "3.14"),
        ("ru", "\\boxed{1.234,5}", "1234.5"),
        ("id", "\\boxed{5,000}", "5000"),
        # ... except where the text shows items: an interval, a signed list
        ("de", "\\boxed{[2,3)}", "[2, 3)"),
        ("es", "\\boxed{k=-4,-2,-1,1}", "k=-4,-2,-1, 1"),
        # a comma and a space separate items in every language
        ("de", "\\boxed{1, 5}", "1, 5"),
        ("en", "\\boxed{1, 5}", "1, 5"),
    ],
)
def test_boxed_lists_are_read_by_language_into_neutral_notation(lang, written, neutral):
    assert extract_expression(f"... {written}", lang) == neutral


def test_english_lists_and_german_decimals():
    assert not answers_equivalent("1,2", "1.2", "en")
    assert answers_equivalent("1,2", "1.2")  # without a language, as before: "1,2" is 1.2
    assert answers_equivalent(extract_expression("Thus $\\boxed{-1,1}$.", "en"), "\\{1, -1\\}")
    assert answers_equivalent(extract_expression("Also ist $\\boxed{-1,5}$.", "de"), "-\\frac{3}{2}")


def test_the_vote_compares_a_target_answer_with_pivot_answers_without_a_shared_language():
    question = "Which number x solves the equation two times x plus three equals zero?"
    german = pam_response(question, "Wir stellen die Gleichung um und erhalten x. Die Antwort lautet $\\boxed{-1,5}$.")
    assert score_response(german, "de", ["-1.5", "-\\frac{3}{2}", "-1.5", "2"]).reason == "consistent"
    english = pam_response("Which numbers x satisfy x squared equals one?", "Both signs work here. The answer is $\\boxed{-1,1}$.")
    assert score_response(english, "en", ["\\{-1, 1\\}", "-1, 1", "1, -1"]).reason == "consistent"
    assert score_response(english, "en", ["-1.1", "-1.1"]).reason == "inconsistent"


def test_factorials():
    assert answers_equivalent("10!", "3628800")
    assert extract_expression("The answer is $\\boxed{10!}$.", "en") == "10!"
    assert extract_expression("Jibu ni 45!", "sw") == "45"  # an exclamation after a sentence is no factorial


def test_exact_values_share_a_vote_key_only_when_exactly_equal():
    assert answer_key("1/300007") != answer_key("1/300008")
    assert count_votes(["1/300007", "1/300008", "\\frac{1}{300007}"]) == {"1/300007": 2, "1/300008": 1}
    assert count_votes(["33.33", "100/3", "33.3333333333"]) == {"33.33": 3}  # the rounding rule
