"""Whether two scalar answers have the same value, decided from the answers alone.

The trees come from :mod:`pasmr_plugin.latex`. Two of them are compared like this:

1. **Exact values** (integers, fractions, powers with integer exponents, factorials, binomials,
   floors, perfect roots such as ``\\sqrt{9/4}``) are computed exactly, as fractions, and are equal
   only when exactly equal, whatever their size: ``2^{2024}`` is ``4^{1012}``, ``2^{2024}+1`` is not
   ``2^{2024}``, ``10!`` is ``3628800``.
2. **Other values** (irrational roots, π, e, i, logarithms, trigonometric functions) are computed
   with mpmath at a precision chosen from the two answers, and they are equal when their difference
   lies below a separation bound, also computed from the answers: for roots and i, the bound of
   Burnikel, Fleischer, Mehlhorn and Schirra (2000), which a non-zero difference of such
   expressions always exceeds, so ``\\sqrt{3+2\\sqrt{2}}`` is ``1+\\sqrt{2}`` and
   ``2^{100}+\\sqrt{2}`` is not ``2^{100}+\\sqrt{2}+2^{-90}``; with π, e or a function, the same bound
   tightened by ``TRANSCENDENTAL_GUARD_BITS``.
3. **Expressions in variables** are evaluated at ``len(PROBE_BASES)`` fixed integer points (each
   variable's value there is a fixed function of its name, see :func:`probe_value`) as above,
   exactly where the values are rational: ``2^{2024}+n`` is not ``2^{2024}+n+1``. They are equal
   when they agree at every point where both have a value and at least ``MIN_PROBES`` such points
   exist.

The work is bounded by the input, never by the clock, so the verdict is the same on an idle and on a
loaded machine: exact numbers are at most ``MAX_INTEGER_BITS`` long (checked before each power or
factorial is computed), the arithmetic of one answer at most ``MAX_WORK``, numeric precision at
most ``MAX_PRECISION_BITS`` (``MAX_FUNCTION_BITS`` with logarithms or trigonometric functions),
the nodes evaluated (sums and products term by term) at most ``MAX_STEPS``. Past a cap the comparison
gives None ("cannot decide"), decided by the inputs alone; callers read it as "not equivalent".

mpmath (a dependency of sympy, the ``math`` extra) is imported on the first value that is not
rational; without it such values cannot be decided, while exact ones still are.

>>> same_value(read_latex("2^{2024}"), read_latex("4^{1012}")), same_value(read_latex("\\\\sqrt{8}"), read_latex("2\\\\sqrt{2}"))
(True, True)
"""

from __future__ import annotations

import hashlib
import math
import threading
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from .latex import read_latex  # noqa: F401 - the doctests read trees with it
from .numbers import APPROXIMATION_PLACES
from .numbers import rounds_to as decimal_rounds_to

MAX_INTEGER_BITS = 40_000
"""Exact numbers up to about 12,000 digits: PolyMath's largest answers (``2016!`` is 19,000 bits,
``10^{980}`` 3,300, ``2^{2024}``) fit; a power or factorial past it (``2^{2^{100}}``, ``(10^9)!``) is
never computed: its size is estimated from its operands first."""

MAX_WORK = 2_000_000_000
"""Arithmetic one answer may need in all (its evaluations at every point share it), in bit²: an exact
operation costs the product of its operands' bit lengths (what multiplying and reducing fractions
costs), a numeric one the square of the precision (times 4 for a root, 16 for a logarithm or
trigonometric function). About 5 ms on a 2-core machine; PolyMath's heaviest answer
(``\\frac{2016!}{1953!}-2016\\cdot 63!``) needs half of it."""

MAX_PRECISION_BITS = 16_384
"""Numeric evaluation (roots, π, i) runs at most at this precision: enough to decide roots next to
2,000-bit integers (``2^{2024}\\sqrt{2}``) at well under a millisecond per operation."""

MAX_FUNCTION_BITS = 2_048
"""With a logarithm, exponential or trigonometric function, at most this precision: one such
function at 2,048 bits takes about a millisecond."""

MAX_FUNCTIONS = 8
"""Logarithms, exponentials and trigonometric functions one evaluation may compute (answers have a
few; the cap bounds their cost together)."""

MAX_ARGUMENT_BITS = 12
"""Logarithms, exponentials and trigonometric functions of arguments up to 2^12 in size (``e^{4096}``
has 5,900 bits; ``\\sin(10^{1000})`` would need 3,300 more bits of π)."""

MAX_ROOT_INDEX = 64
"""Roots up to this index (``\\sqrt[3]{2}`` has 3)."""

MAX_STEPS = 2_000
"""Nodes one answer may evaluate in all (its evaluations at every point share them), each term of a sum
or product counted: about 3 ms on a 2-core machine, so that a vote over 16 distinct answers stays
within 50 ms. Answers have tens of nodes; ``\\sum_{i=1}^{6} a_i`` takes 20, while
``\\prod_{i=1}^{1005}(4i-1)`` (5,028) is past it and compares by canonical form."""

GUARD_BITS = 64
"""Bits beyond the separation bound: the numeric error stays far below the bound."""

TRANSCENDENTAL_GUARD_BITS = 128
"""With π, e, logarithms or trigonometric functions no separation bound is known: values equal to
this many bits (about 38 digits) beyond the algebraic bound are taken as equal."""

START_BITS = 64
"""Precision of the first evaluation, which finds the exact values and the measures of the rest."""

PROBE_BASES = (5, 6, 7, 12)
"""Each variable's value at the four points: the base plus twice a number from 0 to
``PROBE_SPREAD - 1`` drawn from the variable's name, so that every variable is odd at two points and
even at two, and different variables (k and n in ``\\binom{k}{n}``) are ordered both ways."""

PROBE_SPREAD = 8

MIN_PROBES = 2
"""Expressions in variables are equal only when they agree at this many points at least."""


class _Undecided(Exception):
    """A cap was reached, or the value does not exist (division by zero, a factorial of -1)."""


class _Inexact(Exception):
    """The value is not rational: the numeric evaluation takes over."""


class _Value(NamedTuple):
    """A value and the measures of its separation bound.

    ``exact`` is the value when it is rational (an int when whole), else None and ``approx`` holds it
    (an mpmath number as plain data: :func:`_raw`). ``upper`` and ``lower`` are log2 of the bound's u
    and l, ``roots`` the distinct roots it takes (their indices multiply to the degree bound),
    ``size`` the largest ``upper + lower`` of any step, ``transcendental`` whether π, e or a function
    is involved.
    """

    exact: int | Fraction | None
    approx: tuple | None
    upper: float
    lower: float
    roots: frozenset = frozenset()
    size: float = 0.0
    transcendental: bool = False


def _bits(value: int | Fraction) -> int:
    if type(value) is int:
        return value.bit_length()
    return max(value.numerator.bit_length(), value.denominator.bit_length())


def _whole(value: int | Fraction) -> int | Fraction:
    """``value`` checked against :data:`MAX_INTEGER_BITS`, as an int when it is whole."""
    if type(value) is int:
        if value.bit_length() > MAX_INTEGER_BITS:
            raise _Undecided("too large")
        return value
    if _bits(value) > MAX_INTEGER_BITS:
        raise _Undecided("too large")
    return value.numerator if value.denominator == 1 else value


def _exact(value: int | Fraction) -> _Value:
    value = _whole(value)
    upper = float(abs(Fraction(value).numerator).bit_length())
    lower = float(Fraction(value).denominator.bit_length())
    return _Value(value, None, upper, lower, frozenset(), upper + lower)


_LOCAL = threading.local()


def _context(precision: int):
    """This thread's mpmath context at ``precision`` bits (contexts cost 2 ms to make; one per thread)."""
    context = getattr(_LOCAL, "context", None)
    if context is None:
        try:
            import mpmath
        except ImportError as error:  # the math extra is missing: only exact values are decided
            raise _Undecided("mpmath missing") from error
        context = _LOCAL.context = mpmath.MPContext()
    if context.prec != precision:
        context.prec = precision
    return context


class _Rational:
    """Evaluation of a tree at a probe point in exact arithmetic (ints and fractions).

    Raises :class:`_Inexact` at the first value that is not rational and :class:`_Undecided` at a cap.
    The numeric :class:`_Evaluation` builds on it.
    """

    def __init__(self, probe: int | None):
        self.probe = probe
        shares = 1 if probe is None else len(PROBE_BASES)  # the answer's evaluations share its caps
        self.work, self.max_work = 0, MAX_WORK // shares
        self.steps, self.max_steps = 0, MAX_STEPS // shares
        self.bound: dict[str, int] = {}  # indices of the sums being evaluated

    def charge(self, first_bits: int, second_bits: int) -> None:
        """Count the cost of one operation on numbers of these sizes (see :data:`MAX_WORK`)."""
        self.work += max(64, first_bits) * max(64, second_bits)
        if self.work > self.max_work:
            raise _Undecided("too much work")

    def step(self) -> None:
        self.steps += 1
        if self.steps > self.max_steps:
            raise _Undecided("too many steps")

    def value(self, node: tuple):
        self.step()
        kind = node[0]
        if kind == "num":
            return _whole(node[1])
        if kind == "var":
            return self.variable(node[1])
        if kind == "add":
            return self.add([self.value(term) for term in node[1]])
        if kind == "mul":
            return self.multiply([self.value(factor) for factor in node[1]])
        if kind == "div":
            return self.divide(self.value(node[1]), self.value(node[2]))
        if kind == "pow":
            return self.power(node[1], node[2])
        if kind == "root":
            return self.root(self.value(node[1]), self.index(node[2]), node[1])
        if kind in ("sum", "prod"):
            return self.series(node)
        if kind in ("fact", "fact2"):
            return self.factorial(self.integer(node[1]), 2 if kind == "fact2" else 1)
        if kind == "binom":
            return self.binomial(self.integer(node[1]), self.integer(node[2]))
        if kind in ("floor", "ceil", "abs"):
            return self.rounding(kind, self.value(node[1]))
        if kind == "log":
            return self.logarithm(self.value(node[1]), self.value(node[2]))
        if kind == "fn":
            return self.elementary(node[1], self.value(node[2]))
        return self.constant(node[1])

    # --- exact arithmetic, shared by both evaluations
    def variable(self, name: str) -> int:
        if name in self.bound:
            return self.bound[name]
        base, _, subscript = name.partition("_")
        if subscript in self.bound:  # a_i inside \sum_i
            name = f"{base}_{self.bound[subscript]}"
        if self.probe is None:
            raise _Undecided("a variable")
        return probe_value(name, self.probe)

    def add(self, terms: list):
        total = terms[0]
        for term in terms[1:]:
            self.charge(_bits(total), _bits(term))
            total = _whole(total + term)
        return total

    def multiply(self, factors: list):
        product = factors[0]
        for factor in factors[1:]:
            self.charge(_bits(product), _bits(factor))
            product = _whole(product * factor)
        return product

    def divide(self, numerator, denominator):
        if denominator == 0:
            raise _Undecided("division by zero")
        self.charge(_bits(numerator), _bits(denominator))
        return _whole(Fraction(numerator, denominator))

    def power(self, base_node: tuple, exponent_node: tuple):
        base, exponent = self.value(base_node), self.value(exponent_node)
        if isinstance(exponent, Fraction):  # a root, then a power
            return self.integer_power(self.root(base, exponent.denominator, base_node), exponent.numerator)
        return self.integer_power(base, exponent)

    def integer_power(self, base, exponent: int):
        if base == 0:
            if exponent < 0:
                raise _Undecided("division by zero")
            return int(exponent == 0)
        if abs(base) == 1:
            return 1 if base == 1 or exponent % 2 == 0 else -1
        bits = abs(exponent) * _bits(base)
        if bits > MAX_INTEGER_BITS:  # estimated before computing: 2^{2^{100}} never is
            raise _Undecided("too large")
        self.charge(bits, _bits(base))
        return _whole(Fraction(base) ** exponent)

    def index(self, node: tuple) -> int:
        index = self.integer(node)
        if not 1 <= index <= MAX_ROOT_INDEX:
            raise _Undecided("root index")
        return index

    def root(self, radicand, index: int, node: tuple):
        if index > MAX_ROOT_INDEX:
            raise _Undecided("root index")
        exact = _exact_root(radicand, index)
        if exact is None:
            raise _Inexact
        return exact

    def integer(self, node: tuple) -> int:
        value = self.value(node)
        if not isinstance(value, int):
            raise _Undecided("not an integer")
        return value

    def charge_factorial(self, n: int, what: str) -> None:
        """Charge for computing n! (or what costs about as much), its size estimated before it is computed."""
        if n < 0:
            raise _Undecided(f"{what} of a negative number")
        bits = int(math.lgamma(n + 1) / math.log(2)) + 1 if n > 1 else 1
        if bits > MAX_INTEGER_BITS:
            raise _Undecided("too large")
        self.charge(bits, bits)

    def factorial(self, n: int, step: int) -> int:
        """n! or n!! (``step`` 2); n!! is at most n!."""
        self.charge_factorial(n, "factorial")
        return math.factorial(n) if step == 1 else math.prod(range(n, 0, -2))

    def binomial(self, n: int, k: int) -> int:
        """C(n, k) within the factorial's caps (computing it costs about what n! does)."""
        self.charge_factorial(n, "binomial")
        return math.comb(n, k) if k >= 0 else 0

    def rounding(self, kind: str, value):
        return {"floor": math.floor, "ceil": math.ceil, "abs": abs}[kind](value)

    def logarithm(self, argument, base):
        exact = _exact_logarithm(argument, base)
        if exact is None:
            raise _Inexact
        return exact

    def elementary(self, name: str, argument):
        if argument == 0 and name in _AT_ZERO:
            return _AT_ZERO[name]
        if argument == 1 and name == "log":
            return 0
        raise _Inexact

    def constant(self, name: str):
        raise _Undecided("infinity") if name == "oo" else _Inexact

    def series(self, node: tuple):
        kind, index, low_node, high_node, body = node
        low, high = self.integer(low_node), self.integer(high_node)
        if high - low >= self.max_steps:  # each term costs a step at least
            raise _Undecided("too many terms")
        outer = self.bound.get(index)
        terms = []
        try:
            for i in range(low, high + 1):
                self.bound[index] = i
                terms.append(self.value(body))
        finally:
            if outer is None:
                self.bound.pop(index, None)
            else:
                self.bound[index] = outer
        if not terms:
            return self.empty_series(kind)
        return self.add(terms) if kind == "sum" else self.multiply(terms)

    def empty_series(self, kind: str):
        return int(kind == "prod")


class _Evaluation(_Rational):
    """Evaluation of a tree at a probe point and a precision: exact where the values are rational,
    with mpmath and the measures of the separation bound where they are not."""

    def __init__(self, probe: int | None, precision: int):
        super().__init__(probe)
        self.precision = precision
        self.context = _context(precision)
        self.functions = 0

    def number(self, value: _Value):
        """The value as an mpmath number at this evaluation's precision."""
        return _number(value, self.context)

    def inexact(self, approx, like: tuple, upper: float, lower: float, *, roots=None, transcendental=False, weight=1) -> _Value:
        """A value known numerically; ``weight`` is the operation's cost in multiplications."""
        self.charge(self.precision * weight, self.precision)
        return _Value(
            None,
            _raw(approx),
            upper,
            lower,
            frozenset().union(*(v.roots for v in like)) if roots is None else roots,
            max([upper + lower, *(v.size for v in like)]),
            transcendental or any(v.transcendental for v in like),
        )

    def value(self, node: tuple) -> _Value:
        self.step()
        kind = node[0]
        if kind in ("num", "var"):
            return _exact(super().value(node))
        if kind == "add":
            return self.add([self.value(term) for term in node[1]])
        if kind == "mul":
            return self.multiply([self.value(factor) for factor in node[1]])
        if kind == "div":
            return self.divide(self.value(node[1]), self.value(node[2]))
        if kind == "root":
            return self.root(self.value(node[1]), self.index(node[2]), node[1])
        return super().value(node)

    def integer(self, node: tuple) -> int:
        value = self.value(node).exact
        if not isinstance(value, int):
            raise _Undecided("not an integer")
        return value

    def add(self, terms: list) -> _Value:
        if all(term.exact is not None for term in terms):
            return _exact(super().add([term.exact for term in terms]))
        approx, upper, lower = self.number(terms[0]), terms[0].upper, terms[0].lower
        for term in terms[1:]:
            approx += self.number(term)
            upper, lower = max(upper + term.lower, lower + term.upper) + 1, lower + term.lower
        return self.inexact(approx, tuple(terms), upper, lower)

    def multiply(self, factors: list) -> _Value:
        if all(factor.exact is not None for factor in factors):
            return _exact(super().multiply([factor.exact for factor in factors]))
        if any(factor.exact == 0 for factor in factors):
            return _exact(0)
        product = factors[0]
        for factor in factors[1:]:
            approx = self.number(product) * self.number(factor)
            product = self.inexact(approx, (product, factor), product.upper + factor.upper, product.lower + factor.lower)
        return product

    def divide(self, a: _Value, b: _Value) -> _Value:
        if a.exact is not None and b.exact is not None:
            return _exact(super().divide(a.exact, b.exact))
        denominator = self.number(b)
        if b.exact == 0 or denominator == 0:
            raise _Undecided("division by zero")
        return self.inexact(self.number(a) / denominator, (a, b), a.upper + b.lower, a.lower + b.upper)

    def power(self, base_node: tuple, exponent_node: tuple) -> _Value:
        if base_node == ("const", "e"):
            return self.elementary("exp", self.value(exponent_node))
        base, exponent = self.value(base_node), self.value(exponent_node)
        if exponent.exact is None:  # 2^{\sqrt{2}}: transcendental
            self.count_function()
            return self.leaf(self.number(base) ** self.number(exponent), (base, exponent))
        p, q = Fraction(exponent.exact).numerator, Fraction(exponent.exact).denominator
        if q > 1:
            base = self.root(base, q, base_node)
        if base.exact is not None:
            return _exact(self.integer_power(base.exact, p))
        if p == 0:
            return _exact(1)
        if abs(p) * max(base.upper, base.lower, 1.0) > MAX_PRECISION_BITS:
            raise _Undecided("too large")
        upper, lower = (base.upper, base.lower) if p >= 0 else (base.lower, base.upper)
        approx = self.number(base) ** p
        return self.inexact(approx, (base,), upper * abs(p), lower * abs(p), weight=abs(p).bit_length())

    def root(self, radicand: _Value, index: int, node: tuple) -> _Value:
        if index == 1:
            return radicand
        if index > MAX_ROOT_INDEX:
            raise _Undecided("root index")
        if radicand.exact is not None:
            exact = _exact_root(radicand.exact, index)
            if exact is not None:
                return _exact(exact)
        key = (radicand.exact if radicand.exact is not None else node, index)
        number = self.number(radicand)
        if index % 2 and number.imag == 0 and number.real < 0:  # \sqrt[3]{-2} and \sqrt[3]{2-\sqrt{5}} are real
            approx = -self.context.root(-number.real, index)
        else:  # the principal root: \sqrt{-2} is i\sqrt{2}
            approx = self.context.root(number, index)
        upper, lower = radicand.upper / index, radicand.lower / index
        return self.inexact(approx, (radicand,), upper, lower, roots=radicand.roots | {key}, weight=4)

    def leaf(self, approx, like: tuple) -> _Value:
        """A transcendental value: its measures are its magnitude and that of its inverse (past the
        precision for a value that computes to 0)."""
        exponent = self.context.mag(approx) if approx != 0 else -self.precision
        upper, lower = max(exponent, 0) + 1.0, max(-exponent, 0) + 1.0
        return self.inexact(approx, like, upper, lower, roots=frozenset(), transcendental=True, weight=16)

    def rounding(self, kind: str, inner: _Value) -> _Value:
        if inner.exact is not None:
            return _exact(super().rounding(kind, inner.exact))
        number = self.number(inner)
        if kind == "abs":
            return self.inexact(abs(number), (inner,), inner.upper, inner.lower)
        if number.imag != 0:
            raise _Undecided("complex")
        nearest = self.context.nint(number)
        if abs(number - nearest) < self.context.ldexp(1, int(inner.size) + 16 - self.precision):
            raise _Undecided("too close to an integer")  # floor(x) of an x that may be an integer
        return _exact(int(self.context.floor(number) if kind == "floor" else self.context.ceil(number)))

    def logarithm(self, argument: _Value, base: _Value) -> _Value:
        if argument.exact is not None and base.exact is not None:
            exact = _exact_logarithm(argument.exact, base.exact)
            if exact is not None:
                return _exact(exact)
        self.count_function()
        self.count_function()
        approx = self.context.log(self.number(argument)) / self.context.log(self.number(base))
        return self.leaf(approx, (argument, base))

    def elementary(self, name: str, argument: _Value) -> _Value:
        if argument.exact is not None:
            try:
                return _exact(super().elementary(name, argument.exact))
            except _Inexact:
                pass
        self.count_function()
        x, context = self.number(argument), self.context
        if context.mag(x) > MAX_ARGUMENT_BITS:  # sin(10^{1000}) needs 1,000 more bits of π
            raise _Undecided("too large")
        if name in _RECIPROCALS:
            approx = 1 / getattr(context, _RECIPROCALS[name])(x)
        else:
            approx = getattr(context, name)(x)
        return self.leaf(approx, (argument,))

    def count_function(self) -> None:
        """Count one logarithm, exponential or trigonometric function (they cost the most per bit)."""
        self.functions += 1
        if self.functions > MAX_FUNCTIONS or self.precision > MAX_FUNCTION_BITS:
            raise _Undecided("too many functions")

    def constant(self, name: str) -> _Value:
        if name == "oo":
            raise _Undecided("infinity")
        if name == "i":
            return _Value(None, _raw(self.context.mpc(0, 1)), 0.0, 0.0, frozenset({("i", 2)}), 0.0)
        approx = +self.context.pi if name == "pi" else +self.context.e
        return _Value(None, _raw(approx), 2.0, 0.0, frozenset(), 2.0, True)

    def factorial(self, n: int, step: int) -> _Value:
        return _exact(super().factorial(n, step))

    def binomial(self, n: int, k: int) -> _Value:
        return _exact(super().binomial(n, k))

    def empty_series(self, kind: str) -> _Value:
        return _exact(int(kind == "prod"))


_RECIPROCALS = {"cot": "tan", "sec": "cos", "csc": "sin"}
_AT_ZERO = {"sin": 0, "tan": 0, "asin": 0, "atan": 0, "sinh": 0, "tanh": 0, "cos": 1, "cosh": 1, "sec": 1, "exp": 1}


def _integer_root(n: int, k: int) -> int | None:
    """The exact k-th root of n >= 0, or None."""
    if n < 2:
        return n
    guess = 1 << -(-n.bit_length() // k)  # above the root
    while True:  # Newton's method on integers, decreasing to the floor of the root
        better = ((k - 1) * guess + n // guess ** (k - 1)) // k
        if better >= guess:
            break
        guess = better
    return guess if guess**k == n else None


def _exact_root(value: int | Fraction, index: int) -> int | Fraction | None:
    """The k-th root of a rational when it is rational (``\\sqrt{9/4}`` is 3/2), else None."""
    if value < 0:
        if index % 2 == 0:
            return None
        root = _exact_root(-value, index)
        return None if root is None else -root
    numerator, denominator = _integer_root(value.numerator, index), _integer_root(value.denominator, index)
    if numerator is None or denominator is None:
        return None
    return numerator if denominator == 1 else Fraction(numerator, denominator)


def _exact_logarithm(argument: int | Fraction, base: int | Fraction) -> int | None:
    """log_b(a) when it is an integer (``\\log_2 16`` is 4, ``\\log_b 1`` is 0), else None."""
    if argument <= 0 or base <= 0 or base == 1:
        return None
    if argument == 1:
        return 0
    estimate = math.log2(argument.numerator) - math.log2(argument.denominator)
    exponent = round(estimate / (math.log2(base.numerator) - math.log2(base.denominator)))
    if exponent == 0 or abs(exponent) * _bits(base) > MAX_INTEGER_BITS:
        return None
    return exponent if Fraction(base) ** exponent == argument else None


def probe_value(name: str, probe: int) -> int:
    """The value of variable ``name`` at point ``probe``: a fixed function of the two (see :data:`PROBE_BASES`).

    >>> [probe_value("n", probe) for probe in range(len(PROBE_BASES))]
    [17, 8, 21, 14]
    """
    draw = hashlib.blake2b(f"{probe}:{name}".encode(), digest_size=4).digest()[0] % PROBE_SPREAD
    return PROBE_BASES[probe] + 2 * draw


@lru_cache(maxsize=4096)
def _evaluate(node: tuple, probe: int | None, precision: int) -> _Value | None:
    """The value of ``node`` at a point and precision; None when it cannot be decided (cached: same input, same answer)."""
    try:
        if precision == START_BITS:
            try:
                return _exact(_Rational(probe).value(node))
            except _Inexact:
                pass
        return _Evaluation(probe, precision).value(node)
    except (_Undecided, ArithmeticError, ValueError, TypeError, OverflowError, RecursionError):
        return None


def _children(node: tuple) -> tuple:
    """The subtrees of a node."""
    if node[0] in ("add", "mul"):
        return node[1]
    return tuple(child for child in node[1:] if isinstance(child, tuple))


def _variables(node: tuple) -> bool:
    """Whether the tree has free variables (the indices of sums are bound, their a_i free)."""
    stack, bound = [node], set()
    while stack:
        item = stack.pop()
        if item[0] == "var" and item[1] not in bound:
            return True
        if item[0] in ("sum", "prod"):
            bound.add(item[1])
        stack.extend(_children(item))
    return False


def _difference_bits(x: _Value, y: _Value) -> float:
    """log2 of the inverse of the separation bound of x - y (plus the guards)."""
    degree = 1
    for _, index in x.roots | y.roots:
        degree *= index
        if degree > MAX_PRECISION_BITS:
            return math.inf
    upper = max(x.upper + y.lower, x.lower + y.upper) + 1
    lower = x.lower + y.lower
    guard = GUARD_BITS + (TRANSCENDENTAL_GUARD_BITS if x.transcendental or y.transcendental else 0)
    return (degree - 1) * upper + lower + guard


def _precision(bits: float, *values: _Value) -> int | None:
    """The working precision that computes values of this size to ``bits`` bits; None past the cap."""
    needed = bits + 2 * max(value.size for value in values) + GUARD_BITS
    if needed > MAX_PRECISION_BITS:
        return None
    return int(-(-needed // 256) * 256)  # a multiple of 256 bits: evaluations are shared across comparisons


def _same_at(x: tuple, y: tuple, probe: int | None) -> bool | None:
    first, second = _evaluate(x, probe, START_BITS), _evaluate(y, probe, START_BITS)
    if first is None or second is None:
        return None
    if first.exact is not None and second.exact is not None:
        return first.exact == second.exact
    bits = _difference_bits(first, second)
    precision = _precision(bits, first, second)
    if precision is None:
        return None
    first, second = _evaluate(x, probe, precision), _evaluate(y, probe, precision)
    if first is None or second is None:
        return None
    context = _context(precision)
    difference = abs(_number(first, context) - _number(second, context))
    return bool(difference <= context.ldexp(1, -int(bits)))


def _raw(number) -> tuple:
    """An mpmath number as plain data, free of the context (and thread) that computed it."""
    return ("c", number._mpc_) if hasattr(number, "_mpc_") else ("r", number._mpf_)


def _number(value: _Value, context):
    """The value as a number of ``context`` at its precision."""
    if value.approx is None:
        return context.mpf(value.exact.numerator) / value.exact.denominator
    kind, data = value.approx
    return +(context.make_mpc(data) if kind == "c" else context.make_mpf(data))


def same_value(x: tuple, y: tuple) -> bool | None:
    """Whether two trees have the same value (at every probe point, when they have variables); None: cannot decide.

    >>> same_value(read_latex("2^{2024}+n"), read_latex("2^{2024}+n+1")), same_value(read_latex("n(n+1)/2"), read_latex("\\\\frac{n^2+n}{2}"))
    (False, True)
    """
    if not (_variables(x) or _variables(y)):
        return _same_at(x, y, None)
    agreeing = 0
    for probe in range(len(PROBE_BASES)):
        same = _same_at(x, y, probe)
        if same is False:
            return False
        agreeing += same is True
    return True if agreeing >= MIN_PROBES else None


def proportional(x: tuple, y: tuple) -> bool | None:
    """Whether x = c·y for one constant c other than 0 (the equations x = 0 and y = 0 are the same); None: cannot decide.

    Checked at every probe point p against a reference point q where neither is 0: x(p)·y(q) = y(p)·x(q).

    >>> proportional(read_latex("\\\\frac{x^2}{2} - \\\\frac{y^2}{4} - 1"), read_latex("2x^2 - y^2 - 4"))
    True
    """
    if not (_variables(x) or _variables(y)):
        return None
    points = [(probe, _ground(x, probe), _ground(y, probe)) for probe in range(len(PROBE_BASES))]
    zero = ("num", 0)
    reference = next(
        (point for point in points if same_value(point[1], zero) is False and same_value(point[2], zero) is False), None
    )
    if reference is None:
        return None
    _, x_reference, y_reference = reference
    agreeing = 1
    for probe, x_here, y_here in points:
        if probe == reference[0]:
            continue
        same = same_value(("mul", (x_here, y_reference)), ("mul", (y_here, x_reference)))
        if same is False:
            return False
        agreeing += same is True
    return True if agreeing >= MIN_PROBES else None


def _ground(node: tuple, probe: int, bound: frozenset = frozenset()) -> tuple:
    """``node`` with its free variables replaced by their values at ``probe``."""
    kind = node[0]
    if kind == "var":
        return node if node[1] in bound or node[1].partition("_")[2] in bound else ("num", probe_value(node[1], probe))
    if kind in ("add", "mul"):
        return (kind, tuple(_ground(child, probe, bound) for child in node[1]))
    inner = bound | {node[1]} if kind in ("sum", "prod") else bound
    return (kind, *(_ground(child, probe, inner) if isinstance(child, tuple) else child for child in node[1:]))


def rounds_to(node: tuple, decimal: Fraction, places: int) -> bool | None:
    """Whether the value of a tree without variables rounds to ``decimal``, a number written with ``places``
    digits after the mark (the rule of :func:`pasmr_plugin.numbers.rounds_to`); None: cannot decide.

    >>> rounds_to(read_latex("\\\\frac{\\\\pi}{3}"), Fraction(105, 100), 2), rounds_to(read_latex("\\\\sqrt{2}"), Fraction(14, 10), 1)
    (True, False)
    """
    if _variables(node):
        return None
    value = _evaluate(node, None, START_BITS)
    if value is None:
        return None
    if value.exact is not None:
        return decimal_rounds_to(Fraction(value.exact), decimal, places)
    if places < APPROXIMATION_PLACES or value.approx[0] == "c":
        return False
    precision = _precision(places * math.log2(10) + value.upper + GUARD_BITS, value)
    value = None if precision is None else _evaluate(node, None, precision)
    if value is None:
        return None
    context = _context(precision)
    half = context.mpf(1) / (2 * 10**places)
    return bool(abs(_number(value, context) - context.mpf(decimal.numerator) / decimal.denominator) <= half)
