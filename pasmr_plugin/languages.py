"""The one language table: everything pasmr-plugin knows about a language.

Answer extraction, number reading, prompts, the reward, language identification and the
lm-eval task generator all read this table, so adding a language means adding one entry here
(plus its rows in the tests), or one entry in a language pack (see
:mod:`pasmr_plugin.language_packs` and ``docs/languages.md``) without touching the package.

>>> get_language("sw").answer_template.format("11")
'Jibu ni 11.'
>>> get_language("de").decimal_separator
','
>>> counts_as("ms", "id")  # Indonesian and Malay count as each other for language fidelity
True

How a number with one lone separator before exactly three digits is read ("5.000", "5,000")
is decided per language by :attr:`Language.three_digit_groups`, chosen by measurement
(``bench/number_formats_bench.py``): in PolyMath's Indonesian, Italian, Portuguese and
Vietnamese questions every such token in prose is a thousands group, whichever separator it
uses ("$5,000" kept from English next to "5.000" and "1,5"), so both read as 5000 there (44 of 44
prose tokens in the seven new languages read right; "own decimal separator is decimal" reads 34,
"English everywhere" 30). The price: inside LaTeX math "." keeps English meaning ("59.999°" in
one question), which these four languages then misread; no PolyMath answer (0 of 500) is
written that way. German, Spanish, French and Russian keep reading their own decimal separator
as decimal ("1,430" is 1.43); English-style languages (en, ms, ar, ko, ...) read "," as
grouping and "." as decimal.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

NBSP = "\u00a0"  # no-break space: "70 000" in French typography
NNBSP = "\u202f"  # narrow no-break space: "57 500" in Russian typography
THIN_SPACE = "\u2009"

DEFAULT_PIVOT = "en"
"""The pivot language when none is given: the paper's (and the prompts') English."""

ENGLISH = "en"
"""English answer statements ("The answer is 18") are read in every language: models switch to them."""

PACK_ENV = "PASMR_LANGUAGE_PACK"
"""Environment variable naming a language pack file; the ``--language-pack`` option wins over it."""

# --------------------------------------------------------------------------------------------
# Scripts: which characters are letters of which script (ISO 15924 codes)
# --------------------------------------------------------------------------------------------
SCRIPT_LETTERS: Mapping[str, str] = MappingProxyType({
    # regex character-class bodies of each script's letters (digits and punctuation left out)
    "Latn": "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff",
    "Grek": "\u0370-\u0373\u0376-\u0377\u037b-\u037d\u0386\u0388-\u03ff\u1f00-\u1ffc",
    "Cyrl": "\u0400-\u0481\u048a-\u052f",
    "Armn": "\u0531-\u0556\u0561-\u0587",
    "Hebr": "\u05d0-\u05ea\u05f0-\u05f2",
    "Arab": "\u0620-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06ee-\u06ef\u06fa-\u06fc\u06ff\u0750-\u077f"
            "\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc",
    "Deva": "\u0900-\u0963\u0971-\u097f",
    "Beng": "\u0980-\u09e3\u09f0-\u09f1",
    "Guru": "\u0a00-\u0a65\u0a70-\u0a7f",
    "Gujr": "\u0a80-\u0ae5\u0af9-\u0aff",
    "Orya": "\u0b00-\u0b65\u0b71",
    "Taml": "\u0b80-\u0be5",
    "Telu": "\u0c00-\u0c65",
    "Knda": "\u0c80-\u0ce5\u0cf1-\u0cf2",
    "Mlym": "\u0d00-\u0d65\u0d7a-\u0d7f",
    "Sinh": "\u0d80-\u0de5\u0df2-\u0df4",
    "Thai": "\u0e01-\u0e4e",
    "Laoo": "\u0e81-\u0ecf",
    "Tibt": "\u0f40-\u0fbc",
    "Mymr": "\u1000-\u103f\u1050-\u108f",
    "Geor": "\u10a0-\u10ff\u1c90-\u1cbf",
    "Ethi": "\u1200-\u137c",
    "Khmr": "\u1780-\u17d3",
    "Hang": "\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3",
    "Hira": "\u3041-\u3096",
    "Kana": "\u30a1-\u30fa\u31f0-\u31ff",  # without ー and ・, which Chinese uses too
    "Hani": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff",
})

SCRIPT_WEIGHTS: Mapping[str, int] = MappingProxyType({"Hani": 3, "Hira": 3, "Kana": 3, "Hang": 2})
"""Evidence one letter carries, against one Latin letter: a Han character is about a word."""

WRITING_SYSTEMS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "Jpan": ("Hani", "Hira", "Kana"),  # Japanese: Han with kana
    "Kore": ("Hang", "Hani"),  # Korean: Hangul (with the odd Hanja)
    "Hans": ("Hani",),  # Chinese: Han without kana
    "Hant": ("Hani",),
})
"""Writing systems made of several scripts. The language whose scripts cover most of a text's
letters wins and a tie goes to the one with fewer scripts, so Han with any kana is Japanese and
Han alone Chinese."""

MATH_SCRIPT = "Latn"
"""Math notation (variables, "sin", "lim") is written in Latin letters in every language."""


def script_parts(script: str) -> tuple[str, ...]:
    """The scripts a writing system is made of: ``script_parts("Jpan")`` is ("Hani", "Hira", "Kana")."""
    return WRITING_SYSTEMS.get(script, (script,))


def known_script(script: object) -> bool:
    return isinstance(script, str) and all(part in SCRIPT_LETTERS for part in script_parts(script))


@dataclass(frozen=True)
class Language:
    """How one language writes numbers, final answers and the prompts we need.

    Attributes:
        code: ISO 639 code used everywhere (``"bn"``, ``"zh"``, ...).
        number_word: the word for "number", used as the placeholder in instructions ("[Zahl]").
        english_name / native_name: "Swahili" / "Kiswahili".
        script: ISO 15924 code of the writing system (a key of :data:`SCRIPT_LETTERS` or
            :data:`WRITING_SYSTEMS`); language identification counts its letters.
        native_digits: the ten native digit characters, or "" when ASCII digits are used (digits of
            every script are read anyway).
        decimal_separator: "." or ","; decides ambiguous numbers such as German "1,430".
        group_separators: characters this language puts between groups of three digits.
        answer_sentences: phrases a final answer sentence starts with ("Die Antwort lautet").
        answer_labels: labels written before a colon ("Antwort" in "Antwort: 18").
        answer_words: bare nouns followed directly by the number (Telugu "సమాధానం 11").
        answer_template: the final sentence prompts ask for, with ``{}`` for the number.
        question_label / step_answer_label: the MGSM prompt labels ("Frage:", ...).
        cot_instruction: the step-by-step instruction, with an ``{answer}`` placeholder for the
            final sentence asked for.
        english_word: how this language names English, for the translation instruction.
        pam_instruction: the PASMR instruction, with ``{pivot}``, ``{open}``, ``{close}``
            and ``{answer}`` placeholders.
        low_resource: part of the low-resource average reported by evaluation.
        decimal_marks: characters that are always decimal separators (Arabic "٫").
        three_digit_groups: separators that, alone before exactly three digits, group thousands
            ("5.000" and "5,000" are both 5000 in Indonesian: ".,"); "" means the one of "." and
            "," that is not the decimal separator.
        currency_signs: signs written before or after amounts ("Rp", "R$", "RM", "₩").
        multipliers: number words that multiply the number before them, with their values
            (Korean 만 = 10000: "3만 5천" is 35000; Japanese 万, Hindi लाख).
        not_multipliers: words that start with a multiplier but are units ("千克", kilogram).
        sentence_ends: characters ending a sentence besides ". ! ?" and a newline ("。", "।", "؟").
        counts_as: languages that count as this one for language fidelity (Indonesian and Malay).
        langid_code: py3langid's code for the language when it differs from ``code``.
    """

    code: str
    number_word: str
    english_name: str
    native_name: str
    script: str
    native_digits: str
    decimal_separator: str
    group_separators: tuple[str, ...]
    answer_sentences: tuple[str, ...]
    answer_labels: tuple[str, ...]
    answer_words: tuple[str, ...]
    answer_template: str
    question_label: str
    step_answer_label: str
    cot_instruction: str
    english_word: str
    pam_instruction: str
    low_resource: bool = False
    decimal_marks: str = ""
    three_digit_groups: str = ""
    currency_signs: tuple[str, ...] = ()
    multipliers: tuple[tuple[str, int], ...] = ()
    not_multipliers: tuple[str, ...] = ()
    sentence_ends: str = ""
    counts_as: tuple[str, ...] = ()
    langid_code: str = ""

    def answer_sentence(self, answer: str | int | float) -> str:
        """The final answer sentence for ``answer``: ``get_language("ja").answer_sentence(5)`` is "答えは5です。"."""
        return self.answer_template.format(answer)

    @property
    def scripts(self) -> tuple[str, ...]:
        """The scripts the language is written in: ("Hani", "Hira", "Kana") for Japanese."""
        return script_parts(self.script)

    @property
    def grouping_before_three_digits(self) -> str:
        """The separators read as grouping when one stands alone before exactly three digits."""
        return self.three_digit_groups or ("," if self.decimal_separator == "." else ".")

    @property
    def identifier_code(self) -> str:
        """The code py3langid knows this language by."""
        return self.langid_code or self.code


_SPACE_GROUPING = (" ", NBSP, NNBSP, THIN_SPACE)
_POINT_GROUPING = (",", NBSP, NNBSP, THIN_SPACE)  # languages writing "1,234.5"
_CJK_UNITS = ("千克", "千米", "千瓦")  # kilogram, kilometre, kilowatt: not "thousand"

_SHIPPED: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language(
            code="en",
            number_word="number",
            english_name="English",
            native_name="English",
            script="Latn",
            native_digits="",
            decimal_separator=".",
            group_separators=(",", NBSP, NNBSP, THIN_SPACE),
            answer_sentences=("answer is", "answer would be", "answer will be"),
            answer_labels=("Answer", "Final answer"),
            answer_words=(),
            answer_template="The answer is {}.",
            question_label="Question:",
            step_answer_label="Step-by-Step Answer:",
            cot_instruction="Solve it step by step and finish with \"{answer}\"",
            english_word="English",
            pam_instruction=(
                "First translate the question into {pivot} and write the translation between {open} and "
                "{close}. Then solve it step by step in English and finish with \"{answer}\""
            ),
            currency_signs=("$", "£", "€"),
        ),
        Language(
            code="de",
            number_word="Zahl",
            english_name="German",
            native_name="Deutsch",
            script="Latn",
            native_digits="",
            decimal_separator=",",
            group_separators=(".",) + _SPACE_GROUPING,
            answer_sentences=("Antwort lautet", "Antwort ist", "Antwort wäre", "Antwort beträgt"),
            answer_labels=("Antwort", "Endgültige Antwort", "Endergebnis"),
            answer_words=(),
            answer_template="Die Antwort lautet {}.",
            question_label="Frage:",
            step_answer_label="Schritt-für-Schritt-Antwort:",
            cot_instruction="Löse die Aufgabe Schritt für Schritt und schließe mit „{answer}“ ab.",
            english_word="Englische",
            pam_instruction=(
                "Übersetze die Frage zuerst ins {pivot} und schreibe die Übersetzung zwischen {open} und "
                "{close}. Löse die Aufgabe dann Schritt für Schritt auf Deutsch und schließe mit „{answer}“ ab."
            ),
            currency_signs=("€",),
        ),
        Language(
            code="es",
            number_word="número",
            english_name="Spanish",
            native_name="español",
            script="Latn",
            native_digits="",
            decimal_separator=",",
            group_separators=(".",) + _SPACE_GROUPING,
            answer_sentences=("respuesta es", "respuesta sería", "respuesta final es"),
            answer_labels=("Respuesta", "Respuesta final"),
            answer_words=(),
            answer_template="La respuesta es {}.",
            question_label="Pregunta:",
            step_answer_label="Respuesta paso a paso:",
            cot_instruction="Resuélvela paso a paso y termina con \"{answer}\"",
            english_word="inglés",
            pam_instruction=(
                "Primero traduce la pregunta al {pivot} y escribe la traducción entre {open} y {close}. "
                "Luego resuélvela paso a paso en español y termina con \"{answer}\""
            ),
            currency_signs=("€", "$"),
        ),
        Language(
            code="fr",
            number_word="nombre",
            english_name="French",
            native_name="français",
            script="Latn",
            native_digits="",
            decimal_separator=",",
            group_separators=(".",) + _SPACE_GROUPING,
            answer_sentences=("réponse est", "réponse serait", "réponse finale est"),
            answer_labels=("Réponse", "Réponse finale"),
            answer_words=(),
            answer_template="La réponse est {}.",
            question_label="Question :",
            step_answer_label="Réponse étape par étape :",
            cot_instruction="Résous-la étape par étape et termine par « {answer} »",
            english_word="anglais",
            pam_instruction=(
                "Traduis d'abord la question en {pivot} et écris la traduction entre {open} et {close}. "
                "Résous-la ensuite étape par étape en français et termine par « {answer} »"
            ),
            currency_signs=("€",),
        ),
        Language(
            code="ja",
            number_word="数",
            english_name="Japanese",
            native_name="日本語",
            script="Jpan",
            native_digits="",
            decimal_separator=".",
            group_separators=(",",),
            answer_sentences=("答えは", "解答は", "回答は", "正解は"),
            answer_labels=("答え", "解答", "回答", "最終的な答え"),
            answer_words=(),
            answer_template="答えは{}です。",
            question_label="問題：",
            step_answer_label="ステップごとの答え：",
            cot_instruction="ステップごとに解き、最後に「{answer}」と書いてください。",
            english_word="英語",
            pam_instruction=(
                "まず問題を{pivot}に翻訳し、翻訳を{open}と{close}の間に書いてください。"
                "次に日本語でステップごとに解き、最後に「{answer}」と書いてください。"
            ),
            currency_signs=("¥", "￥"),
            multipliers=(("百", 100), ("千", 1000), ("万", 10**4), ("萬", 10**4), ("億", 10**8), ("兆", 10**12)),
            not_multipliers=_CJK_UNITS,
            sentence_ends="。！？",
        ),
        Language(
            code="ru",
            number_word="число",
            english_name="Russian",
            native_name="русский",
            script="Cyrl",
            native_digits="",
            decimal_separator=",",
            group_separators=(".",) + _SPACE_GROUPING,
            answer_sentences=("Ответ —", "Ответ –", "Ответ -", "ответ равен", "ответ составляет", "ответ будет"),
            answer_labels=("Ответ", "Окончательный ответ", "Итоговый ответ"),
            answer_words=(),
            answer_template="Ответ — {}.",
            question_label="Задача:",
            step_answer_label="Пошаговое решение:",
            cot_instruction="Решите её шаг за шагом и закончите фразой «{answer}»",
            english_word="английский",
            pam_instruction=(
                "Сначала переведите задачу на {pivot} язык и запишите перевод между {open} и {close}. "
                "Затем решите её шаг за шагом на русском языке и закончите фразой «{answer}»"
            ),
            currency_signs=("₽",),
        ),
        Language(
            code="sw",
            number_word="namba",
            english_name="Swahili",
            native_name="Kiswahili",
            script="Latn",
            native_digits="",
            decimal_separator=".",
            group_separators=(",", NBSP, NNBSP, THIN_SPACE),
            answer_sentences=("Jibu ni", "Jibu la mwisho ni", "Jibu sahihi ni"),
            answer_labels=("Jibu", "Jibu la mwisho"),
            answer_words=(),
            answer_template="Jibu ni {}.",
            question_label="Swali:",
            step_answer_label="Jibu la Hatua kwa Hatua:",
            cot_instruction="Litatue hatua kwa hatua na umalizie kwa \"{answer}\"",
            english_word="Kiingereza",
            pam_instruction=(
                "Kwanza tafsiri swali kwa {pivot} na uandike tafsiri kati ya {open} na {close}. "
                "Kisha litatue hatua kwa hatua kwa Kiswahili na umalizie kwa \"{answer}\""
            ),
            low_resource=True,
            currency_signs=("TSh", "KSh"),
        ),
        Language(
            code="te",
            number_word="సంఖ్య",
            english_name="Telugu",
            native_name="తెలుగు",
            script="Telu",
            native_digits="౦౧౨౩౪౫౬౭౮౯",
            decimal_separator=".",
            group_separators=(",", NBSP, NNBSP, THIN_SPACE),
            answer_sentences=("సమాధానం ఏమిటంటే", "జవాబు ఏమిటంటే"),
            answer_labels=("సమాధానం", "జవాబు", "తుది సమాధానం"),
            answer_words=("సమాధానం", "జవాబు"),
            answer_template="సమాధానం {}.",
            question_label="ప్రశ్న:",
            step_answer_label="దశలవారీగా సమాధానం:",
            cot_instruction="దీన్ని దశలవారీగా పరిష్కరించి, \"{answer}\" తో ముగించండి.",
            english_word="ఇంగ్లీష్",
            pam_instruction=(
                "ముందుగా ప్రశ్నను {pivot}లోకి అనువదించి, ఆ అనువాదాన్ని {open} మరియు {close} మధ్య రాయండి. "
                "తర్వాత దాన్ని తెలుగులో దశలవారీగా పరిష్కరించి, \"{answer}\" తో ముగించండి."
            ),
            low_resource=True,
            currency_signs=("₹",),
        ),
        Language(
            code="th",
            number_word="ตัวเลข",
            english_name="Thai",
            native_name="ไทย",
            script="Thai",
            native_digits="๐๑๒๓๔๕๖๗๘๙",
            decimal_separator=".",
            group_separators=(",", NBSP, NNBSP, THIN_SPACE),
            answer_sentences=("คำตอบคือ", "คำตอบสุดท้ายคือ", "คำตอบที่ถูกต้องคือ"),
            answer_labels=("คำตอบ", "ตอบ", "คำตอบสุดท้าย"),
            answer_words=(),
            answer_template="คำตอบคือ {}",
            question_label="โจทย์:",
            step_answer_label="คำตอบทีละขั้นตอน:",
            cot_instruction="แก้โจทย์ทีละขั้นตอน และจบด้วย \"{answer}\"",
            english_word="อังกฤษ",
            pam_instruction=(
                "ขั้นแรก ให้แปลโจทย์เป็นภาษา{pivot} และเขียนคำแปลไว้ระหว่าง {open} และ {close} "
                "จากนั้นแก้โจทย์ทีละขั้นตอนเป็นภาษาไทย และจบด้วย \"{answer}\""
            ),
            low_resource=True,
            currency_signs=("฿",),
        ),
        Language(
            code="zh",
            number_word="数字",
            english_name="Chinese",
            native_name="中文",
            script="Hans",
            native_digits="",
            decimal_separator=".",
            group_separators=(",",),
            answer_sentences=("答案是", "答案为", "答案應為", "答案应为"),
            answer_labels=("答案", "最终答案", "答"),
            answer_words=(),
            answer_template="答案是 {}。",
            question_label="问题：",
            step_answer_label="逐步解答：",
            cot_instruction="请逐步解答，最后以“{answer}”结尾。",
            english_word="英文",
            pam_instruction=(
                "首先将问题翻译成{pivot}，并把译文写在{open}和{close}之间。"
                "然后用中文逐步解答，最后以“{answer}”结尾。"
            ),
            currency_signs=("¥", "￥"),
            multipliers=(("百", 100), ("千", 1000), ("万", 10**4), ("萬", 10**4), ("亿", 10**8), ("億", 10**8), ("兆", 10**12)),
            not_multipliers=_CJK_UNITS,
            sentence_ends="。！？",
        ),
        Language(
            code="bn",
            number_word="সংখ্যা",
            english_name="Bengali",
            native_name="বাংলা",
            script="Beng",
            native_digits="০১২৩৪৫৬৭৮৯",
            decimal_separator=".",
            group_separators=(",", NBSP, NNBSP, THIN_SPACE),
            answer_sentences=("উত্তর হল", "উত্তর হলো", "উত্তর হবে", "উত্তরটি হল", "উত্তর হচ্ছে"),
            answer_labels=("উত্তর", "জবাব", "চূড়ান্ত উত্তর"),
            answer_words=(),
            answer_template="উত্তর হল {}।",
            question_label="প্রশ্ন:",
            step_answer_label="ধাপে ধাপে উত্তর:",
            cot_instruction="ধাপে ধাপে সমাধান করুন এবং \"{answer}\" দিয়ে শেষ করুন।",
            english_word="ইংরেজি",
            pam_instruction=(
                "প্রথমে প্রশ্নটি {pivot}তে অনুবাদ করুন এবং অনুবাদটি {open} এবং {close}-এর মধ্যে লিখুন। "
                "তারপর বাংলায় ধাপে ধাপে সমাধান করুন এবং \"{answer}\" দিয়ে শেষ করুন।"
            ),
            low_resource=True,
            currency_signs=("৳", "₹"),
            sentence_ends="।",
        ),
        # ---- PolyMath's other seven languages ------------------------------------------------
        Language(
            code="ar",
            number_word="العدد",
            english_name="Arabic",
            native_name="العربية",
            script="Arab",
            native_digits="٠١٢٣٤٥٦٧٨٩",  # Persian ۰-۹ are read too (digits of every script are)
            decimal_separator=".",
            group_separators=(",", "٬", NBSP, NNBSP, THIN_SPACE),
            answer_sentences=(
                "الإجابة هي", "الإجابة النهائية هي", "الإجابة الصحيحة هي", "الجواب هو", "الجواب النهائي هو",
                "فالإجابة هي", "إذن الإجابة هي",
            ),
            answer_labels=("الإجابة", "الجواب", "الإجابة النهائية", "الجواب النهائي"),
            answer_words=(),
            answer_template="الإجابة هي {}.",
            question_label="السؤال:",
            step_answer_label="الإجابة خطوة بخطوة:",
            cot_instruction="حُلّ المسألة خطوة بخطوة واختم بعبارة \"{answer}\"",
            english_word="الإنجليزية",
            pam_instruction=(
                "ترجم السؤال أولاً إلى {pivot} واكتب الترجمة بين {open} و{close}. "
                "ثم حُلّ المسألة خطوة بخطوة باللغة العربية واختم بعبارة \"{answer}\""
            ),
            decimal_marks="٫",  # Arabic decimal separator; ٬ (in group_separators) is its thousands separator
            currency_signs=("$", "€"),
            sentence_ends="؟۔",
        ),
        Language(
            code="id",
            number_word="angka",
            english_name="Indonesian",
            native_name="Bahasa Indonesia",
            script="Latn",
            native_digits="",
            decimal_separator=",",
            group_separators=(".",) + _SPACE_GROUPING,
            answer_sentences=("jawabannya adalah", "jawaban akhirnya adalah", "jawaban akhir adalah", "jawabannya ialah"),
            answer_labels=("Jawaban", "Jawaban akhir"),
            answer_words=(),
            answer_template="Jawabannya adalah {}.",
            question_label="Pertanyaan:",
            step_answer_label="Jawaban langkah demi langkah:",
            cot_instruction="Selesaikan langkah demi langkah dan akhiri dengan \"{answer}\"",
            english_word="bahasa Inggris",
            pam_instruction=(
                "Pertama, terjemahkan pertanyaan ke dalam {pivot} dan tulis terjemahannya di antara {open} dan "
                "{close}. Kemudian selesaikan langkah demi langkah dalam bahasa Indonesia dan akhiri dengan "
                "\"{answer}\""
            ),
            three_digit_groups=".,",  # "Rp 5.000" and "$5,000" (kept from English) are both 5000
            currency_signs=("Rp",),
            counts_as=("ms",),
        ),
        Language(
            code="it",
            number_word="numero",
            english_name="Italian",
            native_name="italiano",
            script="Latn",
            native_digits="",
            decimal_separator=",",
            group_separators=(".",) + _SPACE_GROUPING,
            answer_sentences=("la risposta è", "la risposta finale è", "la risposta corretta è", "la risposta sarebbe"),
            answer_labels=("Risposta", "Risposta finale"),
            answer_words=(),
            answer_template="La risposta è {}.",
            question_label="Domanda:",
            step_answer_label="Risposta passo dopo passo:",
            cot_instruction="Risolvilo passo dopo passo e concludi con \"{answer}\"",
            english_word="inglese",
            pam_instruction=(
                "Per prima cosa traduci la domanda in {pivot} e scrivi la traduzione tra {open} e {close}. "
                "Poi risolvila passo dopo passo in italiano e concludi con \"{answer}\""
            ),
            three_digit_groups=".,",  # "5.000 dollari" and "$5,000" (kept from English) are both 5000
            currency_signs=("€",),
        ),
        Language(
            code="ko",
            number_word="숫자",
            english_name="Korean",
            native_name="한국어",
            script="Kore",
            native_digits="",
            decimal_separator=".",
            group_separators=(",",),
            answer_sentences=("답은", "정답은", "최종 답은", "최종 정답은"),
            answer_labels=("답", "정답", "최종 답", "최종 정답"),
            answer_words=(),
            answer_template="답은 {}입니다.",
            question_label="질문:",
            step_answer_label="단계별 풀이:",
            cot_instruction="단계별로 풀고 마지막에 \"{answer}\"라고 쓰세요.",
            english_word="영어",
            pam_instruction=(
                "먼저 질문을 {pivot}로 번역하고 번역문을 {open}와 {close} 사이에 쓰세요. "
                "그런 다음 한국어로 단계별로 풀고 마지막에 \"{answer}\"라고 쓰세요."
            ),
            currency_signs=("₩",),
            multipliers=(("백", 100), ("천", 1000), ("만", 10**4), ("억", 10**8), ("조", 10**12)),
            not_multipliers=("조각", "만큼"),  # "3조각" is three pieces, "5만큼" as much as five
        ),
        Language(
            code="ms",
            number_word="nombor",
            english_name="Malay",
            native_name="Bahasa Melayu",
            script="Latn",
            native_digits="",
            decimal_separator=".",
            group_separators=_POINT_GROUPING,
            answer_sentences=("jawapannya ialah", "jawapannya adalah", "jawapan akhir ialah", "jawapan akhirnya ialah"),
            answer_labels=("Jawapan", "Jawapan akhir"),
            answer_words=(),
            answer_template="Jawapannya ialah {}.",
            question_label="Soalan:",
            step_answer_label="Jawapan langkah demi langkah:",
            cot_instruction="Selesaikan langkah demi langkah dan akhiri dengan \"{answer}\"",
            english_word="bahasa Inggeris",
            pam_instruction=(
                "Mula-mula, terjemahkan soalan ke dalam {pivot} dan tulis terjemahannya di antara {open} dan "
                "{close}. Kemudian selesaikan langkah demi langkah dalam bahasa Melayu dan akhiri dengan "
                "\"{answer}\""
            ),
            currency_signs=("RM",),
            counts_as=("id",),
        ),
        Language(
            code="pt",
            number_word="número",
            english_name="Portuguese",
            native_name="português",
            script="Latn",
            native_digits="",
            decimal_separator=",",
            group_separators=(".",) + _SPACE_GROUPING,
            answer_sentences=("a resposta é", "a resposta final é", "a resposta correta é", "a resposta seria"),
            answer_labels=("Resposta", "Resposta final"),
            answer_words=(),
            answer_template="A resposta é {}.",
            question_label="Pergunta:",
            step_answer_label="Resposta passo a passo:",
            cot_instruction="Resolva passo a passo e termine com \"{answer}\"",
            english_word="inglês",
            pam_instruction=(
                "Primeiro traduza a pergunta para o {pivot} e escreva a tradução entre {open} e {close}. "
                "Depois resolva passo a passo em português e termine com \"{answer}\""
            ),
            three_digit_groups=".,",  # "R$ 5.000"; "5,000" kept from English is 5000 too
            currency_signs=("R$", "€"),
        ),
        Language(
            code="vi",
            number_word="số",
            english_name="Vietnamese",
            native_name="Tiếng Việt",
            script="Latn",
            native_digits="",
            decimal_separator=",",
            group_separators=(".",) + _SPACE_GROUPING,
            answer_sentences=("đáp án là", "đáp án cuối cùng là", "câu trả lời là", "câu trả lời cuối cùng là", "đáp số là"),
            answer_labels=("Đáp án", "Đáp số", "Câu trả lời", "Đáp án cuối cùng"),
            answer_words=(),
            answer_template="Đáp án là {}.",
            question_label="Câu hỏi:",
            step_answer_label="Lời giải từng bước:",
            cot_instruction="Hãy giải từng bước và kết thúc bằng \"{answer}\"",
            english_word="tiếng Anh",
            pam_instruction=(
                "Trước tiên, hãy dịch câu hỏi sang {pivot} và viết bản dịch giữa {open} và {close}. "
                "Sau đó giải từng bước bằng tiếng Việt và kết thúc bằng \"{answer}\""
            ),
            three_digit_groups=".,",  # "80.000 đô la" and "5,000 đô la" (kept from English) are both thousands
            currency_signs=("₫",),
        ),
    )
}


SHIPPED_LANGUAGES: Mapping[str, Language] = MappingProxyType(_SHIPPED)
"""The languages the package ships, whatever language pack is in use."""

MGSM_LANGUAGES: tuple[str, ...] = ("bn", "de", "en", "es", "fr", "ja", "ru", "sw", "te", "th", "zh")
"""The 11 MGSM languages (Shi et al., 2022), in the benchmark's order."""

MSVAMP_LANGUAGES: tuple[str, ...] = ("bn", "de", "en", "es", "fr", "ja", "ru", "sw", "th", "zh")
"""The 10 MSVAMP languages (Chen et al., 2023): MGSM's without Telugu."""

POLYMATH_LANGUAGES: tuple[str, ...] = (
    "ar", "bn", "de", "en", "es", "fr", "id", "it", "ja", "ko", "ms", "pt", "ru", "sw", "te", "th", "vi", "zh",
)
"""The 18 PolyMath languages (Wang et al., 2025)."""

# PolyMath's own note asking for the final answer in \boxed{}, per language: the strings of ``query_dic`` in
# ``instruction.py`` of https://github.com/QwenLM/PolyMath (commit fab12d6, MIT), verbatim, escaped braces
# included ("$\boxed\{\}$", as the benchmark's Python source leaves them). Data, not code.
POLYMATH_NOTES: dict[str, str] = {
    "ar": "ملاحظة: يُرجى وضع الإجابة النهائية في $\\boxed\\{\\}$.",
    "bn": "বিঃদ্রঃ: অনুগ্রহ করে চূড়ান্ত উত্তরটি $\\boxed\\{\\}$ এর মধ্যে রাখুন।",
    "de": "Hinweis: Bitte setzen Sie die endgültige Antwort in $\\boxed\\{\\}$.",
    "en": "Note: Please put the final answer in the $\\boxed\\{\\}$.",
    "es": "Nota: Por favor, coloque la respuesta final en el $\\boxed\\{\\}$.",
    "fr": "Remarque : Veuillez mettre la réponse finale dans le $\\boxed\\{\\}$.",
    "id": "Catatan: Silakan letakkan jawaban akhir di dalam $\\boxed\\{\\}$.",
    "it": "Nota: Per favore, metti la risposta finale nel $\\boxed\\{\\}$.",
    "ja": "注意：最終的な答えを $\\boxed\\{\\}$ に入れてください。",
    "ko": "참고: 최종 답안을 $\\boxed\\{\\}$ 안에 넣어 주세요.",
    "ms": "Nota: Sila letakkan jawapan akhir dalam $\\boxed\\{\\}$.",
    "pt": "Nota: Por favor, coloque a resposta final no $\\boxed\\{\\}$.",
    "ru": "Примечание: Пожалуйста, поместите окончательный ответ в $\\boxed\\{\\}$.",
    "sw": "Kumbuka: Tafadhali weka jibu la mwisho katika $\\boxed\\{\\}$.",
    "te": "గమనిక: దయచేసి తుది జవాబును $\\boxed\\{\\}$ లో ఉంచండి.",
    "th": "หมายเหตุ: กรุณาใส่คำตอบสุดท้ายใน $\\boxed\\{\\}$.",
    "vi": "Lưu ý: Vui lòng đặt câu trả lời cuối cùng trong $\\boxed\\{\\}$.",
    "zh": "注意：请将最终答案放在 $\\boxed\\{\\}$ 中。",
}

LOW_RESOURCE_LANGUAGES: tuple[str, ...] = tuple(code for code, lang in _SHIPPED.items() if lang.low_resource)
"""The shipped low-resource languages (bn, sw, te, th); pack languages join no shipped group."""


class LanguageTable(Mapping[str, Language]):
    """The table in use: the shipped languages, with a language pack's entries added or replacing them.

    The pack named by ``PASMR_LANGUAGE_PACK`` is read on first use, unless :func:`use_language_pack`
    chose one before (the command-line option does). ``version`` changes with every new pack, so
    caches built from the table can tell.
    """

    def __init__(self, shipped: Mapping[str, Language]):
        self._shipped = shipped
        self._entries: dict[str, Language] | None = None
        self._pack = None
        self._version = 0
        self._lock = threading.RLock()

    def _table(self) -> dict[str, Language]:
        entries = self._entries
        if entries is None:
            with self._lock:
                if self._entries is None:
                    self.use(os.environ.get(PACK_ENV) or None)
                entries = self._entries
        return entries

    def use(self, pack) -> None:
        """Use ``pack`` (a :class:`~pasmr_plugin.language_packs.LanguagePack`, or None for the shipped table)."""
        if pack is not None and not hasattr(pack, "languages"):
            from .language_packs import load_language_pack

            pack = load_language_pack(pack)
        with self._lock:
            entries = dict(self._shipped)
            for language in pack.languages if pack is not None else ():
                entries[language.code] = language
            self._entries, self._pack = entries, pack
            self._version += 1

    @property
    def pack(self):
        """The language pack in use, or None."""
        self._table()
        return self._pack

    @property
    def version(self) -> int:
        self._table()
        return self._version

    def __getitem__(self, code: str) -> Language:
        return self._table()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())

    def __contains__(self, code: object) -> bool:
        return code in self._table()

    def __repr__(self) -> str:
        return f"LanguageTable({', '.join(self._table())})"


LANGUAGES = LanguageTable(SHIPPED_LANGUAGES)
"""The languages in use: shipped ones plus the language pack's (see :func:`use_language_pack`)."""


def use_language_pack(pack=None) -> None:
    """Use a language pack: a file path, a parsed pack, or None for the shipped table only.

    Raises :class:`~pasmr_plugin.language_packs.LanguagePackError` (one line naming the file and
    the field) for a bad pack; the table in use is then unchanged.
    """
    LANGUAGES.use(pack)


def get_language(code: str) -> Language:
    """The table entry for ``code``; raises ``KeyError`` listing the known codes otherwise.

    >>> get_language("th").native_name
    'ไทย'
    """
    try:
        return LANGUAGES[code]
    except (KeyError, TypeError):
        raise KeyError(f"unknown language {code!r}; known: {', '.join(sorted(LANGUAGES))}") from None


def find_language(code: object) -> Language | None:
    """Like :func:`get_language` but returns None for anything unknown (safe at boundaries)."""
    return LANGUAGES.get(code) if isinstance(code, str) else None


def counts_as(detected: object, target: object) -> bool:
    """Whether text identified as ``detected`` counts as written in ``target`` for language fidelity.

    A language counts as itself and as the languages its entry declares (Indonesian and Malay).

    >>> counts_as("id", "id"), counts_as("id", "ms"), counts_as("en", "ms"), counts_as(None, "ms")
    (True, True, False, False)
    """
    if not isinstance(detected, str) or not isinstance(target, str):
        return False
    if detected == target:
        return True
    language = find_language(target)
    return language is not None and detected in language.counts_as
