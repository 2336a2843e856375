"""The PASMR self-feedback agent for OpenRLHF: one ``execute`` call is one episode.

1. Generate the target response (translation, then reasoning in the prompt's language). Only
   these tokens are trained.
2. Check it. A missing or unusable translation ends the episode with the format reward and
   no pivot generation (so does a gold answer in gold mode: it decides the reward alone).
3. Answer the model's own translation K times in the pivot language with the same engine, in
   one request with ``n = K`` (so an episode is two generation rounds whatever K is). The
   samples of one prompt run concurrently on one executor; their identical translations share
   one pivot request (a per-group memo).
4. Score with :func:`pasmr_plugin.reward.score_response` and return OpenRLHF's result dict.

``execute`` never raises (cancellation aside): a failure gives reward 0, ``errors`` 1 and
one warning. CPU work (tokenizing, language identification, scoring) runs in worker threads,
so the event loop that drives all episodes of a vLLM engine is never held for long.

The generated agent file subclasses :class:`PasmrAgentExecutor` with the configuration baked in::

    class AgentExecutor(PasmrAgentExecutor):
        def __init__(self):
            super().__init__(CONFIG)  # {"pivot_samples": 4, "reward": {"pivot": "en", ...}}
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from openrlhf.utils.agent import AgentExecutorBase

from ..answers import extract_answer
from ..labels import PasmrLabel, parse_label
from ..reward import ResponseCheck, RewardResult, check_response, score_response
from .config import AgentConfig
from .scoring import chat_prompt_text, episode_logs, failure_logs, pivot_key, strip_end_markers, token_ids

logger = logging.getLogger(__name__)

TRANSLATION_FAILURES = frozenset({"missing_translation", "translation_not_in_pivot", "translation_copied"})
"""Check failures that leave no translation worth answering: the episode spends no pivot generation."""


@dataclass
class _Episode:
    """What an episode has produced so far; a failure returns whatever exists."""

    want_logprobs: bool
    prompt_ids: list[int] = field(default_factory=list)
    action_ids: list[int] = field(default_factory=list)
    action_logprobs: list[float] = field(default_factory=list)
    truncated: bool = False


@dataclass
class _Group:
    """The samples of one prompt in flight together, and their pivot answers per distinct translation."""

    members: int = 0
    pivots: dict[str, asyncio.Future] = field(default_factory=dict)


@dataclass(frozen=True)
class _PivotTexts:
    """The K pivot responses to one translation, and how many tokens generating them took."""

    texts: tuple[str, ...] = ()
    tokens: int = 0


@dataclass(frozen=True)
class _Review:
    """What the thread after target generation works out: logprobs, the check, the pivot request if one is needed."""

    logprobs: list[float]
    response: str
    check: ResponseCheck | None
    pivot_request: tuple[list[int], object] | None


def _token_logprobs(action_ids: Sequence[int], logprobs: Sequence[Mapping] | None) -> list[float]:
    """The sampled token's logprob at each position (0.0 where the engine gave none)."""
    values = []
    for position, token in enumerate(action_ids):
        entry = logprobs[position].get(token) if logprobs is not None and position < len(logprobs) else None
        values.append(float(entry.logprob) if entry is not None else 0.0)
    return values


def _placeholder_token(tokenizer) -> int:
    """A token for a sample that failed before generating anything (end of sequence when known)."""
    for name in ("eos_token_id", "pad_token_id"):
        value = getattr(tokenizer, name, None)
        if isinstance(value, int):
            return value
    return 0


def _target_request(prompt: str, label: object, tokenizer, params, max_length: int):
    """Parse the label and tokenize the prompt; the budget rule is OpenRLHF's single-turn one.

    With ``max_tokens`` unset the response may use what the prompt leaves of ``max_length``;
    a prompt longer than its share keeps its last tokens.
    """
    prompt_ids = token_ids(tokenizer, prompt)
    target = copy.deepcopy(params)
    target.n = 1
    if target.max_tokens is None:
        target.max_tokens = max(1, max_length - len(prompt_ids))
    keep = max(1, max_length - target.max_tokens)
    return parse_label(label, strict=False), prompt_ids[-keep:], target


def _pivot_request(tokenizer, pivot_question: str, params, config: AgentConfig, max_length: int):
    """The pivot prompt's token ids and sampling params: K samples, no logprobs, within ``max_length``."""
    prompt_ids = token_ids(tokenizer, chat_prompt_text(tokenizer, pivot_question, config.pivot))
    pivot = copy.deepcopy(params)
    pivot.n = config.pivot_samples
    pivot.temperature = config.pivot_temperature
    pivot.top_p = config.pivot_top_p
    pivot.logprobs = None
    wanted = config.pivot_max_tokens or params.max_tokens or max_length
    pivot.max_tokens = max(1, min(wanted, max_length - len(prompt_ids)))
    return prompt_ids, pivot


async def _generate_pivots(engine, prompt_ids: list[int], params) -> _PivotTexts:
    outputs = (await engine.generate(prompt_ids, params)).outputs
    return _PivotTexts(tuple(output.text for output in outputs), sum(len(output.token_ids) for output in outputs))


def _needs_pivots(check: ResponseCheck, label: PasmrLabel, config: AgentConfig) -> bool:
    """Pivot answers can change the reward: the translation is usable and no gold answer decides it."""
    if check.parts.pivot_question is None or check.failure in TRANSLATION_FAILURES:
        return False
    return not (config.reward.use_gold and label.gold is not None)


def _review(output, label: PasmrLabel | None, want_logprobs: bool, tokenizer, params, config, max_length) -> _Review:
    """Logprobs, parse and format check of the target response, and the pivot request it needs (CPU work)."""
    logprobs = _token_logprobs(output.token_ids, output.logprobs) if want_logprobs else []
    if label is None:
        return _Review(logprobs, "", None, None)
    response = strip_end_markers(output.text)
    check = check_response(response, label.lang, config=config.reward)
    request = None
    if _needs_pivots(check, label, config):
        request = _pivot_request(tokenizer, check.parts.pivot_question, params, config, max_length)
    return _Review(logprobs, response, check, request)


def _score(review: _Review, label: PasmrLabel, pivots: _PivotTexts, config: AgentConfig) -> RewardResult:
    """The reward: the pivot responses' answers against the target response's (CPU work)."""
    answers = [extract_answer(text, config.pivot) for text in pivots.texts]
    return score_response(
        review.response, label.lang, answers, config=config.reward, gold=label.gold, check=review.check
    )


class PasmrAgentExecutor(AgentExecutorBase):
    """OpenRLHF agent executor running PASMR episodes; ``config`` is an :class:`AgentConfig` or its dict form."""

    def __init__(self, config: AgentConfig | Mapping | None = None):
        self.config = config if isinstance(config, AgentConfig) else AgentConfig.from_dict(config or {})
        self._groups: dict[str, _Group] = {}

    async def execute(self, prompt, label, sampling_params, max_length: int, hf_tokenizer, llm_engine, images=None):
        group = self._groups.setdefault(prompt, _Group())
        group.members += 1
        episode = _Episode(want_logprobs=getattr(sampling_params, "logprobs", None) is not None)
        try:
            return await self._run(episode, group, prompt, label, sampling_params, max_length, hf_tokenizer, llm_engine)
        except Exception as error:  # never raise into OpenRLHF: the sample gets reward 0
            logger.warning("PASMR episode failed (reward 0): %s: %s", type(error).__name__, error)
            return self._result(prompt, label, episode, 0.0, 0.0, failure_logs(), hf_tokenizer)
        finally:
            group.members -= 1
            if group.members == 0:
                self._groups.pop(prompt, None)

    async def _run(self, episode, group, prompt, label, sampling_params, max_length, tokenizer, engine):
        parsed, episode.prompt_ids, params = await asyncio.to_thread(
            _target_request, prompt, label, tokenizer, sampling_params, max_length
        )
        output = (await engine.generate(episode.prompt_ids, params)).outputs[0]
        episode.action_ids = list(output.token_ids)
        episode.truncated = output.finish_reason == "length"
        review = await asyncio.to_thread(
            _review, output, parsed, episode.want_logprobs, tokenizer, params, self.config, max_length
        )
        episode.action_logprobs = review.logprobs
        if parsed is None:
            logger.warning("PASMR episode: bad label (reward 0): %.120r", label)
            return self._result(prompt, label, episode, 0.0, 0.0, failure_logs(), tokenizer)

        pivots, cached = _PivotTexts(), False
        if review.pivot_request is not None:
            pivots, cached = await self._pivot_texts(group, review, engine)
        result = await asyncio.to_thread(_score, review, parsed, pivots, self.config)
        logs = episode_logs(result, parsed, pivot_tokens=0 if cached else pivots.tokens, pivot_cached=cached)
        return self._result(prompt, label, episode, result.reward, float(result.consistent), logs, tokenizer)

    @staticmethod
    async def _pivot_texts(group: _Group, review: _Review, engine) -> tuple[_PivotTexts, bool]:
        """The pivot responses to the translation (and whether they came from the group's memo)."""
        key = pivot_key(review.check.parts.pivot_question)
        if key in group.pivots:
            return await group.pivots[key], True
        task = asyncio.ensure_future(_generate_pivots(engine, *review.pivot_request))
        group.pivots[key] = task
        return await task, False

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
            "extra_logs": logs,  # the numbers of scoring.LOG_KEYS
            "truncated": episode.truncated,
        }
