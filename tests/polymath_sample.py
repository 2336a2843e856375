"""A PolyMath-shaped sample written for the tests: 2 problems per level in all 18 languages.

The real benchmark (``../shared/data/polymath``) is never copied into the repository; this sample has
its layout (``polymath/{lang}/{level}.jsonl``, rows ``{"id": "{level}-{lang}-{i}", "question", "answer"}``,
row-aligned, the same answer in every language) and its kinds of answers: plain numbers at ``low``,
LaTeX fractions, intervals, sets and expressions in ``n`` above. :func:`write_polymath_sample` writes
it under a folder to use as ``PASMR_DATA_DIR``.
"""

from __future__ import annotations

import json
from pathlib import Path

LEVELS = ("low", "medium", "high", "top")

# The two grade-school problems of ``low`` (answers 18 and 1250), written in each language.
LOW_QUESTIONS = {
    "ar": (
        "لدى توم 3 صناديق، وفي كل صندوق 6 تفاحات. كم تفاحة لدى توم؟",
        "تشتري مدرسة 50 كتابًا بسعر 25 دولارًا للكتاب الواحد. كم دولارًا تدفع المدرسة؟",
    ),
    "bn": (
        "টমের কাছে 3টি বাক্স আছে, প্রতিটি বাক্সে 6টি আপেল। টমের কাছে কতগুলি আপেল আছে?",
        "একটি স্কুল প্রতিটি 25 ডলার দামে 50টি বই কেনে। স্কুলটি মোট কত ডলার দেয়?",
    ),
    "de": (
        "Tom hat 3 Kisten mit je 6 Äpfeln. Wie viele Äpfel hat Tom?",
        "Eine Schule kauft 50 Bücher zu je 25 Dollar. Wie viele Dollar zahlt die Schule?",
    ),
    "en": (
        "Tom has 3 boxes with 6 apples in each box. How many apples does Tom have?",
        "A school buys 50 books for 25 dollars each. How many dollars does the school pay?",
    ),
    "es": (
        "Tom tiene 3 cajas con 6 manzanas en cada una. ¿Cuántas manzanas tiene Tom?",
        "Una escuela compra 50 libros a 25 dólares cada uno. ¿Cuántos dólares paga la escuela?",
    ),
    "fr": (
        "Tom a 3 boîtes contenant chacune 6 pommes. Combien de pommes Tom a-t-il ?",
        "Une école achète 50 livres à 25 dollars chacun. Combien de dollars l'école paie-t-elle ?",
    ),
    "id": (
        "Tom punya 3 kotak, dan setiap kotak berisi 6 apel. Berapa banyak apel yang dimiliki Tom?",
        "Sebuah sekolah membeli 50 buku dengan harga 25 dolar per buku. Berapa dolar yang dibayar sekolah itu?",
    ),
    "it": (
        "Tom ha 3 scatole con 6 mele ciascuna. Quante mele ha Tom?",
        "Una scuola compra 50 libri a 25 dollari l'uno. Quanti dollari paga la scuola?",
    ),
    "ja": (
        "トムは箱を3つ持っていて、それぞれの箱にりんごが6個入っています。トムはりんごを何個持っていますか？",
        "ある学校が1冊25ドルの本を50冊買います。学校は全部で何ドル払いますか？",
    ),
    "ko": (
        "톰은 상자 3개를 가지고 있고, 각 상자에는 사과가 6개씩 들어 있습니다. 톰은 사과를 몇 개 가지고 있습니까?",
        "한 학교가 한 권에 25달러인 책을 50권 삽니다. 학교는 모두 몇 달러를 냅니까?",
    ),
    "ms": (
        "Tom mempunyai 3 kotak, dan setiap kotak mengandungi 6 biji epal. Berapakah bilangan epal yang Tom ada?",
        "Sebuah sekolah membeli 50 buah buku dengan harga 25 dolar sebuah. Berapakah jumlah dolar yang dibayar oleh sekolah itu?",
    ),
    "pt": (
        "Tom tem 3 caixas com 6 maçãs em cada uma. Quantas maçãs Tom tem?",
        "Uma escola compra 50 livros a 25 dólares cada. Quantos dólares a escola paga?",
    ),
    "ru": (
        "У Тома 3 коробки, в каждой по 6 яблок. Сколько яблок у Тома?",
        "Школа покупает 50 книг по 25 долларов за каждую. Сколько долларов платит школа?",
    ),
    "sw": (
        "Tom ana masanduku 3, na kila sanduku lina tufaha 6. Tom ana tufaha ngapi?",
        "Shule inanunua vitabu 50 kwa dola 25 kila kimoja. Shule inalipa dola ngapi?",
    ),
    "te": (
        "టామ్ దగ్గర 3 పెట్టెలు ఉన్నాయి, ప్రతి పెట్టెలో 6 ఆపిల్స్ ఉన్నాయి. టామ్ దగ్గర ఎన్ని ఆపిల్స్ ఉన్నాయి?",
        "ఒక పాఠశాల ఒక్కొక్కటి 25 డాలర్ల చొప్పున 50 పుస్తకాలు కొంటుంది. పాఠశాల ఎన్ని డాలర్లు చెల్లిస్తుంది?",
    ),
    "th": (
        "ทอมมีกล่อง 3 กล่อง แต่ละกล่องมีแอปเปิล 6 ผล ทอมมีแอปเปิลทั้งหมดกี่ผล",
        "โรงเรียนแห่งหนึ่งซื้อหนังสือ 50 เล่ม ราคาเล่มละ 25 ดอลลาร์ โรงเรียนต้องจ่ายเงินกี่ดอลลาร์",
    ),
    "vi": (
        "Tom có 3 cái hộp, mỗi hộp có 6 quả táo. Tom có bao nhiêu quả táo?",
        "Một trường học mua 50 quyển sách, mỗi quyển giá 25 đô la. Trường học phải trả bao nhiêu đô la?",
    ),
    "zh": (
        "汤姆有3个盒子，每个盒子里有6个苹果。汤姆一共有多少个苹果？",
        "一所学校买了50本书，每本25美元。学校一共要付多少美元？",
    ),
}

# "Find the value:" in each language, before the LaTeX statement of the problems above ``low``.
FIND_THE_VALUE = {
    "ar": "أوجد القيمة:",
    "bn": "মানটি নির্ণয় করুন:",
    "de": "Bestimme den Wert:",
    "en": "Find the value:",
    "es": "Halla el valor:",
    "fr": "Trouvez la valeur :",
    "id": "Tentukan nilainya:",
    "it": "Trova il valore:",
    "ja": "値を求めなさい：",
    "ko": "값을 구하시오:",
    "ms": "Cari nilainya:",
    "pt": "Encontre o valor:",
    "ru": "Найдите значение:",
    "sw": "Tafuta thamani:",
    "te": "విలువను కనుగొనండి:",
    "th": "จงหาค่า:",
    "vi": "Tìm giá trị:",
    "zh": "求值：",
}

# (statement, answer as PolyMath writes it) per level above ``low``: 2 problems each.
STATEMENTS = {
    "medium": (
        (r"$\triangle ABC$, $a^2 + b^2 - c^2 = ab$, $\angle C = ?$ (rad)", r"$\frac{\pi}{3}$"),
        (r"$\{x \in \mathbb{R} : \frac{x-2}{x-3} \le 0\} = ?$", r"$[2,3)$"),
    ),
    "high": (
        (r"$\{x \in \mathbb{R} : x^4 - 5x^2 + 4 = 0,\ x^2 \ne 1\} = ?$", r"$\{-2, 2\}$"),
        (r"$\#\{(a, b) \in \mathbb{Z}_{>0}^2 : ab = 720\} = ?$", "30"),
    ),
    "top": (
        (r"$1 + \sum_{k=1}^{n} (4k - 4) = ?$", r"$2n^2 - 2n + 1$"),
        (r"$\sum_{k=0}^{2023} 2^k = ?$", r"$2^{2024} - 1$"),
    ),
}
LOW_ANSWERS = ("18", "1250")


def sample_rows(lang: str, level: str) -> list[dict]:
    """The sample's rows of one language and level, as the benchmark's files hold them."""
    if level == "low":
        problems = list(zip(LOW_QUESTIONS[lang], LOW_ANSWERS))
    else:
        problems = [(f"{FIND_THE_VALUE[lang]} {statement}", answer) for statement, answer in STATEMENTS[level]]
    return [
        {"id": f"{level}-{lang}-{index}", "question": question, "answer": answer}
        for index, (question, answer) in enumerate(problems)
    ]


def write_polymath_sample(root: Path) -> Path:
    """Write ``root/polymath/{lang}/{level}.jsonl`` for the 18 languages and 4 levels; returns ``root``."""
    for lang in LOW_QUESTIONS:
        folder = root / "polymath" / lang
        folder.mkdir(parents=True, exist_ok=True)
        for level in LEVELS:
            lines = [json.dumps(row, ensure_ascii=False) for row in sample_rows(lang, level)]
            (folder / f"{level}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root
