"""Answers that are expressions: a canonical form and bounded mathematical equivalence.

Competition answers are often LaTeX (``\\frac{\\pi}{3}``, ``2^{2024} - 1``, ``\\{2, -2\\}``,
``[2, 3)``, ``2n^2 - 2n + 1``). This module gives them

- :func:`canonical_form`: a normalized string (``\\dfrac`` is ``\\frac``, no ``\\left``/``\\right``,
  no spacing commands, no ``$``), cheap and dependency-free, used as the first comparison and as
  the key that the self-feedback vote buckets answers by;
- :func:`symbolically_equivalent`: whether two answers denote the same mathematical object:
  unordered sets, ordered tuples, intervals and unions of intervals, inequalities (a condition on
  one variable is the set it describes), equations, and scalar expressions (fractions, radicals,
  π, powers, expressions in a variable). Scalar expressions are read into sympy by the small
  linear-time reader of :mod:`pasmr_plugin.latex` (well under a millisecond), and by
  ``latex2sympy2_extended`` (the parser math-verify uses) for what that reader does not cover.
  sympy and latex2sympy2_extended are imported lazily, on the first symbolic comparison: install
  the ``math`` extra. Without it, answers with different canonical forms are not equivalent.

Time is bounded, since these calls run inside trainer worker threads where signal-based timeouts do
not work:

1. Size caps before any parsing: ``MAX_EXPRESSION_CHARS`` per answer, ``MAX_ELEMENTS`` per set or
   tuple, ``MAX_TREE_NODES`` per parsed expression, and ``MAX_INTEGER_BITS`` on the size of any exact
   number an expression would evaluate to (``2^{2024} - 1`` is evaluated exactly;
   ``2^{2^{100}}`` is never evaluated).
2. Scalar expressions are compared by evaluation at fixed points with ``PROBE_DIGITS`` digits
   (never by ``simplify``), so the work per comparison is proportional to the expression size.
3. All symbolic work runs on a daemon worker thread; the caller waits at most the time budget
   (``SYMBOLIC_TIME_BUDGET`` seconds by default). The job checks the deadline between steps and
   stops; a job cut off inside one step is cancelled when it has not started. latex2sympy parses
   run on a second daemon thread (their time grows quickly with length, so only texts up to
   ``MAX_FALLBACK_CHARS`` go there, ``MAX_FALLBACK_PENDING`` at a time); one that outlasts the
   budget finishes there and is cached for the next comparison of that text. Past the budget the
   answer is "not shown equivalent" (the canonical forms already differ: canonical-form equality
   is the fallback), and the event is counted in :data:`STATS` (``timeout``) and logged at debug
   level.

Nothing here raises: unparsable input, a missing library or an exhausted budget give None
("cannot decide"), which callers read as "not equivalent".
"""

from __future__ import annotations

import logging
import math
import queue
import re
import threading
import time
from collections import Counter
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from .latex import Unsupported, read_latex

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_EXPRESSION_CHARS",
    "SYMBOLIC_TIME_BUDGET",
    "STATS",
    "canonical_form",
    "looks_like_math",
    "math_form",
    "symbolic_available",
    "symbolically_equivalent",
]

SYMBOLIC_TIME_BUDGET = 0.03
"""Seconds one :func:`symbolically_equivalent` call may wait for the symbolic worker. Most
comparisons take 1-5 ms once their answers are parsed (parses are cached); the budget cuts off the
rare LaTeX that the parser needs hundreds of milliseconds for, and keeps ``answers_equivalent``
well under the 50 ms bound that every text entry point keeps (docs/robustness.md)."""

MAX_EXPRESSION_CHARS = 512
"""Longer answers are compared by canonical form only: PolyMath's longest answer (a 3x3 matrix of
functions) is 330 characters, and parse time grows with length."""

MAX_ELEMENTS = 32
"""Sets and tuples with more elements are compared by canonical form only (matching is quadratic)."""

MAX_FALLBACK_CHARS = 200
"""Scalar LaTeX that the fast reader does not cover goes to latex2sympy only up to this length (its
parse time grows quickly with length); longer text is compared by canonical form."""

MAX_FALLBACK_PENDING = 8
"""At most this many latex2sympy parses wait or run at once; further ones are not started."""

MAX_TREE_NODES = 400
"""Parsed expressions with more nodes are not evaluated."""

MAX_INTEGER_BITS = 40_000
"""Exact numbers up to about 12,000 digits are evaluated (``2^{2024}``, ``2016!``, ``10^{980}``);
an expression that could evaluate to a larger one is not evaluated at all."""

PROBE_DIGITS = 30
"""Significant digits of numeric evaluation; values agreeing to ``PROBE_TOLERANCE`` are equal."""

PROBE_TOLERANCE = 1e-12

PROBE_POINTS = ((0.5772156649, 1.6180339887, 2.7182818285), (1.4142135624, 0.3183098862, 3.1415926536), (2.2360679775, 1.7320508076, 0.6931471806))
"""Values substituted for the free variables (in sorted order, cycling) of expressions in variables:
irrational-looking so that different expressions rarely agree by accident, positive so that
square roots and logarithms stay real."""

STATS: Counter = Counter()
"""How symbolic comparisons ended: ``decided``, ``timeout``, ``too_large``, ``unparsable``,
``unavailable``; read it in logs to see how often the budget was exceeded."""

# --- canonical form (pure Python) ---

_REPLACEMENTS = (
    ("\\dfrac", "\\frac"), ("\\tfrac", "\\frac"), ("\\cfrac", "\\frac"),
    ("\\leqslant", "\\leq"), ("\\geqslant", "\\geq"), ("\\le ", "\\leq "), ("\\ge ", "\\geq "),
    ("\\ne ", "\\neq "), ("\\lbrace", "\\{"), ("\\rbrace", "\\}"),
    ("\\displaystyle", ""), ("\\mathrm{d}", "d"), ("\\operatorname", ""),
    ("≤", "\\leq "), ("≥", "\\geq "), ("≠", "\\neq "), ("−", "-"), ("–", "-"), ("π", "\\pi "),
    ("∞", "\\infty "), ("×", "\\times "), ("·", "\\cdot "), ("⋅", "\\cdot "), ("√", "\\sqrt "),
    ("∪", "\\cup "), ("∩", "\\cap "), ("∈", "\\in "), ("（", "("), ("）", ")"), ("，", ","),
)
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
    text = answer.strip()[: MAX_EXPRESSION_CHARS * 2]
    for _ in range(3):  # "$\boxed{...}$"
        match = _DELIMITERS.match(text) or _BOXED.match(text)
        if not match:
            break
        text = match.group(1).strip()
    for old, new in _REPLACEMENTS:
        if old in text:
            text = text.replace(old, new)
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
    return text.rstrip(".,;。 ").strip()


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
    return _Node("scalar", text=form)


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


# --- the workers ---


class _Worker:
    """One daemon thread running jobs in order; ``submit`` returns a Future.

    Daemon, unlike ``ThreadPoolExecutor``'s threads, so that a job still running when the
    interpreter exits never delays the exit; restarted after a fork (Ray and multiprocessing
    workers), where the thread does not exist.
    """

    def __init__(self, name: str):
        self.name = name
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, function, *args) -> Future:
        future: Future = Future()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
        self._jobs.put((future, function, args))
        return future

    def pending(self) -> int:
        return self._jobs.qsize()

    def _run(self) -> None:
        while True:
            future, function, args = self._jobs.get()
            if not future.set_running_or_notify_cancel():  # cancelled while waiting: its caller gave up
                continue
            try:
                future.set_result(function(*args))
            except BaseException as error:  # handed to the caller, who treats it as "cannot decide"
                future.set_exception(error)


_COMPARISONS = _Worker("pasmr-symbolic")  # structure, the fast reader, evaluation
_FALLBACK_PARSES = _Worker("pasmr-latex2sympy")  # the complete (and slow) parser, off the comparison thread
_LIBRARY_LOCK = threading.Lock()
_LIBRARY: object = None  # (sympy, latex2sympy) once imported; False when unavailable


_WARM_UP = (
    "\\frac{1}{2}+x", "\\sum_{n=0}^{\\infty} (n+1) x^{n}", "\\prod_{i=1}^{5}(4i-1)", "\\hat{\\theta}=\\alpha_{0} / \\bar{x}",
    "2[\\log_2(p+1)]", "a \\equiv 6 \\pmod{37}", "\\sqrt{\\frac{2}{\\pi}} e^{-\\pi/2}", "\\binom{k}{n}2^{n}",
)
"""Shapes parsed once at import so that the parser's first real parses are not its slowest."""


def symbolic_available() -> bool:
    """Whether sympy and latex2sympy2_extended can be imported (the ``math`` extra).

    The first call imports them and warms the parser (2-3 s on an idle machine): call it once at
    start-up to keep that out of the first comparison.
    """
    return _library() is not None


def _library():
    global _LIBRARY
    if _LIBRARY is None:
        with _LIBRARY_LOCK:
            if _LIBRARY is None:
                try:
                    import sympy
                    from latex2sympy2_extended import latex2sympy

                    for shape in _WARM_UP:  # ANTLR builds its prediction tables on first use: not in a caller's budget
                        try:
                            latex2sympy(shape)
                        except Exception:  # noqa: S112 - warming only
                            continue
                    _LIBRARY = (sympy, latex2sympy)
                except Exception as error:  # ImportError, or a broken install
                    logger.info("symbolic answer comparison unavailable (%s); install pasmr-plugin[math]", error)
                    _LIBRARY = False
    return _LIBRARY or None


def symbolically_equivalent(a: str, b: str, *, budget: float = SYMBOLIC_TIME_BUDGET) -> bool | None:
    """Whether two LaTeX answers denote the same object; None when it cannot be decided in ``budget`` seconds.

    >>> symbolically_equivalent("\\\\{2, -\\\\frac{1}{2}\\\\}", "\\\\{-0.5, 2\\\\}")
    True
    >>> symbolically_equivalent("2^{2024} - 1", "2^{2024}")
    False
    """
    try:
        fa, fb = canonical_form(a), canonical_form(b)
    except Exception:  # pragma: no cover - defensive
        return None
    if fa == fb:
        return True
    if len(fa) > MAX_EXPRESSION_CHARS or len(fb) > MAX_EXPRESSION_CHARS:
        STATS["too_large"] += 1
        return None
    if _library() is None:
        STATS["unavailable"] += 1
        return None
    deadline = time.monotonic() + budget
    future = _COMPARISONS.submit(_compare_job, fa, fb, deadline)
    try:
        result = future.result(timeout=max(0.0, deadline - time.monotonic()))
    except FutureTimeout:
        future.cancel()
        STATS["timeout"] += 1
        logger.debug("symbolic comparison past its %.3fs budget: %r vs %r", budget, fa[:80], fb[:80])
        return None
    except Exception as error:  # pragma: no cover - the job catches everything itself
        logger.debug("symbolic comparison failed: %s", error)
        return None
    STATS["decided" if result is not None else "undecided"] += 1
    return result


class _Deadline(Exception):
    pass


class _Undecidable(Exception):
    pass


def _compare_job(fa: str, fb: str, deadline: float) -> bool | None:
    try:
        return _equal_nodes(_structure(fa), _structure(fb), deadline)
    except _Deadline:
        return None
    except _Undecidable:
        return None
    except RecursionError:
        return None
    except Exception as error:  # sympy and the parser raise many kinds; never let one out
        logger.debug("symbolic comparison error %s: %r vs %r", type(error).__name__, fa[:80], fb[:80])
        return None


def _check(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise _Deadline


def _equal_nodes(x: _Node, y: _Node, deadline: float) -> bool | None:
    _check(deadline)
    if x.kind == "scalar" and y.kind == "scalar":
        return _equal_scalars(x.text, y.text, deadline)
    if x.kind != y.kind and {x.kind, y.kind} & {"interval", "tuple", "union", "relation"}:
        x, y = _as_set(x), _as_set(y)
    if x.kind != y.kind:
        if {x.kind, y.kind} == {"set", "scalar"}:  # "{5}" and "5"
            single = x if x.kind == "set" else y
            other = y if single is x else x
            return len(single.parts) == 1 and _equal_nodes(single.parts[0], other, deadline)
        if {x.kind, y.kind} == {"tuple", "interval"}:  # "(1, 2)" is a pair and an open interval
            pair, interval = (x, y) if x.kind == "tuple" else (y, x)
            if pair.op == "()" and interval.op == "()":
                return _equal_parts(pair.parts, interval.parts, deadline)
        return False
    if x.kind in ("tuple", "interval"):
        return x.op == y.op and _equal_parts(x.parts, y.parts, deadline)
    if x.kind in ("set", "union"):
        return _matching(x.parts, y.parts, deadline)
    if x.kind == "equation":
        return _equal_equations(x, y, deadline)
    if x.kind == "relation":
        return x.op == y.op and _equal_parts(x.parts, y.parts, deadline)
    return False


def _equal_parts(xs: tuple, ys: tuple, deadline: float) -> bool:
    return len(xs) == len(ys) and all(_equal_nodes(a, b, deadline) for a, b in zip(xs, ys))


def _matching(xs: tuple, ys: tuple, deadline: float) -> bool:
    """Unordered: every element of one side equals a distinct element of the other (duplicates collapse)."""
    if len(xs) > MAX_ELEMENTS or len(ys) > MAX_ELEMENTS:
        raise _Undecidable
    xs, ys = _dedupe(xs), _dedupe(ys)
    if len(xs) != len(ys):
        return False
    remaining = list(ys)
    for a in xs:
        found = next((i for i, b in enumerate(remaining) if _equal_nodes(a, b, deadline)), None)
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


# --- scalars: parse, bound, evaluate ---


_PARSED: dict[str, object] = {}  # canonical scalar text -> evaluated expression or None (worker thread only)
_FALLBACK_RESULTS: dict[str, object] = {}  # text -> latex2sympy's expression or None (written by the fallback thread)
_FALLBACK_PENDING: dict[str, Future] = {}
_CACHE_SIZE = 4096
_UNEVALUATED = ("Sum", "Product", "Integral", "Limit", "Derivative")  # numeric evaluation of these is unbounded


def _parse(text: str, deadline: float):
    """The evaluated sympy expression of one scalar LaTeX text, or None; cached.

    The fast reader (:mod:`pasmr_plugin.latex`) covers most answers in well under a millisecond.
    Anything else goes to latex2sympy on its own thread: a parse that outlasts the caller's
    deadline finishes there and is cached for the next comparison, while this worker moves on.
    """
    if text in _PARSED:
        return _PARSED[text]
    sympy, _ = _library()
    try:
        expr = read_latex(text, sympy)
    except Unsupported:
        expr = _fallback(text, deadline)
    except (ArithmeticError, ValueError, TypeError, RecursionError):
        expr = None
    result = _checked(expr, sympy) if expr is not None else None
    if expr is None:
        STATS["unparsable"] += 1
    if len(_PARSED) >= _CACHE_SIZE:
        _PARSED.clear()
    _PARSED[text] = result
    return result


def _fallback(text: str, deadline: float):
    if text in _FALLBACK_RESULTS:
        return _FALLBACK_RESULTS[text]
    if len(text) > MAX_FALLBACK_CHARS or "\\begin" in text:
        return None
    future = _FALLBACK_PENDING.get(text)
    if future is None:
        if len(_FALLBACK_PENDING) >= MAX_FALLBACK_PENDING:
            STATS["busy"] += 1
            raise _Deadline
        future = _FALLBACK_PENDING[text] = _FALLBACK_PARSES.submit(_run_fallback, text)
    try:
        return future.result(timeout=max(0.0, deadline - time.monotonic()))
    except FutureTimeout:
        raise _Deadline from None


def _run_fallback(text: str):
    sympy, latex2sympy = _library()
    try:
        expr = latex2sympy(text)
        if not isinstance(expr, sympy.Expr) or any(expr.has(getattr(sympy, name)) for name in _UNEVALUATED):
            expr = None
    except Exception:  # the parser raises many kinds on input it does not understand
        expr = None
    if len(_FALLBACK_RESULTS) >= _CACHE_SIZE:
        _FALLBACK_RESULTS.clear()
    _FALLBACK_RESULTS[text] = expr
    _FALLBACK_PENDING.pop(text, None)
    return expr


def _checked(expr, sympy):
    """``expr`` evaluated when it is small enough: at most ``MAX_TREE_NODES`` nodes and ``MAX_INTEGER_BITS``."""
    if not isinstance(expr, sympy.Expr):
        return None
    nodes = 0
    for _ in sympy.preorder_traversal(expr):
        nodes += 1
        if nodes > MAX_TREE_NODES:
            STATS["too_large"] += 1
            return None
    if _bits(expr, sympy) > MAX_INTEGER_BITS:
        STATS["too_large"] += 1
        return None
    return _evaluated(expr)


def _bits(expr, sympy) -> float:
    """An upper bound of log2 of the largest exact number evaluating ``expr`` could create."""
    if expr.is_Integer:
        return float(abs(int(expr)).bit_length())
    if expr.is_Rational:
        return float(max(abs(expr.p).bit_length(), expr.q.bit_length()))
    if expr.is_Atom:  # symbols are only ever evaluated at floating-point values
        return 64.0 if expr.is_Float else 2.0
    args = expr.args
    if isinstance(expr, sympy.Pow):
        base, exponent = args
        exponent_bits = _bits(exponent, sympy)
        if exponent_bits > 64:
            return float("inf")
        if exponent.is_number and base.is_number:
            size = abs(complex(sympy.N(exponent, 15)))
            return max(_bits(base, sympy), 1.0) * max(size, 1.0)
        return _bits(base, sympy) + exponent_bits
    if isinstance(expr, (sympy.factorial, sympy.binomial, sympy.factorial2, sympy.gamma)):
        inner = max((_bits(a, sympy) for a in args), default=0.0)
        if inner > 40:
            return float("inf")
        if all(a.is_number for a in args):
            n = max(abs(float(sympy.N(a, 15))) for a in args)
            return n * max(1.0, float(int(n).bit_length()))
        return inner
    if isinstance(expr, sympy.Mul):
        return sum(_bits(a, sympy) for a in args)
    return max((_bits(a, sympy) for a in args), default=0.0) + 1.0


def _evaluated(expr):
    """``expr`` rebuilt with automatic evaluation: exact integer arithmetic, never simplification."""
    if not expr.args:
        return expr
    try:
        return expr.func(*(_evaluated(arg) for arg in expr.args))
    except Exception:
        return expr


_DECIMAL = re.compile(r"^-?\d+\.(\d+)$")


def _equal_scalars(a: str, b: str, deadline: float) -> bool | None:
    if a == b:
        return True
    x, y = _parse(a, deadline), _parse(b, deadline)
    _check(deadline)
    if x is None or y is None:
        raise _Undecidable
    places = [len(m.group(1)) for m in (_DECIMAL.match(a), _DECIMAL.match(b)) if m]
    rounding = 0.5 * 10.0 ** -min(places) if places and min(places) >= 2 else 0.0  # "1.73" is sqrt(3) rounded
    return _same_value(x, y, deadline, rounding)


def _same_value(x, y, deadline: float, rounding: float = 0.0) -> bool | None:
    sympy, _ = _library()
    if x == y:
        return True
    if x.is_Rational and y.is_Rational and not rounding:
        return False
    symbols = sorted(x.free_symbols | y.free_symbols, key=str)
    if not symbols:
        return _close(x, y, {}, sympy, rounding)
    decided = 0
    for values in PROBE_POINTS:
        _check(deadline)
        point = {s: sympy.Float(values[i % len(values)] + i // len(values), PROBE_DIGITS) for i, s in enumerate(symbols)}
        same = _close(x, y, point, sympy)
        if same is False:
            return False
        decided += same is True
    return True if decided else None


def _close(x, y, point: dict, sympy, rounding: float = 0.0) -> bool | None:
    """Whether x and y agree at ``point`` to ``PROBE_TOLERANCE``; None when either has no finite value there."""
    vx = x.evalf(PROBE_DIGITS, subs=point) if point else x.evalf(PROBE_DIGITS)
    vy = y.evalf(PROBE_DIGITS, subs=point) if point else y.evalf(PROBE_DIGITS)
    if not (vx.is_number and vy.is_number) or vx.has(sympy.nan, sympy.zoo) or vy.has(sympy.nan, sympy.zoo):
        return None
    if vx.is_infinite or vy.is_infinite:
        return vx == vy
    try:
        cx, cy = complex(vx), complex(vy)
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(part) for part in (cx.real, cx.imag, cy.real, cy.imag)):
        # past the float range (2^{2024} - 1): inf - x <= tolerance * inf would hold for any x; compare in sympy
        scale = max(sympy.Integer(1), abs(vx), abs(vy))
        return bool(abs(vx - vy) <= max(PROBE_TOLERANCE * scale, rounding))
    scale = max(1.0, abs(cx), abs(cy))
    return abs(cx - cy) <= max(PROBE_TOLERANCE * scale, rounding)


def _equal_equations(x: _Node, y: _Node, deadline: float) -> bool | None:
    """Equations are equal when lhs - rhs of one is a non-zero constant multiple of the other's."""
    sympy, _ = _library()
    sides = [_parse(n.text, deadline) for n in (*x.parts, *y.parts)]
    if any(s is None for s in sides):
        raise _Undecidable
    first, second = sides[0] - sides[1], sides[2] - sides[3]
    symbols = sorted(first.free_symbols | second.free_symbols, key=str)
    ratios = []
    for values in PROBE_POINTS:
        _check(deadline)
        point = {s: sympy.Float(values[i % len(values)] + i // len(values), PROBE_DIGITS) for i, s in enumerate(symbols)}
        va, vb = first.evalf(PROBE_DIGITS, subs=point), second.evalf(PROBE_DIGITS, subs=point)
        try:
            ca, cb = complex(va), complex(vb)
        except (TypeError, ValueError):
            continue
        if abs(cb) < 1e-15:
            if abs(ca) > 1e-12:
                return False
            continue
        ratios.append(ca / cb)
    if not ratios:
        return None
    return all(abs(r - ratios[0]) <= 1e-9 * max(1.0, abs(ratios[0])) for r in ratios) and abs(ratios[0]) > 1e-12
