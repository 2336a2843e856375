"""Answers that are expressions: a canonical form and mathematical equivalence, decided by the answers alone.

Competition answers are often LaTeX (``\\frac{\\pi}{3}``, ``2^{2024} - 1``, ``\\{2, -2\\}``,
``[2, 3)``, ``2n^2 - 2n + 1``). This module gives them

- :func:`canonical_form`: a normalized string (``\\dfrac`` is ``\\frac``, no ``\\left``/``\\right``,
  no spacing commands, no ``$``), cheap and dependency-free, used as the first comparison and as
  the key that the self-feedback vote buckets answers by;
- :func:`symbolically_equivalent`: whether two answers denote the same mathematical object:
  unordered sets, ordered tuples, intervals and unions of intervals, inequalities (a condition on
  one variable is the set it describes), equations, ``a \\pm b`` (the set of both), and scalar
  expressions. Scalars are read by the small linear-time reader of :mod:`pasmr_plugin.latex` and
  their values compared by :mod:`pasmr_plugin.values`: exactly where they are rational, beyond a
  separation bound where they are not, at fixed integer points where they have variables.

The verdict depends on the two answers only: never on the time a comparison takes, the load of the
machine, the thread it runs in or what ran before (caches keep results, never change them). The work
is bounded by caps on the input: ``MAX_EXPRESSION_CHARS`` per answer and ``MAX_ELEMENTS`` per set or
tuple here, the caps of :mod:`pasmr_plugin.values` on the numbers and the arithmetic. An answer past a
cap is compared by its canonical form only.

Nothing here raises: unparsable input or a cap gives None ("cannot decide"), which callers read as
"not equivalent".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from .latex import Unsupported, read_latex
from .numbers import APPROXIMATION_PLACES
from .values import proportional, rounds_to, same_value

__all__ = [
    "MAX_ELEMENTS",
    "MAX_EXPRESSION_CHARS",
    "canonical_form",
    "looks_like_math",
    "math_form",
    "symbolic_available",
    "symbolically_equivalent",
]

MAX_EXPRESSION_CHARS = 512
"""Longer answers are compared by canonical form only: PolyMath's longest answer (a 3x3 matrix of
functions) is 330 characters, and the reader's work grows with length."""

MAX_ELEMENTS = 32
"""Sets and tuples with more elements are compared by canonical form only (matching is quadratic)."""

# --- canonical form (pure Python) ---

_REPLACEMENTS = (
    ("\\dfrac", "\\frac"), ("\\tfrac", "\\frac"), ("\\cfrac", "\\frac"),
    ("\\leqslant", "\\leq"), ("\\geqslant", "\\geq"), ("\\le ", "\\leq "), ("\\ge ", "\\geq "),
    ("\\ne ", "\\neq "), ("\\lbrace", "\\{"), ("\\rbrace", "\\}"),
    ("\\displaystyle", ""), ("\\mathrm{d}", "d"),
    ("≤", "\\leq "), ("≥", "\\geq "), ("≠", "\\neq "), ("−", "-"), ("–", "-"), ("π", "\\pi "),
    ("∞", "\\infty "), ("×", "\\times "), ("·", "\\cdot "), ("⋅", "\\cdot "), ("√", "\\sqrt "),
    ("∪", "\\cup "), ("∩", "\\cap "), ("∈", "\\in "), ("（", "("), ("）", ")"), ("，", ","),
    ("⌊", "\\lfloor "), ("⌋", "\\rfloor "), ("⌈", "\\lceil "), ("⌉", "\\rceil "), ("θ", "\\theta "),
    ("α", "\\alpha "), ("β", "\\beta "), ("γ", "\\gamma "), ("λ", "\\lambda "), ("μ", "\\mu "), ("φ", "\\varphi "),
)
_OPERATOR_NAME = re.compile(r"\\operatorname\*?\s*\{\s*([A-Za-z]+)\s*\}")  # \operatorname{atan} is \atan
_PLAIN_TEXT_NAMES = re.compile(r"(?<![A-Za-z\\])(sqrt|pi)(?![A-Za-z])")
_DELIMITERS = re.compile(r"^(?:\$\$|\$|\\\(|\\\[)(.*?)(?:\$\$|\$|\\\)|\\\])$", re.S)
_SIZING = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg)(?![a-zA-Z])\.?")
_SPACING = re.compile(r"(?<!\\)\\[,;:! ]|~|\\q?quad(?![a-zA-Z])")
_TEXT = re.compile(r"\\(?:text|mathrm|textbf|mathbf|textit|mbox)\s*\{([^{}]*)\}")
_SINGLE_BRACED = re.compile(r"([\^_])\{([A-Za-z0-9])\}")
_COMMAND_SPACE = re.compile(r"(\\[A-Za-z]+) (?=[A-Za-z])")
_SHORT_FRAC = re.compile(r"\\frac\s*([0-9])\s*([0-9A-Za-z])")  # \frac12
_SHORT_SQRT = re.compile(r"\\sqrt\s*([0-9A-Za-z])")  # \sqrt2
_GLUED_COMMAND = re.compile(r"(\\(?:sin|cos|tan|cot|ln|log|exp|alpha|beta|gamma|theta|lambda|mu|pi))(?=[A-Za-z])(?!h[^A-Za-z]|h$)([A-Za-z])")
_BOXED = re.compile(r"^\\(?:boxed|fbox)\{(.*)\}$", re.S)
_MATH_SIGNAL = re.compile(r"[0-9\\^_=<>+\-*/()\[\]{}|!]|(?<![A-Za-z])[A-Za-z](?![A-Za-z])")
_FOREIGN_LETTER = re.compile(r"[^\W\d_A-Za-zα-ωΑ-Ωπθφ∞ℝℤℕℚℂ]")  # letters of other scripts than Latin and Greek
_TEXT_GROUP = re.compile(r"\\text\{[^{}]*\}")
_WORD = re.compile(r"[^\W\d_]{2,}")


def canonical_form(answer: str) -> str:
    """A normalized spelling of a LaTeX answer; equal forms mean equal answers.

    >>> canonical_form("$\\\\dfrac{\\\\pi}{3}$") == canonical_form("\\\\frac{\\\\pi}{ 3 }")
    True
    >>> canonical_form("\\\\left\\\\{ 2,\\\\ -2 \\\\right\\\\}.")
    '\\\\{2,-2\\\\}'
    """
    return _canonical(answer.strip()[: MAX_EXPRESSION_CHARS * 2])


@lru_cache(maxsize=4096)
def _canonical(text: str) -> str:
    """:func:`canonical_form` of a text already cut to length (cached: a vote compares each answer many times)."""
    for _ in range(3):  # "$\boxed{...}$"
        match = _DELIMITERS.match(text) or _BOXED.match(text)
        if not match:
            break
        text = match.group(1).strip()
    for old, new in _REPLACEMENTS:
        if old in text:
            text = text.replace(old, new)
    text = _OPERATOR_NAME.sub(r"\\\1 ", text)
    text = _PLAIN_TEXT_NAMES.sub(r"\\\1 ", text)  # plain text "sqrt(3)/2", "pi/3" spelled as LaTeX
    text = text.replace("\\$", "").replace("$", " ")  # stray dollars of malformed answers ("b \\geq $-\\frac{2}{3}")
    text = _GLUED_COMMAND.sub(r"\1 \2", text)  # "\\cosx" is "\\cos x"
    text = " ".join(text.split())
    text = _SIZING.sub("", text)
    text = _SPACING.sub(" ", text)
    text = _TEXT.sub(r"\1", text)
    text = _SHORT_FRAC.sub(r"\\frac{\1}{\2}", text)
    text = _SHORT_SQRT.sub(r"\\sqrt{\1}", text)
    text = _SINGLE_BRACED.sub(r"\1\2", text)
    text = " ".join(text.split())
    text = _COMMAND_SPACE.sub(r"\1\0", text).replace("\0", " ")  # keep "\alpha x" apart from "\alphax"
    text = re.sub(r"(?<![A-Za-z\\]) | (?![A-Za-z])|(?<=[^A-Za-z]) (?=[A-Za-z])|(?<=[A-Za-z]) (?=[^A-Za-z])", "", text)
    text = text.replace("+\\infty", "\\infty")
    text = _ISO_INTERVAL.sub(_anglo_interval, text)
    return text.rstrip(".,;。 ").strip()


_ISO_INTERVAL = re.compile(r"(?<![\d)}])([\[\]])([^\[\](),;]+)[,;]([^\[\](),;]+)([\[\]])")
"""An interval whose brackets may face outwards, as French and other ISO notation opens them: ``]0, 1[``."""


def _anglo_interval(match: re.Match[str]) -> str:
    """``]0,1[`` as ``(0,1)``, ``[0,1[`` as ``[0,1)``; an interval with ordinary brackets stays as written."""
    opener, low, high, closer = match.groups()
    if (opener, closer) == ("[", "]"):
        return match.group()
    return ("(" if opener == "]" else "[") + low + "," + high + (")" if closer == "[" else "]")


def math_form(answer: str) -> str | None:
    """The canonical form of ``answer`` when it can be a math answer at all, else None.

    >>> math_form("$\\\\dfrac{\\\\pi}{3}$"), math_form("keine Ahnung"), math_form("n")
    ('\\\\frac{\\\\pi}{3}', None, 'n')
    """
    form = canonical_form(answer)
    if not form or not (_MATH_SIGNAL.search(_WORD.sub(" ", form)) or form in {"e", "i"}):
        return None
    if not form.isascii() and _FOREIGN_LETTER.search(_TEXT_GROUP.sub("", form)):  # "5/3千兆": words, not LaTeX
        return None
    if form.count("{") != form.count("}"):  # "\\boxed{150": cut off, no answer yet
        return None
    return form


def looks_like_math(answer: str) -> bool:
    """Whether a non-numeric string can be an answer at all: "no number" cannot, "e", "2n", "\\\\pi" can."""
    return math_form(answer) is not None


# --- structure: sets, tuples, intervals, relations, scalars ---

_OPENERS = {"(": ")", "[": "]", "{": "}"}
_RELATIONS = (("\\leq", "<="), ("\\geq", ">="), ("\\neq", "!="), ("\\in", "in"), ("<", "<"), (">", ">"), ("=", "="))
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "=": "=", "!=": "!="}


def _split_top(text: str, separators: tuple[str, ...]) -> list[str]:
    """Split at separators outside any bracket (``\\{`` and ``\\left(`` included)."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        char = text[i]
        if char == "\\" and text.startswith(("\\{", "\\}"), i):
            depth += 1 if text[i + 1] == "{" else -1
            i += 2
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0:
            for sep in separators:
                if text.startswith(sep, i) and not (sep[-1].isalpha() and text[i + len(sep) : i + len(sep) + 1].isalpha()):
                    parts.append(text[start:i])
                    start = i = i + len(sep)
                    break
            else:
                i += 1
                continue
            continue
        i += 1
    parts.append(text[start:])
    return [part.strip() for part in parts]


def _balanced(inner: str) -> bool:
    depth = 0
    for char in inner:
        depth += 1 if char in "([{" else -1 if char in ")]}" else 0
        if depth < 0:
            return False
    return depth == 0


def _wrapped(text: str) -> tuple[str, str, str] | None:
    """(opener, inside, closer) when the whole text is one bracketed group: "(1, 2]", "\\{1, 2\\}"."""
    if text.startswith("\\{") and text.endswith("\\}"):
        inner = text[2:-2]
        return ("{", inner, "}") if _balanced(inner.replace("\\{", "(").replace("\\}", ")")) else None
    if len(text) >= 2 and text[0] in "([{" and text[-1] in ")]}":
        inner = text[1:-1]
        return (text[0], inner, text[-1]) if _balanced(inner.replace("\\{", "(").replace("\\}", ")")) else None
    return None


_NAMES = re.compile(r"^\((?:\s*\\?[A-Za-z]+(?:_\{?[A-Za-z0-9]+\}?)?\s*,)+\s*\\?[A-Za-z]+(?:_\{?[A-Za-z0-9]+\}?)?\s*\)$")  # "(a, b, c)"
_NAME = re.compile(r"^(?:\\?[A-Za-z]+(?:_\{?[A-Za-z0-9]+\}?)?'*(?:\([A-Za-z, ]*\))?|\\(?:hat|bar|tilde)\{?\\?[A-Za-z]+\}?)$")


@dataclass(frozen=True)
class _Node:
    kind: str  # "set", "tuple", "interval", "union", "relation", "equation", "scalar"
    parts: tuple = ()
    text: str = ""
    op: str = ""


def _structure(form: str, depth: int = 0) -> _Node:
    """The shape of a canonical answer; scalars keep their text for the parser."""
    if depth > 4:
        return _Node("scalar", text=form)
    pieces = _split_top(form, (",", ";"))
    if len(pieces) > 1:
        kind = "tuple" if ";" in form and "," not in form else "set"  # "a; b" keeps its order; "x = 1, 2" is a list
        first = pieces[0]
        relation = _split_top(first, ("=",))
        if len(relation) == 2 and _NAME.match(relation[0]):  # "k = -4, -2, 1"
            pieces[0] = relation[1]
        return _Node(kind, tuple(_structure(p, depth + 1) for p in pieces[:MAX_ELEMENTS + 1]))
    union = _split_top(form, ("\\cup",))
    if len(union) > 1:
        return _Node("union", tuple(_structure(p, depth + 1) for p in union))
    relation = _relations(form)
    if relation is not None:
        return relation
    wrapped = _wrapped(form)
    if wrapped:
        opener, inner, closer = wrapped
        items = _split_top(inner, (",", ";"))
        if opener == "{":
            if inner.strip() == "" or len(items) > 1 or form.startswith("\\{"):
                return _Node("set", tuple(_structure(p, depth + 1) for p in items if p))
        elif len(items) == 2 and (opener, closer) != ("(", ")"):
            return _Node("interval", tuple(_structure(p, depth + 1) for p in items), op=opener + closer)
        elif len(items) == 2:
            return _Node("tuple", tuple(_structure(p, depth + 1) for p in items), op="()")  # a pair or an open interval
        elif len(items) > 2 and opener == "(":
            return _Node("tuple", tuple(_structure(p, depth + 1) for p in items))
    plus_minus = _PLUS_MINUS.findall(form)
    if len(plus_minus) == 1:  # "\\frac{-1 \\pm \\sqrt{5}}{2}" is the set of both values
        first, second = ("+", "-") if plus_minus[0] == "\\pm" else ("-", "+")
        return _Node("set", (_structure(_PLUS_MINUS.sub(first, form), depth + 1), _structure(_PLUS_MINUS.sub(second, form), depth + 1)))
    return _Node("scalar", text=form)


_PLUS_MINUS = re.compile(r"\\(?:pm|mp)(?![A-Za-z])")


@lru_cache(maxsize=4096)
def _structure_of(form: str) -> _Node:
    """:func:`_structure` of a whole canonical answer (cached)."""
    return _structure(form)


def _relations(form: str) -> _Node | None:
    seps = tuple(latex for latex, _ in _RELATIONS)
    pieces = _split_top(form, seps)
    if len(pieces) < 2:
        return None
    ops, position = [], 0
    for piece in pieces[:-1]:
        position = form.find(piece, position) + len(piece)
        rest = form[position:].lstrip()
        for latex, op in _RELATIONS:
            if rest.startswith(latex):
                ops.append(op)
                position = form.find(latex, position) + len(latex)
                break
    if len(ops) != len(pieces) - 1 or not all(pieces):
        return None
    if ops in (["="], ["in"]) and (_NAME.match(pieces[0]) or _NAMES.match(pieces[0])):  # "x = 5" is 5, "t \\in [1, 2]" is [1, 2]
        return _structure(pieces[1], 1)
    if all(op == "=" for op in ops):
        if len(pieces) > 2:  # "a = b = 5": the last value
            return _structure(pieces[-1], 1)
        return _Node("equation", (_Node("scalar", text=pieces[0]), _Node("scalar", text=pieces[1])))
    return _Node("relation", tuple(_Node("scalar", text=p) for p in pieces), op=" ".join(ops))


# --- comparison ---


def symbolic_available() -> bool:
    """Whether values that are not rational (roots, π, logarithms) can be decided: mpmath, part of the
    ``math`` extra, is importable. The first call imports it; exact values need nothing.
    """
    try:
        import mpmath  # noqa: F401
    except ImportError:
        return False
    return True


def symbolically_equivalent(a: str, b: str) -> bool | None:
    """Whether two LaTeX answers denote the same object; None when it cannot be decided within the caps.

    >>> symbolically_equivalent("\\\\{2, -\\\\frac{1}{2}\\\\}", "\\\\{-0.5, 2\\\\}")
    True
    >>> symbolically_equivalent("2^{2024} - 1", "2^{2024}"), symbolically_equivalent("10!", "3628800")
    (False, True)
    """
    try:
        fa, fb = canonical_form(a), canonical_form(b)
        if fa == fb:
            return True
        if len(fa) > MAX_EXPRESSION_CHARS or len(fb) > MAX_EXPRESSION_CHARS:
            return None
        return _equal_nodes(_structure_of(fa), _structure_of(fb))
    except _Undecidable:
        return None
    except RecursionError:
        return None


class _Undecidable(Exception):
    pass


def _equal_nodes(x: _Node, y: _Node) -> bool | None:
    if x.kind == "scalar" and y.kind == "scalar":
        return _equal_scalars(x.text, y.text)
    if x.kind != y.kind and {x.kind, y.kind} & {"interval", "tuple", "union", "relation"}:
        x, y = _as_set(x), _as_set(y)
    if x.kind != y.kind:
        if {x.kind, y.kind} == {"set", "scalar"}:  # "{5}" and "5"
            single = x if x.kind == "set" else y
            other = y if single is x else x
            return len(single.parts) == 1 and _equal_nodes(single.parts[0], other)
        if {x.kind, y.kind} == {"tuple", "interval"}:  # "(1, 2)" is a pair and an open interval
            pair, interval = (x, y) if x.kind == "tuple" else (y, x)
            if pair.op == "()" and interval.op == "()":
                return _equal_parts(pair.parts, interval.parts)
        return False
    if x.kind in ("tuple", "interval"):
        return x.op == y.op and _equal_parts(x.parts, y.parts)
    if x.kind in ("set", "union"):
        return _matching(x.parts, y.parts)
    if x.kind == "equation":
        return _equal_equations(x, y)
    if x.kind == "relation":
        return x.op == y.op and _equal_parts(x.parts, y.parts)
    return False


def _equal_parts(xs: tuple, ys: tuple) -> bool:
    return len(xs) == len(ys) and all(_equal_nodes(a, b) for a, b in zip(xs, ys))


def _matching(xs: tuple, ys: tuple) -> bool:
    """Unordered: every element of one side equals a distinct element of the other (duplicates collapse)."""
    if len(xs) > MAX_ELEMENTS or len(ys) > MAX_ELEMENTS:
        raise _Undecidable
    xs, ys = _dedupe(xs), _dedupe(ys)
    if len(xs) != len(ys):
        return False
    remaining = list(ys)
    for a in xs:
        found = next((i for i, b in enumerate(remaining) if _equal_nodes(a, b)), None)
        if found is None:
            return False
        remaining.pop(found)
    return True


def _dedupe(parts: tuple) -> tuple:
    kept: list = []
    for part in parts:
        if not any(part == seen for seen in kept):
            kept.append(part)
    return tuple(kept)


def _as_set(node: _Node) -> _Node:
    """Intervals as one-piece unions, a condition on one variable as the set it describes."""
    if node.kind == "interval" or (node.kind == "tuple" and node.op == "()"):
        return _Node("union", (_Node("interval", node.parts, op=node.op),))
    if node.kind == "relation":
        interval = _relation_interval(node)
        if interval is not None:
            return _Node("union", (interval,))
    if node.kind == "union":
        return _Node("union", tuple(_as_interval(p) for p in node.parts))
    return node


def _as_interval(node: _Node) -> _Node:
    if node.kind == "tuple" and node.op == "()":
        return _Node("interval", node.parts, op="()")
    return node


_INF = _Node("scalar", text="\\infty")
_NEG_INF = _Node("scalar", text="-\\infty")


def _relation_interval(node: _Node) -> _Node | None:
    """"0 < x \\leq 1" is (0, 1]; "x \\geq -2" is [-2, \\infty); "-2 \\leq b" too."""
    ops = node.op.split()
    texts = [p.text for p in node.parts]
    if len(ops) == 2 and ops[0] in ("<", "<=") and ops[1] in ("<", "<=") and _NAME.match(texts[1]):
        return _Node("interval", (node.parts[0], node.parts[2]), op=("(" if ops[0] == "<" else "[") + (")" if ops[1] == "<" else "]"))
    if len(ops) == 2 and ops[0] in (">", ">=") and ops[1] in (">", ">=") and _NAME.match(texts[1]):
        return _Node("interval", (node.parts[2], node.parts[0]), op=("(" if ops[1] == ">" else "[") + (")" if ops[0] == ">" else "]"))
    if len(ops) != 1 or ops[0] in ("=", "!="):
        return None
    op = ops[0]
    if _NAME.match(texts[0]) and not _NAME.match(texts[1]):
        value = node.parts[1]
    elif _NAME.match(texts[1]) and not _NAME.match(texts[0]):
        value, op = node.parts[0], _FLIP[op]
    else:
        return None
    if op in (">", ">="):
        return _Node("interval", (value, _INF), op=("(" if op == ">" else "[") + ")")
    return _Node("interval", (_NEG_INF, value), op="(" + (")" if op == "<" else "]"))


# --- scalars ---

_DECIMAL = re.compile(r"^-?\d+\.(\d+)$")
_INFINITIES = {"\\infty": 1, "-\\infty": -1}


@lru_cache(maxsize=4096)
def _tree(text: str) -> tuple | None:
    """The tree of one scalar (cached: the same text is read once); None when the reader does not cover it."""
    try:
        return read_latex(text)
    except (Unsupported, RecursionError):
        return None


def _equal_scalars(a: str, b: str) -> bool | None:
    """Equal values; a decimal with two or more places also matches a value that rounds to it
    (:func:`pasmr_plugin.numbers.rounds_to`: "1.05" is \\frac{\\pi}{3} rounded)."""
    if a == b:
        return True
    if a in _INFINITIES or b in _INFINITIES:
        return _INFINITIES.get(a) == _INFINITIES.get(b)
    x, y = _tree(a), _tree(b)
    if x is None or y is None:
        raise _Undecidable
    for decimal, other in ((a, y), (b, x)):
        match = _DECIMAL.match(decimal)
        places = len(match.group(1)) if match else 0
        if places >= APPROXIMATION_PLACES and rounds_to(other, Fraction(decimal), places):
            return True
    same = same_value(x, y)
    if same is None:
        raise _Undecidable
    return same


def _equal_equations(x: _Node, y: _Node) -> bool | None:
    """Equations are equal when lhs - rhs of one is a non-zero constant multiple of the other's."""
    sides = [_tree(n.text) for n in (*x.parts, *y.parts)]
    if any(side is None for side in sides):
        raise _Undecidable
    return proportional(_difference(sides[0], sides[1]), _difference(sides[2], sides[3]))


def _difference(left: tuple, right: tuple) -> tuple:
    return ("add", (left, ("mul", (("num", -1), right))))
