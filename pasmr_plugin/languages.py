"""The one language table: everything pasmr-plugin knows about a language.

Answer extraction, prompts, the reward, language identification and the lm-eval task
generator all read this table, so adding a language means adding one entry here (plus
its rows in ``tests/test_answers.py``).

>>> get_language("sw").answer_template.format("11")
'Jibu ni 11.'
>>> get_language("de").decimal_separator
','
"""

from __future__ import annotations

from dataclasses import dataclass

NBSP = "\u00a0"  # no-break space: "70 000" in French typography
NNBSP = "\u202f"  # narrow no-break space: "57 500" in Russian typography
THIN_SPACE = "\u2009"


@dataclass(frozen=True)
class Language:
    """How one language writes numbers, final answers and the prompts we need.

    Attributes:
        code: ISO 639-1 code used everywhere (``"bn"``, ``"zh"``, ...).
        number_word: the word for "number", used as the placeholder in instructions ("[Zahl]").
        english_name / native_name: "Swahili" / "Kiswahili".
        script: ISO 15924 script code of the language's writing system.
        native_digits: the ten native digit characters, or "" when ASCII digits are used.
        decimal_separator: "." or ","; decides ambiguous numbers such as German "1.430".
        group_separators: characters this language puts between groups of three digits,
            besides the decimal separator's counterpart ("." or ",").
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

    def answer_sentence(self, answer: str | int | float) -> str:
        """The final answer sentence for ``answer``: ``get_language("ja").answer_sentence(5)`` is "答えは5です。"."""
        return self.answer_template.format(answer)


_SPACE_GROUPING = (" ", NBSP, NNBSP, THIN_SPACE)

LANGUAGES: dict[str, Language] = {
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
        ),
    )
}

MGSM_LANGUAGES: tuple[str, ...] = ("bn", "de", "en", "es", "fr", "ja", "ru", "sw", "te", "th", "zh")
"""The 11 MGSM languages (Shi et al., 2022), in the benchmark's order."""

MSVAMP_LANGUAGES: tuple[str, ...] = ("bn", "de", "en", "es", "fr", "ja", "ru", "sw", "th", "zh")
"""The 10 MSVAMP languages (Chen et al., 2023): MGSM's without Telugu."""

LOW_RESOURCE_LANGUAGES: tuple[str, ...] = tuple(code for code, lang in LANGUAGES.items() if lang.low_resource)


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
