"""The PASMR self-feedback reward: agreement of the target-language answer with pivot answers.

The policy answers a target-language question (translation first, then reasoning in the
target language); its own translation is answered again in the pivot language; the target
answer is rewarded by agreement with those pivot answers. No gold answer, no reward model.

>>> response = "<translation>\\nHow many eggs are left?\\n</translation>\\nZimebaki mayai 16 - 3 = 13. Jibu ni 13."
>>> result = score_response(response, "sw", pivot_answers=["13", "13", "12"])
>>> result.reward, result.pivot_answer, round(result.agreement, 2), result.reason
(1.0, '13', 0.67, 'consistent')

The rules, in the order they are applied (each configurable in :class:`RewardConfig`):

1. Format. The translation must be present and non-empty, be in the pivot language and not
   be the question copied; the reasoning must be non-empty and in the target language; the
   reasoning must not state several different final answers; it must commit to an answer.
   A response that breaks a rule gets ``format_reward`` (0) and ``format_ok`` False.
2. Gold mode (``use_gold`` and a gold answer given): reward by agreement with the gold answer.
3. Pivot agreement. The pivot majority is the one most frequent value among the pivot
   answers, counted over classes of equivalent answers (numbers, or expressions such as
   ``\\frac{\\pi}{3}`` and ``\\pi/3``; :func:`pasmr_plugin.answers.answers_equivalent`; a None
   answer is a vote for nothing); a tie for the top, or no pivot answer,
   gives no signal (reward 0, ``no_signal``). When the majority's share reaches
   ``agreement_threshold`` the reward is 1 if the target answer matches it, else 0; below
   the threshold there is no signal either.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from .grading import answer_key, answers_equivalent
from .langid import detect_language
from .languages import DEFAULT_PIVOT, counts_as, get_language
from .prompts import DEFAULT_FORMAT, PamFormat, PamParts, parse_response

MAX_VOTE_CLASSES = 16
"""Only the first this many distinct answers (by canonical key) are compared with each other in a
vote; later ones count by key alone. K is 4 to 16 pivot samples in practice, and the cap bounds the
pairwise comparisons of a vote over adversarially many distinct answers."""
COPY_NGRAM = 3  # character n-grams compared to tell a copied question from a translation
FORMAT_FAILURES = frozenset(
    {"missing_translation", "translation_not_in_pivot", "translation_copied", "empty_reasoning", "conflicting_answers"}
)


@dataclass(frozen=True)
class RewardConfig:
    """Settings of :func:`score_response`; the defaults are the paper's setting."""

    pivot: str = DEFAULT_PIVOT
    agreement_threshold: float = 0.5
    consistent_reward: float = 1.0
    inconsistent_reward: float = 0.0
    format_reward: float = 0.0
    require_translation: bool = True
    check_translation_language: bool = True
    check_reasoning_language: bool = True
    reject_conflicting_answers: bool = True
    copy_similarity: float = 0.8
    use_gold: bool = False
    fmt: PamFormat = DEFAULT_FORMAT

    def __post_init__(self):
        get_language(self.pivot)
        if not 0.0 <= self.agreement_threshold <= 1.0:
            raise ValueError(f"agreement_threshold must lie in [0, 1], got {self.agreement_threshold}")
        if not 0.0 < self.copy_similarity <= 1.0:
            raise ValueError(f"copy_similarity must lie in (0, 1], got {self.copy_similarity}")


DEFAULT_CONFIG = RewardConfig()


@dataclass(frozen=True)
class ResponseCheck:
    """What can be judged from the response alone, before any pivot answer exists.

    ``failure`` is None when the response may be scored, else the rule it breaks:
    ``missing_translation``, ``translation_not_in_pivot``, ``translation_copied``,
    ``empty_reasoning``, ``reasoning_not_in_target``, ``conflicting_answers`` or ``no_answer``.
    """

    parts: PamParts
    failure: str | None
    translation_lang: str | None
    reasoning_lang: str | None
    lang_fidelity: float

    @property
    def format_ok(self) -> bool:
        """Whether the response has the PAM shape (reasoning language and the answer are judged apart)."""
        return self.failure not in FORMAT_FAILURES


@dataclass(frozen=True)
class RewardResult:
    """The reward of one response, with everything needed to log and debug it."""

    reward: float
    consistent: bool
    target_answer: str | None
    pivot_answer: str | None
    agreement: float
    format_ok: bool
    lang_fidelity: float
    no_signal: bool
    reason: str
    gold_correct: bool | None = None
    diagnostics: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))


def _ngrams(text: str) -> set[str]:
    squeezed = "".join(text.lower().split())
    return {squeezed[i : i + COPY_NGRAM] for i in range(max(1, len(squeezed) - COPY_NGRAM + 1))}


def question_overlap(translation: str, question: str) -> float:
    """How much of ``question`` the translation copies: Jaccard similarity of character trigrams, 1.0 for a copy.

    The ``copy_similarity`` setting of :class:`RewardConfig` is the threshold on this number.
    """
    first, second = _ngrams(translation), _ngrams(question)
    return len(first & second) / len(first | second) if first and second else 0.0


def _distinct_answers(answers: Sequence[str]) -> list[str]:
    distinct: list[str] = []
    for answer in answers:
        if not any(answers_equivalent(answer, seen) for seen in distinct):
            distinct.append(answer)
    return distinct


def check_response(
    response: str,
    lang: str,
    *,
    config: RewardConfig = DEFAULT_CONFIG,
    question: str | None = None,
) -> ResponseCheck:
    """Parse ``response`` and apply the format rules (rule 1 of the module docstring).

    >>> check_response("Jibu ni 5.", "sw").failure
    'missing_translation'
    """
    get_language(lang)
    parts = parse_response(response if isinstance(response, str) else "", lang, fmt=config.fmt)
    translation_lang = detect_language(parts.translation) if parts.translation else None
    reasoning_lang = detect_language(parts.reasoning) if parts.reasoning else None
    lang_fidelity = 1.0 if counts_as(reasoning_lang, lang) else 0.0  # Indonesian counts as Malay
    same_language = lang == config.pivot
    failure = None
    if config.require_translation and parts.translation is None:
        failure = "missing_translation"
    elif parts.translation is not None and not same_language and (
        config.check_translation_language and not counts_as(translation_lang, config.pivot)
    ):
        failure = "translation_not_in_pivot"
    elif (
        parts.translation is not None
        and question
        and not same_language
        and question_overlap(parts.translation, question) >= config.copy_similarity
    ):
        failure = "translation_copied"
    elif not parts.reasoning:
        failure = "empty_reasoning"
    elif config.check_reasoning_language and not lang_fidelity:
        failure = "reasoning_not_in_target"
    elif config.reject_conflicting_answers and len(_distinct_answers(parts.final_answers)) > 1:
        failure = "conflicting_answers"
    elif parts.answer is None:
        failure = "no_answer"
    return ResponseCheck(parts, failure, translation_lang, reasoning_lang, lang_fidelity)


def pivot_majority(pivot_answers: Sequence[object]) -> tuple[str | None, float, dict[str, int]]:
    """The unique most frequent pivot answer, its share of all answers, and the vote counts.

    >>> pivot_majority(["18", "18.00", None, "20"])
    ('18', 0.5, {'18': 2, '20': 1})
    >>> pivot_majority(["18", "20"])[0] is None  # a tie is no majority
    True
    """
    counts = Counter(str(answer) for answer in pivot_answers if answer is not None)  # equal strings first
    classes: dict[str, list] = {}  # canonical key -> [first answer with it, votes]: "18" and "18.00" at once
    for answer, count in counts.items():
        key = answer_key(answer)
        if key is None:  # not an answer: a vote for nothing
            continue
        if key in classes:
            classes[key][1] += count
        else:
            classes[key] = [answer, count]
    votes: dict[str, int] = {}
    for index, (answer, count) in enumerate(classes.values()):
        # classes with different keys may still be equivalent (1/3 and 0.3333, \\frac{\\pi}{2} and \\pi/2)
        candidates = votes if index < MAX_VOTE_CLASSES else ()
        match = next((seen for seen in candidates if answers_equivalent(seen, answer)), answer)
        votes[match] = votes.get(match, 0) + count
    if not votes:
        return None, 0.0, votes
    ranked = sorted(votes.values(), reverse=True)
    if len(ranked) > 1 and ranked[0] == ranked[1]:
        return None, ranked[0] / len(pivot_answers), votes
    top = max(votes, key=votes.__getitem__)
    return top, votes[top] / len(pivot_answers), votes


def score_response(
    response: str,
    lang: str,
    pivot_answers: Sequence[object] = (),
    *,
    config: RewardConfig = DEFAULT_CONFIG,
    gold: object = None,
    question: str | None = None,
    check: ResponseCheck | None = None,
) -> RewardResult:
    """Score one PASMR response in target language ``lang`` against the pivot answers.

    ``pivot_answers`` are answers extracted from pivot-language reasoning on the response's
    own translation; ``gold`` is optional (logged as ``gold_correct``; decides the reward
    in ``use_gold`` mode); ``question`` enables the copied-translation check; ``check``
    reuses an earlier :func:`check_response` of the same response.
    """
    check = check or check_response(response, lang, config=config, question=question)
    parts = check.parts
    target = parts.answer
    gold_correct = None if gold is None or target is None else answers_equivalent(target, gold, lang)
    if gold is not None and target is None:
        gold_correct = False
    majority, agreement, votes = pivot_majority(pivot_answers)
    diagnostics = MappingProxyType(
        {
            "issues": parts.issues,
            "final_answers": parts.final_answers,
            "translation_lang": check.translation_lang,
            "reasoning_lang": check.reasoning_lang,
            "pivot_votes": votes,
            "pivot_samples": len(pivot_answers),
        }
    )

    def result(reward: float, reason: str, *, consistent: bool = False, no_signal: bool = False) -> RewardResult:
        return RewardResult(
            reward=reward,
            consistent=consistent,
            target_answer=target,
            pivot_answer=majority,
            agreement=agreement,
            format_ok=check.format_ok,
            lang_fidelity=check.lang_fidelity,
            no_signal=no_signal,
            reason=reason,
            gold_correct=gold_correct,
            diagnostics=diagnostics,
        )

    if check.failure is not None:
        return result(config.format_reward, check.failure)
    if config.use_gold and gold is not None:
        reward = config.consistent_reward if gold_correct else config.inconsistent_reward
        return result(reward, "gold_correct" if gold_correct else "gold_incorrect", consistent=bool(gold_correct))
    if not votes:
        return result(config.inconsistent_reward, "no_pivot_answers", no_signal=True)
    if majority is None:
        return result(config.inconsistent_reward, "no_pivot_majority", no_signal=True)
    if agreement < config.agreement_threshold:
        return result(config.inconsistent_reward, "low_pivot_agreement", no_signal=True)
    if answers_equivalent(target, majority):
        return result(config.consistent_reward, "consistent", consistent=True)
    return result(config.inconsistent_reward, "inconsistent")
