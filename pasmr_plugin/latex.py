"""A small, linear-time LaTeX reader for the scalar expressions of math answers.

It covers what answers are written with (numbers, letters with subscripts, Greek letters and decorated
letters, + - * / ^, implicit products, \\frac, \\sqrt, \\pi, e, i, \\infty, \\ln, \\log, trigonometric
functions, \\lfloor, \\lceil, |x|, n!, \\binom, percent, degrees, finite \\sum and \\prod) and raises
:class:`Unsupported` on anything else. The result is a plain tree of tuples (no library involved):
nothing is computed, so the caller can check sizes before any arithmetic.

Nodes, each a tuple whose first item names it:

- ``("num", value)`` (an int, or a Fraction for a decimal such as 0.5), ``("var", name)``, ``("const", "pi" | "e" | "i" | "oo")``;
- ``("add", terms)``, ``("mul", factors)`` (tuples of nodes), ``("div", a, b)``, ``("pow", base, exponent)``,
  ``("root", radicand, index)``;
- ``("fn", name, argument)`` for sin, cos, tan, cot, sec, csc, asin, acos, atan, sinh, cosh, tanh, exp and
  the natural log (``\\ln``); ``("log", argument, base)`` (``\\log_b``; ``\\log`` alone is the natural
  logarithm, as sympy and math-verify read it, ``\\lg`` base 10);
- ``("fact", n)``, ``("fact2", n)``, ``("binom", n, k)``, ``("floor", x)``, ``("ceil", x)``, ``("abs", x)``;
- ``("sum", index, low, high, body)`` and ``("prod", ...)``, ``index`` a variable name.

>>> read_latex("\\\\frac{1}{2}n(n+1)")[0]
'mul'
"""

from __future__ import annotations

import re
from fractions import Fraction

MAX_DEPTH = 60
"""Nesting deeper than this is not an answer (and would exhaust Python's recursion)."""

NEGATIVE_ONE = ("num", -1)


class Unsupported(Exception):
    """The text uses LaTeX this reader does not cover."""


_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?|\.\d+)|(\\[A-Za-z]+|\\[{}|%])|([A-Za-z])|(\S))")
_FUNCTIONS = {
    "sin": "sin", "cos": "cos", "tan": "tan", "cot": "cot", "sec": "sec", "csc": "csc",
    "arcsin": "asin", "arccos": "acos", "arctan": "atan", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh",
    "asin": "asin", "acos": "acos", "atan": "atan",
    "exp": "exp", "ln": "log",
}
_GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi rho sigma "
    "tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Sigma Upsilon Phi Psi Omega".split()
)
_DECORATIONS = frozenset({"hat", "bar", "tilde", "overline", "vec", "dot"})
_BARE_FUNCTIONS = (
    "arcsin", "arccos", "arctan", "sqrt", "sinh", "cosh", "tanh", "sin", "cos", "tan", "cot", "exp", "ln", "log", "pi",
)
_NOT_A_START = frozenset({"cdot", "times", "div", "rfloor", "rceil", "right", "cup", "cap", "leq", "geq", "neq", "in", "pm", "mp"})


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            break
        position = match.end()
        number, command, letter, other = match.groups()
        if number is not None:
            tokens.append(("num", number))
        elif command is not None:
            tokens.append(("cmd", command[1:]))
        elif letter is not None:
            tokens.append(("letter", letter))
        elif other == "°":  # 60° is 60: a unit, like 60^\circ
            continue
        elif other is not None:
            tokens.append(("op", other))
    return _bare_functions(tokens)


def _bare_functions(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """"sin x", "sqrt(2)" and "pi/3" written without backslashes (plain text) are the functions and π, not
    products of letters."""
    letters = "".join(value if kind == "letter" else "\0" for kind, value in tokens)
    if not any(name in letters for name in _BARE_FUNCTIONS):
        return tokens
    out, i = [], 0
    while i < len(tokens):
        for name in _BARE_FUNCTIONS:
            if letters.startswith(name, i) and (i == 0 or tokens[i - 1][0] != "letter"):
                out.append(("cmd", name))
                i += len(name)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _product(factors: list) -> tuple:
    return factors[0] if len(factors) == 1 else ("mul", tuple(factors))


def _negative(node: tuple) -> tuple:
    if node[0] == "num":
        return ("num", -node[1])
    return ("mul", (NEGATIVE_ONE, node))


class _Reader:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.position = 0
        self.depth = 0
        self.indices: list[str] = []  # indices of the sums being read: their "i" is no imaginary unit

    # token helpers
    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise Unsupported("unexpected end")
        self.position += 1
        return token

    def accept(self, kind: str, value: str | None = None) -> bool:
        token = self.peek()
        if token and token[0] == kind and (value is None or token[1] == value):
            self.position += 1
            return True
        return False

    def expect(self, kind: str, value: str) -> None:
        if not self.accept(kind, value):
            raise Unsupported(f"expected {value!r}")

    # grammar
    def parse(self) -> tuple:
        if not self.tokens:
            raise Unsupported("empty")
        expr = self.expression()
        if self.peek() is not None:
            raise Unsupported(f"unexpected {self.peek()[1]!r}")
        return expr

    def expression(self) -> tuple:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Unsupported("too deep")
        terms = [self.term()]
        while True:
            if self.accept("op", "+"):
                terms.append(self.term())
            elif self.accept("op", "-"):
                terms.append(_negative(self.term()))
            else:
                break
        self.depth -= 1
        return terms[0] if len(terms) == 1 else ("add", tuple(terms))

    def term(self) -> tuple:
        node = self.signed()
        factors = [node]
        while True:
            token = self.peek()
            if token is None:
                break
            if token in (("op", "*"), ("cmd", "cdot"), ("cmd", "times")):
                self.position += 1
                factors.append(self.signed())
            elif token in (("op", "/"), ("cmd", "div")):
                self.position += 1
                factors = [("div", _product(factors), self.signed())]
            elif self.starts_primary(token):
                factors.append(self.power())
            else:
                break
        return _product(factors)

    def signed(self) -> tuple:
        if self.accept("op", "-"):
            return _negative(self.signed())
        if self.accept("op", "+"):
            return self.signed()
        return self.power()

    @staticmethod
    def starts_primary(token: tuple[str, str]) -> bool:
        kind, value = token
        if kind in ("num", "letter"):
            return True
        if kind == "op":
            return value in "({"
        return value not in _NOT_A_START

    def power(self) -> tuple:
        base = self.postfix(self.primary())
        if self.accept("op", "^"):
            exponent = self.exponent()
            if exponent is not None:
                base = ("pow", base, exponent)
            base = self.postfix(base)
        return base

    def exponent(self) -> tuple | None:
        """The exponent after ^; None for a degree sign (60^\\circ is 60)."""
        if self.accept("op", "{"):
            if self.accept("cmd", "circ"):
                self.expect("op", "}")
                return None
            inner = self.expression()
            self.expect("op", "}")
            return inner
        if self.accept("cmd", "circ"):
            return None
        if self.accept("op", "-"):
            inner = self.exponent()
            if inner is None:
                raise Unsupported("negative degrees")
            return _negative(inner)
        token = self.take()
        if token[0] == "num":  # 2^20 is 2^{20}, as answers mean it (TeX would typeset 2^2 0)
            return self.number(token[1])
        if token[0] == "letter":
            return self.letter(token[1])
        self.position -= 1
        return self.primary()

    def postfix(self, expr: tuple) -> tuple:
        while self.accept("op", "!"):
            if self.accept("op", "!"):
                expr = ("fact2", expr)
            else:
                expr = ("fact", expr)
        if self.accept("cmd", "%"):
            expr = ("div", expr, ("num", 100))
        return expr

    @staticmethod
    def number(text: str) -> tuple:
        if "." in text:
            whole, _, decimals = text.partition(".")
            value = Fraction(int((whole or "0") + decimals), 10 ** len(decimals))
            return ("num", value.numerator if value.denominator == 1 else value)
        return ("num", int(text))

    def letter(self, name: str) -> tuple:
        if self.accept("op", "_"):
            return ("var", f"{name.lower()}_{self.subscript()}")
        if name in ("e", "i") and name not in self.indices:
            return ("const", name)
        return ("var", name.lower())

    def subscript(self) -> str:
        if self.accept("op", "{"):
            parts = []
            while not self.accept("op", "}"):
                kind, value = self.take()
                if kind not in ("num", "letter"):
                    raise Unsupported("subscript")
                parts.append(value.lower())
            return "".join(parts)
        kind, value = self.take()
        if kind == "num":
            return value[0]
        if kind == "letter":
            return value.lower()
        raise Unsupported("subscript")

    def group(self) -> tuple:
        self.expect("op", "{")
        inner = self.expression()
        self.expect("op", "}")
        return inner

    def argument(self) -> tuple:
        """A function argument: a group, a parenthesized expression, or a product without + or -."""
        token = self.peek()
        if token == ("op", "("):
            self.position += 1
            inner = self.expression()
            self.expect("op", ")")
            return self.postfix(inner)
        if token == ("op", "{"):
            return self.group()
        factors = [self.power()]
        while self.peek() is not None and self.peek()[0] in ("num", "letter"):
            factors.append(self.power())
        return _product(factors)

    def primary(self) -> tuple:
        kind, value = self.take()
        if kind == "num":
            return self.number(value)
        if kind == "letter":
            return self.letter(value)
        if kind == "op":
            if value in "({":
                inner = self.expression()
                self.expect("op", ")" if value == "(" else "}")
                return inner
            if value == "|":
                inner = self.expression()
                self.expect("op", "|")
                return ("abs", inner)
            raise Unsupported(f"operator {value!r}")
        return self.command(value)

    def command(self, name: str) -> tuple:
        if name == "frac":
            numerator = self.group() if self.peek() == ("op", "{") else self.single()
            denominator = self.group() if self.peek() == ("op", "{") else self.single()
            return ("div", numerator, denominator)
        if name == "sqrt":
            index = ("num", 2)
            if self.accept("op", "["):
                index = self.expression()
                self.expect("op", "]")
            return ("root", self.argument(), index)
        if name == "pi":
            return ("const", "pi")
        if name == "infty":
            return ("const", "oo")
        if name in ("lfloor", "lceil"):
            inner = self.expression()
            self.expect("cmd", "rfloor" if name == "lfloor" else "rceil")
            return ("floor" if name == "lfloor" else "ceil", inner)
        if name == "binom":
            return ("binom", self.group(), self.group())
        if name in ("log", "lg"):  # \log without a base is the natural logarithm (as sympy reads it), \lg base 10
            base = ("const", "e") if name == "log" else ("num", 10)
            if self.accept("op", "_"):
                base = self.group() if self.peek() == ("op", "{") else self.single()
            return self.call(lambda argument: ("log", argument, base))
        if name in _FUNCTIONS:
            return self.call(lambda argument: ("fn", _FUNCTIONS[name], argument))
        if name in ("sum", "prod"):
            return self.series(name)
        if name in _GREEK:
            if self.accept("op", "_"):
                return ("var", f"{name.lower()}_{self.subscript()}")
            return ("var", name.lower())
        if name in _DECORATIONS:  # \bar{x} is a variable of its own
            braced = self.accept("op", "{")
            kind, value = self.take()
            if braced:
                self.expect("op", "}")
            if kind not in ("letter", "cmd"):
                raise Unsupported("decoration")
            return ("var", f"{name}({value.lower()})")
        raise Unsupported(f"command \\{name}")

    def call(self, make) -> tuple:
        """A function applied to its argument; \\sin^2 x is (\\sin x)^2."""
        power = self.exponent() if self.accept("op", "^") else None
        node = make(self.argument())
        return node if power is None else ("pow", node, power)

    def series(self, name: str) -> tuple:
        """\\sum_{i=1}^{n} body and \\prod: the index, its bounds and the body (a term)."""
        self.expect("op", "_")
        self.expect("op", "{")
        kind, index = self.take()
        if kind != "letter":
            raise Unsupported("index")
        self.expect("op", "=")
        low = self.expression()
        self.expect("op", "}")
        self.expect("op", "^")
        high = self.exponent()
        if high is None:
            raise Unsupported("bound")
        self.indices.append(index)
        body = self.term()
        self.indices.pop()
        return (name, index.lower(), low, high, body)

    def single(self) -> tuple:
        """One token as an argument: \\frac12, \\frac{1}2."""
        kind, value = self.take()
        if kind == "num":
            return self.first_digit(value)
        if kind == "letter":
            return self.letter(value)
        raise Unsupported("argument")

    def first_digit(self, value: str) -> tuple:
        """TeX reads one digit after \\frac: \\frac123 is \\frac{1}{2} 3."""
        if len(value) > 1 and "." not in value:
            self.tokens.insert(self.position, ("num", value[1:]))
            value = value[0]
        return self.number(value)


def read_latex(text: str) -> tuple:
    """The tree of ``text`` (see the module docstring); raises :class:`Unsupported` when it is not covered.
    Plain-text math reads too: "sqrt(3)/2", "pi/3", "2**20" and "2^20" (the power 2^{20}).

    >>> read_latex("10!")
    ('fact', ('num', 10))
    """
    return _Reader(text.replace("**", "^")).parse()
