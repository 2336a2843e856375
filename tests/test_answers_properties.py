"""Property tests for ``pasmr_plugin.answers``: numbers written the way each language writes them come back exactly.

A random number (integer or decimal, negative too) is written in a language's conventions as
the language table states them (its native digits when it has them, its decimal separator,
one of its group separators, NBSP and NNBSP included), put inside a few random solution steps
and closed with the language's own answer sentence (``Language.answer_template``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pasmr_plugin.answers import answers_match, extract_answer
from pasmr_plugin.languages import NBSP, NNBSP, SHIPPED_LANGUAGES, Language, get_language

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

CANONICAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?")
"""ASCII digits, "-" and "." only, no grouping, no leading or trailing zeros, no "-0"."""

# Solution steps a model writes before its final sentence; each "{}" receives another number
# written in the same conventions as the answer.
STEPS = {
    "bn": ["প্রথমে তার কাছে {}টি বল ছিল।", "সে আরও {} টাকা পেল।", "তাই মোট {} + {} হয়।", "ধাপে ধাপে চিন্তা করি।"],
    "de": ["Zuerst hat sie {} Äpfel.", "Dann kommen {} Euro dazu.", "Also rechnen wir {} + {}.", "Wir gehen Schritt für Schritt vor."],
    "en": ["First, she has {} apples.", "Then she gets {} dollars more.", "So we compute {} + {}.", "Let's think step by step."],
    "es": ["Primero tiene {} manzanas.", "Luego recibe {} euros más.", "Así que calculamos {} + {}.", "Vamos paso a paso."],
    "fr": ["D'abord, elle a {} pommes.", "Ensuite, elle reçoit {} euros de plus.", "On calcule donc {} + {}.", "Procédons étape par étape."],
    "ja": ["最初にりんごが{}個あります。", "次に{}円もらいます。", "したがって{} + {}を計算します。", "順番に考えましょう。"],
    "ru": ["Сначала у неё {} яблок.", "Потом она получает ещё {} рублей.", "Значит, считаем {} + {}.", "Решим задачу по шагам."],
    "sw": ["Kwanza ana machungwa {}.", "Kisha anapata shilingi {} zaidi.", "Kwa hiyo tunahesabu {} + {}.", "Tufikiri hatua kwa hatua."],
    "te": ["మొదట ఆమె దగ్గర {} ఆపిల్స్ ఉన్నాయి.", "తర్వాత ఆమెకు మరో {} రూపాయలు వచ్చాయి.", "కాబట్టి {} + {} లెక్కిస్తాం.", "దశలవారీగా ఆలోచిద్దాం."],
    "th": ["ตอนแรกมีแอปเปิล {} ผล", "จากนั้นได้เงินเพิ่ม {} บาท", "ดังนั้นคำนวณ {} + {}", "ลองคิดทีละขั้นตอน"],
    "zh": ["一开始有 {} 个苹果。", "然后又得到 {} 元。", "所以计算 {} + {}。", "我们一步一步地思考。"],
    "ar": ["في البداية لديها {} تفاحة.", "ثم تحصل على {} دولارًا إضافيًا.", "إذن نحسب {} + {}.", "لنفكر خطوة بخطوة."],
    "id": ["Awalnya dia punya {} apel.", "Lalu dia mendapat {} rupiah lagi.", "Jadi kita hitung {} + {}.", "Mari berpikir langkah demi langkah."],
    "it": ["All'inizio ha {} mele.", "Poi riceve altri {} euro.", "Quindi calcoliamo {} + {}.", "Ragioniamo passo dopo passo."],
    "ko": ["처음에 사과가 {}개 있습니다.", "그다음 {}원을 더 받습니다.", "따라서 {} + {}를 계산합니다.", "단계별로 생각해 봅시다."],
    "ms": ["Pada mulanya dia ada {} biji epal.", "Kemudian dia dapat {} ringgit lagi.", "Jadi kita kira {} + {}.", "Mari fikir langkah demi langkah."],
    "pt": ["Primeiro ela tem {} maçãs.", "Depois recebe mais {} reais.", "Então calculamos {} + {}.", "Vamos passo a passo."],
    "vi": ["Lúc đầu cô ấy có {} quả táo.", "Sau đó cô ấy nhận thêm {} đồng.", "Vậy ta tính {} + {}.", "Hãy suy nghĩ từng bước."],
}
ALL_LANGUAGES = tuple(sorted(SHIPPED_LANGUAGES))
SEPARATOR = {"ja": "", "zh": ""}  # between steps; a space elsewhere


@st.composite
def numbers(draw) -> Decimal:
    """An integer or a decimal with up to 3 places, negative too (trailing zeros are kept when written)."""
    integer = draw(st.one_of(st.integers(0, 999), st.integers(1000, 10**12)))
    places = draw(st.integers(0, 3))
    fraction = draw(st.integers(0, 10**places - 1)) if places else 0
    sign = -1 if draw(st.booleans()) else 1
    return Decimal(sign) * (Decimal(integer) + Decimal(fraction).scaleb(-places))


def canonical(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def write(value: Decimal, places: int, language: Language, group: str | None, native: bool, decimal: str = "") -> str:
    """``value`` with exactly ``places`` decimals in ``language``'s conventions (``decimal``: one of its decimal marks)."""
    integer, _, decimals = f"{abs(value):.{places}f}".partition(".")
    if group and len(integer) > 3:
        head = len(integer) % 3 or 3
        integer = group.join([integer[:head]] + [integer[i : i + 3] for i in range(head, len(integer), 3)])
    text = integer + ((decimal or language.decimal_separator) + decimals if places else "")
    if native:
        text = text.translate(str.maketrans("0123456789", language.native_digits))
    return ("-" if value < 0 else "") + text


@st.composite
def written_answers(draw, codes=ALL_LANGUAGES, conventions=None):
    """(language code, response text, true value) with the answer written as the language writes numbers."""
    code = draw(st.sampled_from(codes))
    language = get_language(code)
    style = get_language(conventions) if conventions else language
    assert style.decimal_separator not in style.group_separators
    group = draw(st.sampled_from((None,) + style.group_separators))
    native = bool(style.native_digits) and draw(st.booleans())
    decimal = draw(st.sampled_from(style.decimal_separator + style.decimal_marks))

    def written(value: Decimal) -> str:
        places = max(0, -value.as_tuple().exponent)
        return write(value, places, style, group, native, decimal)

    steps = []
    for template in draw(st.lists(st.sampled_from(STEPS[code]), max_size=4)):
        steps.append(template.format(*(written(draw(numbers())) for _ in range(template.count("{}")))))
    value = draw(numbers())
    # a lone separator before exactly three digits is read by the table's rule ("1,234" is 1234 in
    # Indonesian): a decimal written that way is not written "as the language writes numbers"
    places = max(0, -value.as_tuple().exponent)
    integer_digits = len(str(abs(int(value))))
    assume(not (places == 3 and abs(value) >= 1 and decimal in style.grouping_before_three_digits
                and (group is None or integer_digits <= 3)))
    steps.append(language.answer_template.format(written(value)))
    return code, SEPARATOR.get(code, " ").join(steps), value


def test_the_table_offers_space_grouping_where_typography_uses_it():
    for code in ("fr", "ru", "de", "es"):
        assert {NBSP, NNBSP} <= set(get_language(code).group_separators)


@PROPERTY_SETTINGS
@given(written_answers())
def test_number_in_the_languages_conventions_comes_back_exactly(case):
    code, text, value = case
    found = extract_answer(text, code)
    assert found == canonical(value), text
    assert answers_match(found, value), text
    assert answers_match(found, str(value)), text


@PROPERTY_SETTINGS
@given(written_answers(conventions="en"))
def test_english_number_in_any_languages_answer_sentence_comes_back_without_language(case):
    _, text, value = case
    assert extract_answer(text) == canonical(value), text


@PROPERTY_SETTINGS
@given(st.text(max_size=300), st.sampled_from((None,) + ALL_LANGUAGES))
def test_any_text_gives_none_or_a_canonical_number(text, lang):
    found = extract_answer(text, lang)
    if found is not None:
        assert CANONICAL.fullmatch(found), found
        assert extract_answer(found) == found
        assert answers_match(found, found)


ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.fractions(),
    st.text(max_size=80),
    st.binary(max_size=20),
    st.lists(st.integers(), max_size=3),
)


@PROPERTY_SETTINGS
@given(ANY_VALUE, ANY_VALUE, st.sampled_from((None,) + ALL_LANGUAGES))
def test_answers_match_is_a_symmetric_bool_on_any_input(a, b, lang):
    result = answers_match(a, b, lang)
    assert result is True or result is False
    assert answers_match(b, a, lang) is result


@PROPERTY_SETTINGS
@given(st.integers(-(10**15), 10**15))
def test_integer_matches_itself_written_with_cents_and_no_neighbour(n):
    assert answers_match(str(n), f"{n}.00")
    assert answers_match(n, Fraction(n))
    assert not answers_match(str(n), str(n + 1))


MULTIPLIER_LANGUAGES = tuple(code for code in ALL_LANGUAGES if SHIPPED_LANGUAGES[code].multipliers)


@PROPERTY_SETTINGS
@given(st.sampled_from(MULTIPLIER_LANGUAGES), st.integers(0, 9999), st.integers(0, 9999), st.integers(0, 9999))
def test_numbers_written_with_the_languages_multipliers_come_back_exactly(code, high, middle, low):
    """"3억 5000만 20" (Korean, spaced) and "3億5000万20" (Japanese) are 350000020."""
    language = get_language(code)
    by_value = {value: word for word, value in reversed(language.multipliers)}  # first spelling of each value
    space = " " if code == "ko" else ""
    parts = [f"{n}{by_value[unit]}" for n, unit in ((high, 10**8), (middle, 10**4)) if n]
    if low or not parts:
        parts.append(str(low))
    text = language.answer_sentence(space.join(parts))
    assert extract_answer(text, code) == str(high * 10**8 + middle * 10**4 + low), text
