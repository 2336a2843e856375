"""The language table: complete, consistent, and usable by every module."""

from __future__ import annotations

import pytest

from pasmr_plugin.languages import (
    LANGUAGES,
    LOW_RESOURCE_LANGUAGES,
    MGSM_LANGUAGES,
    MSVAMP_LANGUAGES,
    find_language,
    get_language,
)


def test_table_covers_the_benchmark_languages():
    assert set(MGSM_LANGUAGES) <= set(LANGUAGES)
    assert set(MSVAMP_LANGUAGES) == set(MGSM_LANGUAGES) - {"te"}
    assert set(LOW_RESOURCE_LANGUAGES) == {"bn", "sw", "te", "th"}


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_every_entry_is_complete_and_consistent(code):
    lang = LANGUAGES[code]
    assert lang.code == code
    assert lang.native_digits == "" or (len(lang.native_digits) == 10 and lang.native_digits.isdecimal())
    assert lang.decimal_separator in {".", ","}
    assert lang.decimal_separator not in lang.group_separators
    assert {".", ","} - {lang.decimal_separator} <= set(lang.group_separators)
    assert lang.answer_sentences and lang.answer_labels
    assert lang.answer_template.count("{}") == 1
    assert "{answer}" in lang.cot_instruction
    for placeholder in ("{pivot}", "{open}", "{close}", "{answer}"):
        assert placeholder in lang.pam_instruction
    assert all(value for value in (lang.english_name, lang.native_name, lang.question_label, lang.step_answer_label))


@pytest.mark.parametrize(
    "code, number, sentence",
    [("en", 18, "The answer is 18."), ("ja", 5, "答えは5です。"), ("bn", "১৮", "উত্তর হল ১৮।"), ("th", 7, "คำตอบคือ 7")],
)
def test_answer_sentence_formats_the_number(code, number, sentence):
    assert get_language(code).answer_sentence(number) == sentence


def test_unknown_codes_are_a_clear_error_or_none():
    with pytest.raises(KeyError, match="known: bn, de, en"):
        get_language("xx")
    assert find_language("xx") is None and find_language(None) is None and find_language("de").code == "de"
