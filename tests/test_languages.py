"""The language table: complete, consistent, and usable by every module.

The tests here walk the table: every entry passes the checks a language pack gets, its script is
identified, its digits, separators, multipliers, answer sentences, labels and words are extracted,
and its prompt words reach the prompts. Adding a language is one entry in
``pasmr_plugin/languages.py`` plus its rows in the test tables (``tests/test_answers*.py``,
``tests/multilingual_texts.py``); ``check_entry_is_usable`` runs on language packs too.
"""

from __future__ import annotations

import pytest

from multilingual_texts import REASONING
from pasmr_plugin.answers import extract_answer, extract_final_answers
from pasmr_plugin.language_packs import language_problems
from pasmr_plugin.langid import detect_language
from pasmr_plugin.languages import (
    DEFAULT_PIVOT,
    LANGUAGES,
    LOW_RESOURCE_LANGUAGES,
    MGSM_LANGUAGES,
    MSVAMP_LANGUAGES,
    POLYMATH_LANGUAGES,
    SHIPPED_LANGUAGES,
    Language,
    counts_as,
    find_language,
    get_language,
)
from pasmr_plugin.prompts import cot_prompt, target_prompt


def test_table_covers_the_benchmark_languages():
    assert set(MGSM_LANGUAGES) <= set(SHIPPED_LANGUAGES)
    assert set(POLYMATH_LANGUAGES) == set(SHIPPED_LANGUAGES)
    assert set(MSVAMP_LANGUAGES) == set(MGSM_LANGUAGES) - {"te"}
    assert set(LOW_RESOURCE_LANGUAGES) == {"bn", "sw", "te", "th"}
    assert DEFAULT_PIVOT in SHIPPED_LANGUAGES


def test_indonesian_and_malay_count_as_each_other_and_nothing_else_does():
    assert counts_as("ms", "id") and counts_as("id", "ms")
    declared = {(code, other) for code, lang in SHIPPED_LANGUAGES.items() for other in lang.counts_as}
    assert declared == {("id", "ms"), ("ms", "id")}
    assert not counts_as("en", "de") and not counts_as(None, "en") and not counts_as("id", None)


# --------------------------------------------------------------------------------------------
# Walking the table: what every entry must satisfy (language packs get the same checks)
# --------------------------------------------------------------------------------------------
def _digits(text: str, language: Language) -> str:
    return text.translate(str.maketrans("0123456789", language.native_digits)) if language.native_digits else text


def check_entry_is_usable(language: Language, reasoning: str | None = None) -> None:
    """Everything the package needs from one entry; shared with the language-pack tests."""
    code = language.code
    assert language_problems(language, LANGUAGES) == []
    # the script is identified: the language's own instructions and, when given, a solution in it
    instruction = language.cot_instruction.format(answer=language.answer_sentence(18))
    for text in (instruction, reasoning) if reasoning else (instruction,):
        assert counts_as(detect_language(text), code), text
    # the answer template, every sentence, label and word commit to their number
    assert extract_answer(f"5 + 6 = 11, 4 × 3 = 12. {language.answer_sentence(18)}", code) == "18"
    for phrase in language.answer_sentences:
        assert extract_final_answers(f"4 × 3 = 12. {phrase} 18", code) == ["18"], phrase
    for label in language.answer_labels:
        assert extract_final_answers(f"4 × 3 = 12\n{label}: 18", code) == ["18"], label
    for word in language.answer_words:
        assert extract_final_answers(f"4 × 3 = 12. {word} 18", code) == ["18"], word
    # native digits, every group separator, the decimal separator and marks, multipliers
    assert extract_answer(language.answer_sentence(_digits("1234", language)), code) == "1234"
    for separator in language.group_separators:
        written = _digits(f"1{separator}234{separator}567", language)
        assert extract_answer(language.answer_sentence(written), code) == "1234567", repr(separator)
    for decimal in language.decimal_separator + language.decimal_marks:
        written = _digits(f"3{decimal}25", language)
        assert extract_answer(language.answer_sentence(written), code) == "3.25", decimal
    for word, value in language.multipliers:
        if word not in language.not_multipliers:
            assert extract_answer(language.answer_sentence(f"3{word}"), code) == str(3 * value), word
    for sign in language.currency_signs:
        assert extract_answer(language.answer_sentence(f"{sign}25"), code) == "25", sign
    # the prompt words reach the prompts
    prompt = target_prompt("Q?", code)
    assert prompt.startswith(f"{language.question_label} Q?")
    assert language.answer_sentence(f"[{language.number_word}]") in prompt
    assert language.english_word in prompt  # the default pivot, named in the language
    assert language.answer_sentence(f"[{language.number_word}]") in cot_prompt("Q?", code)


@pytest.mark.parametrize("code", sorted(SHIPPED_LANGUAGES))
def test_every_shipped_entry_is_usable(code):
    check_entry_is_usable(SHIPPED_LANGUAGES[code], REASONING[code])


@pytest.mark.parametrize("code", sorted(SHIPPED_LANGUAGES))
def test_every_entry_is_complete_and_consistent(code):
    lang = SHIPPED_LANGUAGES[code]
    assert lang.code == code
    assert lang.native_digits == "" or (len(lang.native_digits) == 10 and lang.native_digits.isdecimal())
    assert lang.decimal_separator in {".", ","}
    assert lang.decimal_separator not in lang.group_separators
    assert {".", ","} - {lang.decimal_separator} <= set(lang.group_separators)
    assert lang.answer_sentences and lang.answer_labels
    assert all(value for value in (lang.english_name, lang.native_name, lang.question_label, lang.step_answer_label))


@pytest.mark.parametrize(
    "code, number, sentence",
    [
        ("en", 18, "The answer is 18."),
        ("ja", 5, "答えは5です。"),
        ("bn", "১৮", "উত্তর হল ১৮।"),
        ("th", 7, "คำตอบคือ 7"),
        ("ar", "١٨", "الإجابة هي ١٨."),
        ("ko", 18, "답은 18입니다."),
        ("vi", 18, "Đáp án là 18."),
    ],
)
def test_answer_sentence_formats_the_number(code, number, sentence):
    assert get_language(code).answer_sentence(number) == sentence


def test_unknown_codes_are_a_clear_error_or_none():
    with pytest.raises(KeyError, match="known: ar, bn, de, en"):
        get_language("xx")
    assert find_language("xx") is None and find_language(None) is None and find_language("de").code == "de"
