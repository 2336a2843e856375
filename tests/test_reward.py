"""The self-feedback reward: its rules, the reward-hacking probes and its configuration."""

from __future__ import annotations

import time

import pytest

from multilingual_texts import PIVOT, REASONING
from pasmr_plugin.languages import MGSM_LANGUAGES
from pasmr_plugin.prompts import PamFormat, pam_response
from pasmr_plugin.reward import (
    MAX_PIVOT_VOTES,
    RewardConfig,
    check_response,
    question_overlap,
    pivot_consistency,
    pivot_majority,
    score_response,
)

QUESTION_DE = "Janets Enten legen 16 Eier pro Tag. Sie isst 3. Wie viele bleiben übrig?"
GOOD_DE = pam_response(PIVOT, REASONING["de"])


@pytest.mark.parametrize("lang", MGSM_LANGUAGES)
def test_answer_agreeing_with_the_pivot_majority_gets_reward_one(lang):
    result = score_response(pam_response(PIVOT, REASONING[lang]), lang, ["13", "13", "12"])
    assert (result.reward, result.reason, result.consistent) == (1.0, "consistent", True)
    assert (result.target_answer, result.pivot_answer) == ("13", "13")
    assert result.agreement == pytest.approx(2 / 3)
    assert result.format_ok and result.lang_fidelity == 1.0 and not result.no_signal


@pytest.mark.parametrize("lang", MGSM_LANGUAGES)
def test_answer_disagreeing_with_the_pivot_majority_gets_reward_zero(lang):
    result = score_response(pam_response(PIVOT, REASONING[lang]), lang, ["12", "12", "13"])
    assert (result.reward, result.reason, result.consistent, result.no_signal) == (0.0, "inconsistent", False, False)


@pytest.mark.parametrize(
    "pivot_answers, reason",
    [
        ([], "no_pivot_answers"),
        ([None, None, None], "no_pivot_answers"),
        (["no number", None], "no_pivot_answers"),
        (["13", "12"], "no_pivot_majority"),
        (["13", "13", "12", "12", None], "no_pivot_majority"),
    ],
)
def test_missing_or_tied_pivot_answers_give_no_signal(pivot_answers, reason):
    result = score_response(GOOD_DE, "de", pivot_answers)
    assert (result.reward, result.reason, result.no_signal, result.pivot_answer) == (0.0, reason, True, None)


def test_majority_below_the_agreement_threshold_gives_no_signal():
    result = score_response(GOOD_DE, "de", ["13", "13", None, None, None, "12"], config=RewardConfig(agreement_threshold=0.5))
    assert result.pivot_answer == "13" and result.agreement == pytest.approx(1 / 3)
    assert (result.reward, result.reason, result.no_signal) == (0.0, "low_pivot_agreement", True)


@pytest.mark.parametrize(
    "target, pivot_answers, threshold, signal, consistent",
    [
        ("13", ["13", "13", "12"], 0.5, True, True),
        ("১৩", ["13"], 0.5, True, True),  # K = 1: a lone answer is the majority
        ("12", ["13", "13", "12"], 0.5, True, False),
        ("13", ["13", "12"], 0.5, False, False),  # a tie
        ("13", [None, "no number"], 0.5, False, False),
        ("13", ["13", "13", "12", None], 0.6, False, False),  # 2 of 4 below the threshold
        (None, ["13"], 0.5, True, False),
    ],
)
def test_the_consistency_part_alone_scores_as_the_reward_does(target, pivot_answers, threshold, signal, consistent):
    vote, agrees = pivot_consistency(target, pivot_answers, threshold)
    assert (vote.signal, agrees) == (signal, consistent)
    if target in ("12", "13"):  # the full reward agrees on a well-formed response
        response = pam_response(PIVOT, f"Janets Enten legen 16 Eier, sie isst 3. Die Antwort lautet {target}.")
        result = score_response(response, "de", pivot_answers, config=RewardConfig(agreement_threshold=threshold))
        assert (result.signal, result.consistent) == (signal, consistent)


def test_agreement_threshold_is_inclusive():
    result = score_response(GOOD_DE, "de", ["13", "13", None, "12"], config=RewardConfig(agreement_threshold=0.5))
    assert result.reward == 1.0


def test_pivot_answers_are_compared_numerically():
    assert score_response(GOOD_DE, "de", ["13.00", "13", "$13"]).reward == 1.0


# Reward-hacking probes: each must get no reward.
HACKS = {
    "answer stated only inside the translation": (
        f"<translation>\n{PIVOT} The answer is 13.\n</translation>\nJanets Enten legen jeden Tag Eier.",
        "no_answer",
    ),
    "two different final answers": (
        pam_response(PIVOT, "Es bleiben 16 - 3 = 13. Die Antwort lautet 13. Nein: Die Antwort lautet 12."),
        "conflicting_answers",
    ),
    "empty reasoning": (f"<translation>\n{PIVOT}\n</translation>\n", "empty_reasoning"),
    "translation copied from the question": (pam_response(QUESTION_DE, REASONING["de"]), "translation_not_in_pivot"),
    "no translation at all": (REASONING["de"], "missing_translation"),
    "empty translation": ("<translation>\n</translation>\n" + REASONING["de"], "missing_translation"),
    "reasoning in the pivot language": (pam_response(PIVOT, REASONING["en"]), "reasoning_not_in_target"),
    "reasoning with no answer": (pam_response(PIVOT, "Janets Enten legen jeden Tag viele Eier."), "no_answer"),
}


@pytest.mark.parametrize("response, reason", HACKS.values(), ids=HACKS.keys())
def test_reward_hacking_probes_get_no_reward(response, reason):
    result = score_response(response, "de", ["13", "13", "13"], question=QUESTION_DE)
    assert (result.reward, result.reason, result.consistent) == (0.0, reason, False)


def test_all_pivot_answers_none_gives_no_reward_even_for_a_good_response():
    result = score_response(GOOD_DE, "de", [None] * 4)
    assert (result.reward, result.no_signal) == (0.0, True)


def test_a_translation_close_to_the_question_counts_as_copied_when_the_question_is_known():
    question = "Janet's ducks lay 16 eggs per day. She eats 3. How many are left over?"  # an English question
    result = score_response(GOOD_DE, "de", ["13"], question=question, config=RewardConfig(check_translation_language=False))
    assert result.reason == "translation_copied"


def test_question_overlap_is_one_for_a_copy_and_low_for_a_translation():
    assert question_overlap(QUESTION_DE, QUESTION_DE) == 1.0
    assert question_overlap(PIVOT, QUESTION_DE) < 0.5
    assert question_overlap("", QUESTION_DE) == 0.0


def test_format_failures_are_flagged_but_wrong_language_is_not_a_format_failure():
    assert not score_response(REASONING["de"], "de", ["13"]).format_ok
    wrong_language = score_response(pam_response(PIVOT, REASONING["en"]), "de", ["13"])
    assert wrong_language.format_ok and wrong_language.lang_fidelity == 0.0


def test_format_failures_skip_the_pivot_stage():
    check = check_response(REASONING["de"], "de")
    assert check.failure == "missing_translation"
    assert check_response(GOOD_DE, "de").failure is None


def test_a_check_can_be_reused_for_scoring():
    check = check_response(GOOD_DE, "de")
    assert score_response(GOOD_DE, "de", ["13"], check=check) == score_response(GOOD_DE, "de", ["13"])


def test_english_questions_skip_the_translation_language_checks():
    result = score_response(pam_response(PIVOT, REASONING["en"]), "en", ["13"], question=PIVOT)
    assert (result.reward, result.reason) == (1.0, "consistent")


@pytest.mark.parametrize(
    "gold, reward, reason",
    [("13", 1.0, "gold_correct"), ("13.0", 1.0, "gold_correct"), ("12", 0.0, "gold_incorrect")],
)
def test_gold_mode_rewards_agreement_with_the_gold_answer(gold, reward, reason):
    result = score_response(GOOD_DE, "de", [], gold=gold, config=RewardConfig(use_gold=True))
    assert (result.reward, result.reason) == (reward, reason)


def test_gold_answer_is_logged_without_changing_the_self_feedback_reward():
    result = score_response(GOOD_DE, "de", ["12", "12"], gold="13")
    assert (result.reward, result.gold_correct) == (0.0, True)
    assert score_response(GOOD_DE, "de", ["13"]).gold_correct is None


def test_rewards_are_configurable():
    config = RewardConfig(consistent_reward=2.0, inconsistent_reward=-1.0, format_reward=-0.5)
    assert score_response(GOOD_DE, "de", ["13"], config=config).reward == 2.0
    assert score_response(GOOD_DE, "de", ["12"], config=config).reward == -1.0
    assert score_response(REASONING["de"], "de", ["13"], config=config).reward == -0.5


def test_checks_can_be_switched_off():
    config = RewardConfig(require_translation=False, check_reasoning_language=False, reject_conflicting_answers=False)
    assert score_response(REASONING["en"], "de", ["13"], config=config).reward == 1.0


def test_custom_markers_are_honoured():
    fmt = PamFormat("<en>", "</en>")
    response = pam_response(PIVOT, REASONING["sw"], fmt=fmt)
    assert score_response(response, "sw", ["13"], config=RewardConfig(fmt=fmt)).reward == 1.0


@pytest.mark.parametrize("response", [None, 7, "", "   ", "\ud800", "\x00\x01", "x" * 100_000])
def test_bad_responses_get_reward_zero_without_raising(response):
    result = score_response(response, "de", ["13"])
    assert result.reward == 0.0 and not result.consistent


def test_unknown_target_language_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown language"):
        score_response(GOOD_DE, "xx", ["13"])


@pytest.mark.parametrize(
    "kwargs", [{"agreement_threshold": 1.5}, {"copy_similarity": 0}, {"pivot": "xx"}]
)
def test_invalid_configuration_is_a_clear_error(kwargs):
    with pytest.raises((ValueError, KeyError)):
        RewardConfig(**kwargs)


@pytest.mark.parametrize(
    "answers, expected",
    [
        (["18", "18.00", None, "20"], ("18", 0.5, {"18": 2, "20": 1})),
        (["18", "20"], (None, 0.5, {"18": 1, "20": 1})),
        ([], (None, 0.0, {})),
        ([None], (None, 0.0, {})),
        ([7, 7.0, "7"], ("7", 1.0, {"7": 3})),
    ],
)
def test_pivot_majority_counts_numeric_votes(answers, expected):
    assert pivot_majority(answers) == expected


# Expression answers: the same rules, with classes of equivalent answers.
PIVOT_PI = "In triangle ABC, (a+c)(sin A - sin C) = b(sin A - sin B). What is angle C in radians?"
REASONING_PI_DE = "Aus dem Sinussatz folgt a^2 + b^2 - c^2 = ab, also cos C = 1/2. Die Antwort lautet $\\frac{\\pi}{3}$."
GOOD_PI_DE = pam_response(PIVOT_PI, REASONING_PI_DE)


@pytest.mark.parametrize(
    "pivot_answers",
    [
        ["\\frac{\\pi}{3}", "\\frac{\\pi}{3}", "\\frac{\\pi}{6}"],
        ["\\pi/3", "\\dfrac{\\pi}{3}", "\\frac{\\pi}{6}"],  # equivalent spellings are one class
        ["1.0471975512", "\\frac{1}{3}\\pi", None, "\\frac{\\pi}{6}"],
    ],
)
def test_an_expression_agreeing_with_the_pivot_majority_gets_reward_one(pivot_answers):
    result = score_response(GOOD_PI_DE, "de", pivot_answers)
    assert (result.reward, result.reason, result.target_answer) == (1.0, "consistent", "\\frac{\\pi}{3}")


def test_an_expression_disagreeing_with_the_pivot_majority_gets_reward_zero():
    result = score_response(GOOD_PI_DE, "de", ["\\frac{\\pi}{6}", "\\pi/6", "\\frac{\\pi}{3}"])
    assert (result.reward, result.reason, result.pivot_answer) == (0.0, "inconsistent", "\\frac{\\pi}{6}")


def test_pivot_majority_counts_classes_of_equivalent_expressions():
    answers = ["\\{2, -2\\}", "\\{-2, 2\\}", "[2, 3)", "2 \\leq x < 3", "2 \\le x < 3", "n(n-1)", None]
    majority, agreement, votes = pivot_majority(answers)
    assert (majority, agreement) == ("[2, 3)", pytest.approx(3 / 7))
    assert votes == {"\\{2, -2\\}": 2, "[2, 3)": 3, "n(n-1)": 1}


def test_a_vote_over_many_distinct_expressions_stays_fast():
    answers = ["n + 1"] * 3 + [f"n^{{{i + 2}}}" for i in range(MAX_PIVOT_VOTES - 3)]
    start = time.perf_counter()
    majority, _, votes = pivot_majority(answers)
    assert majority == "n + 1" and len(votes) == MAX_PIVOT_VOTES - 2
    assert time.perf_counter() - start < 10.0


# Reward-hacking probes again, with an expression answer: each must get no reward.
EXPRESSION_HACKS = {
    "answer stated only inside the translation": (
        f"<translation>\n{PIVOT_PI} The answer is $\\frac{{\\pi}}{{3}}$.\n</translation>\nAus dem Sinussatz folgt cos C.",
        "no_answer",
    ),
    "two different final expressions": (
        pam_response(PIVOT_PI, "Die Antwort lautet $\\frac{\\pi}{3}$. Nein: Die Antwort lautet $\\frac{\\pi}{6}$."),
        "conflicting_answers",
    ),
    "no translation at all": (REASONING_PI_DE, "missing_translation"),
    "reasoning in the pivot language": (
        pam_response(PIVOT_PI, "By the law of sines, cos C = 1/2, so the answer is $\\frac{\\pi}{3}$."),
        "reasoning_not_in_target",
    ),
    "answer cut off inside its box": (
        pam_response(PIVOT_PI, "Aus dem Sinussatz folgt cos C = 1/2, also ist der Winkel $\\boxed{\\frac{\\pi}{"),
        "no_answer",
    ),
}


@pytest.mark.parametrize("response, reason", EXPRESSION_HACKS.values(), ids=EXPRESSION_HACKS.keys())
def test_reward_hacking_probes_with_expression_answers_get_no_reward(response, reason):
    result = score_response(response, "de", ["\\frac{\\pi}{3}"] * 3)
    assert (result.reward, result.reason, result.consistent) == (0.0, reason, False)


def test_restating_the_same_expression_differently_is_no_conflict():
    response = pam_response(PIVOT_PI, "Also ist C = $\\frac{\\pi}{3}$. Die Antwort lautet $\\frac{1}{3}\\pi$. Die Antwort lautet $\\dfrac{\\pi}{3}$.")
    assert score_response(response, "de", ["\\pi/3"] * 2).reward == 1.0


def test_gold_mode_accepts_a_latex_gold():
    config = RewardConfig(use_gold=True)
    assert score_response(GOOD_PI_DE, "de", [], config=config, gold="$\\dfrac{\\pi}{3}$").reason == "gold_correct"
    assert score_response(GOOD_PI_DE, "de", [], config=config, gold="$\\frac{\\pi}{6}$").reason == "gold_incorrect"
