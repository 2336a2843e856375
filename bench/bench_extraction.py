"""Benchmark final-answer extraction + grading on 1-2 KB multilingual responses, side by side.

Three graders run on the same deterministic corpus in one process:

  ours         pasmr_plugin: extract_answer(text, lang) + answers_match(pred, gold)
  math-verify  math_verify.verify(gold_parsed, math_verify.parse(text)), defaults (gold is parsed
               once, outside the timing: that favours math-verify; "verify(gold, target)" order)
  lm-eval      MGSM "flexible-extract": regex (-?[$0-9.,]{2,})|(-?[0-9]+), group_select -1,
               take_first, then exact_match with ignore_case and ignore_punctuation, as
               lm_eval/tasks/mgsm/*/mgsm_*.yaml and lm_eval/api/metrics.py do it (reproduced in plain
               Python and checked against lm-eval's own RegexFilter / exact_match on every response)

Corpus: for each of the 11 MGSM languages, the 8 human-written MGSM exemplar solutions
(../shared/data/mgsm/exemplars.py, when present) plus responses generated from a bundled set of
step-by-step sentences in that language (salary, price and count problems, with numbers written in
the language's conventions from pasmr_plugin.languages: decimal separator, grouping incl. NBSP/NNBSP,
native digits for bn/te/th). Each response is padded to 1-2 KB (UTF-8) with further solution steps;
it ends in the language's answer sentence, its answer label, \\boxed{}, an English "The answer is",
or an answer sentence followed by a check that repeats other numbers.

Timing: every response is timed on its own with time.perf_counter_ns, round-robin over the corpus
(so no method benefits from a cache of the previous call), many repeats split in blocks that
alternate between the methods (a noisy shared machine then slows all of them alike); the
per-response median is reported as the median (and p90) over responses. math-verify uses
signal-based timeouts, so all calls run in the main thread.

Run from the repository root (about a minute):
    PYTHONPATH=. python bench/bench_extraction.py [--repeats 101] [--mv-repeats 9] [--seed 0]
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import os
import platform
import random
import re
import statistics
import string
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from pasmr_plugin.answers import answers_match, extract_answer
from pasmr_plugin.languages import MGSM_LANGUAGES, Language, get_language

DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
TARGET_BYTES = (1000, 2000)
GENERATED_PER_LANGUAGE = 16

# --------------------------------------------------------------------------------------------
# Bundled corpus: solution steps per language. Placeholders: {a} {b} {c} {d} small numbers
# (c = a + b, d = a * b); {m} monthly amount, {k} count, {p} price, {t} the problem's result.
# --------------------------------------------------------------------------------------------
TEXTS: dict[str, dict[str, Any]] = {
    "en": {
        "intro": ["Let's solve this step by step.", "First, let's write down what we know from the problem.",
                  "We need to be careful with the units here."],
        "steps": ["To keep track: {a} + {b} = {c}.", "Note that {a} × {b} = {d}.", "We also know that {c} - {b} = {a}.",
                  "So far we have used {a} of the {c} items."],
        "verify": "Let's double-check: {c} - {b} = {a}, which matches.",
        "salary": "Anna earns ${m} per month. In {k} months she earns {k} × {m} = ${t}.",
        "price": "One kilogram of apples costs ${p}. So {k} kilograms cost {k} × {p} = ${t}.",
        "count": "There are {a} eggs in the basket. She takes out {b}, so {a} - {b} = {t} eggs are left.",
    },
    "de": {
        "intro": ["Lösen wir die Aufgabe Schritt für Schritt.", "Zuerst schreiben wir auf, was in der Aufgabe gegeben ist.",
                  "Dabei achten wir genau auf die Einheiten."],
        "steps": ["Zur Übersicht: {a} + {b} = {c}.", "Außerdem gilt {a} · {b} = {d}.",
                  "Wir wissen auch, dass {c} - {b} = {a} ist.", "Bisher haben wir {a} der {c} Stücke verwendet."],
        "verify": "Zur Probe: {c} - {b} = {a}, das passt.",
        "salary": "Anna verdient {m} € im Monat. In {k} Monaten verdient sie {k} · {m} = {t} €.",
        "price": "Ein Kilo Äpfel kostet {p} €. {k} Kilo kosten also {k} · {p} = {t} €.",
        "count": "Im Korb liegen {a} Eier. Sie nimmt {b} heraus, also bleiben {a} - {b} = {t} Eier übrig.",
    },
    "es": {
        "intro": ["Resolvamos el problema paso a paso.", "Primero anotamos los datos que nos da el problema.",
                  "Hay que tener cuidado con las unidades."],
        "steps": ["Para llevar la cuenta: {a} + {b} = {c}.", "Además, {a} × {b} = {d}.",
                  "También sabemos que {c} - {b} = {a}.", "Hasta ahora hemos usado {a} de las {c} piezas."],
        "verify": "Comprobación: {c} - {b} = {a}, así que es correcto.",
        "salary": "Ana gana {m} € al mes. En {k} meses gana {k} × {m} = {t} €.",
        "price": "Un kilo de manzanas cuesta {p} €. Entonces {k} kilos cuestan {k} × {p} = {t} €.",
        "count": "Hay {a} huevos en la cesta. Saca {b}, así que quedan {a} - {b} = {t} huevos.",
    },
    "fr": {
        "intro": ["Résolvons le problème étape par étape.", "Commençons par noter les données de l'énoncé.",
                  "Il faut faire attention aux unités."],
        "steps": ["Pour faire le point : {a} + {b} = {c}.", "De plus, {a} × {b} = {d}.",
                  "On sait aussi que {c} - {b} = {a}.", "Jusqu'ici, on a utilisé {a} des {c} pièces."],
        "verify": "Vérification : {c} - {b} = {a}, c'est cohérent.",
        "salary": "Anne gagne {m} € par mois. En {k} mois, elle gagne {k} × {m} = {t} €.",
        "price": "Un kilo de pommes coûte {p} €. Donc {k} kilos coûtent {k} × {p} = {t} €.",
        "count": "Il y a {a} œufs dans le panier. Elle en retire {b}, il en reste donc {a} - {b} = {t}.",
    },
    "ja": {
        "intro": ["ステップごとに解いていきましょう。", "まず、問題文から分かっていることを書き出します。", "単位に注意して計算します。"],
        "steps": ["整理すると、{a} + {b} = {c}です。", "また、{a} × {b} = {d}です。", "さらに、{c} - {b} = {a}であることも分かります。",
                  "ここまでで{c}個のうち{a}個を使いました。"],
        "verify": "確認すると、{c} - {b} = {a}なので合っています。",
        "salary": "アンナの月給は{m}円です。{k}か月では{k} × {m} = {t}円になります。",
        "price": "りんご1kgの値段は{p}ドルです。{k}kgでは{k} × {p} = {t}ドルです。",
        "count": "かごに卵が{a}個あります。{b}個取り出したので、残りは{a} - {b} = {t}個です。",
    },
    "ru": {
        "intro": ["Решим задачу шаг за шагом.", "Сначала запишем, что дано в условии.", "Будем внимательны к единицам измерения."],
        "steps": ["Для наглядности: {a} + {b} = {c}.", "Кроме того, {a} · {b} = {d}.", "Также известно, что {c} - {b} = {a}.",
                  "Пока мы использовали {a} из {c} деталей."],
        "verify": "Проверка: {c} - {b} = {a}, всё сходится.",
        "salary": "Анна зарабатывает {m} рублей в месяц. За {k} месяцев она заработает {k} · {m} = {t} рублей.",
        "price": "Килограмм яблок стоит {p} руб. Значит, {k} кг стоят {k} · {p} = {t} руб.",
        "count": "В корзине {a} яиц. Она достала {b}, значит, осталось {a} - {b} = {t} яиц.",
    },
    "sw": {
        "intro": ["Tutatue swali hili hatua kwa hatua.", "Kwanza tuandike tunachojua kutoka kwenye swali.",
                  "Tunahitaji kuwa makini na vipimo."],
        "steps": ["Kwa kumbukumbu: {a} + {b} = {c}.", "Pia, {a} × {b} = {d}.", "Tunajua pia kwamba {c} - {b} = {a}.",
                  "Hadi sasa tumetumia vipande {a} kati ya {c}."],
        "verify": "Kuhakikisha: {c} - {b} = {a}, kwa hiyo ni sahihi.",
        "salary": "Amina analipwa shilingi {m} kwa mwezi. Kwa miezi {k} analipwa {k} × {m} = {t}.",
        "price": "Kilo moja ya machungwa inagharimu dola {p}. Kwa hiyo kilo {k} zinagharimu {k} × {p} = {t}.",
        "count": "Kuna mayai {a} kwenye kikapu. Anatoa {b}, kwa hiyo yanabaki {a} - {b} = {t}.",
    },
    "te": {
        "intro": ["ఈ సమస్యను దశలవారీగా పరిష్కరిద్దాం.", "ముందుగా ప్రశ్నలో ఇచ్చిన వివరాలను రాసుకుందాం.",
                  "యూనిట్ల విషయంలో జాగ్రత్తగా ఉండాలి."],
        "steps": ["లెక్క కోసం: {a} + {b} = {c}.", "అలాగే, {a} × {b} = {d}.", "{c} - {b} = {a} అని కూడా మనకు తెలుసు.",
                  "ఇప్పటివరకు {c} వస్తువులలో {a} వాడాము."],
        "verify": "సరిచూద్దాం: {c} - {b} = {a}, కాబట్టి సరైనదే.",
        "salary": "అనిత నెలకు {m} రూపాయలు సంపాదిస్తుంది. {k} నెలల్లో ఆమె {k} × {m} = {t} రూపాయలు సంపాదిస్తుంది.",
        "price": "ఒక కిలో ఆపిల్స్ ధర {p} డాలర్లు. కాబట్టి {k} కిలోల ధర {k} × {p} = {t} డాలర్లు.",
        "count": "బుట్టలో {a} గుడ్లు ఉన్నాయి. ఆమె {b} తీసింది, కాబట్టి {a} - {b} = {t} గుడ్లు మిగిలాయి.",
    },
    "th": {
        "intro": ["มาแก้โจทย์นี้ทีละขั้นตอนกัน", "ขั้นแรก เขียนสิ่งที่โจทย์กำหนดให้", "ต้องระวังเรื่องหน่วยด้วย"],
        "steps": ["สรุปได้ว่า {a} + {b} = {c}", "นอกจากนี้ {a} × {b} = {d}", "เรายังรู้ว่า {c} - {b} = {a}",
                  "จนถึงตอนนี้ใช้ไปแล้ว {a} ชิ้นจาก {c} ชิ้น"],
        "verify": "ตรวจสอบ: {c} - {b} = {a} ถูกต้อง",
        "salary": "อันนามีรายได้เดือนละ {m} บาท ใน {k} เดือนเธอได้ {k} × {m} = {t} บาท",
        "price": "แอปเปิล 1 กิโลกรัมราคา {p} บาท ดังนั้น {k} กิโลกรัมราคา {k} × {p} = {t} บาท",
        "count": "ในตะกร้ามีไข่ {a} ฟอง เธอหยิบออกไป {b} ฟอง จึงเหลือ {a} - {b} = {t} ฟอง",
    },
    "zh": {
        "intro": ["我们一步一步来解这道题。", "首先，写下题目中给出的条件。", "计算时要注意单位。"],
        "steps": ["整理一下：{a} + {b} = {c}。", "另外，{a} × {b} = {d}。", "我们还知道 {c} - {b} = {a}。",
                  "到目前为止，{c} 个中已经用了 {a} 个。"],
        "verify": "验算：{c} - {b} = {a}，结果正确。",
        "salary": "安娜每月挣 {m} 元。{k} 个月一共挣 {k} × {m} = {t} 元。",
        "price": "苹果每千克 {p} 元。所以 {k} 千克要 {k} × {p} = {t} 元。",
        "count": "篮子里有 {a} 个鸡蛋。她拿出 {b} 个，所以还剩 {a} - {b} = {t} 个。",
    },
    "bn": {
        "intro": ["চলুন ধাপে ধাপে সমস্যাটি সমাধান করি।", "প্রথমে প্রশ্নে যা দেওয়া আছে তা লিখে ফেলি।", "এককের দিকে খেয়াল রাখতে হবে।"],
        "steps": ["হিসাবের সুবিধার জন্য: {a} + {b} = {c}।", "এছাড়া, {a} × {b} = {d}।", "আমরা আরও জানি যে {c} - {b} = {a}।",
                  "এ পর্যন্ত {c}টির মধ্যে {a}টি ব্যবহার করা হয়েছে।"],
        "verify": "যাচাই: {c} - {b} = {a}, তাই উত্তর ঠিক আছে।",
        "salary": "আনা মাসে {m} টাকা আয় করে। {k} মাসে সে আয় করে {k} × {m} = {t} টাকা।",
        "price": "এক কেজি আপেলের দাম {p} ডলার। তাই {k} কেজির দাম {k} × {p} = {t} ডলার।",
        "count": "ঝুড়িতে {a}টি ডিম আছে। সে {b}টি বের করে নিল, তাই {a} - {b} = {t}টি ডিম বাকি থাকে।",
    },
}
JOINER = {"ja": "", "zh": ""}  # between sentences; a space elsewhere
PREFERRED_GROUPING = {"fr": " ", "ru": " "}  # what models mostly write; otherwise the table's first separator
LABEL_COLON = {"fr": " : ", "ja": "：", "zh": "："}
FINAL_STYLES = (("sentence", 45), ("label", 15), ("boxed", 10), ("english", 10), ("sentence+check", 20))


@dataclass
class Response:
    lang: str
    source: str  # "exemplar" or the bundled problem kind
    style: str
    text: str
    gold: str  # canonical number string, as MGSM's answer_number|string gives it
    gold_parsed: Any = None  # math_verify.parse(gold), filled in when math-verify is available


@dataclass(frozen=True)
class Conventions:
    language: Language
    group: str
    native: bool

    def write(self, value: float, places: int = 0) -> str:
        integer, _, decimals = f"{abs(value):.{places}f}".partition(".")
        if len(integer) > 3:
            head = len(integer) % 3 or 3
            integer = self.group.join([integer[:head]] + [integer[i : i + 3] for i in range(head, len(integer), 3)])
        text = integer + (self.language.decimal_separator + decimals if places else "")
        if self.native:
            text = text.translate(str.maketrans("0123456789", self.language.native_digits))
        return ("-" if value < 0 else "") + text


def _conventions(language: Language, rng: random.Random) -> Conventions:
    group = PREFERRED_GROUPING.get(language.code, language.group_separators[0])
    if rng.random() < 0.3:
        group = rng.choice(language.group_separators)
    native = bool(language.native_digits) and rng.random() < 0.5
    return Conventions(language, group, native)


def _step(texts: dict, conv: Conventions, rng: random.Random, template: str | None = None) -> str:
    a, b = rng.randint(2, 60), rng.randint(2, 60)
    template = template or rng.choice(texts["steps"])
    return template.format(a=conv.write(a), b=conv.write(b), c=conv.write(a + b), d=conv.write(a * b))


def _problem(kind: str, texts: dict, conv: Conventions, rng: random.Random) -> tuple[str, str, str]:
    """One solution sentence of ``kind``: (sentence, its result as written, the result as a canonical gold)."""
    if kind == "salary":
        m, k = rng.randrange(1200, 9800, 50), rng.randint(2, 12)
        written, gold = conv.write(m * k), str(m * k)
        return texts[kind].format(m=conv.write(m), k=conv.write(k), t=written), written, gold
    if kind == "price":
        cents, k = rng.randrange(105, 995, 5), rng.randint(2, 9)
        total = cents * k
        written = conv.write(total / 100, 2)
        gold = f"{total // 100}.{total % 100:02d}".rstrip("0").rstrip(".")
        return texts[kind].format(p=conv.write(cents / 100, 2), k=conv.write(k), t=written), written, gold
    a, b = rng.randint(20, 90), rng.randint(3, 19)
    written = conv.write(a - b)
    return texts[kind].format(a=conv.write(a), b=conv.write(b), t=written), written, str(a - b)


def _final(style: str, language: Language, written: str, gold: str, check: str) -> str:
    if style == "label":
        return language.answer_labels[0] + LABEL_COLON.get(language.code, ": ") + written
    if style == "boxed":
        return f"$\\boxed{{{gold}}}$"
    if style == "english":
        return f"The answer is {gold}."
    sentence = language.answer_template.format(written)
    return sentence + JOINER.get(language.code, " ") + check if style == "sentence+check" else sentence


def _pad(head: list[str], tail: list[str], texts: dict, conv: Conventions, rng: random.Random, joiner: str) -> str:
    """head + solution steps + tail, with steps added until the text is 1-2 KB of UTF-8."""
    target = rng.randint(*TARGET_BYTES)
    middle: list[str] = []
    while len(joiner.join(head + middle + tail).encode()) < target:
        middle.append(_step(texts, conv, rng))
    while len(middle) > 1 and len(joiner.join(head + middle + tail).encode()) > TARGET_BYTES[1]:
        middle.pop()
    return joiner.join(head + middle + tail)


def _style(rng: random.Random) -> str:
    names, weights = zip(*FINAL_STYLES)
    return rng.choices(names, weights)[0]


def build_corpus(data_dir: Path | None, seed: int) -> tuple[list[Response], bool]:
    rng = random.Random(seed)
    corpus: list[Response] = []
    exemplars_found = False
    for code in MGSM_LANGUAGES:
        language, texts = get_language(code), TEXTS[code]
        joiner = JOINER.get(code, " ")
        exemplars: list[dict] = []
        if data_dir is not None and (data_dir / "mgsm" / "exemplars.py").is_file():
            from pasmr_plugin.benchmarks import read_mgsm_exemplars

            exemplars = read_mgsm_exemplars(data_dir, code)
            exemplars_found = True
        for exemplar in exemplars:  # human-written solutions; they end in the answer sentence
            conv = _conventions(language, rng)
            tail = [exemplar["solution"]]
            style = "exemplar"
            if rng.random() < 0.25:
                tail.append(_step(texts, conv, rng, texts["verify"]))
                style = "exemplar+check"
            text = _pad(texts["intro"][:2], tail, texts, conv, rng, joiner)
            corpus.append(Response(code, "exemplar", style, text, exemplar["answer"]))
        for index in range(GENERATED_PER_LANGUAGE if exemplars else GENERATED_PER_LANGUAGE + 8):
            conv = _conventions(language, rng)
            kind = ("salary", "price", "count")[index % 3]
            sentence, written, gold = _problem(kind, texts, conv, rng)
            style = _style(rng)
            final = _final(style, language, written, gold, _step(texts, conv, rng, texts["verify"]))
            head = [rng.choice(texts["intro"])]
            text = _pad(head, [sentence, _step(texts, conv, rng), final], texts, conv, rng, joiner)
            corpus.append(Response(code, kind, style, text, gold))
    return corpus, exemplars_found


# --------------------------------------------------------------------------------------------
# The three graders
# --------------------------------------------------------------------------------------------
def grade_ours(item: Response) -> bool:
    return answers_match(extract_answer(item.text, item.lang), item.gold)


def extract_ours(item: Response) -> bool:
    """Extraction alone (no grading), to show how the time of ``grade_ours`` splits."""
    return extract_answer(item.text, item.lang) == item.gold


LM_EVAL_FLEXIBLE = re.compile(r"(-?[$0-9.,]{2,})|(-?[0-9]+)")  # mgsm_*.yaml, filter "flexible-extract"
LM_EVAL_FALLBACK = "[invalid]"  # RegexFilter's default fallback
_PUNCTUATION = str.maketrans("", "", string.punctuation)


def lm_eval_flexible_extract(response: str) -> str:
    """RegexFilter(regex_pattern=..., group_select=-1).apply for one response, then take_first."""
    matches = LM_EVAL_FLEXIBLE.findall(response)
    if not matches:
        return LM_EVAL_FALLBACK
    match = matches[-1]
    groups = [group for group in match if group]
    return (groups[0] if groups else LM_EVAL_FALLBACK).strip()


def lm_eval_exact_match(prediction: str, reference: str) -> bool:
    """exact_match_hf_evaluate(ignore_case=True, ignore_punctuation=True) for one pair."""
    return prediction.lower().translate(_PUNCTUATION) == reference.lower().translate(_PUNCTUATION)


def grade_lm_eval(item: Response) -> bool:
    return lm_eval_exact_match(lm_eval_flexible_extract(item.text), item.gold)


def check_lm_eval_reproduction(corpus: list[Response]) -> str:
    """Compare the reproduction with lm-eval's own filter and metric on every response."""
    try:
        from lm_eval.api.metrics import exact_match_hf_evaluate
        from lm_eval.filters.extraction import RegexFilter
        from lm_eval.filters.selection import TakeFirstFilter
    except Exception as error:  # noqa: BLE001 - any import problem means "cannot check"
        return f"not checked against lm-eval itself ({type(error).__name__}: {error})"
    regex = RegexFilter(regex_pattern=LM_EVAL_FLEXIBLE.pattern, group_select=-1)
    responses = [[item.text] for item in corpus]
    filtered = list(TakeFirstFilter().apply(regex.apply(responses, [None] * len(corpus)), None))
    for item, prediction in zip(corpus, filtered):
        score = exact_match_hf_evaluate(
            predictions=[prediction], references=[item.gold], ignore_case=True, ignore_punctuation=True
        )["exact_match"]
        if prediction != lm_eval_flexible_extract(item.text) or bool(score) != grade_lm_eval(item):
            raise SystemExit(f"lm-eval reproduction differs from lm-eval on: {item.text!r}")
    return f"reproduction agrees with lm-eval's RegexFilter + TakeFirstFilter + exact_match on all {len(corpus)}"


def math_verify_grader() -> tuple[Callable[[Response], bool] | None, str]:
    try:
        from math_verify import parse, verify
    except Exception as error:  # noqa: BLE001
        return None, f"math-verify not available ({type(error).__name__}: {error})"

    def grade_math_verify(item: Response) -> bool:
        return verify(item.gold_parsed, parse(item.text))  # order matters: verify(gold, target)

    grade_math_verify.parse = parse  # type: ignore[attr-defined]
    return grade_math_verify, f"math-verify {importlib.metadata.version('math-verify')}"


# --------------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------------
def time_pass(grade: Callable[[Response], bool], corpus: list[Response], repeats: int) -> list[list[int]]:
    """``repeats`` round-robin passes over the corpus: nanoseconds per response and pass."""
    samples: list[list[int]] = [[] for _ in corpus]
    clock = time.perf_counter_ns
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeats):
            for index, item in enumerate(corpus):
                start = clock()
                grade(item)
                samples[index].append(clock() - start)
    finally:
        gc.enable()
    return samples


def time_methods(methods: list[tuple[str, Callable[[Response], bool], int]], corpus: list[Response], blocks: int):
    """Median µs per response for each method; the passes are split in ``blocks`` that alternate between
    the methods, so that a slow phase of a shared machine does not fall on one method only."""
    for _, grade, _ in methods:  # warm-up pass
        for item in corpus:
            grade(item)
    samples = {name: [[] for _ in corpus] for name, _, _ in methods}
    for block in range(blocks):
        for name, grade, repeats in methods:
            share = repeats // blocks + (1 if block < repeats % blocks else 0)
            for index, times in enumerate(time_pass(grade, corpus, share)):
                samples[name][index].extend(times)
    return {name: [statistics.median(times) / 1000 for times in per_item] for name, per_item in samples.items()}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="folder with mgsm/exemplars.py")
    parser.add_argument("--no-exemplars", action="store_true", help="use the bundled corpus only")
    parser.add_argument("--repeats", type=int, default=101, help="timed passes for ours and lm-eval")
    parser.add_argument("--mv-repeats", type=int, default=9, help="timed passes for math-verify (slow)")
    parser.add_argument("--blocks", type=int, default=3, help="alternate the methods this many times")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    corpus, exemplars_found = build_corpus(None if args.no_exemplars else args.data_dir, args.seed)
    sizes = [len(item.text.encode()) for item in corpus]
    print("# Answer extraction + grading benchmark\n")
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; seed {args.seed}")
    print(
        f"Corpus: {len(corpus)} responses, {len(corpus) // len(MGSM_LANGUAGES)} per language "
        f"({'with' if exemplars_found else 'without'} the MGSM exemplars), UTF-8 size {min(sizes)}-{max(sizes)} B "
        f"(median {statistics.median(sizes):.0f} B)"
    )
    print("Endings: " + ", ".join(f"{style} {count}" for style, count in Counter(i.style for i in corpus).most_common()))
    print(f"lm-eval: {check_lm_eval_reproduction(corpus)}")

    methods: list[tuple[str, Callable[[Response], bool], int]] = [("ours", grade_ours, args.repeats)]
    grade_mv, mv_note = math_verify_grader()
    print(f"math-verify: {mv_note}")
    if grade_mv is not None:
        for item in corpus:
            item.gold_parsed = grade_mv.parse(item.gold)  # type: ignore[attr-defined]
        methods.append(("math-verify", grade_mv, args.mv_repeats))
    methods.append(("lm-eval flexible-extract", grade_lm_eval, args.repeats))
    methods.append(("ours, extract_answer only", extract_ours, args.repeats))

    timings = time_methods(methods, corpus, args.blocks)
    results = {name: ([bool(grade(item)) for item in corpus], timings[name], repeats) for name, grade, repeats in methods}

    ours_median = statistics.median(results["ours"][1])
    print("\n| method | median µs/response | p90 µs/response | time vs ours | accuracy | repeats |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (correct, medians, repeats) in results.items():
        median = statistics.median(medians)
        print(
            f"| {name} | {median:.1f} | {percentile(medians, 0.9):.1f} | {median / ours_median:.2f}x "
            f"| {sum(correct) / len(correct):.1%} ({sum(correct)}/{len(correct)}) | {repeats} |"
        )

    print("\nAccuracy per language:\n")
    names = list(results)
    print("| lang | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for code in MGSM_LANGUAGES:
        cells = []
        for name in names:
            marks = [ok for ok, item in zip(results[name][0], corpus) if item.lang == code]
            cells.append(f"{sum(marks)}/{len(marks)}")
        print(f"| {code} | " + " | ".join(cells) + " |")

    print("\nAccuracy per ending:\n")
    styles = sorted({item.style for item in corpus})
    print("| ending | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for style in styles:
        cells = []
        for name in names:
            marks = [ok for ok, item in zip(results[name][0], corpus) if item.style == style]
            cells.append(f"{sum(marks)}/{len(marks)}")
        print(f"| {style} | " + " | ".join(cells) + " |")

    missed = [item for ok, item in zip(results["ours"][0], corpus) if not ok]
    if missed:
        print(f"\nOurs graded {len(missed)} responses wrong; the first few endings:")
        for item in missed[:5]:
            print(f"  [{item.lang}] gold {item.gold}, got {extract_answer(item.text, item.lang)}: ...{item.text[-120:]!r}")

    print()
    if "math-verify" in results:
        ratio = statistics.median(results["math-verify"][1]) / ours_median
        print(f"math-verify / ours: {ratio:.1f}x  (target: ours at least 25x faster) {'OK' if ratio >= 25 else 'MISSED'}")
    lm_ratio = ours_median / statistics.median(results["lm-eval flexible-extract"][1])
    print(f"ours / lm-eval flexible-extract: {lm_ratio:.2f}x  (target: within 1.5x) {'OK' if lm_ratio <= 1.5 else 'MISSED'}")
    print(f"\nTotal run time {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
