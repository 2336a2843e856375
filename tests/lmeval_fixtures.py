"""Shared fixtures of the lm-eval tests: the bundled questions and a replay model with known responses.

The data is the demo set bundled with the package (``pasmr_plugin/resources/demo_eval``, written for
the project): four parallel questions per language, in the layout of ``PASMR_DATA_DIR``. The replay
model answers question ``k`` of every language the same way, so the metrics are known exactly:

- 0: native reasoning and the language's answer sentence, in native digits (Bengali "উত্তর হল ৮।");
- 1: native reasoning and an answer label with the language's group separator ("Antwort: 1.250");
- 2: English reasoning, right in high-resource languages, one too many in low-resource ones;
- 3: native text that commits to no number.

PASMR tasks get each response after a translation block full of numbers, which must not count.
"""

from __future__ import annotations

import lm_eval.models  # noqa: F401 (lm-eval registers its own models only while its registry is empty)
from lm_eval.api.model import LM
from lm_eval.api.registry import register_model

from pasmr_plugin.demo.evaluation import demo_data_dir
from pasmr_plugin.languages import get_language

DEMO_DATA = demo_data_dir()
TRANSLATION = "<translation>\nTom has 3 apples and 5 pears; he eats 2 of them.\n</translation>\n"

NATIVE_REASONING = {
    "bn": "আমরা দুটি সংখ্যা ধাপে ধাপে যোগ করি এবং ফলাফল গণনা করি।",
    "de": "Wir addieren die beiden Mengen Schritt für Schritt und zählen das Ergebnis.",
    "en": "We add the two amounts together step by step and count the result.",
    "es": "Sumamos las dos cantidades paso a paso y contamos el resultado.",
    "fr": "Nous additionnons les deux quantités étape par étape et comptons le résultat.",
    "ja": "二つの数を順番に足して、結果を数えます。",
    "ru": "Мы складываем два количества шаг за шагом и считаем результат.",
    "sw": "Tunajumlisha kiasi hicho viwili hatua kwa hatua na kuhesabu jibu.",
    "te": "మనం రెండు సంఖ్యలను దశలవారీగా కలిపి ఫలితాన్ని లెక్కిస్తాము.",
    "th": "เรานำจำนวนทั้งสองมาบวกกันทีละขั้นตอนและนับผลลัพธ์",
    "zh": "我们一步一步地把两个数相加，然后数出结果。",
}
NO_ANSWER = {
    "bn": "আমি নিশ্চিত নই কীভাবে এই সমস্যার সমাধান করতে হয়।",
    "de": "Ich weiß nicht genau, wie man diese Aufgabe löst.",
    "en": "I am not sure how to solve this problem.",
    "es": "No estoy seguro de cómo resolver este problema.",
    "fr": "Je ne sais pas exactement comment résoudre ce problème.",
    "ja": "この問題の解き方がよくわかりません。",
    "ru": "Я не уверен, как решить эту задачу.",
    "sw": "Sina uhakika jinsi ya kutatua swali hili.",
    "te": "ఈ ప్రశ్నను ఎలా పరిష్కరించాలో నాకు ఖచ్చితంగా తెలియదు.",
    "th": "ฉันไม่แน่ใจว่าจะแก้โจทย์นี้อย่างไร",
    "zh": "我不确定如何解决这个问题。",
}
ENGLISH_REASONING = "Adding both amounts gives the total number of items."


def _native_digits(number: str, lang: str) -> str:
    digits = get_language(lang).native_digits
    return number.translate(str.maketrans("0123456789", digits)) if digits else number


def _grouped(number: str, lang: str) -> str:
    """The number as the language groups it: 1250 is "1.250" in German, "1,250" in English."""
    return f"{int(number):,}".replace(",", get_language(lang).group_separators[0])


def replay_response(doc: dict, *, translate: bool) -> str:
    """The known response to ``doc`` (see the module docstring)."""
    lang, gold = doc["lang"], doc["answer"]
    language = get_language(lang)
    case = int(doc["id"].rsplit("-", 1)[1])
    if case == 0:
        body = f"{NATIVE_REASONING[lang]} {language.answer_sentence(_native_digits(gold, lang))}"
    elif case == 1:
        body = f"{NATIVE_REASONING[lang]}\n{language.answer_labels[0]}: {_native_digits(_grouped(gold, lang), lang)}"
    elif case == 2:
        stated = int(gold) + 1 if language.low_resource else int(gold)
        body = f"{ENGLISH_REASONING} The answer is {stated}."
    else:
        body = NO_ANSWER[lang]
    return (TRANSLATION if translate else "") + body


def expected_scores(lang: str) -> dict[str, float]:
    """The exact per-task metrics the replay model gets in ``lang`` (four questions)."""
    language = get_language(lang)
    return {
        "exact_match": 0.5 if language.low_resource else 0.75,  # 3 has no answer; 2 is wrong in low-resource ones
        "answer_found": 0.75,
        "lang_fidelity": 1.0 if lang == "en" else 0.75,  # question 2 reasons in English
    }


@register_model("pasmr-replay")
class ReplayLM(LM):
    """Answers every request with :func:`replay_response`; ``pretrained`` only names the model."""

    def __init__(self, pretrained: str = "replay", **_config):
        super().__init__()
        self.pretrained = pretrained
        self.prompts: dict[str, list[str]] = {}  # task name -> the prompts it was asked

    def generate_until(self, requests):
        for request in requests:
            self.prompts.setdefault(request.task_name, []).append(request.args[0])
        return [
            replay_response(request.doc, translate=not request.task_name.startswith("pasmr_mgsm_cot"))
            for request in requests
        ]

    def loglikelihood(self, requests):
        raise NotImplementedError("generation tasks only")

    def loglikelihood_rolling(self, requests):
        raise NotImplementedError("generation tasks only")
