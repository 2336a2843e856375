"""Final-answer extraction in the seven PolyMath languages the MGSM tables lack: ar, id, it, ko, ms, pt, vi.

Responses are written the way models write in each language: Arabic with Arabic-Indic and Persian
digits and its own separators ٫ ٬, Korean with 만/억 multipliers, and the mixed number styles real
text has (PolyMath's Indonesian, Italian and Vietnamese questions keep "$5,000" from English next
to "1,5"). The rule for a lone separator before three digits is the table's
(``Language.three_digit_groups``), chosen on PolyMath by ``bench/number_formats_bench.py``.
Same row format as ``tests/test_answers.py``.
"""

from __future__ import annotations

import pytest

from pasmr_plugin.answers import answers_match, extract_answer, extract_final_answers
from pasmr_plugin.languages import MGSM_LANGUAGES, SHIPPED_LANGUAGES
from test_answers import Row, row

# --------------------------------------------------------------------------------------------
# Arabic
# --------------------------------------------------------------------------------------------
AR = [
    # answer sentence / label
    row("sentence", "تضع بط جانيت 16 بيضة يوميًا. تأكل 3 وتخبز بـ 4، فيبقى 16 - 3 - 4 = 9 بيضات. "
        "تبيع كل بيضة بدولارين، فتربح 9 × 2 = 18 دولارًا. الإجابة هي 18.", "18"),
    row("sentence-final", "سعر الكتاب 12 دولارًا، واشترى 3 كتب: 3 × 12 = 36. الإجابة النهائية هي 36", "36"),
    row("label", "الخطوة 1: 5 صناديق في كل منها 8 أقلام = 40 قلمًا.\nالخطوة 2: أعطى 15 قلمًا.\nالجواب: 25", "25"),
    row("sentence-word-before", "إذن الإجابة هي 42 دولارًا.", "42"),
    row("english-label", "مجموع الأعداد هو 7 + 8 = 15.\nAnswer: 15", "15"),
    # Arabic-Indic and Persian digits
    row("arabic-indic-digits", "لدى أحمد ١٢ تفاحة وأكل ٣، فيبقى ١٢ - ٣ = ٩. الإجابة هي ٩.", "9"),
    row("persian-digits", "تعداد کل ۱۸ است. الإجابة هي ۱۸", "18"),
    # Arabic separators ٫ (decimal) and ٬ (thousands)
    row("arabic-decimal", "يمشي ٧ كيلومترات في ساعتين، أي ٧ ÷ ٢ = ٣٫٥ كم في الساعة. الإجابة هي ٣٫٥", "3.5"),
    row("arabic-grouping", "ثمن السيارة ١٬٢٣٤ دولارًا. الإجابة هي ١٬٢٣٤", "1234"),
    row("arabic-grouping-decimal", "المبلغ الكلي ١٬٢٣٤٫٥٦ ريالًا. الإجابة هي ١٬٢٣٤٫٥٦", "1234.56"),
    row("arabic-leading-zero", "الاحتمال هو ١ ÷ ٤ = ٠٫٢٥. الإجابة هي ٠٫٢٥", "0.25"),
    # Western digits as in PolyMath's Arabic questions ("80,000 دولار")
    row("western-grouping", "اشترى منزلاً بمبلغ 80,000 دولار وأنفق 50,000 دولار على الإصلاحات، "
        "فالمجموع 130,000 دولار. الإجابة هي 130,000 دولار.", "130000"),
    row("western-decimal", "السرعة 2.5 متر في الثانية. الإجابة النهائية هي 2.5", "2.5"),
    row("percent", "زاد السعر بنسبة 25٪. الإجابة هي 25٪", "25"),
    row("negative", "درجة الحرارة 4 ثم انخفضت 9 درجات: 4 - 9 = -5. الإجابة هي -5", "-5"),
    row("boxed", "إذن عدد الطلاب هو $\\boxed{120}$.", "120"),
    row("fraction", "الجزء المتبقي هو 3/4 من الكعكة. الإجابة هي 3/4", "0.75"),
    row("last-number", "لديها 16 بيضة وتأكل 3، فيتبقى 13 بيضة.", "13"),
    row("question-mark-ends-sentence", "ما الإجابة هي؟ 5 تفاحات أكل منها 2 فبقيت 3", "3"),
    row("none", "لا يمكن تحديد الإجابة من المعطيات.", None),
]

# --------------------------------------------------------------------------------------------
# Indonesian
# --------------------------------------------------------------------------------------------
ID = [
    row("sentence", "Bebek Janet bertelur 16 butir per hari. Ia makan 3 dan memakai 4 untuk kue, jadi sisa "
        "16 - 3 - 4 = 9 butir. Ia menjual masing-masing seharga $2, jadi 9 × 2 = $18. Jawabannya adalah 18.", "18"),
    row("sentence-unit", "Jadi jawabannya adalah 18 telur.", "18"),
    row("label", "Langkah 1: 3 kotak berisi 12 pensil = 36 pensil.\nLangkah 2: diberikan 8.\n\nJawaban: 28", "28"),
    row("label-final", "Jawaban akhir: 1.250", "1250", needs_lang=True),
    # dot grouping, comma decimal
    row("rupiah-grouping", "Harga rumah Rp 1.500.000 dan perbaikan Rp 250.000, jadi totalnya Rp 1.750.000. "
        "Jawabannya adalah Rp 1.750.000.", "1750000"),
    row("rupiah-attached", "Total biaya Rp1.250.000,50. Jawaban akhir: Rp1.250.000,50", "1250000.5"),
    row("decimal-comma", "Ia membeli 3 apel seharga $1,50 per buah, jadi 3 × 1,50 = 4,50. Jawabannya adalah 4,5.",
        "4.5", needs_lang=True),
    row("decimal-comma", "Rata-ratanya adalah 2,5 jam. Jawabannya adalah 2,5.", "2.5", needs_lang=True),
    row("dot-thousands", "Mereka menjual 88.000 kopi. Jawabannya adalah 88.000", "88000", needs_lang=True),
    # English-style numbers kept from the question ("$5,000" next to "1,5")
    row("english-comma-thousands", "Keuntungannya adalah $80,000 + $50,000 = $130,000. Jawabannya adalah $130,000.",
        "130000"),
    row("english-comma-thousands-lone", "Perhiasan senilai $5,000 naik 2,5%. Jawabannya adalah $5,000.", "5000"),
    row("english-decimal-point", "Pasar perhiasan naik 2.5%, jadi jawabannya adalah 2.5", "2.5"),
    row("both-separators", "Jawabannya adalah 1.234,56", "1234.56", needs_lang=True),
    row("leading-zero", "Peluangnya 1/8 = 0,125. Jawabannya adalah 0,125", "0.125", needs_lang=True),
    row("negative", "Suhu turun dari 4 menjadi 4 - 9 = -5 derajat. Jawabannya adalah -5.", "-5"),
    row("boxed", "Maka banyaknya siswa adalah $\\boxed{42}$.", "42"),
    row("fraction", "Jawabannya adalah 3/4.", "0.75"),
    row("last-number", "Ia punya 5 apel dan makan 2, sisa 3 apel.", "3"),
    row("none", "Informasinya tidak cukup untuk menentukan jawabannya.", None),
]

# --------------------------------------------------------------------------------------------
# Italian
# --------------------------------------------------------------------------------------------
IT = [
    row("sentence", "Le anatre di Janet depongono 16 uova al giorno. Ne mangia 3 e ne usa 4, quindi "
        "16 - 3 - 4 = 9 uova. Le vende a 2 $ l'una: 9 × 2 = 18 $. La risposta è 18.", "18"),
    row("sentence-unit", "Quindi 9 × 2 = 18. La risposta è 18 dollari.", "18"),
    row("sentence-colon", "Sommando i due valori otteniamo 42. La risposta è: 42", "42"),
    row("label", "Passo 1: 5 scatole da 8 matite = 40 matite.\nPasso 2: ne regala 15.\n\nRisposta finale: 25", "25"),
    # dot grouping, comma decimal
    row("euro-both-separators", "Il costo totale è di 1.234,56 €. La risposta è 1.234,56 €.", "1234.56"),
    row("dot-thousands", "Il valore dei gioielli è 5.000 dollari. La risposta è 5.000 dollari.", "5000",
        needs_lang=True),
    row("dot-millions", "La città ha 1.000.000 di abitanti. La risposta è 1.000.000.", "1000000"),
    row("decimal-comma", "Risposta: 2,5", "2.5", needs_lang=True),
    row("decimal-comma-euro", "Ogni biglietto costa 12,50 €. Risposta finale: 12,50 €", "12.5", needs_lang=True),
    row("leading-zero", "La probabilità è 1/8 = 0,125. La risposta finale è 0,125.", "0.125", needs_lang=True),
    # English-style numbers kept from the question
    row("english-comma-thousands", "Compra una casa per $80,000 e investe $50,000: la risposta è $130,000.", "130000"),
    row("english-decimal-point", "Il prezzo è salito a $19.50. La risposta è 19.50 $.", "19.5"),
    row("percent", "L'aumento è del 2,5%. La risposta è 2,5%", "2.5", needs_lang=True),
    row("negative", "La temperatura passa da 4 a 4 - 9 = -5 gradi. La risposta è -5.", "-5"),
    row("boxed", "Il numero di studenti è quindi $\\boxed{7}$.", "7"),
    row("fraction", "La risposta è 3/4.", "0.75"),
    row("last-number", "Aveva 10 mele e ne ha mangiate 3, quindi ne restano 7.", "7"),
    row("none", "Non ci sono abbastanza informazioni per rispondere.", None),
]

# --------------------------------------------------------------------------------------------
# Korean
# --------------------------------------------------------------------------------------------
KO = [
    row("sentence", "재닛의 오리는 하루에 16개의 알을 낳습니다. 3개를 먹고 4개를 쓰면 16 - 3 - 4 = 9개가 남습니다. "
        "개당 2달러에 팔면 9 × 2 = 18달러입니다. 답은 18입니다.", "18"),
    row("sentence-correct", "따라서 정답은 42입니다.", "42"),
    row("label", "1단계: 5상자 × 8개 = 40개\n2단계: 15개를 나눠 줌\n\n정답: 25", "25"),
    row("label-final", "최종 답: 120", "120"),
    # 만 / 억 multipliers
    row("man-cheon", "사과 100상자를 350원씩 팔면 3만 5천 원입니다. 따라서 답은 3만 5천 원입니다.", "35000"),
    row("eok-cheonman", "집값은 1억 2천만 원입니다. 답은 1억 2천만 원입니다.", "120000000"),
    row("man-with-digits", "총 인구는 12만 3456명입니다. 답은 12만 3456입니다.", "123456"),
    row("grouped-man", "답은 1,000만 원입니다.", "10000000"),
    row("cheon", "입장료는 5천 원입니다. 답은 5천 원입니다.", "5000"),
    row("jo-is-not-pieces", "피자 8조각 중 3조각을 먹었습니다. 남은 조각은 5조각입니다.", "5"),
    # grouping, decimals, currency
    row("grouping", "하루에 35,000원을 법니다. 답은 35,000원입니다.", "35000"),
    row("won-sign", "총액은 ₩50,000입니다. 답은 ₩50,000입니다.", "50000"),
    row("decimal", "속력은 7 ÷ 2 = 3.5입니다. 답은 3.5시간입니다.", "3.5"),
    row("percent", "가격이 25% 올랐습니다. 답은 25%입니다.", "25"),
    row("negative", "기온은 4 - 9 = -5도입니다. 답은 -5입니다.", "-5"),
    row("boxed", "따라서 학생 수는 $\\boxed{64}$입니다.", "64"),
    row("fraction", "남은 비율은 3/4입니다. 답은 3/4입니다.", "0.75"),
    row("last-number", "그녀는 16개의 달걀 중 3개를 먹어서 13개가 남습니다.", "13"),
    row("none", "주어진 정보로는 답을 구할 수 없습니다.", None),
]

# --------------------------------------------------------------------------------------------
# Malay (numbers written like English)
# --------------------------------------------------------------------------------------------
MS = [
    row("sentence", "Itik Janet bertelur 16 biji sehari. Dia makan 3 dan guna 4, jadi tinggal 16 - 3 - 4 = 9 biji. "
        "Dia jual $2 sebiji, jadi 9 × 2 = $18. Jawapannya ialah 18.", "18"),
    row("sentence-adalah", "Jadi jawapannya adalah 12 ekor.", "12"),
    row("label", "Langkah 1: 5 kotak × 8 pensel = 40 pensel.\nLangkah 2: beri 15.\n\nJawapan: 25", "25"),
    row("label-final", "Jawapan akhir: 1,000,000", "1000000"),
    # comma grouping, point decimal; ringgit
    row("ringgit", "Jumlahnya RM 1,250.50. Jawapannya ialah RM 1,250.50", "1250.5"),
    row("ringgit-attached", "Harga rumah RM5,000. Jawapannya ialah RM5,000.", "5000"),
    row("comma-thousands", "Dia membayar $80,000 + $50,000 = $130,000. Jawapannya ialah 130,000.", "130000"),
    row("decimal-point", "Harga sebiji epal ialah $1.50, jadi 4 × 1.50 = 6. Jawapannya ialah 6.", "6"),
    row("decimal-point", "Purata masa ialah 2.5 jam. Jawapannya ialah 2.5 jam.", "2.5"),
    row("point-three-digits", "Beratnya 1.500 kg. Jawapannya ialah 1.500", "1.5"),
    row("leading-zero", "Jawapannya ialah 0.75", "0.75"),
    row("percent", "Harga naik sebanyak 25%. Jawapannya ialah 25%.", "25"),
    row("negative", "Suhu menjadi 4 - 7 = -3 darjah. Jawapannya ialah -3", "-3"),
    row("boxed", "Maka jawapannya ialah \\boxed{64}.", "64"),
    row("fraction", "Jawapannya ialah 3/5.", "0.6"),
    row("last-number", "Dia ada 5 epal dan makan 2, tinggal 3 epal.", "3"),
    row("none", "Maklumat tidak mencukupi untuk menjawab soalan ini.", None),
]

# --------------------------------------------------------------------------------------------
# Portuguese
# --------------------------------------------------------------------------------------------
PT = [
    row("sentence", "Os patos de Janet põem 16 ovos por dia. Ela come 3 e usa 4, então sobram 16 - 3 - 4 = 9. "
        "Vende cada um por $2: 9 × 2 = $18. A resposta é 18.", "18"),
    row("sentence-final", "A resposta final é 0,75.", "0.75", needs_lang=True),
    row("sentence-colon", "A resposta é: 42 reais", "42"),
    row("label", "Passo 1: 5 caixas × 8 lápis = 40 lápis.\nPasso 2: deu 15.\n\nResposta: 25", "25"),
    # real: dot grouping, comma decimal
    row("real-both-separators", "O total é R$ 1.234,56. A resposta é R$ 1.234,56.", "1234.56"),
    row("real-cents", "A resposta é R$ 5.000,00.", "5000"),
    row("dot-thousands", "Ele comprou uma casa por $80.000 e gastou $50.000. A resposta é $130.000.", "130000",
        needs_lang=True),
    row("dot-millions", "A resposta é 1.000.000 de pessoas.", "1000000"),
    row("decimal-comma", "Resposta: 2,5", "2.5", needs_lang=True),
    row("decimal-comma-steps", "Cada maçã custa R$ 1,50, então 4 × 1,50 = 6,00. A resposta é 6.", "6"),
    row("dot-three-digits", "Resposta final: 1.250", "1250", needs_lang=True),
    # English-style thousands kept from a question
    row("english-comma-thousands", "A resposta é 5,000", "5000"),
    row("percent", "A resposta correta é 12,5%.", "12.5", needs_lang=True),
    row("negative", "A temperatura fica em 4 - 16 = -12 graus. A resposta é -12.", "-12"),
    row("boxed", "Logo, o número de alunos é $\\boxed{21}$.", "21"),
    row("fraction", "A resposta é 3/8.", "0.375"),
    row("last-number", "Ela tem 10 ovos e come 3, sobram 7 ovos.", "7"),
    row("none", "Não há informação suficiente para responder.", None),
]

# --------------------------------------------------------------------------------------------
# Vietnamese
# --------------------------------------------------------------------------------------------
VI = [
    row("sentence", "Đàn vịt của Janet đẻ 16 quả trứng mỗi ngày. Cô ăn 3 quả và dùng 4 quả, còn 16 - 3 - 4 = 9 quả. "
        "Mỗi quả bán 2 đô la nên được 9 × 2 = 18 đô la. Đáp án là 18.", "18"),
    row("sentence-answer", "Vậy câu trả lời là 42.", "42"),
    row("label", "Bước 1: 5 hộp × 8 bút = 40 bút.\nBước 2: cho đi 15 bút.\n\nĐáp án: 25", "25"),
    row("label-dap-so", "Đáp số: 120 km", "120"),
    # dot grouping, comma decimal; đồng
    row("dong-grouping", "Tổng chi phí là 1.500.000 đồng. Đáp án là 1.500.000 đồng.", "1500000"),
    row("dot-thousands", "Anh ấy mua nhà với giá 80.000 đô la và sửa chữa hết 50.000 đô la. Đáp án là 130.000.",
        "130000", needs_lang=True),
    row("dong-attached", "Mỗi cuốn sách giá 50.000đ. Đáp án là 50.000đ.", "50000", needs_lang=True),
    row("decimal-comma", "Đáp án: 2,5", "2.5", needs_lang=True),
    row("decimal-comma-dollars", "Năm ngoái giá là 19,50 đô la. Vậy đáp án là 19,50 đô la.", "19.5", needs_lang=True),
    row("both-separators", "Đáp án cuối cùng là 1.234,5", "1234.5", needs_lang=True),
    row("leading-zero", "Xác suất là 1/8 = 0,125. Câu trả lời là 0,125.", "0.125", needs_lang=True),
    # English-style thousands kept from the question ("5,000 đô la")
    row("english-comma-thousands", "Trang sức trị giá 5,000 đô la. Đáp án là 5,000 đô la.", "5000"),
    row("percent", "Giá tăng 25%. Đáp án là 25%.", "25"),
    row("negative", "Nhiệt độ còn 4 - 10 = -6 độ. Đáp án là -6.", "-6"),
    row("boxed", "Vậy số học sinh là $\\boxed{9}$.", "9"),
    row("fraction", "Đáp án là 2/5.", "0.4"),
    row("last-number", "Cô ấy có 16 quả trứng, ăn 3 quả, còn lại 13 quả.", "13"),
    row("none", "Không đủ thông tin để trả lời câu hỏi.", None),
]

TABLES = {"ar": AR, "id": ID, "it": IT, "ko": KO, "ms": MS, "pt": PT, "vi": VI}


def _params(with_language: bool):
    for lang, rows in TABLES.items():
        for index, case in enumerate(rows):
            if with_language or not case.needs_lang:
                yield pytest.param(lang, case.text, case.expected, id=f"{lang}-{index:02d}-{case.what}")


def test_every_shipped_language_beyond_mgsm_has_a_table_of_at_least_15_cases():
    assert set(TABLES) == set(SHIPPED_LANGUAGES) - set(MGSM_LANGUAGES)
    assert {lang: len(rows) for lang, rows in TABLES.items() if len(rows) < 15} == {}


@pytest.mark.parametrize("lang,text,expected", list(_params(with_language=True)))
def test_extract_answer_with_language(lang, text, expected):
    assert extract_answer(text, lang) == expected


@pytest.mark.parametrize("lang,text,expected", list(_params(with_language=False)))
def test_extract_answer_without_language(lang, text, expected):
    assert extract_answer(text) == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("الإجابة هي ١٨. الجواب: ٢٠", "ar", ["18", "20"]),
        ("답은 3만 5천 원입니다. 정답: 4만", "ko", ["35000", "40000"]),
        ("Jawabannya adalah Rp 1.500. Jawaban: Rp 2.000,50", "id", ["1500", "2000.5"]),
    ],
)
def test_extract_final_answers_in_new_languages(text, lang, expected):
    assert extract_final_answers(text, lang) == expected


@pytest.mark.parametrize(
    "a, b, lang, expected",
    [
        ("5,000", "5000", "id", True),  # kept from English
        ("5.000", "5000", "it", True),
        ("1,5", "1.5", "pt", True),
        ("1.500", "1.5", "ms", True),  # Malay writes numbers like English
        ("٣٫٥", "3.5", "ar", True),
        ("3만 5천", "35000", "ko", True),
        ("3만", "3", "ko", False),
    ],
)
def test_answers_match_in_new_languages(a, b, lang, expected):
    assert answers_match(a, b, lang) is expected
