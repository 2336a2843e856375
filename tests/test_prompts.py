"""The PAM response format: building, parsing and prompt builders."""

from __future__ import annotations

import pytest

from multilingual_texts import PIVOT, REASONING
from pasmr_plugin.languages import LANGUAGES, MGSM_LANGUAGES
from pasmr_plugin.prompts import (
    DEFAULT_FORMAT,
    PamFormat,
    cot_prompt,
    pam_response,
    parse_response,
    pivot_messages,
    pivot_prompt,
    question_from_prompt,
    read_target_prompt,
    target_messages,
    target_prompt,
)


@pytest.mark.parametrize("lang", MGSM_LANGUAGES)
def test_pam_response_round_trips_through_parse_response(lang):
    parts = parse_response(pam_response(PIVOT, REASONING[lang]), lang)
    assert parts.translation == PIVOT
    assert parts.reasoning == REASONING[lang]
    assert parts.answer == "13"
    assert parts.issues == ()


def test_pam_response_has_the_documented_layout():
    assert pam_response(" Q? ", " R. ") == "<translation>\nQ?\n</translation>\nR."


@pytest.mark.parametrize("lang", MGSM_LANGUAGES)
def test_pam_response_appends_the_answer_sentence_when_the_solution_lacks_one(lang):
    text = pam_response(PIVOT, "16 - 3 = 13", lang=lang, answer=13)
    assert text.endswith(LANGUAGES[lang].answer_sentence(13))
    assert parse_response(text, lang).answer == "13"


def test_pam_response_keeps_a_solution_that_already_states_its_answer():
    text = pam_response(PIVOT, REASONING["sw"], lang="sw", answer=13)
    assert text.count("Jibu ni 13") == 1


def test_pam_response_rejects_an_empty_pivot_question():
    with pytest.raises(ValueError, match="pivot question"):
        pam_response("  ", "Jibu ni 1.")


@pytest.mark.parametrize(
    "text, pivot, reasoning, issues",
    [
        # missing markers
        ("Jibu ni 13.", None, "Jibu ni 13.", ("missing_markers",)),
        ("How many?\n</translation>\nJibu ni 13.", "How many?", "Jibu ni 13.", ("missing_open_marker",)),
        ("<translation>\nHow many?\n\nJibu ni 13.", "How many?", "Jibu ni 13.", ("missing_close_marker",)),
        # truncated inside the translation
        ("<translation>\nHow many eggs", None, "", ("missing_close_marker", "empty_reasoning")),
        # empty translation
        ("<translation>\n \n</translation>\nJibu ni 13.", None, "Jibu ni 13.", ("empty_translation",)),
        # markers repeated inside the reasoning are removed with their content
        (
            "<translation>\nHow many?\n</translation>\nJibu ni 13.\n<translation>\nThe answer is 9.\n</translation>",
            "How many?",
            "Jibu ni 13.",
            ("repeated_markers",),
        ),
        ("<translation>\nHow many?\n</translation>\nJibu ni 13.</translation>", "How many?", "Jibu ni 13.", ("repeated_markers",)),
        ("<translation>\nHow many?\n</translation>\nJibu ni 13.\n<translation>The answer", "How many?", "Jibu ni 13.", ("repeated_markers",)),
        # case-insensitive markers and a preamble before them
        ("Sure!\n<TRANSLATION>How many?</Translation>\nJibu ni 13.", "How many?", "Jibu ni 13.", ()),
    ],
)
def test_parse_response_tolerates_format_deviations(text, pivot, reasoning, issues):
    parts = parse_response(text, "sw")
    assert (parts.translation, parts.reasoning, parts.issues) == (pivot, reasoning, issues)


def test_parse_response_never_reads_the_answer_from_the_translation():
    text = "<translation>\nHow many? The answer is 99.\n</translation>\nBata hutaga mayai mengi."
    parts = parse_response(text, "sw")
    assert parts.answer is None
    assert parts.final_answers == ()


def test_parse_response_reports_every_final_statement_of_the_reasoning():
    parts = parse_response(pam_response(PIVOT, "Ответ: 13. Хотя нет, ответ — 12."), "ru")
    assert parts.final_answers == ("13", "12")


@pytest.mark.parametrize("bad", [None, 42, b"bytes", ["list"]])
def test_parse_response_gives_an_empty_result_for_non_strings(bad):
    parts = parse_response(bad)
    assert parts.translation is None and parts.answer is None and "empty_reasoning" in parts.issues


def test_custom_markers_are_used_for_building_and_parsing():
    fmt = PamFormat("[EN]", "[/EN]")
    text = pam_response(PIVOT, REASONING["de"], fmt=fmt)
    assert text.startswith("[EN]\n")
    assert parse_response(text, "de", fmt=fmt).translation == PIVOT
    assert parse_response(text, "de").issues == ("missing_markers",)


@pytest.mark.parametrize("markers", [("", "</x>"), ("<x>", " "), ("<x>", "<x>")])
def test_pam_format_rejects_blank_or_identical_markers(markers):
    with pytest.raises(ValueError):
        PamFormat(*markers)


@pytest.mark.parametrize("lang", MGSM_LANGUAGES)
def test_target_prompt_is_in_the_target_language_and_names_the_markers(lang):
    language = LANGUAGES[lang]
    prompt = target_prompt("QUESTION-TEXT", lang)
    assert prompt.startswith(f"{language.question_label} QUESTION-TEXT\n")
    assert DEFAULT_FORMAT.open_marker in prompt and DEFAULT_FORMAT.close_marker in prompt
    assert language.answer_sentence(f"[{language.number_word}]") in prompt
    assert language.english_word in prompt
    assert "{" not in prompt.replace("{}", "")  # every placeholder was filled


@pytest.mark.parametrize("lang", MGSM_LANGUAGES)
def test_cot_prompt_asks_for_the_answer_sentence_without_a_translation(lang):
    prompt = cot_prompt("QUESTION-TEXT", lang)
    assert LANGUAGES[lang].answer_sentence(f"[{LANGUAGES[lang].number_word}]") in prompt
    assert DEFAULT_FORMAT.open_marker not in prompt


def test_target_prompt_names_a_non_english_pivot_by_its_own_name():
    assert "中文" in target_prompt("Frage?", "de", pivot="zh")


def test_pivot_prompt_is_the_cot_prompt_in_the_pivot_language():
    assert pivot_prompt(PIVOT) == cot_prompt(PIVOT, "en")
    assert pivot_prompt(PIVOT).startswith("Question: Janet's ducks")


def test_a_boxed_pivot_prompt_asks_for_the_boxed_answer_sentence():
    assert pivot_prompt(PIVOT, boxed=True).endswith('finish with "The answer is $\\boxed{...}$."')
    assert pivot_messages(PIVOT, boxed=True) == [{"role": "user", "content": pivot_prompt(PIVOT, boxed=True)}]


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
@pytest.mark.parametrize("answer_format", ["number", "boxed"])
def test_the_question_and_answer_format_are_read_back_from_a_target_prompt_in_a_chat_template(lang, answer_format):
    prompt = target_prompt("QUESTION $x^2$?", lang, boxed=answer_format == "boxed")
    wrapped = f"<|im_start|>user\n{prompt}<|im_end|>\n<|im_start|>assistant\n"
    assert read_target_prompt(wrapped, lang) == ("QUESTION $x^2$?", answer_format)
    assert question_from_prompt(wrapped, lang) == "QUESTION $x^2$?"
    assert read_target_prompt("Question: QUESTION?", lang) is None


def test_message_builders_wrap_the_prompts_as_one_user_turn():
    assert target_messages("Swali?", "sw") == [{"role": "user", "content": target_prompt("Swali?", "sw")}]
    assert pivot_messages(PIVOT) == [{"role": "user", "content": pivot_prompt(PIVOT)}]


def test_prompt_builders_reject_unknown_languages():
    with pytest.raises(KeyError, match="unknown language"):
        target_prompt("?", "xx")
