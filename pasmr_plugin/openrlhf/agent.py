"""The PASMR self-feedback agent for OpenRLHF: one ``execute`` call is one episode.

1. Generate the target response (translation, then reasoning in the prompt's language). Only
   these tokens are trained.
2. Check it (the copied-translation rule compares with the question read from the prompt). A
   missing or unusable translation ends the episode with the format reward and no pivot
   generation; so does a response cut at ``max_tokens`` (finish reason ``length``: no
   consistency reward, see ``RewardConfig.reward_truncated``) and a gold answer that decides
   the reward alone (an ``eval`` row, or ``--use-gold`` for labels without a split).
3. Answer the model's own translation K times in the pivot language with the same engine, in
   one request with ``n = K`` whose output kind is ``FINAL_ONLY`` (see below; an episode is two
   generation rounds whatever K is). The pivot prompt asks for the answer in the form the target
   prompt asks for it (``$\\boxed{...}$`` for PolyMath rows, "[number]" otherwise; the label's
   ``answer_format``, or ``--pivot-answer-format`` of ``pasmr agent-file``).
4. Read each completion's answer with :func:`pasmr_plugin.reward.pivot_answer` (its reasoning
   only; a completion cut at ``max_tokens`` votes only with an explicit final statement), score
   with :func:`pasmr_plugin.reward.score_response` and return OpenRLHF's result dict.

**Why FINAL_ONLY.** OpenRLHF's ``RolloutRayActor.generate`` iterates vLLM's ``AsyncLLM.generate``
stream and keeps the last ``RequestOutput`` it yields. With vLLM's default output kind
(``CUMULATIVE``) a request of ``n = K`` streams each child as it progresses, and the last
output holds only the children still running at the final step: K completions of different
lengths come back as one, the longest (the one most often cut off or wrong), and the vote,
``agreement``, ``no_signal`` and ``pivot_tokens`` silently describe one answer. vLLM's parallel
sampling with ``FINAL_ONLY`` aggregates the K finished children into the one output it yields.
The other way to get all K, K requests of ``n = 1``, reaches the engine core as the same K
requests (vLLM fans ``n = K`` out into K child requests that share the prompt's KV cache
through prefix caching either way), but it costs the serving side K input-processing passes,
K output streams and K per-token ``RequestOutput``s: measured on vLLM 0.29.0's own serving
code with a simulated engine core (``python bench/bench_agent.py --pivot-options``, groups of 8
samples with distinct translations), 23.0 ms of CPU per episode with ``FINAL_ONLY`` against
32.1 ms for K requests at K = 4 (31.1 against 42.7 ms at K = 8, both 0.72x), and 29.5 / 39.9 ms
for the streamed default, which delivered 1 and 2 of the K completions. One request also
means one abort for all K, and vLLM's per-child seeds (``seed + index``) when the sampling
params carry a seed, where K requests of one seed would all sample the same text. Should an engine still return fewer
than K completions (or some aborted or failed), the episode scores with the ones it has and
logs ``pivot_received`` and ``pivot_missing``.

The samples of one prompt run concurrently on one executor and share a group: the prompt is
tokenized and the label parsed once for all of them, and their identical translations share
one pivot request and its extracted answers (a memo; a sample whose translation is in it
builds no pivot prompt).

``execute`` never raises (cancellation aside): a failure gives reward 0, ``errors`` 1 and
one warning. Work that grows with the text runs in worker threads: tokenizing the prompt
(once per group), then the check (language identification) and the pivot prompt (one hop per
sample). Extracting the pivot answers and scoring run on the event loop while they are small
(about 0.1 ms: see :data:`LOOP_EXTRACTION_MAX_CHARS` and :data:`LOOP_SCORING_MAX_SAMPLES`),
in a worker thread otherwise, so the loop that drives all episodes of a vLLM engine is never
held for long.

The generated agent file subclasses :class:`PasmrAgentExecutor` with the configuration baked in::

    class AgentExecutor(PasmrAgentExecutor):
        def __init__(self):
            super().__init__(CONFIG)  # {"pivot_samples": 4, "reward": {"pivot": "en", ...}}
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass, field

from openrlhf.utils.agent import AgentExecutorBase

from ..dependencies import require_dependencies
from ..extraction import is_plain_number
from ..prompts import read_target_prompt
from ..reward import RewardConfig, ResponseCheck, RewardResult, check_response, pivot_answer, score_response
from .chat import chat_prompt_text, strip_end_markers, token_ids, translation_key
from .config import AgentConfig, pivot_answer_format
from .labels import PasmrLabel, parse_label
from .logs import episode_logs, failure_logs

logger = logging.getLogger(__name__)

TRANSLATION_FAILURES = frozenset({"missing_translation", "translation_not_in_pivot", "translation_copied"})
"""Check failures that leave no translation worth answering: the episode spends no pivot generation."""

LOOP_EXTRACTION_MAX_CHARS = 4_000
"""Pivot responses of up to this many characters in all have their answers extracted on the event
loop (at most about 35 µs per 1,000 characters: 0.15 ms); longer ones in a worker thread."""

LOOP_SCORING_MAX_SAMPLES = 8
"""Scoring compares each pivot answer with the distinct ones before it (about 10 µs each): at most
28 comparisons, 0.3 ms, for 8 answers. Up to 8 plain numbers are scored on the event loop; more
answers, or any answer that is an expression (symbolic work: milliseconds within the caps of
:mod:`pasmr_plugin.values`), in a worker thread."""


@dataclass
class _Episode:
    """What an episode has produced so far; a failure returns whatever exists."""

    want_logprobs: bool
    prompt_ids: list[int] = field(default_factory=list)
    action_ids: list[int] = field(default_factory=list)
    action_logprobs: list[float] = field(default_factory=list)
    truncated: bool = False


@dataclass(frozen=True)
class _TargetRequest:
    """The parsed label (None when malformed), the prompt's token ids and the target sampling params.

    Shared by the samples of a group: nothing changes it after it is made.
    """

    label: PasmrLabel | None
    prompt_ids: list[int]
    params: object
    question: str | None = None  # the target question, read from the prompt (for the copied-translation rule)
    answer_format: str = "number"  # the form the pivot prompt asks the answer in


@dataclass
class _Group:
    """The samples of one prompt in flight together: their target request (made once, from ``target_inputs``)
    and their pivot answers per distinct translation."""

    members: int = 0
    target: asyncio.Future | None = None
    target_inputs: tuple = ()
    pivots: dict[str, asyncio.Future] = field(default_factory=dict)


@dataclass(frozen=True)
class EpisodeOutcome:
    """What an episode worked out besides OpenRLHF's result dict: the response, the pivot answers and the reward.

    Given to :attr:`PasmrAgentExecutor.episode_observer` in the process that runs the episode (the
    demo prints it), never put into the result dict that OpenRLHF ships between Ray actors.
    """

    response: str
    pivot_answers: tuple[str | None, ...]
    result: RewardResult


@dataclass(frozen=True)
class _PivotAnswers:
    """The answers of the pivot completions to one translation that came back (``asked`` were asked for),
    and how many tokens generating them took."""

    answers: tuple[str | None, ...] = ()
    tokens: int = 0
    asked: int = 0
    truncated: int = 0  # completions cut at max_tokens that cast no vote

    @property
    def missing(self) -> int:
        return max(0, self.asked - len(self.answers))


@dataclass(frozen=True)
class _Review:
    """What the thread after target generation works out: logprobs, the check, and the pivot request if
    one is needed (``translation_key`` set) and the group's memo did not hold the translation yet."""

    logprobs: list[float]
    response: str
    check: ResponseCheck | None
    translation_key: str | None = None
    pivot_request: tuple[list[int], object, str] | None = None  # prompt ids, sampling params, answer format


def _token_logprobs(action_ids: Sequence[int], logprobs: Sequence[Mapping] | None) -> list[float]:
    """The sampled token's logprob at each position (0.0 where the engine gave none)."""
    if logprobs is None:
        return [0.0] * len(action_ids)
    values = [
        float(entry.logprob) if (entry := step.get(token)) is not None else 0.0
        for token, step in zip(action_ids, logprobs)
    ]
    return values + [0.0] * (len(action_ids) - len(values))


def _placeholder_token(tokenizer) -> int:
    """A token for a sample that failed before generating anything (end of sequence when known)."""
    for name in ("eos_token_id", "pad_token_id"):
        value = getattr(tokenizer, name, None)
        if isinstance(value, int):
            return value
    return 0


def _target_request(prompt: str, label: object, tokenizer, params, max_length: int, config: AgentConfig):
    """Parse the label, tokenize the prompt and find the question in it; the budget rule is OpenRLHF's
    single-turn one.

    With ``max_tokens`` unset the response may use what the prompt leaves of ``max_length``;
    a prompt longer than its share keeps its last tokens.
    """
    prompt_ids = token_ids(tokenizer, prompt)
    target = copy.deepcopy(params)
    target.n = 1
    if target.max_tokens is None:
        target.max_tokens = max(1, max_length - len(prompt_ids))
    keep = max(1, max_length - target.max_tokens)
    parsed = parse_label(label, strict=False)
    found = None
    if parsed is not None:
        found = read_target_prompt(prompt, parsed.lang, pivot=config.pivot, fmt=config.reward.fmt)
    question, prompt_format = found or (None, None)
    label_format = parsed.answer_format if parsed is not None else None
    answer_format = pivot_answer_format(config.pivot_answer_format, label_format, prompt_format)
    return _TargetRequest(parsed, prompt_ids[-keep:], target, question, answer_format)


_warned_missing = False

LOST_FINISH_REASONS = frozenset({"abort", "error"})
"""Finish reasons of a pivot completion that did not complete (aborted, or failed in the engine): no vote."""


def _final_output_only(params) -> None:
    """Ask the engine for one output holding all ``n`` completions once the last finishes (vLLM's
    ``RequestOutputKind.FINAL_ONLY``; the module docstring says why). Params without an output kind
    are left as they are."""
    kind = getattr(params, "output_kind", None)
    if kind is not None:
        params.output_kind = type(kind).FINAL_ONLY


def _pivot_request(tokenizer, pivot_question: str, params, config: AgentConfig, max_length: int, answer_format: str):
    """The pivot prompt's token ids and sampling params: K samples in one final output, no logprobs,
    within ``max_length``. The prompt asks for the answer in ``answer_format`` (boxed or a number)."""
    text = chat_prompt_text(tokenizer, pivot_question, config.pivot, boxed=answer_format == "boxed")
    prompt_ids = token_ids(tokenizer, text)
    pivot = copy.deepcopy(params)
    _final_output_only(pivot)
    pivot.n = config.pivot_samples
    pivot.temperature = config.pivot_temperature
    pivot.top_p = config.pivot_top_p
    pivot.logprobs = None
    wanted = config.pivot_max_tokens or params.max_tokens or max_length
    pivot.max_tokens = max(1, min(wanted, max_length - len(prompt_ids)))
    return prompt_ids, pivot


def _extract_answers(
    completions: Sequence[tuple[str, bool]], config: RewardConfig, answer_format: str
) -> tuple[str | None, ...]:
    """The answer each pivot completion ``(text, cut at max_tokens)`` votes for (None: a vote for nothing)."""
    return tuple(
        pivot_answer(text, config.pivot, truncated=truncated, config=config, answer_format=answer_format)
        for text, truncated in completions
    )


async def _generate_pivot_answers(
    engine, prompt_ids: list[int], params, answer_format: str, config: RewardConfig
) -> _PivotAnswers:
    """Generate the K pivot responses and extract the answers of those that completed (on the event loop
    when they are short), read in the form the pivot prompt asked for."""
    generated = (await engine.generate(prompt_ids, params)).outputs
    outputs = [output for output in generated if output.finish_reason not in LOST_FINISH_REASONS]
    completions = [(output.text or "", output.finish_reason == "length") for output in outputs]
    if sum(len(text) for text, _ in completions) <= LOOP_EXTRACTION_MAX_CHARS:
        answers = _extract_answers(completions, config, answer_format)
    else:
        answers = await asyncio.to_thread(_extract_answers, completions, config, answer_format)
    cut_silent = sum(1 for (_, cut), answer in zip(completions, answers) if cut and answer is None)
    asked = max(1, int(getattr(params, "n", 1) or 1))
    if len(answers) < asked:
        global _warned_missing
        log = logger.debug if _warned_missing else logger.warning  # logged in pivot_missing every time
        log("PASMR pivot request: %d of %d completions came back; voting with those", len(answers), asked)
        _warned_missing = True
    return _PivotAnswers(answers, sum(len(output.token_ids) for output in generated), asked, cut_silent)


def _needs_pivots(check: ResponseCheck, label: PasmrLabel, config: AgentConfig, truncated: bool) -> bool:
    """Pivot answers can change the reward: the translation is usable, the response was not cut off (when
    that forfeits the reward) and no gold answer decides it."""
    if check.parts.translation is None or check.failure in TRANSLATION_FAILURES:
        return False
    if truncated and not config.reward.reward_truncated:
        return False
    return not label.gold_decides(config.reward.use_gold)


def _review(
    output, request: _TargetRequest, want_logprobs: bool, tokenizer, config, max_length, memo: Container[str]
) -> _Review:
    """Logprobs, parse and format check of the target response, and the pivot request it needs (CPU work).

    ``memo`` (the group's pivot memo, read from this worker thread) is only a hint: a translation
    answered meanwhile costs one pivot request built in vain, nothing more.
    """
    logprobs = _token_logprobs(output.token_ids, output.logprobs) if want_logprobs else []
    label = request.label
    if label is None:
        return _Review(logprobs, "", None)
    response = strip_end_markers(output.text)
    check = check_response(response, label.lang, config=config.reward, question=request.question)
    if not _needs_pivots(check, label, config, output.finish_reason == "length"):
        return _Review(logprobs, response, check)
    key = translation_key(check.parts.translation)
    if key in memo:
        return _Review(logprobs, response, check, key)
    answer_format = request.answer_format
    prompt_ids, params = _pivot_request(tokenizer, check.parts.translation, request.params, config, max_length, answer_format)
    return _Review(logprobs, response, check, key, (prompt_ids, params, answer_format))


def _small_and_numeric(answers: Sequence[str | None], review: _Review, label: PasmrLabel) -> bool:
    """Whether scoring is cheap enough for the event loop: few answers, all plain numbers (no symbolic work)."""
    if len(answers) > LOOP_SCORING_MAX_SAMPLES:
        return False
    target = review.check.parts.answer if review.check is not None else None
    return all(value is None or is_plain_number(value, None) for value in (*answers, target, label.gold))


def _score(
    review: _Review, label: PasmrLabel, answers: Sequence[str | None], config: AgentConfig, truncated: bool
) -> RewardResult:
    """The reward: the pivot answers against the target response's."""
    return score_response(
        review.response,
        label.lang,
        answers,
        config=config.reward,
        gold=label.gold,
        check=review.check,
        truncated=truncated,
        gold_decides=label.gold_decides(config.reward.use_gold),
    )


async def _shared(request: asyncio.Future):
    """Await a request the samples of a group share.

    Shielded: a cancelled sample raises ``CancelledError`` itself (as asyncio and Ray expect) while the
    request goes on for the others. A request that ended cancelled although this sample was not
    (an engine that aborted it) is an error of this sample (reward 0), never a cancellation of it.
    """
    try:
        return await asyncio.shield(request)
    except asyncio.CancelledError:
        current = asyncio.current_task()
        cancelling = getattr(current, "cancelling", None)  # Python 3.11+
        if request.cancelled() and cancelling is not None and not cancelling():
            raise RuntimeError("the group's shared request was cancelled") from None
        raise


class PasmrAgentExecutor(AgentExecutorBase):
    """OpenRLHF agent executor running PASMR episodes; ``config`` is an :class:`AgentConfig` or its dict form."""

    episode_observer: Callable[[dict, EpisodeOutcome], None] | None = None
    """Called with each scored episode's result dict and :class:`EpisodeOutcome` (None: nobody watches)."""

    def __init__(self, config: AgentConfig | Mapping | None = None):
        require_dependencies("the PASMR agent")  # at engine start, not as reward 0 in every episode
        self.config = config if isinstance(config, AgentConfig) else AgentConfig.from_dict(config or {})
        self._groups: dict[str, _Group] = {}

    async def execute(self, prompt, label, sampling_params, max_length: int, hf_tokenizer, llm_engine, images=None):
        group = None
        episode = _Episode(want_logprobs=getattr(sampling_params, "logprobs", None) is not None)
        try:
            group = self._join_group(prompt)
            return await self._run(episode, group, prompt, label, sampling_params, max_length, hf_tokenizer, llm_engine)
        except Exception as error:  # never raise into OpenRLHF: the sample gets reward 0
            logger.warning("PASMR episode failed (reward 0): %s: %s", type(error).__name__, error)
            return self._result(prompt, label, episode, 0.0, 0.0, failure_logs(), hf_tokenizer)
        finally:
            if group is not None:
                self._leave_group(prompt, group)

    def _join_group(self, prompt) -> _Group:
        """The group of ``prompt``'s samples in flight (a prompt that cannot be a key gets a group of its own)."""
        try:
            group = self._groups.setdefault(prompt, _Group())
        except TypeError:  # unhashable: nothing to share
            group = _Group()
        group.members += 1
        return group

    def _leave_group(self, prompt, group: _Group) -> None:
        """The last member to leave drops the group and stops shared requests nobody waits for any more."""
        group.members -= 1
        if group.members:
            return
        try:
            if self._groups.get(prompt) is group:
                del self._groups[prompt]
        except TypeError:
            pass
        for pending in group.pivots.values():
            pending.cancel()  # a no-op for finished requests

    async def _run(self, episode, group, prompt, label, sampling_params, max_length, tokenizer, engine):
        request = await _shared(self._shared_target_request(
            group, prompt, label, sampling_params, max_length, tokenizer, self.config
        ))
        episode.prompt_ids = list(request.prompt_ids)  # its own list: the request is the group's
        output = (await engine.generate(episode.prompt_ids, request.params)).outputs[0]
        episode.action_ids = list(output.token_ids)
        episode.truncated = output.finish_reason == "length"
        review = await asyncio.to_thread(
            _review, output, request, episode.want_logprobs, tokenizer, self.config, max_length, group.pivots
        )
        episode.action_logprobs = review.logprobs
        if request.label is None:
            logger.warning("PASMR episode: bad label (reward 0): %.120r", label)
            return self._result(prompt, label, episode, 0.0, 0.0, failure_logs(), tokenizer)

        pivots, cached = _PivotAnswers(), False
        if review.translation_key is not None:
            pivots, cached = await self._pivot_answers(group, review, engine)
        if _small_and_numeric(pivots.answers, review, request.label):
            result = _score(review, request.label, pivots.answers, self.config, episode.truncated)
        else:
            result = await asyncio.to_thread(
                _score, review, request.label, pivots.answers, self.config, episode.truncated
            )
        logs = episode_logs(
            result,
            request.label,
            pivot_tokens=0 if cached else pivots.tokens,
            pivot_cached=cached,
            pivot_received=len(pivots.answers),
            pivot_missing=pivots.missing,
            truncated=episode.truncated,
            pivot_truncated=pivots.truncated,
        )
        scored = self._result(prompt, label, episode, result.reward, float(result.consistent), logs, tokenizer)
        if self.episode_observer is not None:
            self.episode_observer(scored, EpisodeOutcome(review.response, pivots.answers, result))
        return scored

    @staticmethod
    def _shared_target_request(group: _Group, prompt, label, params, max_length, tokenizer, config) -> asyncio.Future:
        """The group's target request: made in a worker thread by its first sample, awaited by the others.

        OpenRLHF passes the same label, params, max_length and tokenizer objects to every sample of a
        prompt; a sample of the same prompt with other ones (the prompt twice in a batch) makes its own.
        """
        inputs = (label, params, max_length, tokenizer)
        if group.target is not None and all(made is given for made, given in zip(group.target_inputs, inputs)):
            return group.target
        loop = asyncio.get_running_loop()  # a future the members await, not a task: no step of its own
        request = loop.run_in_executor(None, _target_request, prompt, label, tokenizer, params, max_length, config)
        if group.target is None:
            group.target, group.target_inputs = request, inputs
        return request

    async def _pivot_answers(self, group: _Group, review: _Review, engine) -> tuple[_PivotAnswers, bool]:
        """The pivot answers to the translation (and whether they came from the group's memo).

        The request is the group's: a sample cancelled on its own (its owner included) leaves it to
        the others; it is cancelled (and vLLM aborts it) only once the whole group has gone.
        """
        if review.translation_key in group.pivots:
            return await _shared(group.pivots[review.translation_key]), True
        # a task of its own, not of this sample: cancelling this sample leaves it to the rest of the group
        task = asyncio.ensure_future(_generate_pivot_answers(engine, *review.pivot_request, self.config.reward))
        group.pivots[review.translation_key] = task
        return await _shared(task), False

    async def answer_in_pivot(
        self, engine, tokenizer, pivot_question: str, sampling_params, max_length: int, prompt_format: str
    ) -> tuple[str | None, ...]:
        """The answers of the K pivot completions to ``pivot_question``, asked and read as an episode asks and
        reads them for a target prompt asking for ``prompt_format`` (``pasmr signal --base`` answers the
        reference translation this way)."""
        answer_format = pivot_answer_format(self.config.pivot_answer_format, None, prompt_format)
        prompt_ids, params = await asyncio.to_thread(
            _pivot_request, tokenizer, pivot_question, sampling_params, self.config, max_length, answer_format
        )
        pivots = await _generate_pivot_answers(engine, prompt_ids, params, answer_format, self.config.reward)
        return pivots.answers

    @staticmethod
    def _result(prompt, label, episode: _Episode, reward: float, score: float, logs: dict, tokenizer) -> dict:
        """OpenRLHF's result dict; a sample that failed before generating gets one placeholder token."""
        if not episode.prompt_ids:
            episode.prompt_ids = [_placeholder_token(tokenizer)]
        if not episode.action_ids:
            episode.action_ids = [_placeholder_token(tokenizer)]
        observation = episode.prompt_ids + episode.action_ids
        rollout_log_probs = None
        if episode.want_logprobs:  # 0.0 for the prompt, and for action tokens a failure left without one
            missing = len(episode.action_ids) - len(episode.action_logprobs)
            rollout_log_probs = [0.0] * len(episode.prompt_ids) + episode.action_logprobs + [0.0] * missing
        return {
            "prompt": prompt,
            "label": label,
            "observation_tokens": observation,
            "action_ranges": [(len(episode.prompt_ids), len(observation))],  # the target response only
            "rollout_log_probs": rollout_log_probs,  # None unless the sampling params ask for logprobs
            "reward": reward,  # the self-feedback reward, used for advantages
            "scores": score,  # 0-1 consistency, for dynamic filtering
            "extra_logs": logs,  # the numbers of logs.LOG_KEYS
            "truncated": episode.truncated,
        }
