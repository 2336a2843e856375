"""Every gold answer of PolyMath (``../shared/data/polymath``, levels medium to top) equals itself written
another way: as plain text ("sqrt(3)/2", "pi/3", "2**20"), with ``\\dfrac`` and ``\\left(``, boxed in an
answer sentence of every language that writes a decimal point, and with its set reordered.

The golds the reader cannot take apart (matrices, congruences, set-builder notation, malformed LaTeX)
are pinned in ``CANONICAL_ONLY``: they compare by canonical form only. The data is never copied here.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import SHARED_DATA

from pasmr_plugin.answers import answers_equivalent, extract_expression
from pasmr_plugin.expressions import _structure, _tree, canonical_form
from pasmr_plugin.languages import POLYMATH_LANGUAGES, get_language
from pasmr_plugin.values import same_value

POLYMATH = SHARED_DATA / "polymath"
LEVELS = ("medium", "high", "top")

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not (POLYMATH / "en").is_dir(), reason="../shared/data/polymath is absent"),
]

CANONICAL_ONLY = {
    "\\left[ \\frac{b_1(q^m - 2)}{m}, \\frac{b_1q^m}{m} \\right\\]",  # "\right\]": malformed
    "\\frac{1}{2\\sqrt{2} \\ln\\frac{\\sqrt{2}+2}{2-\\sqrt{2}}",  # an unclosed brace
    "-\\pi \\log_2",  # a logarithm without argument
    "n\\equiv 0,1 \\pmod{4}",  # congruences
    "a \\equiv \\pm6 \\pmod{37}",
    "\\left\\{ \\frac{n+1}{n}: n\\in\\mathbb{Z}, n\\neq0 \\right\\}",  # set-builder notation
    "k \\neq 1, k \\in \\mathbb{Z}",
    "2[\\log_2(p+1)]",  # brackets as the integer part
    "f(x) = \\frac{k}{1+x} + \\frac{1-k}{3} \\left( -\\frac{1}{2} \\le k \\le 1 \\right)",
}
"""Golds with a part that the reader of :mod:`pasmr_plugin.latex` does not cover (besides prose and matrices)."""


def _golds() -> list[str]:
    if not (POLYMATH / "en").is_dir():
        return []
    golds = {}
    for level in LEVELS:
        for line in (POLYMATH / "en" / f"{level}.jsonl").read_text(encoding="utf-8").splitlines():
            golds.setdefault(json.loads(line)["answer"], level)
    return sorted(golds)


def _bare(gold: str) -> str:
    text = gold.strip().rstrip(".").strip()
    if text.startswith("$") and text.endswith("$") and text.count("$") == 2:
        text = text[1:-1].strip()
    return text


_PROSE = re.compile(r"(?<![\\A-Za-z])(?:and|or|where|for|any)(?![A-Za-z])")


def _readable(gold: str) -> bool:
    """Whether every scalar part of the gold reads (else it compares by canonical form only)."""

    def scalars(node):
        if node.kind == "scalar":
            yield node.text
        for part in node.parts:
            yield from scalars(part)

    texts = list(scalars(_structure(canonical_form(_bare(gold)))))
    return not _PROSE.search(gold) and all(_tree(text) is not None for text in texts)


def _evaluable(gold: str) -> bool:
    """Whether the value of every scalar part can be computed (an infinite sum cannot)."""
    texts = [node.text for node in _structure(canonical_form(_bare(gold))).parts or [_structure(canonical_form(_bare(gold)))]]
    return all(text.endswith("\\infty") or same_value(_tree(text), _tree(text)) for text in texts if _tree(text))


_FUNCTION_OF_A_PRODUCT = re.compile(r"\\(?:sin|cos|tan)\s*\\frac")
_FRAC = re.compile(r"\\d?frac\{([^{}]*)\}\{([^{}]*)\}")
_SQRT = re.compile(r"\\sqrt\{([^{}]*)\}")
_POWER = re.compile(r"\^\{([^{}]*)\}")


def plain_text(gold: str) -> str:
    """The gold as plain text: (a)/(b), sqrt(x), pi, **, * (innermost groups first)."""
    text = _bare(gold).replace("\\left", "").replace("\\right", "").replace("\\cdot", "*").replace("\\pi", "pi ")
    for _ in range(8):
        text = _POWER.sub(r"**(\1)", _SQRT.sub(r"sqrt(\1)", _FRAC.sub(r"((\1)/(\2))", text)))
    return text


def with_display_commands(gold: str) -> str:
    return _bare(gold).replace("\\frac", "\\dfrac").replace("(", "\\left(").replace(")", "\\right)")


GOLDS = _golds()
READABLE = [gold for gold in GOLDS if _readable(gold)]
POINT_LANGUAGES = [lang for lang in POLYMATH_LANGUAGES if get_language(lang).decimal_separator == "."]


def test_the_golds_that_compare_by_canonical_form_only_are_the_known_ones():
    unreadable = {_bare(gold) for gold in GOLDS if not _readable(gold)}
    assert unreadable - {text for text in unreadable if "\\begin" in text or _PROSE.search(text)} == CANONICAL_ONLY


@pytest.mark.parametrize("gold", READABLE)
def test_every_gold_equals_itself_as_plain_text_and_with_display_commands(gold):
    if _evaluable(gold) and not _FUNCTION_OF_A_PRODUCT.search(gold):  # \cos\frac{a}{b}x is cos(ax/b), not cos(a/b) x
        assert answers_equivalent(gold, plain_text(gold)), plain_text(gold)
    assert answers_equivalent(gold, with_display_commands(gold)), with_display_commands(gold)


@pytest.mark.parametrize("gold", READABLE)
def test_every_gold_boxed_in_an_answer_sentence_is_read_back(gold):
    for lang in POINT_LANGUAGES:
        text = "…\n" + get_language(lang).answer_sentence(f"$\\boxed{{{_bare(gold)}}}$")
        assert answers_equivalent(extract_expression(text, lang), gold), (lang, extract_expression(text, lang))
