"""Adversarial inputs for the fuzz tests and ``bench/fuzz_campaign.py``: a fixed corpus and hypothesis strategies.

The corpus holds the shapes that broke or could break a text function: long digit runs,
fractions and CJK multipliers on them, huge exponents, every script of the language table,
PAM markers (stray, nested, unclosed), ``\\boxed{`` cut off or nested, answer phrases
repeated thousands of times, control and surrogate characters, and 1 MB texts. The
strategies combine the same atoms at random.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import strategies as st

from pasmr_plugin.languages import LANGUAGES

MB = 1_000_000

OPEN, CLOSE = "<translation>", "</translation>"
NATIVE_DIGITS = [language.native_digits for language in LANGUAGES.values() if language.native_digits] + ["０１２３４５６７８９"]
ANSWER_PHRASES = sorted(
    {phrase for language in LANGUAGES.values() for phrase in language.answer_labels + language.answer_sentences}
)
CJK_MULTIPLIERS = "百千万萬億亿兆"
SEPARATORS = [",", ".", " ", "\u00a0", "\u202f", "\u2009", "'", "’", "，", "．", "{,}", "\\,"]
CONTROL = "".join(map(chr, range(0, 32))) + "\x7f\x85\u2028\u2029\u200b\u200e\u202e\ufeff"
SURROGATES = "\ud800\udbff\udc00\udfff"

ATOMS = (
    ["1", "0", "9", "-", "−", "+", "=", "/", "%", "$", "€", "e", "E", "e+", "e-", "^", "×", "÷", "*", "(", ")", "{", "}"]
    + SEPARATORS
    + list(CJK_MULTIPLIERS)
    + ["\\boxed{", "\\fbox{", "\\frac{", "\\dfrac", "\\text{", "\\,", "\\!", "\\$", "\\(", "\\)", "$$"]
    + [OPEN, CLOSE, OPEN.upper(), CLOSE[:-1], "<", ">", "</"]
    + ANSWER_PHRASES
    + ["Answer:", "The answer is", "答え", "İ", "ß", "ﬁ", "\n", "\n\n", " ", "\t", "。", "।", "."]
    + list(CONTROL[:8]) + list(SURROGATES)
    + [digits[:3] for digits in NATIVE_DIGITS]
)


def _repeat(piece: str, size: int = MB) -> str:
    return (piece * (size // max(1, len(piece)) + 1))[:size]


def text_corpus() -> list[str]:
    """Hand-made adversarial texts, from a few characters to 1 MB."""
    digits = "1234567890"
    texts = [
        "",
        " ",
        "1" * 58 + "/3千兆",
        "1" * 64 + "兆" * 60,
        "1" * 5000,
        "9" * 4301,
        "1" * 58 + "/" + "3" * 58,
        "0." + "0" * 60 + "1",
        "1/" + "0" * 50,
        "1e99999999",
        "1e-99999999",
        "The answer is 1e+16.",
        "The answer is 1.5e-3.",
        "Answer: 0.00001",
        "\\boxed{150",
        "\\boxed{" + "a " * 99 + "150",
        "\\boxed{" + " " * 198 + "150}",
        "The answer is 5 = " + "1" * 40,
        "150" + "x" * 11_998,
        "\\boxed{\\boxed{\\boxed{7}}}",
        "\\boxed{" * 5000,
        "\\frac{" * 5000 + "1",
        "{" * 10_000 + "3" + "}" * 10_000,
        "Answer: " * 10_000 + "5",
        "The answer is " * 10_000,
        "答えは" * 10_000 + "５万2,001",
        "1,000,000,000" * 1000,
        "1.000.000,5" * 1000,
        "١٢٣٬٤٥٦٫٧٨",
        "৭০,০০০ ৳",
        "๗๐.๕",
        "1{,}000{,}000",
        "1\\,000\\,000",
        "8万" * 100,
        "1億2000万" * 50,
        "- " * 10_000 + "5",
        "−" * 10_000 + "5",
        "=" * 10_000 + " 5",
        "5 = " * 10_000,
        "16 - 3 - 4 = 9 × 2 = " * 1000 + "18",
        CONTROL * 100,
        SURROGATES * 100 + "5",
        "5" + SURROGATES,
        "\x00" * 1000 + "7",
        "İ" * 10_000 + "Answer: 3",
        OPEN * 10_000,
        CLOSE * 10_000,
        (OPEN + CLOSE) * 10_000,
        (CLOSE + OPEN) * 10_000,
        OPEN + "How?" + OPEN + "Why?" + CLOSE + "Jibu ni 5." + CLOSE,
        OPEN + "\n" + "a" * 10_000,
        OPEN + "\n\n" * 10_000,
        OPEN.upper() + "x" + CLOSE.upper() + "Die Antwort lautet 3.",
    ]
    big = [
        _repeat(CLOSE),
        _repeat(OPEN),
        _repeat(OPEN + "x" + CLOSE),
        _repeat("1"),
        _repeat("1,"),
        _repeat("1."),
        _repeat("1 "),
        _repeat("1/"),
        _repeat("1万"),
        _repeat("\\boxed{"),
        _repeat("\\boxed{1}"),
        _repeat("{"),
        _repeat("Answer: "),
        _repeat("The answer is 5. "),
        _repeat("= "),
        _repeat("-"),
        _repeat("a"),
        _repeat("İ"),
        _repeat("答"),
        _repeat(digits + " "),
        _repeat("\n"),
        _repeat(CONTROL),
        _repeat("\ud800"),
        _repeat("e+1"),
        _repeat("1e"),
    ]
    return texts + big


def number_corpus() -> list[object]:
    """Answers that are not plain strings: numbers of every size and type, and things that are not numbers."""
    return [
        None, True, False, 0, -0.0, 1, -1, 10**5000, -(10**5000), 2**100_000,
        0.1, 1e-5, 1e16, 1e308, 5e-324, float("inf"), float("-inf"), float("nan"),
        Decimal("1e99999999"), Decimal("1e-99999999"), Decimal("-1E+999999"), Decimal("NaN"), Decimal("sNaN"),
        Decimal("Infinity"), Decimal("0.00001"), Decimal("1" * 5000),
        Fraction(1, 3), Fraction(10**5000, 3), Fraction(1, 10**5000),
        b"18", bytearray(b"5"), [18], {"a": 1}, {18}, (18,), object(), complex(1, 2), 18 + 0j, ..., type,
        "1e99999999", "1e-99999999", "1E+16", "0.00001", "1e-05", "-0", "00018", "18.000", "1" * 64, "1" * 65,
        "1" * 4301, "9" * 100_000, "inf", "nan", "Infinity", "-", ".", "1.", ".5", "--5", "1/0", "0/0",
    ]


# --- hypothesis strategies ---

numbers_as_text = st.one_of(
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.fractions().map(str),
    st.builds(lambda m, e: f"{m}e{e}", st.integers(-999, 999), st.integers(-10**9, 10**9)),
    st.text("0123456789", min_size=1, max_size=200),
)

any_text = st.one_of(
    st.text(),  # any code points, surrogates and controls included
    st.lists(st.sampled_from(ATOMS), max_size=60).map("".join),
    st.lists(st.one_of(st.sampled_from(ATOMS), numbers_as_text, st.text(max_size=5)), max_size=40).map("".join),
    st.builds(lambda atom, times: atom * times, st.sampled_from(ATOMS), st.integers(1, 20_000)),
)

non_strings = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.decimals(), st.fractions(), st.binary(),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from(number_corpus()),
)

anything = st.one_of(any_text, non_strings)

langs = st.one_of(st.sampled_from(sorted(LANGUAGES)), st.none(), st.text(max_size=4), non_strings)


# --- the same atoms for plain random generation (bench/fuzz_campaign.py: many inputs, no shrinking) ---

_ALPHABETS = [
    "0123456789", "0123456789.,/ -", "abcdefghijklmnopqrstuvwxyz ", "".join(NATIVE_DIGITS), CJK_MULTIPLIERS + "0123456789",
    CONTROL, "\ud800\udc00\udfff\u0130\u00df\ufb01", "αβγδ абвг অআই తెలుగు ไทย 日本語 中文",
]


def random_number_text(rng) -> str:
    """A number as a program or a model might write it: huge, tiny, exponent, fraction, grouped, native digits."""
    kind = rng.randrange(8)
    if kind == 0:
        return str(rng.randrange(-10**rng.randrange(1, 80), 10**rng.randrange(1, 80)))
    if kind == 1:
        return f"{rng.randrange(-999, 999)}e{rng.choice(['', '+', '-'])}{rng.randrange(0, 10**rng.randrange(1, 10))}"
    if kind == 2:
        return repr(rng.uniform(-1e300, 1e300) * 10 ** -rng.randrange(0, 600))
    if kind == 3:
        return f"{rng.randrange(10**rng.randrange(1, 70))}/{rng.randrange(10**rng.randrange(1, 70))}"
    if kind == 4:
        separator = rng.choice(SEPARATORS)
        return separator.join(str(rng.randrange(1000)).zfill(3) for _ in range(rng.randrange(1, 30)))
    if kind == 5:
        digits = rng.choice(NATIVE_DIGITS)
        return "".join(rng.choice(digits) for _ in range(rng.randrange(1, 90)))
    if kind == 6:
        return "".join(rng.choice("0123456789" + CJK_MULTIPLIERS + ",") for _ in range(rng.randrange(1, 40)))
    return "1" * rng.randrange(1, 6000)


def random_text(rng, max_pieces: int = 60) -> str:
    """A random text from the atoms, numbers and random characters; now and then one atom repeated up to 1 MB."""
    roll = rng.random()
    if roll < 0.005:  # huge: one piece repeated (1 MB a tenth of the time)
        piece = rng.choice(ATOMS + [random_number_text(rng), " 1 ", "\\boxed{1"])
        return _repeat(piece, rng.choice([10_000, 20_000, 50_000, 100_000, 200_000, 500_000, MB, MB, MB, MB]))
    pieces = []
    for _ in range(rng.randrange(max_pieces)):
        choice = rng.random()
        if choice < 0.5:
            pieces.append(rng.choice(ATOMS))
        elif choice < 0.75:
            pieces.append(random_number_text(rng) if rng.random() < 0.5 else str(rng.randrange(1000)))
        else:
            alphabet = rng.choice(_ALPHABETS)
            pieces.append("".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12))))
    return "".join(pieces)


def random_answer(rng) -> object:
    """A pivot or gold answer: usually a short text, sometimes a number of any type or something else."""
    roll = rng.random()
    if roll < 0.6:
        return random_number_text(rng) if rng.random() < 0.5 else str(rng.randrange(-50, 50))
    if roll < 0.8:
        return random_text(rng, 8)
    return rng.choice(_NUMBERS)


_NUMBERS = number_corpus()
