"""Language identification of questions, translations and reasoning."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from multilingual_texts import PIVOT, REASONING
from pasmr_plugin.benchmarks import read_mgsm
from pasmr_plugin.langid import MAX_LANGID_CHARS, detect_language
from pasmr_plugin.languages import MGSM_LANGUAGES


@pytest.mark.parametrize("lang", MGSM_LANGUAGES)
def test_reasoning_is_identified_in_every_language(lang):
    assert detect_language(REASONING[lang]) == lang


@pytest.mark.parametrize("lang", MGSM_LANGUAGES)
def test_latex_in_the_reasoning_does_not_change_the_language(lang):
    noisy = REASONING[lang] + r" \frac{16}{1} - \text{three} \times 1 = \boxed{13}"
    assert detect_language(noisy) == lang


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Die Antwort ist einfach zu finden.", "de"),
        ("The answer is easy to find.", "en"),
        ("La respuesta es fácil de encontrar.", "es"),
        ("La réponse est facile à trouver.", "fr"),
        ("Jibu ni rahisi kupata.", "sw"),
        ("今日は学校で勉強しました。", "ja"),  # kana decides Japanese
        ("今天我在学校学习。", "zh"),  # Han without kana is Chinese
    ],
)
def test_short_sentences_are_identified(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", [None, 3, b"bytes", "", "   ", "5 + 6 = 11", "\ud800\ud800", "\x00\x01\x02", "ok"])
def test_texts_without_enough_letters_or_non_strings_are_not_judged(text):
    assert detect_language(text) is None


def test_candidates_restrict_the_answer():
    assert detect_language(REASONING["de"], candidates=["en", "sw"]) in {"en", "sw"}
    assert detect_language(REASONING["ja"], candidates=["zh"]) is None


def test_only_the_beginning_of_long_texts_is_read():
    text = REASONING["de"] * (2 * MAX_LANGID_CHARS // len(REASONING["de"])) + PIVOT * 200
    assert detect_language(text) == "de"


def test_identification_is_thread_safe():
    texts = [REASONING[lang] for lang in MGSM_LANGUAGES] * 20
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(detect_language, texts))
    assert results == [text_lang for text_lang in MGSM_LANGUAGES] * 20


@pytest.mark.shared_data
@pytest.mark.parametrize("lang", MGSM_LANGUAGES)
def test_every_real_mgsm_question_is_identified(shared_data_dir, lang):
    wrong = [r["question"] for r in read_mgsm(shared_data_dir, lang) if detect_language(r["question"]) != lang]
    assert wrong == []
