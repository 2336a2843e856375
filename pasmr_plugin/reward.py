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
2. Truncation. A response cut at ``max_tokens`` (``truncated``) earns no consistency reward from
   whatever number it ends on: ``inconsistent_reward``, reason ``truncated`` (``reward_truncated``
   turns this off).
3. Gold mode (``gold_decides``: an evaluation row, or ``use_gold`` for labels without a split;
   a gold answer given): reward by agreement with the gold answer.
4. Pivot agreement. The pivot majority is the one most frequent value among the pivot
   answers, counted over classes of equivalent answers (numbers, or expressions such as
   ``\\frac{\\pi}{3}`` and ``\\pi/3``; :func:`pasmr_plugin.answers.answers_equivalent`; a None
   answer is a vote for nothing); a tie for the top, or no pivot answer,
   gives no signal (reward 0, ``no_signal``). When the majority's share reaches
   ``agreement_threshold`` the reward is 1 if the target answer matches it, else 0; below
   the threshold there is no signal either.

Pivot answers are read with :func:`pivot_answer`: from the pivot completion's reasoning only (a
translation block a PAM-tuned model may still write there is not scored), and a completion cut
at ``max_tokens`` votes only when it made an explicit final statement (``truncated_pivot_votes``);
otherwise it stays in the count as a vote for nothing.

Votes are counted by canonical value (:func:`vote_key`: "18", "18.00" and "১৮" are one vote),
in time linear in the number of answers; ``pivot_answers`` may be any iterable (or None), and
only its first :data:`MAX_PIVOT_VOTES` answers are counted. Nothing in the response, the pivot
answers or the gold answer makes scoring raise; an unknown language code does (``KeyError``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from types import MappingProxyType

from .expressions import MAX_EXPRESSION_CHARS
from .extraction import extract_boxed
from .grading import answer_key, answers_equivalent
from .langid import detect_language
from .languages import DEFAULT_PIVOT, counts_as, get_language
from .prompts import DEFAULT_FORMAT, PamFormat, PamParts, parse_response

COPY_NGRAM = 3  # character n-grams compared to tell a copied question from a translation
MAX_COPY_CHARS = 4_000
"""Only this many leading characters of a translation and a question are compared for copying: MGSM and
MSVAMP questions are under 1,000 characters, and the cap bounds the n-gram sets on a 1 MB translation."""

MAX_PIVOT_VOTES = 64
"""Only the first this many pivot answers are counted (a label holds at most as many, and the agent
generates at most as many: ``MAX_PIVOT_SAMPLES``). K is 4 to 16 in
practice; the cap bounds a vote on a degenerate list or an endless iterator: an answer in canonical
form (what extraction gives) costs about 3 µs, one that must be read as text up to about 200 µs, so a
vote takes at most about 15 ms whatever it is given."""

MAX_ANSWER_CHARS = MAX_EXPRESSION_CHARS
"""A pivot answer is a number or an expression: a longer string is no answer (a vote for nothing), unread."""

MAX_MERGED_VOTES = 16
"""Equivalent answers with different canonical keys ("33.33" and 33.3333333333, ``\\frac{\\pi}{2}``
and ``\\pi/2``) are merged among the most frequent this many keys, pairwise. A real group has at most K
distinct answers; more than this (an adversarial list) are counted by key only, so a vote stays linear."""

FORMAT_FAILURES = frozenset(
    {"missing_translation", "translation_not_in_pivot", "translation_copied", "empty_reasoning", "conflicting_answers"}
)


TRUNCATED_PIVOT_VOTES = ("final_statement", "never", "always")
"""How a pivot completion cut at ``max_tokens`` votes: only with an explicit final statement
("The answer is 18."), never, or like any other completion (its last number)."""


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
    reward_truncated: bool = False  # a response cut at max_tokens may still earn the consistency reward
    truncated_pivot_votes: str = "final_statement"  # a cut pivot completion votes: final_statement | never | always

    def __post_init__(self):
        get_language(self.pivot)
        if self.truncated_pivot_votes not in TRUNCATED_PIVOT_VOTES:
            raise ValueError(
                f"truncated_pivot_votes must be one of {', '.join(TRUNCATED_PIVOT_VOTES)}, "
                f"got {self.truncated_pivot_votes!r}"
            )
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
    signal: bool = False  # the pivot answers give a majority under the threshold, whether or not the reward used it
    diagnostics: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))


def _ngrams(text: str) -> set[str]:
    squeezed = "".join(text[:MAX_COPY_CHARS].lower().split())
    return {squeezed[i : i + COPY_NGRAM] for i in range(max(1, len(squeezed) - COPY_NGRAM + 1))}


def question_overlap(translation: str, question: str) -> float:
    """How much of ``question`` the translation copies: Jaccard similarity of character trigrams, 1.0 for a copy.

    The ``copy_similarity`` setting of :class:`RewardConfig` is the threshold on this number.
    """
    if not isinstance(translation, str) or not isinstance(question, str):
        return 0.0
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
        and isinstance(question, str)
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


def pivot_list(pivot_answers: object) -> list[object]:
    """The pivot answers to count: the first :data:`MAX_PIVOT_VOTES` of an iterable; None is no answers.

    A single string or number is one answer (not its characters).

    >>> pivot_list(None), pivot_list("18"), pivot_list(iter([1, 2]))
    ([], ['18'], [1, 2])
    """
    if pivot_answers is None:
        return []
    if isinstance(pivot_answers, (str, bytes)) or not isinstance(pivot_answers, Iterable):
        return [pivot_answers]
    return list(islice(pivot_answers, MAX_PIVOT_VOTES))


def vote_key(answer: object) -> str | None:
    """The canonical form an answer votes under (None: a vote for nothing): :func:`~pasmr_plugin.answers.answer_key`.

    Equal numbers share a key however they are written, so votes are counted by bucketing.

    >>> vote_key("18.00"), vote_key(18), vote_key("১৮"), vote_key("no number")
    ('18', '18', '18', None)
    """
    if isinstance(answer, str) and len(answer) > MAX_ANSWER_CHARS:
        return None
    return answer_key(answer)


def count_votes(answers: Iterable[object]) -> dict[str, int]:
    """Votes per class of equivalent answers, each class named by its first answer as written.

    Answers are bucketed by :func:`vote_key` (each distinct string read once), then the buckets of the
    most frequent keys are merged when equivalent (see :data:`MAX_MERGED_VOTES`).

    >>> count_votes(["18", "18.00", None, "33.33", "33.3333333333", "keine Zahl"])
    {'18': 2, '33.33': 2}
    """
    keys: dict[str, str | None] = {}  # each distinct string is read once
    counts: dict[str, int] = {}  # key -> votes, in order of first appearance
    written: dict[str, str] = {}  # key -> its first answer as written
    for answer in answers:
        if isinstance(answer, str):
            key = keys[answer] if answer in keys else keys.setdefault(answer, vote_key(answer))
        else:
            key = vote_key(answer)
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
            written.setdefault(key, answer if isinstance(answer, str) else key)
    ranked = sorted(counts, key=counts.__getitem__, reverse=True)  # stable: the first seen leads a tie
    joined: dict[str, str] = {key: key for key in ranked[MAX_MERGED_VOTES:]}  # key -> the key of its class
    leaders: list[str] = []
    for key in ranked[:MAX_MERGED_VOTES]:  # compared as written: the key "-1,1" of the list "-1, 1" reads as -1.1
        joined[key] = next((seen for seen in leaders if answers_equivalent(written[seen], written[key])), key)
        if joined[key] == key:
            leaders.append(key)
    names: dict[str, str] = {}  # class -> the first answer written in it
    votes: dict[str, int] = {}
    for key, count in counts.items():
        name = names.setdefault(joined[key], written[key])
        votes[name] = votes.get(name, 0) + count
    return votes


def pivot_majority(pivot_answers: Iterable[object] | None) -> tuple[str | None, float, dict[str, int]]:
    """The unique most frequent pivot answer, its share of all answers, and the vote counts.

    ``pivot_answers`` is any iterable (see :func:`pivot_list`); the majority is named by its first answer as written.

    >>> pivot_majority(["18", "18.00", None, "20"])
    ('18', 0.5, {'18': 2, '20': 1})
    >>> pivot_majority(["18", "20"])[0] is None  # a tie is no majority
    True
    """
    answers = pivot_list(pivot_answers)
    votes = count_votes(answers)
    if not votes:
        return None, 0.0, votes
    ranked = sorted(votes.values(), reverse=True)
    if len(ranked) > 1 and ranked[0] == ranked[1]:
        return None, ranked[0] / len(answers), votes
    top = max(votes, key=votes.__getitem__)
    return top, votes[top] / len(answers), votes


@dataclass(frozen=True)
class PivotVote:
    """The pivot majority the reward compares the target answer with (rule 4 of the module docstring).

    ``failure`` is None when the vote gives a signal, else why it gives none: ``no_pivot_answers``,
    ``no_pivot_majority`` (a tie) or ``low_pivot_agreement``.
    """

    majority: str | None
    agreement: float
    votes: dict[str, int]
    failure: str | None

    @property
    def signal(self) -> bool:
        return self.failure is None


def pivot_vote(
    pivot_answers: Iterable[object] | None, agreement_threshold: float = DEFAULT_CONFIG.agreement_threshold
) -> PivotVote:
    """The vote of :func:`pivot_majority`, and whether its majority reaches ``agreement_threshold``.

    >>> pivot_vote(["18", "18", "20"]).signal, pivot_vote(["18", "20"]).failure
    (True, 'no_pivot_majority')
    >>> pivot_vote(["18", "18", "20", None], agreement_threshold=0.6).failure  # 2 of 4 votes
    'low_pivot_agreement'
    """
    majority, agreement, votes = pivot_majority(pivot_answers)
    if not votes:
        failure = "no_pivot_answers"
    elif majority is None:
        failure = "no_pivot_majority"
    elif agreement < agreement_threshold:
        failure = "low_pivot_agreement"
    else:
        failure = None
    return PivotVote(majority, agreement, votes, failure)


def pivot_consistency(
    target_answer: object,
    pivot_answers: Iterable[object] | None,
    agreement_threshold: float = DEFAULT_CONFIG.agreement_threshold,
) -> tuple[PivotVote, bool]:
    """The consistency part of the reward alone: the vote, and whether ``target_answer`` agrees with its majority.

    No format rule applies (a plain chain-of-thought response has no translation); the comparison is
    the one :func:`score_response` makes.

    >>> vote, consistent = pivot_consistency("১৮", ["18", "18.0", None])
    >>> vote.majority, round(vote.agreement, 2), consistent
    ('18', 0.67, True)
    """
    vote = pivot_vote(pivot_answers, agreement_threshold)
    return vote, vote.signal and answers_equivalent(target_answer, vote.majority)


def score_response(
    response: str,
    lang: str,
    pivot_answers: Iterable[object] | None = (),
    *,
    config: RewardConfig = DEFAULT_CONFIG,
    gold: object = None,
    question: str | None = None,
    check: ResponseCheck | None = None,
    truncated: bool = False,
    gold_decides: bool | None = None,
) -> RewardResult:
    """Score one PASMR response in target language ``lang`` against the pivot answers.

    ``pivot_answers`` are answers extracted from pivot-language reasoning on the response's
    own translation (:func:`pivot_answer`); ``gold`` is optional (logged as ``gold_correct``;
    decides the reward when ``gold_decides``, which defaults to ``config.use_gold``);
    ``question`` enables the copied-translation check; ``check`` reuses an earlier
    :func:`check_response` of the same response; ``truncated`` says the response was cut at
    ``max_tokens``.

    >>> response = "<translation>\\nHow many are left?\\n</translation>\\nZimebaki 16 - 3 = 13. Jibu ni 13."
    >>> score_response(response, "sw", ["13", "13"], truncated=True).reason
    'truncated'
    """
    check = check or check_response(response, lang, config=config, question=question)
    pivot_answers = pivot_list(pivot_answers)
    parts = check.parts
    target = parts.answer
    gold_correct = None if gold is None or target is None else answers_equivalent(target, gold)  # gold as benchmarks write it
    if gold is not None and target is None:
        gold_correct = False
    vote = pivot_vote(pivot_answers, config.agreement_threshold)
    diagnostics = MappingProxyType(
        {
            "issues": parts.issues,
            "final_answers": parts.final_answers,
            "translation_lang": check.translation_lang,
            "reasoning_lang": check.reasoning_lang,
            "pivot_votes": vote.votes,
            "pivot_samples": len(pivot_answers),
        }
    )

    def result(
        reward: float, reason: str, *, consistent: bool = False, no_signal: bool = False
    ) -> RewardResult:
        return RewardResult(
            reward=reward,
            consistent=consistent,
            target_answer=target,
            pivot_answer=vote.majority,
            agreement=vote.agreement,
            format_ok=check.format_ok,
            lang_fidelity=check.lang_fidelity,
            no_signal=no_signal,
            reason=reason,
            gold_correct=gold_correct,
            signal=vote.signal,
            diagnostics=diagnostics,
        )

    if check.failure is not None:
        return result(config.format_reward, check.failure)
    if truncated and not config.reward_truncated:
        return result(config.inconsistent_reward, "truncated")
    if (config.use_gold if gold_decides is None else gold_decides) and gold is not None:
        reward = config.consistent_reward if gold_correct else config.inconsistent_reward
        return result(reward, "gold_correct" if gold_correct else "gold_incorrect", consistent=bool(gold_correct))
    if not vote.signal:
        return result(config.inconsistent_reward, vote.failure, no_signal=True)
    if answers_equivalent(target, vote.majority):
        return result(config.consistent_reward, "consistent", consistent=True)
    return result(config.inconsistent_reward, "inconsistent")


def pivot_answer(
    text: object,
    pivot: str,
    *,
    truncated: bool = False,
    config: RewardConfig = DEFAULT_CONFIG,
    answer_format: str = "number",
):
    """The answer a pivot completion votes for (None: a vote for nothing).

    Read from the completion's reasoning only: a ``<translation>`` block there (a PAM-tuned
    model may restate the question before answering it) is not scored. Asked for a boxed answer
    (``answer_format`` "boxed", see :data:`pasmr_plugin.prompts.ANSWER_FORMATS`), the completion votes
    for its last ``\\boxed{}`` when it has one, else for its final statement as any other. A
    completion cut at ``max_tokens`` votes as ``config.truncated_pivot_votes`` says: by default only
    when it made an explicit final statement, since the last number of a cut-off text is rarely its
    answer.

    >>> pivot_answer("<translation>\\nShe has 20 eggs.\\n</translation>\\n20 - 2 = 18. The answer is 18.", "en")
    '18'
    >>> pivot_answer("She has 20 eggs and eats 2, so 20 - 2", "en", truncated=True) is None
    True
    >>> pivot_answer("So $\\\\boxed{\\\\frac{\\\\pi}{3}}$, about 1.05. The answer is 1.05.", "en", answer_format="boxed")
    '\\\\frac{\\\\pi}{3}'
    """
    parts = parse_response(text if isinstance(text, str) else "", pivot, fmt=config.fmt)
    boxed = extract_boxed(parts.reasoning, pivot) if answer_format == "boxed" else None
    if not truncated or config.truncated_pivot_votes == "always":
        return boxed or parts.answer
    if config.truncated_pivot_votes == "never" or not parts.final_answers:
        return None
    return boxed or parts.final_answers[-1]
