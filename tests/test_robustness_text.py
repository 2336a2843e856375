"""Robustness of the text entry points under adversarial input (issue 8): never raise, never slow, never misread.

Three parts: a regression test for each example the issue reported; properties over the
hypothesis strategies of ``fuzz_inputs`` for each class of failure; and the time bound over
the fixed adversarial corpus (1 MB inputs included). ``make fuzz`` runs the long campaign
(``bench/fuzz_campaign.py``) over the same atoms.
"""

from __future__ import annotations

import json
import os
import re
import time
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_inputs import CLOSE, MB, OPEN, any_text, anything, langs, non_strings, number_corpus, text_corpus
from pasmr_plugin.answers import ParsedNumber, answers_match, extract_answer, extract_final_answers, parse_number
from pasmr_plugin.evaluation.tasks import Score, grade_response, process_cot_results, process_pam_results
from pasmr_plugin.numbers import MAX_EXPONENT, MAX_NUMBER_CHARS, bounded, canonical
from pasmr_plugin.openrlhf.labels import LabelError, parse_label
from pasmr_plugin.languages import LANGUAGES, MGSM_LANGUAGES
from pasmr_plugin.prompts import PamParts, pam_response, parse_response
from pasmr_plugin.reward import MAX_PIVOT_VOTES, RewardResult, count_votes, pivot_majority, score_response

BOUND_MS = 50.0
"""Every text entry point finishes within this on any input up to 1 MB (the README's promise)."""

FUZZ = settings(
    max_examples=int(os.environ.get("PASMR_FUZZ_EXAMPLES", "60")),  # make fuzz runs the long campaign
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CANONICAL = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?"
CODES = sorted(LANGUAGES)


def best_of_three_ms(call) -> float:
    """The fastest of three runs: the function's own time, not a pause of a loaded machine."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


# --- 1. extract_answer raised on long digit runs; canonical answers that did not match themselves ---


def test_a_long_digit_run_with_a_fraction_and_cjk_multipliers_is_no_answer_and_raises_nowhere():
    text = "1" * 58 + "/3千兆"
    assert extract_answer(text) is None
    assert parse_response(text, "ja").answer is None
    assert score_response(text, "ja", ["1"]).reward == 0.0
    assert grade_response(text, "1", "ja").answer_found == 0.0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1" * 64, "1" * 64),  # the longest integer token
        ("0." + "0" * 60 + "12", "0." + "0" * 60 + "12"),  # 64 characters: the longest token
        ("0." + "0" * 61 + "12", None),  # a token over MAX_NUMBER_CHARS
        ("Answer: 0.000000000012", "0.000000000012"),  # more places than FRACTION_DECIMALS, finite: exact
        ("1/2048", "0.00048828125"),
        ("1/3", "0.3333333333"),
        ("1" * 50 + "万", "1" * 50 + "0000"),
        ("1" * 60 + "兆", None),  # 72 digits: over MAX_NUMBER_DIGITS
    ],
)
def test_extracted_answers_are_canonical_and_match_themselves(text, expected):
    answer = extract_answer(text)
    assert answer == expected
    if answer is not None:
        assert answers_match(answer, answer) and canonical(parse_number(answer).value) == answer


@given(text=any_text, lang=langs)
@FUZZ
def test_any_text_gives_none_or_a_canonical_answer_that_matches_itself(text, lang):
    answer = extract_answer(text, lang)
    assert answer is None or re.fullmatch(CANONICAL, answer)
    if answer is not None:
        assert answers_match(answer, answer) and answers_match(answer, answer, lang)
        assert canonical(parse_number(answer).value) == answer
    assert all(isinstance(found, str) for found in extract_final_answers(text, lang))


@given(first=anything, second=anything, lang=langs)
@FUZZ
def test_answers_match_takes_anything_and_gives_a_bool(first, second, lang):
    assert answers_match(first, second, lang) in (True, False)
    number = parse_number(first, lang)
    assert number is None or (isinstance(number, ParsedNumber) and bounded(number.value))


# --- 2. time that grew faster than the input ---


def test_one_megabyte_of_stray_closing_markers_parses_fast():
    text = CLOSE * (MB // len(CLOSE))
    assert best_of_three_ms(lambda: parse_response(text, "sw")) < BOUND_MS
    assert "repeated_markers" in parse_response(text, "sw").issues


@pytest.mark.parametrize(
    "huge",
    [Decimal("1e99999999"), Decimal("-1E+999999"), Decimal("1e-99999999"), 10**5000, Fraction(1, 10**5000), 1e300],
    ids=["decimal-e99999999", "decimal-e999999", "decimal-e-99999999", "int-5000-digits", "fraction-5000-digits", "float-1e300"],
)
def test_numbers_of_any_size_are_rejected_fast(huge):
    assert best_of_three_ms(lambda: answers_match(huge, 1)) < BOUND_MS
    assert parse_number(huge) is None and not answers_match(huge, huge)


def test_ten_thousand_distinct_pivot_answers_are_counted_fast():
    answers = [str(i) for i in range(10_000)]
    response = pam_response("How many?", "Jibu ni 5.")
    assert best_of_three_ms(lambda: score_response(response, "sw", answers)) < BOUND_MS
    assert best_of_three_ms(lambda: pivot_majority(answers)) < BOUND_MS


@given(answers=st.lists(st.one_of(st.integers(-20, 20).map(str), st.sampled_from(["18", "18.00", "১৮", "$18", "33.33", "33.3333333333", "100/3", None])), max_size=30))
@FUZZ
def test_bucketed_votes_equal_the_pairwise_count(answers):
    """Counting by canonical key gives what comparing every answer with every other gave (for K-sized lists)."""
    pairwise: dict[str, int] = {}
    for answer in answers:
        if answer is None or parse_number(answer) is None:
            continue
        same = next((seen for seen in pairwise if answers_match(seen, answer)), None)
        if same is None:
            pairwise[answer] = 0
            same = answer
        pairwise[same] += 1
    assert sorted(count_votes(answers).values()) == sorted(pairwise.values())


# --- 3. types the API should take ---


@pytest.mark.parametrize(
    "pivot_answers, expected",
    [(None, None), (iter(["5", "5", "4"]), "5"), ((a for a in ["5", "5"]), "5"), ({"5"}, "5"), ("5", "5"), (5, "5")],
)
def test_pivot_answers_may_be_none_an_iterator_or_a_single_answer(pivot_answers, expected):
    assert score_response(pam_response("How many?", "Jibu ni 5."), "sw", pivot_answers).pivot_answer == expected


def test_an_endless_iterator_of_pivot_answers_is_cut_at_the_cap():
    def endless():
        while True:
            yield "5"

    result = score_response(pam_response("How many?", "Jibu ni 5."), "sw", endless())
    assert result.pivot_answer == "5" and result.diagnostics["pivot_samples"] == MAX_PIVOT_VOTES


@given(response=anything, lang=st.sampled_from(CODES), pivot_answers=st.one_of(st.none(), anything, st.lists(anything, max_size=20)), gold=anything, question=anything)
@FUZZ
def test_score_response_takes_anything_but_a_language_code(response, lang, pivot_answers, gold, question):
    result = score_response(response, lang, pivot_answers, gold=gold, question=question)
    assert isinstance(result, RewardResult) and result.reward in (0.0, 1.0)


# --- 4. numbers in labels ---


@pytest.mark.parametrize(
    "written, stored",
    [("0.00001", "0.00001"), ("1e-05", "0.00001"), ("1e+16", "10000000000000000"), ("1E2", "100"), ("2.50", "2.5")],
)
def test_numeric_label_answers_are_stored_as_their_exact_value(written, stored):
    label = parse_label(f'{{"lang": "sw", "gold": {written}, "pivot_answers": [{written}]}}')
    assert answers_match(label.gold, stored) and label.pivot_answers == (label.gold,)
    assert parse_number(label.gold).value == Fraction(Decimal(written))


def test_a_label_gold_of_0_00001_does_not_match_5_and_a_pivot_answer_1e16_is_not_16():
    label = parse_label('{"lang": "sw", "gold": 0.00001}')
    assert not answers_match(label.gold, 5) and not answers_match("1e-05", 5)
    assert pivot_majority(["1e+16", 1e16, "10000000000000000"])[0] == "10000000000000000"
    assert not answers_match("1e+16", 16) and extract_answer("The answer is 1e+16.") == "10000000000000000"


@given(value=st.floats(allow_nan=False, allow_infinity=False))
@FUZZ
def test_any_float_in_a_label_is_its_value_or_an_error(value):
    written = format(Decimal(repr(value)), "f")
    try:
        label = parse_label(json.dumps({"lang": "de", "gold": value}))
    except LabelError:  # refused only when too large or too long to be an answer
        assert parse_number(value) is None or len(written) > MAX_NUMBER_CHARS
        return
    assert label.gold == written
    assert parse_number(label.gold).value == Fraction(Decimal(repr(value)))


@given(mantissa=st.integers(-999, 999), exponent=st.integers(-10**6, 10**6))
@FUZZ
def test_exponent_notation_is_read_as_its_value_or_rejected(mantissa, exponent):
    written = f"{mantissa}e{exponent:+d}"
    value = Fraction(mantissa) * Fraction(10) ** exponent if abs(exponent) <= MAX_EXPONENT else None
    expected = value if value is not None and bounded(value) else None
    assert (parse_number(written) or ParsedNumber(None, 0, False)).value == expected
    found = extract_answer(f"The answer is {written}.")
    assert found == (None if expected is None else canonical(expected))


@given(label=st.one_of(any_text, non_strings, st.dictionaries(st.text(max_size=8), anything, max_size=4)))
@FUZZ
def test_a_label_is_parsed_or_refused_never_raises(label):
    try:
        parse_label(label)
    except LabelError:
        pass
    assert parse_label(label, strict=False) is None or parse_label(label).lang in LANGUAGES


@pytest.mark.parametrize(
    "label",
    ['{"lang": "sw", "gold": ' + "1" * 5000 + "}", "[" * 40_000 + "]" * 40_000, {"lang": "sw", "gold": 10**5000}],
    ids=["5000-digit-json-integer", "deep-nesting", "5000-digit-int"],
)
def test_labels_past_python_limits_are_label_errors(label):
    with pytest.raises(LabelError):
        parse_label(label)
    assert parse_label(label, strict=False) is None


# --- 8. the PAM format round trip ---


@pytest.mark.parametrize(
    "question, solution",
    [("What </translation> is it?", "Jibu ni 5."), ("What </TRANSLATION> is it?", "Jibu ni 5."), ("How many?", "Ni <translation> 5."), ("How many?", "Jibu ni 5 </translation>")],
)
def test_a_marker_inside_the_texts_is_refused_not_written_broken(question, solution):
    with pytest.raises(ValueError, match="marker"):
        pam_response(question, solution)


@given(question=any_text, solution=any_text, lang=st.sampled_from(MGSM_LANGUAGES), answer=st.one_of(st.none(), st.integers(0, 999)))
@FUZZ
def test_every_pam_target_parses_back(question, solution, lang, answer):
    try:
        target = pam_response(question, solution, lang=lang, answer=answer)
    except ValueError:
        return  # refused: blank pivot question or a marker inside
    parts = parse_response(target, lang)
    assert parts.translation == question.strip()
    assert parts.reasoning.startswith(solution.strip()) and "repeated_markers" not in parts.issues


@given(text=anything, lang=langs)
@FUZZ
def test_parse_response_takes_anything(text, lang):
    parts = parse_response(text, lang)
    assert isinstance(parts, PamParts) and (parts.answer is None or isinstance(parts.answer, str))


# --- 9. truncated LaTeX ---


@pytest.mark.parametrize(
    "text, expected",
    [
        ("\\boxed{150", "150"),  # cut off at the end of the response: read up to the end (documented)
        ("So the answer is \\boxed{150", "150"),
        ("\\boxed{" + "a " * 99 + "150", "150"),  # a box longer than the window: never read as 15
        ("\\boxed{" + " " * 198 + "150}", "150"),
        ("Answer: 5 = " + " " * 31 + "1" * 40, "1" * 40),  # an "=" chain whose number crosses the window
        ("150" + "x" * 11_998, "150"),  # the scanned tail starts inside the number
        ("-555" + "x" * 11_999, "-555"),
    ],
)
def test_a_number_is_never_read_in_part(text, expected):
    assert extract_answer(text) == expected


# --- the lm-eval grader ---


@given(response=anything, gold=anything, lang=langs, pam=st.booleans())
@FUZZ
def test_the_grader_takes_anything(response, gold, lang, pam):
    score = grade_response(response, gold, lang, pam=pam)
    assert isinstance(score, Score) and set(score.metrics().values()) <= {0.0, 1.0}


@pytest.mark.parametrize("doc, results", [({}, ["x"]), ({"answer": "5", "lang": "sw"}, []), ({"answer": "5"}, None), (None, ["Jibu ni 5"]), ({"answer": [5], "lang": ["sw"]}, [[["Jibu ni 5"]]])])
def test_process_results_never_raise(doc, results):
    for process in (process_pam_results, process_cot_results):
        assert set(process(doc, results)) == {"exact_match", "answer_found", "lang_fidelity"}


# --- the bound over the adversarial corpus (1 MB inputs included) ---

CORPUS = text_corpus()
ENTRY_POINTS = {
    "extract_answer": lambda text: extract_answer(text, "de"),
    "extract_final_answers": lambda text: extract_final_answers(text, "ja"),
    "answers_match": lambda text: answers_match(text, text),
    "parse_response": lambda text: parse_response(text, "sw"),
    "score_response": lambda text: score_response(text, "sw", ["5", text, "5"], gold=text, question=text),
    "grade_response": lambda text: grade_response(text, text, "bn"),
}


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_every_text_entry_point_stays_within_its_bound_on_the_corpus(name):
    call = ENTRY_POINTS[name]
    call("warm up: Janet's ducks lay sixteen eggs per day.")  # the language-identification model loads once
    slow = {}
    for index, text in enumerate(CORPUS):
        ms = best_of_three_ms(lambda: call(text))
        if ms >= BOUND_MS:
            slow[index] = (round(ms), repr(text[:40]), len(text))
    assert not slow


@pytest.mark.parametrize("value", number_corpus(), ids=lambda value: type(value).__name__)
def test_every_number_entry_point_takes_any_value(value):
    assert best_of_three_ms(lambda: (answers_match(value, value), pivot_majority([value, value]), grade_response(value, value, "sw"))) < BOUND_MS
