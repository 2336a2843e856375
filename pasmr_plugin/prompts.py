"""The PASMR prompt and response format.

A PAM response first restates the target-language question in the pivot language between
two plain-text markers, then reasons step by step in the target language:

    <translation>
    Janet's ducks lay 16 eggs per day. ...
    </translation>
    Janets Enten legen 16 Eier pro Tag. ... Die Antwort lautet 18.

The markers are ordinary text (no tokenizer change is needed) and can be changed with
:class:`PamFormat`. Parsing is case-insensitive and tolerates a missing opening or closing
marker, repeated markers and truncation. It never raises and takes linear time: each marker
search is one pass, and a reasoning with more than ``MAX_MARKERS`` further markers (degenerate
output) is cut at the last one read.

>>> parts = parse_response(pam_response("How many eggs?", "Sie hat 3 Eier. Die Antwort lautet 3."), "de")
>>> parts.translation, parts.answer
('How many eggs?', '3')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .extraction import extract_expression, extract_final_answers, extract_final_expressions, lower_same_length
from .languages import DEFAULT_PIVOT, ENGLISH, POLYMATH_NOTES, Language, get_language

_NEWLINES = re.compile(r"\n*")  # str.lstrip("\n") takes 20 ms on a megabyte of newlines; this 1 ms

MAX_MARKERS = 64
"""Further markers read in a reasoning (a real response has none or a few repeated blocks). The rest of a
reasoning with more is dropped like an unclosed block: the cap bounds parsing 1 MB of stray markers."""


@dataclass(frozen=True)
class PamFormat:
    """The markers around the pivot-language translation (plain text by default)."""

    open_marker: str = "<translation>"
    close_marker: str = "</translation>"

    def __post_init__(self):
        if not self.open_marker.strip() or not self.close_marker.strip() or self.open_marker == self.close_marker:
            raise ValueError("PamFormat needs two different, non-blank markers")


DEFAULT_FORMAT = PamFormat()


def pam_response(
    pivot_question: str,
    solution: str,
    *,
    lang: str | None = None,
    answer: str | int | float | None = None,
    fmt: PamFormat = DEFAULT_FORMAT,
) -> str:
    """The exact response text the PAM SFT stage trains on.

    When ``lang`` and ``answer`` are given and the solution states no final answer, the
    language's answer sentence is appended ("Jibu ni 18.").

    The result always parses back (:func:`parse_response` gives the pivot question and the
    solution unchanged), so a pivot question containing the closing marker, or a solution
    containing either marker (in any case), raises ``ValueError`` rather than build a target
    that teaches a broken format.

    >>> print(pam_response("How much does she make?", "Anapata 9 × 2 = 18.", lang="sw", answer=18))
    <translation>
    How much does she make?
    </translation>
    Anapata 9 × 2 = 18. Jibu ni 18.
    """
    pivot_question, solution = pivot_question.strip(), solution.strip()
    if not pivot_question:
        raise ValueError("pam_response needs a non-empty pivot question")
    if _find(_lowered(pivot_question, fmt), fmt.close_marker) != -1:
        raise ValueError(f"the pivot question contains the closing marker {fmt.close_marker!r}: {pivot_question[:80]!r}")
    lowered = _lowered(solution, fmt)
    for marker in (fmt.open_marker, fmt.close_marker):
        if _find(lowered, marker) != -1:
            raise ValueError(f"the solution contains the marker {marker!r}: {solution[:80]!r}")
    if lang is not None and answer is not None and not extract_final_answers(solution, lang):
        solution = f"{solution} {get_language(lang).answer_sentence(answer)}".strip()
    return f"{fmt.open_marker}\n{pivot_question}\n{fmt.close_marker}\n{solution}"


@dataclass(frozen=True)
class PamParts:
    """A response split into its parts.

    ``issues`` names what deviates from the format: ``missing_markers``,
    ``missing_open_marker``, ``missing_close_marker``, ``empty_translation``,
    ``repeated_markers``, ``empty_reasoning``.
    """

    translation: str | None  # the pivot-language question the response wrote between the markers
    reasoning: str
    answer: str | None
    final_answers: tuple[str, ...]
    issues: tuple[str, ...]

    @property
    def pivot_question(self) -> str | None:
        """The name of :attr:`translation` in pasmr-plugin 0.1.0."""
        return self.translation


def _find(lowered: str, marker: str, start: int = 0) -> int:
    """Where ``marker`` occurs first from ``start`` in the lower-cased text, in any case (-1: nowhere)."""
    return lowered.find(marker.lower(), start)


def _lowered(text: str, fmt: PamFormat) -> str:
    """``text`` lower-cased for marker searches; ``text`` itself when no marker can occur in it.

    Lower-casing 1 MB of non-ASCII text takes about 20 ms; a text without the first character of
    either marker (in either case: a C-speed check) needs none.
    """
    starts = {marker[0] for marker in (fmt.open_marker, fmt.close_marker)}
    if not any(variant in text for first in starts for variant in {first, first.lower(), first.upper()}):
        return text
    return lower_same_length(text)


def _strip_marker_blocks(text: str, lowered: str, fmt: PamFormat) -> tuple[str, bool]:
    """Remove further translation blocks and stray markers from the reasoning (``lowered``: see :func:`_lowered`).

    Each search starts where the last one ended or reuses a position found before, so the
    whole text is searched a bounded number of times whatever it holds.
    """
    kept, position = [], 0
    opening, closing = _find(lowered, fmt.open_marker), _find(lowered, fmt.close_marker)
    for _ in range(MAX_MARKERS):
        if opening == -1 and closing == -1:
            kept.append(text[position:])
            return "".join(kept), bool(position)
        if closing != -1 and (opening == -1 or closing < opening):  # a stray closing marker
            kept.append(text[position:closing])
            position = closing + len(fmt.close_marker)
            closing = _find(lowered, fmt.close_marker, position)  # the next opening is still ahead
            continue
        kept.append(text[position:opening])
        block_end = _find(lowered, fmt.close_marker, opening + len(fmt.open_marker))
        if block_end == -1:  # an unclosed block runs to the end
            return "".join(kept), True
        position = block_end + len(fmt.close_marker)
        opening, closing = _find(lowered, fmt.open_marker, position), _find(lowered, fmt.close_marker, position)
    return "".join(kept), True  # more than MAX_MARKERS: the rest is dropped


def _split(text: str, lowered: str, fmt: PamFormat) -> tuple[str | None, int, list[str]]:
    """The translation, where the reasoning starts, and the format issues."""
    opening = _find(lowered, fmt.open_marker)
    search_from = opening + len(fmt.open_marker) if opening != -1 else 0
    closing = _find(lowered, fmt.close_marker, search_from)
    if opening != -1 and closing != -1:
        return text[search_from:closing], closing + len(fmt.close_marker), []
    if closing != -1:
        return text[:closing], closing + len(fmt.close_marker), ["missing_open_marker"]
    if opening != -1:
        # no closing marker: the first paragraph is the translation; none means it was cut off
        body = _NEWLINES.match(text, search_from).end()
        paragraph_end = text.find("\n\n", body)
        if paragraph_end == -1:
            return None, len(text), ["missing_close_marker"]
        return text[body:paragraph_end], paragraph_end, ["missing_close_marker"]
    return None, 0, ["missing_markers"]


def parse_response(text: str, lang: str | None = None, *, fmt: PamFormat = DEFAULT_FORMAT) -> PamParts:
    """Split a PAM response into its translation, target reasoning and the reasoning's answer.

    The answer is taken from the reasoning only, never from the translation.

    >>> parse_response("<translation>\\nHow many?\\n</translation>\\nসে ৫টি পেল। উত্তর হল ৫।", "bn").answer
    '5'
    >>> parse_response("Jibu ni 7.", "sw").issues
    ('missing_markers',)
    """
    if not isinstance(text, str):
        return PamParts(None, "", None, (), ("missing_markers", "empty_reasoning"))
    lowered = _lowered(text, fmt)  # once: the same length, so positions carry over to ``text``
    translation, reasoning_start, issues = _split(text, lowered, fmt)
    reasoning, repeated = _strip_marker_blocks(text[reasoning_start:], lowered[reasoning_start:], fmt)
    if repeated:
        issues.append("repeated_markers")
    if translation is not None:
        translation = translation.strip() or None
        if translation is None:
            issues.append("empty_translation")
    reasoning = reasoning.strip()
    if not reasoning:
        issues.append("empty_reasoning")
    final_answers = tuple(extract_final_expressions(reasoning, lang))
    return PamParts(
        translation=translation,
        reasoning=reasoning,
        answer=final_answers[-1] if final_answers else extract_expression(reasoning, lang),  # the last statement wins
        final_answers=final_answers,
        issues=tuple(issues),
    )


BOXED_PLACEHOLDER = r"$\boxed{...}$"
"""A boxed final answer as instructions show it: finish with "The answer is $\\boxed{...}$"."""

ANSWER_FORMATS = ("number", "boxed")
"""How a prompt asks for the final answer: "The answer is [number]." or "The answer is $\\boxed{...}$."
(competition problems, whose answers are often expressions: PolyMath)."""


def _instruction_answer(language: Language, *, boxed: bool = False) -> str:
    return language.answer_sentence(BOXED_PLACEHOLDER if boxed else f"[{language.number_word}]")


def _pivot_name(target: Language, pivot: str) -> str:
    """How the target language names the pivot: "Englische" in German; other pivots by their own name."""
    return target.english_word if pivot == ENGLISH else get_language(pivot).native_name


def target_prompt(
    question: str, lang: str, *, pivot: str = DEFAULT_PIVOT, fmt: PamFormat = DEFAULT_FORMAT, boxed: bool = False
) -> str:
    """The PASMR user prompt in language ``lang``: the question, then the instruction to translate first.

    With ``boxed`` the final sentence asked for holds the answer in ``$\\boxed{...}$`` (competition
    problems, whose answers are often expressions: PolyMath).

    >>> print(target_prompt("Swali la mfano?", "sw"))
    Swali: Swali la mfano?
    Kwanza tafsiri swali kwa Kiingereza na uandike tafsiri kati ya <translation> na </translation>. Kisha litatue hatua kwa hatua kwa Kiswahili na umalizie kwa "Jibu ni [namba]."
    >>> print(target_prompt("Tafuta $x$.", "sw", boxed=True).splitlines()[1][-37:])
    umalizie kwa "Jibu ni $\\boxed{...}$."
    """
    language = get_language(lang)
    instruction = language.pam_instruction.format(
        pivot=_pivot_name(language, pivot),
        open=fmt.open_marker,
        close=fmt.close_marker,
        answer=_instruction_answer(language, boxed=boxed),
    )
    return f"{language.question_label} {question.strip()}\n{instruction}"


def read_target_prompt(
    prompt: object, lang: str, *, pivot: str = DEFAULT_PIVOT, fmt: PamFormat = DEFAULT_FORMAT
) -> tuple[str, str] | None:
    """The question of the :func:`target_prompt` inside ``prompt`` (a chat template around it is fine) and
    the answer format it asks for (one of :data:`ANSWER_FORMATS`), or None when ``prompt`` holds no
    such prompt (another template, other markers or pivot).

    >>> read_target_prompt(target_prompt("Tafuta $x$.", "sw", boxed=True), "sw")
    ('Tafuta $x$.', 'boxed')
    """
    if not isinstance(prompt, str):
        return None
    for answer_format in ANSWER_FORMATS:
        head, instruction = target_prompt("", lang, pivot=pivot, fmt=fmt, boxed=answer_format == "boxed").split("\n", 1)
        end = prompt.rfind("\n" + instruction)
        start = prompt.find(head, 0, max(end, 0))
        if end != -1 and start != -1:
            question = prompt[start + len(head) : end].strip()
            return (question, answer_format) if question else None
    return None


def question_from_prompt(
    prompt: object, lang: str, *, pivot: str = DEFAULT_PIVOT, fmt: PamFormat = DEFAULT_FORMAT
) -> str | None:
    """The question of the :func:`target_prompt` inside ``prompt``, whichever answer format it asks for
    (see :func:`read_target_prompt`), or None.

    >>> question_from_prompt("<|im_start|>user\\n" + target_prompt("Mayai mangapi?", "sw") + "<|im_end|>", "sw")
    'Mayai mangapi?'
    >>> question_from_prompt(target_prompt("Tafuta $x$.", "sw", boxed=True), "sw")
    'Tafuta $x$.'
    """
    found = read_target_prompt(prompt, lang, pivot=pivot, fmt=fmt)
    return None if found is None else found[0]


def cot_prompt(question: str, lang: str, *, boxed: bool = False) -> str:
    """A plain chain-of-thought prompt in ``lang`` (no translation step); the pivot prompt is this in the pivot.

    >>> print(cot_prompt("How many eggs are left?", "en"))
    Question: How many eggs are left?
    Solve it step by step and finish with "The answer is [number]."
    >>> print(cot_prompt("Wie viele Eier?", "de", boxed=True).splitlines()[1])
    Löse die Aufgabe Schritt für Schritt und schließe mit „Die Antwort lautet $\\boxed{...}$.“ ab.
    """
    language = get_language(lang)
    instruction = language.cot_instruction.format(answer=_instruction_answer(language, boxed=boxed))
    return f"{language.question_label} {question.strip()}\n{instruction}"


def polymath_prompt(question: str, lang: str) -> str:
    """PolyMath's own prompt: the question, then the benchmark's note asking for the final answer in ``\\boxed{}``.

    >>> print(polymath_prompt("Tafuta $x$ ikiwa $2x = 6$.", "sw"))
    Tafuta $x$ ikiwa $2x = 6$.
    Kumbuka: Tafadhali weka jibu la mwisho katika $\\boxed\\{\\}$.
    """
    try:
        note = POLYMATH_NOTES[lang]
    except KeyError:
        raise KeyError(f"PolyMath has no language {lang!r}; it has {', '.join(POLYMATH_NOTES)}") from None
    return f"{question.strip()}\n{note}"


def pivot_prompt(pivot_question: str, pivot: str = DEFAULT_PIVOT, *, boxed: bool = False) -> str:
    """The prompt that answers the model's own translation in the pivot language, asking for the answer in
    the form the target prompt asks for it (``boxed``: ``$\\boxed{...}$``, else "[number]").

    >>> pivot_prompt("Find $x$ if $2x = 6$.", boxed=True).splitlines()[1]
    'Solve it step by step and finish with "The answer is $\\\\boxed{...}$."'
    """
    return cot_prompt(pivot_question, pivot, boxed=boxed)


def as_messages(prompt: str) -> list[dict[str, str]]:
    """A prompt as chat messages, for ``tokenizer.apply_chat_template`` or an OpenAI-style API."""
    return [{"role": "user", "content": prompt}]


def target_messages(question: str, lang: str, *, pivot: str = DEFAULT_PIVOT, fmt: PamFormat = DEFAULT_FORMAT):
    """:func:`target_prompt` as chat messages."""
    return as_messages(target_prompt(question, lang, pivot=pivot, fmt=fmt))


def pivot_messages(pivot_question: str, pivot: str = DEFAULT_PIVOT, *, boxed: bool = False):
    """:func:`pivot_prompt` as chat messages."""
    return as_messages(pivot_prompt(pivot_question, pivot, boxed=boxed))
