"""Language identification of questions, translations and reasoning."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from multilingual_texts import PIVOT, REASONING
from pasmr_plugin.benchmarks import read_mgsm
from pasmr_plugin.langid import MAX_LANGID_CHARS, detect_language, strip_math
from pasmr_plugin.languages import MGSM_LANGUAGES, POLYMATH_LANGUAGES, SHIPPED_LANGUAGES, counts_as


@pytest.mark.parametrize("lang", sorted(SHIPPED_LANGUAGES))
def test_reasoning_is_identified_in_every_language(lang):
    assert counts_as(detect_language(REASONING[lang]), lang)


@pytest.mark.parametrize("lang", sorted(SHIPPED_LANGUAGES))
def test_latex_in_the_reasoning_does_not_change_the_language(lang):
    noisy = REASONING[lang] + r" \frac{16}{1} - \text{three} \times 1 = \boxed{13}"
    assert counts_as(detect_language(noisy), lang)


@pytest.mark.parametrize("lang", sorted(set(SHIPPED_LANGUAGES) - {"en"}))
def test_a_question_that_is_mostly_math_is_identified_by_its_few_words(lang):
    """PolyMath's "หา $\\sum ...$": the formula's Latin letters do not outvote the words."""
    words = REASONING[lang][:40]
    formula = r"$\sum_{n=1}^{+\infty} \arctan \frac{2}{4n^2+4n+1} + \lim_{x \to 0} \frac{\sin x}{x}$"
    assert counts_as(detect_language(f"{words} {formula}"), lang)


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
        ("오늘 학교에서 공부했어요.", "ko"),
        ("ذهبت إلى المدرسة اليوم.", "ar"),
        ("Hôm nay tôi đi học.", "vi"),
        ("Oggi sono andato a scuola.", "it"),
        ("Hoje eu fui para a escola.", "pt"),
        ("Tentukan nilai $\\lim_{x \\to 0} \\frac{\\sin x}{x}$.", "id"),  # two words and a formula
        ("Tính giá trị của $\\sum_{n=1}^{\\infty} \\frac{1}{n^2}$.", "vi"),
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


@pytest.mark.parametrize(
    "text, prose",
    [
        ("Find $x^2 + y^2$ if \\(x > 1\\).", "Find   if  ."),
        ("He earns $18 per day, so in a week he earns $126.", "He earns $18 per day, so in a week he earns $126."),
        ("Let \\[ \\sum_{k=1}^{n} k \\] and $x \\text{ with probability } p$", "Let   and $x   with probability   p$"),
    ],
)
def test_math_is_set_aside_but_dollar_amounts_and_text_are_kept(text, prose):
    assert strip_math(text) == prose


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


# PolyMath rows that are not in their file's language (read by hand; bench/langid_bench.py --polymath)
POLYMATH_TRUE_LANGUAGE = {"medium-fr-66": "en", "high-te-33": "en", "high-te-85": "en", "high-es-46": "vi", "high-vi-46": "es"}
POLYMATH_HALF_ENGLISH = {"top-ms-40", "top-ms-61"}  # half Malay, half English: either reading counts


@pytest.mark.shared_data
@pytest.mark.parametrize("lang", POLYMATH_LANGUAGES)
def test_polymath_questions_are_identified_at_98_5_percent(shared_data_dir, lang):
    """Competition questions heavy with LaTeX, a few left in English; id and ms count as each other."""
    import json

    folder = shared_data_dir / "polymath" / lang
    if not folder.is_dir():
        pytest.skip(f"PolyMath not found at {folder}")
    rows = [json.loads(line) for level in ("low", "medium", "high", "top")
            for line in (folder / f"{level}.jsonl").read_text(encoding="utf-8").splitlines()]
    wrong = []
    for row in rows:
        found = detect_language(row["question"])
        right = counts_as(found, POLYMATH_TRUE_LANGUAGE.get(row["id"], lang))
        if not right and not (row["id"] in POLYMATH_HALF_ENGLISH and found == "en"):
            wrong.append((row["id"], found))
    assert len(wrong) <= 0.015 * len(rows), wrong


@pytest.mark.parametrize("written, target", [("ms", "id"), ("id", "ms")])
def test_indonesian_read_as_malay_and_back_costs_no_reward(written, target):
    """The table declares that id and ms count as each other: the reward and the grader agree."""
    from multilingual_texts import PIVOT
    from pasmr_plugin.evaluation.tasks import grade_response
    from pasmr_plugin.prompts import pam_response
    from pasmr_plugin.reward import score_response

    response = pam_response(PIVOT, REASONING[written])
    result = score_response(response, target, ["13", "13", "13"])
    assert result.lang_fidelity == 1.0 and result.reward == 1.0
    assert grade_response(response, "13", target).lang_fidelity == 1.0
    assert score_response(pam_response(PIVOT, REASONING["en"]), target, ["13"] * 3).lang_fidelity == 0.0
