"""Property and fuzz tests for expression answers: never raise, bounded time, equivalence that holds up.

Generated answers are written the way models write them (LaTeX sets, tuples, intervals, polynomials,
fractions of π) inside each table language's answer sentence; hostile text (random LaTeX-ish
characters, deep nesting, huge exponents) must get an answer in bounded time and never an exception.
"""

from __future__ import annotations

import random
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pasmr_plugin.answers import answer_key, answers_equivalent, extract_expression
from pasmr_plugin.expressions import symbolic_available
from pasmr_plugin.languages import MGSM_LANGUAGES, get_language

symbolic_available()  # the one-time import of sympy (about a second) is not a per-call cost

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CALL_LIMIT_S = 1.0  # a comparison takes milliseconds; this leaves room for a loaded test machine
LATEX_ALPHABET = st.sampled_from(list("0123456789+-*/^_=<>!|,.;()[]{}\\ $nxπ√∞") + ["\\frac", "\\sqrt", "\\pi", "\\{", "\\}", "\\left(", "\\right)", "\\cup", "\\leq", "^{", "2^{2^{", "\\boxed{", "\\infty", "e", "i"])
LATEXISH = st.lists(LATEX_ALPHABET, max_size=60).map("".join)


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    assert time.perf_counter() - start < CALL_LIMIT_S
    return result


@SETTINGS
@given(st.one_of(LATEXISH, st.text(max_size=300)), st.sampled_from([None, *MGSM_LANGUAGES]))
def test_extract_expression_never_raises_and_returns_text_or_none(text, lang):
    result = timed(extract_expression, text, lang)
    assert result is None or (isinstance(result, str) and result == result.strip() and result)


@SETTINGS
@given(st.one_of(LATEXISH, st.text(max_size=100), st.integers(), st.none()), st.one_of(LATEXISH, st.text(max_size=100), st.floats()))
def test_answers_equivalent_never_raises_and_is_symmetric(a, b):
    forward = timed(answers_equivalent, a, b)
    assert forward in (True, False)
    assert timed(answers_equivalent, b, a) == forward or forward is False  # a timed-out side may differ


@SETTINGS
@given(LATEXISH)
def test_an_answer_is_equivalent_to_itself_and_keys_are_stable(text):
    key = timed(answer_key, text)
    if key is not None:
        assert timed(answers_equivalent, text, text)
        assert answer_key(key) in (key, None) or answers_equivalent(answer_key(key), key)


# --- generated answers of each kind ---

small = st.integers(-9, 9)
positive = st.integers(1, 9)


@st.composite
def polynomial_pairs(draw):
    """a(n + b)(n + c) and its expansion."""
    a, b, c = draw(positive), draw(small), draw(small)
    factored = f"{a}(n {'+' if b >= 0 else '-'} {abs(b)})(n {'+' if c >= 0 else '-'} {abs(c)})"
    expanded = f"{a}n^2 + {a * (b + c)}n + {a * b * c}".replace("+ -", "- ")
    return factored, expanded


@SETTINGS
@given(polynomial_pairs())
def test_a_factored_polynomial_equals_its_expansion_and_not_a_changed_one(pair):
    factored, expanded = pair
    assert answers_equivalent(factored, expanded)
    assert not answers_equivalent(factored, expanded + " + 1")


def latex_number(value: int, denominator: int, pi: bool) -> str:
    constant = "\\pi" if pi else ""
    body = f"\\frac{{{abs(value)}{constant}}}{{{denominator}}}"
    return ("-" if value < 0 else "") + body


@SETTINGS
@given(st.lists(st.tuples(st.integers(-20, 20), st.integers(1, 7), st.booleans()), min_size=1, max_size=6, unique=True), st.randoms())
def test_a_set_is_equivalent_to_any_reordering_and_not_to_a_subset(elements, rng):
    values = {(v / d, pi) for v, d, pi in elements}
    if len(values) != len(elements):  # two spellings of one element: not a set of distinct elements
        return
    written = [latex_number(v, d, pi) for v, d, pi in elements]
    shuffled = written[:]
    rng.shuffle(shuffled)
    first, second = "\\{" + ", ".join(written) + "\\}", "\\{" + ", ".join(shuffled) + "\\}"
    assert answers_equivalent(first, second)
    if len(written) > 1:
        assert not answers_equivalent(first, "\\{" + ", ".join(shuffled[:-1]) + "\\}")


@SETTINGS
@given(st.lists(st.integers(-50, 50), min_size=2, max_size=5))
def test_a_tuple_keeps_its_order(items):
    tuple_text = "(" + ", ".join(map(str, items)) + ")"
    reversed_text = "(" + ", ".join(map(str, reversed(items))) + ")"
    assert answers_equivalent(tuple_text, reversed_text) == (items == items[::-1])


@SETTINGS
@given(st.integers(-30, 30), st.integers(1, 30), st.booleans(), st.booleans())
def test_an_interval_equals_its_inequality(low, width, closed_low, closed_high):
    high = low + width
    interval = ("[" if closed_low else "(") + f"{low}, {high}" + ("]" if closed_high else ")")
    low_sign, high_sign = ("\\leq" if closed else "<" for closed in (closed_low, closed_high))
    inequality = f"{low} {low_sign} x {high_sign} {high}"
    assert answers_equivalent(interval, inequality)
    flipped = ("(" if closed_low else "[") + f"{low}, {high}" + ("]" if closed_high else ")")
    assert not answers_equivalent(flipped, inequality)


EXPRESSIONS = [
    "\\frac{\\pi}{3}", "2^{2024} - 1", "\\{2, -2, \\frac{1}{2}\\}", "[2, 3)", "2n^2 - 2n + 1",
    "(1, 4, 4), (2, 4, 4)", "\\sqrt{2022} - 1", "b \\geq -\\frac{2}{3}", "\\lfloor \\log_{2} n \\rfloor + 1", "n!",
]


@SETTINGS
@given(st.sampled_from(EXPRESSIONS), st.sampled_from(MGSM_LANGUAGES), st.sampled_from(["${}$", "\\boxed{{{}}}", "$\\boxed{{{}}}$", "\\({}\\)"]), st.integers(0, 3))
def test_an_expression_in_any_language_answer_sentence_comes_back(expression, lang, wrapper, noise):
    steps = " ".join(random.Random(noise).choice(["Wir rechnen 3 + 4 = 7.", "$x^2 = 9$.", "2^{10} = 1024.", "Step."]) for _ in range(noise))
    text = f"{steps}\n{get_language(lang).answer_sentence(wrapper.format(expression))}"
    extracted = extract_expression(text, lang)
    assert extracted == expression, text
    assert answers_equivalent(extracted, expression)
