"""Two lm-eval models for the PolyMath tasks: an oracle that answers with each question's gold in ``\\boxed{}``,
and a shifted oracle that answers each question with the gold of the next question of the same task.

Both write a response the way a model asked for it would: for the PASMR tasks a translation block
(full of numbers that must not count), then a sentence of reasoning in the question's language, then
the language's answer sentence with the answer boxed; for the chain-of-thought tasks the same without
the translation. The oracle must score 100% on every task, the shifted one close to 0 (equal answers
of neighbouring questions are the only way to score).
"""

from __future__ import annotations

import lm_eval.models  # noqa: F401 (lm-eval registers its own models only while its registry is empty)
from lm_eval.api.model import LM
from lm_eval.api.registry import register_model

from pasmr_plugin.languages import get_language

TRANSLATION = "<translation>\nThere are 7 boxes with 12 pens each; 5 pens are lost.\n</translation>\n"
REASONING = {
    "ar": "نحسب الناتج خطوة بخطوة ونتحقق من النتيجة النهائية بعناية.",
    "bn": "আমরা ধাপে ধাপে হিসাব করি এবং চূড়ান্ত ফলাফলটি যাচাই করি।",
    "de": "Wir rechnen Schritt für Schritt und prüfen das Ergebnis sorgfältig.",
    "en": "We compute step by step and check the result carefully.",
    "es": "Calculamos paso a paso y comprobamos el resultado con cuidado.",
    "fr": "Nous calculons étape par étape et vérifions soigneusement le résultat.",
    "id": "Kita menghitung langkah demi langkah dan memeriksa hasilnya dengan teliti.",
    "it": "Calcoliamo passo dopo passo e controlliamo attentamente il risultato.",
    "ja": "順番に計算して、最後に結果を注意深く確かめます。",
    "ko": "단계별로 계산하고 결과를 꼼꼼하게 확인합니다.",
    "ms": "Kita mengira langkah demi langkah dan menyemak hasilnya dengan teliti.",
    "pt": "Calculamos passo a passo e verificamos o resultado com cuidado.",
    "ru": "Мы считаем шаг за шагом и внимательно проверяем результат.",
    "sw": "Tunahesabu hatua kwa hatua na kukagua jibu kwa makini.",
    "te": "మనం దశలవారీగా లెక్కించి ఫలితాన్ని జాగ్రత్తగా సరిచూస్తాము.",
    "th": "เราคำนวณทีละขั้นตอนและตรวจสอบผลลัพธ์อย่างละเอียด",
    "vi": "Chúng ta tính từng bước và kiểm tra kết quả một cách cẩn thận.",
    "zh": "我们一步一步地计算，并仔细检查结果。",
}


def boxed(gold: str) -> str:
    """``$\\boxed{...}$`` around a gold answer as PolyMath writes it ("$\\frac{\\pi}{3}$" loses its dollars)."""
    text = gold.strip()
    if len(text) > 1 and text.startswith("$") and text.endswith("$") and text.count("$") == 2:
        text = text[1:-1]
    return f"$\\boxed{{{text}}}$"


def response_with(answer: str, lang: str, *, translate: bool) -> str:
    """A response in ``lang`` that commits to ``answer`` (boxed, in the language's answer sentence)."""
    body = f"{REASONING[lang]} {get_language(lang).answer_sentence(boxed(answer))}"
    return (TRANSLATION if translate else "") + body


def _translates(task_name: str) -> bool:
    return not task_name.startswith("pasmr_polymath_cot")


@register_model("pasmr-polymath-oracle")
class OracleLM(LM):
    """Answers every question with its own gold answer."""

    def __init__(self, **_config):
        super().__init__()

    def generate_until(self, requests):
        return [
            response_with(request.doc["answer"], request.doc["lang"], translate=_translates(request.task_name))
            for request in requests
        ]

    def loglikelihood(self, requests):
        raise NotImplementedError("generation tasks only")

    def loglikelihood_rolling(self, requests):
        raise NotImplementedError("generation tasks only")


@register_model("pasmr-polymath-shifted")
class ShiftedLM(OracleLM):
    """Answers each question with the gold of the next question of the same task (the last with the first's)."""

    def generate_until(self, requests):
        by_task: dict[str, list[int]] = {}
        for index, request in enumerate(requests):
            by_task.setdefault(request.task_name, []).append(index)
        answers = [None] * len(requests)
        for indices in by_task.values():
            for position, index in enumerate(indices):
                answers[index] = requests[indices[(position + 1) % len(indices)]].doc["answer"]
        return [
            response_with(answer, request.doc["lang"], translate=_translates(request.task_name))
            for answer, request in zip(answers, requests)
        ]
