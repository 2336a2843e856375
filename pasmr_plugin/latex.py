"""A small, linear-time LaTeX reader for the scalar expressions of math answers.

It covers what answers are written with (numbers, letters with subscripts, Greek letters, + - * / ^,
implicit products, \\frac, \\sqrt, \\pi, e, i, \\infty, \\ln, \\log, trigonometric functions, \\lfloor,
\\lceil, |x|, n!, \\binom, percent) and raises :class:`Unsupported` on anything else, so that the caller
can fall back to a complete parser. It builds sympy objects unevaluated: nothing is computed until the
caller has checked the size of the numbers involved.
"""

from __future__ import annotations

import re

MAX_DEPTH = 60  # nesting deeper than this is not an answer (and would exhaust Python's recursion)


class Unsupported(Exception):
    """The text uses LaTeX this reader does not cover."""


_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?|\.\d+)|(\\[A-Za-z]+|\\[{}|%])|([A-Za-z])|(\S))")
_FUNCTIONS = {
    "sin": "sin", "cos": "cos", "tan": "tan", "cot": "cot", "sec": "sec", "csc": "csc",
    "arcsin": "asin", "arccos": "acos", "arctan": "atan", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh",
    "exp": "exp", "ln": "log",
}
_GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi rho sigma "
    "tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Sigma Upsilon Phi Psi Omega".split()
)
_BARE_FUNCTIONS = ("arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "sin", "cos", "tan", "cot", "exp", "ln", "log")


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
        elif other is not None:
            tokens.append(("op", other))
    return _bare_functions(tokens)


def _bare_functions(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """"sin x" and "ln 2" written without backslashes are the functions, not products of letters."""
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


class _Reader:
    def __init__(self, text: str, sympy):
        self.tokens = _tokens(text)
        self.position = 0
        self.sympy = sympy
        self.depth = 0

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
    def parse(self):
        if not self.tokens:
            raise Unsupported("empty")
        expr = self.expression()
        if self.peek() is not None:
            raise Unsupported(f"unexpected {self.peek()[1]!r}")
        return expr

    def expression(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Unsupported("too deep")
        sympy = self.sympy
        terms = [self.term()]
        while True:
            if self.accept("op", "+"):
                terms.append(self.term())
            elif self.accept("op", "-"):
                terms.append(sympy.Mul(-1, self.term(), evaluate=False))
            else:
                break
        self.depth -= 1
        return terms[0] if len(terms) == 1 else sympy.Add(*terms, evaluate=False)

    def term(self):
        sympy = self.sympy
        factors = [self.signed()]
        while True:
            token = self.peek()
            if token is None:
                break
            if token in (("op", "*"), ("cmd", "cdot"), ("cmd", "times")):
                self.position += 1
                factors.append(self.signed())
            elif token in (("op", "/"), ("cmd", "div")):
                self.position += 1
                factors.append(sympy.Pow(self.signed(), -1, evaluate=False))
            elif self.starts_primary(token):
                factors.append(self.power())
            else:
                break
        return factors[0] if len(factors) == 1 else sympy.Mul(*factors, evaluate=False)

    def signed(self):
        if self.accept("op", "-"):
            return self.sympy.Mul(-1, self.signed(), evaluate=False)
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
        return value not in ("cdot", "times", "div", "rfloor", "rceil", "right", "cup", "cap", "leq", "geq", "neq", "in", "pm", "mp")

    def power(self):
        base = self.postfix(self.primary())
        if self.accept("op", "^"):
            exponent = self.exponent()
            base = self.sympy.Pow(base, exponent, evaluate=False)
        return base

    def exponent(self):
        if self.accept("op", "{"):
            inner = self.expression()
            self.expect("op", "}")
            return inner
        if self.accept("op", "-"):
            return self.sympy.Mul(-1, self.exponent(), evaluate=False)
        token = self.take()
        if token[0] == "num":
            return self.first_digit(token[1])
        if token[0] == "letter":
            return self.letter(token[1])
        if token[0] == "cmd" and token[1] == "circ":
            raise Unsupported("degrees")
        self.position -= 1
        return self.primary()

    def postfix(self, expr):
        while self.accept("op", "!"):
            expr = self.sympy.factorial(expr, evaluate=False)
        if self.accept("cmd", "%"):
            expr = self.sympy.Mul(expr, self.sympy.Rational(1, 100), evaluate=False)
        return expr

    def number(self, text: str):
        sympy = self.sympy
        if "." in text:
            whole, _, decimals = text.partition(".")
            return sympy.Rational(int((whole or "0") + decimals), 10 ** len(decimals))
        return sympy.Integer(int(text))

    def letter(self, name: str):
        sympy = self.sympy
        if self.accept("op", "_"):
            subscript = self.subscript()
            return sympy.Symbol(f"{name.lower()}_{subscript}")
        if name == "e":
            return sympy.E
        if name == "i":
            return sympy.I
        return sympy.Symbol(name.lower())

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
            return value
        if kind == "letter":
            return value.lower()
        raise Unsupported("subscript")

    def group(self):
        self.expect("op", "{")
        inner = self.expression()
        self.expect("op", "}")
        return inner

    def argument(self):
        """A function argument: a group, a parenthesized expression, or a product without + or -."""
        token = self.peek()
        if token == ("op", "("):
            self.position += 1
            inner = self.expression()
            self.expect("op", ")")
            return self.postfix(inner)
        if token == ("op", "{"):
            return self.group()
        sympy = self.sympy
        factors = [self.power()]
        while self.peek() is not None and self.peek()[0] in ("num", "letter"):
            factors.append(self.power())
        return factors[0] if len(factors) == 1 else sympy.Mul(*factors, evaluate=False)

    def primary(self):
        sympy = self.sympy
        kind, value = self.take()
        if kind == "num":
            return self.number(value)
        if kind == "letter":
            return self.letter(value)
        if kind == "op":
            if value == "(":
                inner = self.expression()
                self.expect("op", ")")
                return inner
            if value == "{":
                inner = self.expression()
                self.expect("op", "}")
                return inner
            if value == "|":
                inner = self.expression()
                self.expect("op", "|")
                return sympy.Abs(inner, evaluate=False)
            raise Unsupported(f"operator {value!r}")
        return self.command(value)

    def command(self, name: str):
        sympy = self.sympy
        if name == "frac":
            numerator = self.group() if self.peek() == ("op", "{") else self.single()
            denominator = self.group() if self.peek() == ("op", "{") else self.single()
            return sympy.Mul(numerator, sympy.Pow(denominator, -1, evaluate=False), evaluate=False)
        if name == "sqrt":
            if self.accept("op", "["):
                index = self.expression()
                self.expect("op", "]")
                return sympy.Pow(self.argument(), sympy.Pow(index, -1, evaluate=False), evaluate=False)
            return sympy.Pow(self.argument(), sympy.Rational(1, 2), evaluate=False)
        if name == "pi":
            return sympy.pi
        if name == "infty":
            return sympy.oo
        if name in ("lfloor", "lceil"):
            inner = self.expression()
            self.expect("cmd", "rfloor" if name == "lfloor" else "rceil")
            return (sympy.floor if name == "lfloor" else sympy.ceiling)(inner, evaluate=False)
        if name == "binom":
            top, bottom = self.group(), self.group()
            return sympy.binomial(top, bottom, evaluate=False)
        if name == "log":
            base = None
            if self.accept("op", "_"):
                base = self.group() if self.peek() == ("op", "{") else self.single()
            power = self.function_power()
            argument = self.argument()
            value = sympy.log(argument, base if base is not None else 10, evaluate=False)
            return value if power is None else sympy.Pow(value, power, evaluate=False)
        if name in _FUNCTIONS:
            power = self.function_power()
            value = getattr(sympy, _FUNCTIONS[name])(self.argument(), evaluate=False)
            return value if power is None else sympy.Pow(value, power, evaluate=False)
        if name in _GREEK:
            symbol = sympy.Symbol(name.lower())
            if self.accept("op", "_"):
                symbol = sympy.Symbol(f"{name.lower()}_{self.subscript()}")
            return symbol
        raise Unsupported(f"command \\{name}")

    def function_power(self):
        if self.accept("op", "^"):
            return self.exponent()
        return None

    def single(self):
        """One token as an argument: \\frac12, \\frac{1}2."""
        kind, value = self.take()
        if kind == "num":
            return self.first_digit(value)
        if kind == "letter":
            return self.letter(value)
        raise Unsupported("argument")

    def first_digit(self, value: str):
        """TeX reads one digit after ^ or \\frac: x^23 is x^2 * 3."""
        if len(value) > 1 and "." not in value:
            self.tokens.insert(self.position, ("num", value[1:]))
            value = value[0]
        return self.number(value)


def read_latex(text: str, sympy):
    """The unevaluated sympy expression of ``text``; raises :class:`Unsupported` when it is not covered."""
    return _Reader(text, sympy).parse()
