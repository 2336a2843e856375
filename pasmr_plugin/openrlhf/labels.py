"""The label of a PASMR RL prompt: a small JSON object stored next to the prompt.

OpenRLHF hands each prompt's label string to the agent or reward function untouched, so
everything a reward needs beyond the response travels in it::

    {"lang": "sw", "gold": "18", "pivot_question": "How many eggs ...?", "pivot_answers": ["18", "18", null]}

Only ``lang`` is required. ``split`` is ``train`` or ``eval`` (``pasmr data rl --split``): gold
decides the reward of an ``eval`` row (gold accuracy), never of a ``train`` row; a label without
a split follows ``--use-gold``. ``gold`` is logged as gold accuracy; it is a number or a LaTeX
expression (``"18"``, ``"$\\frac{\\pi}{3}$"``, ``"[2, 3)"``), and so are the pivot answers;
``pivot_question`` is a reference translation; ``pivot_answers`` are answers to it computed
offline, for the single-turn reward. ``answer_format`` is the form the prompt asks the final answer
in, ``"number"`` or ``"boxed"`` (``pasmr data rl`` writes it): the pivot prompt asks for the same.
Gold answers are read as benchmarks write them (a decimal point, commas between list items or in
thousands groups), whatever the label's language. Unknown keys are ignored.

>>> label = parse_label('{"lang": "sw", "gold": 18, "source": "mgsm"}')
>>> label.lang, label.gold, label.pivot_answers
('sw', '18', None)
>>> parse_label('{"lang": "xx"}', strict=False) is None
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..answers import answer_key, parse_number
from ..languages import LANGUAGES, find_language
from ..prompts import ANSWER_FORMATS
from ..reward import MAX_PIVOT_VOTES

MAX_LABEL_CHARS = 65_536
"""Longer label strings are rejected unread: a label holds one question and a few answers."""

SPLITS = ("train", "eval")
"""``split`` values: an ``eval`` row is scored by its gold answer, a ``train`` row never is."""

MAX_PIVOT_ANSWERS = MAX_PIVOT_VOTES
"""More stored pivot answers than the reward counts is a data bug (K is 4 to 16 in practice)."""


class LabelError(ValueError):
    """A label that is not a valid PASMR label; the message says what is wrong."""


@dataclass(frozen=True)
class PasmrLabel:
    """A parsed, validated label. ``pivot_answers`` is None when the label has none."""

    lang: str
    gold: str | None = None
    pivot_question: str | None = None
    pivot_answers: tuple[str | None, ...] | None = None
    split: str | None = None
    answer_format: str | None = None

    def __post_init__(self):
        if self.split is not None and self.split not in SPLITS:
            raise LabelError(f"label split must be one of {', '.join(SPLITS)}, got {self.split!r}")
        if self.answer_format is not None and self.answer_format not in ANSWER_FORMATS:
            raise LabelError(f"label answer_format must be one of {', '.join(ANSWER_FORMATS)}, got {self.answer_format!r}")
        if find_language(self.lang) is None:
            raise LabelError(f"unknown language {self.lang!r} in label; known: {', '.join(sorted(LANGUAGES))}")
        if self.gold is not None and answer_key(self.gold) is None:
            raise LabelError(f"label gold answer is not a number or a math expression: {self.gold!r}")
        if self.pivot_question is not None and not self.pivot_question.strip():
            raise LabelError("label pivot_question is empty")

    def to_json(self) -> str:
        """The label as the compact JSON string OpenRLHF datasets carry (absent fields left out).

        >>> PasmrLabel("bn", gold="৭").to_json()
        '{"lang": "bn", "gold": "৭"}'
        """
        data: dict[str, object] = {"lang": self.lang}
        if self.gold is not None:
            data["gold"] = self.gold
        if self.pivot_question is not None:
            data["pivot_question"] = self.pivot_question
        if self.pivot_answers is not None:
            data["pivot_answers"] = list(self.pivot_answers)
        if self.split is not None:
            data["split"] = self.split
        if self.answer_format is not None:
            data["answer_format"] = self.answer_format
        return json.dumps(data, ensure_ascii=False)

    def gold_decides(self, use_gold: bool = False) -> bool:
        """Whether the gold answer decides the reward: always for ``eval`` rows (given a gold answer),
        never for ``train`` rows, ``use_gold`` for labels without a split.

        >>> PasmrLabel("sw", gold="7", split="eval").gold_decides(), PasmrLabel("sw", gold="7", split="train").gold_decides(True)
        (True, False)
        """
        if self.gold is None or self.split == "train":
            return False
        return self.split == "eval" or use_gold


def _answer_text(value: object, field: str) -> str | None:
    """A gold or pivot answer as a string: numbers as their exact decimal value, booleans not at all.

    JSON numbers in exponent form are written out ("gold": 0.00001 is "0.00001", never "1e-05",
    which would read as 5); numbers too large to be an answer are an error.

    >>> _answer_text(0.00001, "gold"), _answer_text(1e16, "gold"), _answer_text(18, "gold")
    ('0.00001', '10000000000000000', '18')
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = _number_text(value)
        if text is None:
            raise LabelError(f"label {field} is not a number an answer can be: {_short(value)}")
        return text
    raise LabelError(f"label {field} must be a string or a number, got {type(value).__name__}")


def _number_text(value: int | float) -> str | None:
    """A JSON number as the exact decimal a label stores, or None when that text is no answer (too large,
    or too long: 1e-50 written out)."""
    if parse_number(value) is None:  # checked first: str() of a huge int raises
        return None
    text = str(value) if isinstance(value, int) else format(Decimal(repr(value)), "f")
    return text if parse_number(text) is not None else None


def _short(value: object) -> str:
    """``value`` for an error message: at most 80 characters, whatever its size."""
    if isinstance(value, int) and value.bit_length() > 256:
        return f"an integer of about {int(value.bit_length() * 0.30103)} digits"
    return repr(value)[:80]


def _pivot_answers(value: object) -> tuple[str | None, ...] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise LabelError(f"label pivot_answers must be a list, got {type(value).__name__}")
    if len(value) > MAX_PIVOT_ANSWERS:
        raise LabelError(f"label pivot_answers has {len(value)} entries (at most {MAX_PIVOT_ANSWERS})")
    return tuple(_pivot_answer_text(item) for item in value)


def _pivot_answer_text(value: object) -> str | None:
    """A stored pivot answer; a number too large to be an answer is a vote for nothing (None), like a text without one."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and _number_text(value) is None:
        return None
    return _answer_text(value, "pivot_answers entry")


def label_fields(label: object) -> dict:
    """The label as a dict: a JSON string is decoded, a mapping (a dataset struct column) copied.

    >>> label_fields('{"lang": "te"}')
    {'lang': 'te'}
    """
    if isinstance(label, Mapping):
        return dict(label)
    if not isinstance(label, str):
        raise LabelError(f"a label must be a JSON string, got {type(label).__name__}")
    if len(label) > MAX_LABEL_CHARS:
        raise LabelError(f"label is {len(label)} characters long (at most {MAX_LABEL_CHARS})")
    try:
        data = json.loads(label)
    except json.JSONDecodeError as error:
        raise LabelError(f"label is not JSON ({error.msg} at character {error.pos}): {label[:80]!r}") from None
    except (ValueError, RecursionError) as error:  # an integer over Python's digit limit, deep nesting
        raise LabelError(f"label is not usable JSON ({str(error)[:80]}): {label[:80]!r}") from None
    if not isinstance(data, dict):
        raise LabelError(f"label must be a JSON object, got {type(data).__name__}: {label[:80]!r}")
    return data


def parse_label(label: object, *, strict: bool = True) -> PasmrLabel | None:
    """Parse and validate a label (a JSON string or a mapping).

    ``strict`` (data-build time) raises :class:`LabelError` with the reason; ``strict=False``
    (training time) returns None instead, so a bad label costs one sample, not the run.

    >>> parse_label('{"lang": "de", "pivot_answers": [18, null]}').pivot_answers
    ('18', None)
    """
    try:
        data = label_fields(label)
        if "lang" not in data:
            raise LabelError(f"label has no 'lang' field: {sorted(data)}")
        if not isinstance(data["lang"], str):
            raise LabelError(f"label lang must be a string, got {type(data['lang']).__name__}")
        pivot_question = data.get("pivot_question")
        if pivot_question is not None and not isinstance(pivot_question, str):
            raise LabelError(f"label pivot_question must be a string, got {type(pivot_question).__name__}")
        return PasmrLabel(
            lang=data["lang"],
            gold=_answer_text(data.get("gold"), "gold"),
            pivot_question=pivot_question,
            pivot_answers=_pivot_answers(data.get("pivot_answers")),
            split=data.get("split"),
            answer_format=data.get("answer_format"),
        )
    except LabelError:
        if strict:
            raise
        return None


def make_label(
    lang: str,
    *,
    gold: object = None,
    pivot_question: str | None = None,
    split: str | None = None,
    answer_format: str | None = None,
) -> str:
    """The label string of a new RL prompt; raises :class:`LabelError` on bad input.

    >>> make_label("ja", gold=5)
    '{"lang": "ja", "gold": "5"}'
    >>> make_label("ja", gold=5, split="eval", answer_format="boxed")
    '{"lang": "ja", "gold": "5", "split": "eval", "answer_format": "boxed"}'
    """
    gold = _answer_text(gold, "gold")
    return PasmrLabel(lang, gold=gold, pivot_question=pivot_question, split=split, answer_format=answer_format).to_json()


def label_with_pivot_answers(label: object, answers: Sequence[str | None]) -> str:
    """``label`` (validated) with ``pivot_answers`` set; any other keys are kept as they were.

    >>> label_with_pivot_answers('{"lang": "sw", "id": 7}', ["18", None])
    '{"lang": "sw", "id": 7, "pivot_answers": ["18", null]}'
    """
    parse_label(label)
    data = label_fields(label)
    data["pivot_answers"] = list(_pivot_answers(list(answers)) or ())
    return json.dumps(data, ensure_ascii=False)
