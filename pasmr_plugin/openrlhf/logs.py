"""The numbers every PASMR sample logs, for the agent and the single-turn reward alike.

OpenRLHF turns every ``extra_logs`` key into a tensor and concatenates them across the
samples of a batch, so both emit exactly :data:`LOG_KEYS`, all numbers, on every path
(failures included). Gold accuracy is ``sum(gold_correct) / sum(has_gold)``; on an
evaluation set where every label has a gold answer, the mean of ``gold_correct`` is it.

On training rows that carry a gold answer, the batch means of ``signal``, ``reward_and_correct`` and
``reward_agrees_gold`` give the self-feedback figures of ``pasmr report`` (:mod:`pasmr_plugin.self_feedback`):
coverage is ``mean(signal)``, P(correct | reward 1) is ``mean(reward_and_correct) / mean(consistency)``,
agreement with gold is ``mean(reward_agrees_gold)``. Without a gold answer, those two are 0.

>>> sorted(failure_logs()) == sorted(LOG_KEYS), failure_logs()["errors"]
(True, 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence

from ..reward import RewardResult
from .labels import PasmrLabel

LOG_KEYS = (
    "consistency",  # 1 when the target answer agrees with the pivot majority (or the gold answer in gold mode)
    "agreement",  # share of pivot answers that voted for the majority (0 without pivot answers)
    "format_ok",  # the response has the PAM shape: usable translation, reasoning, one final answer
    "lang_fidelity",  # the reasoning is in the prompt's language
    "answer_found",  # the reasoning commits to a number
    "no_signal",  # pivot answers gave no usable majority (tie, none, or below the agreement threshold)
    "pivot_tokens",  # pivot tokens this sample generated (0 when its translation was answered already)
    "pivot_cached",  # the pivot answers came from the group's memo
    "pivot_received",  # pivot completions that reached the vote (K when all came back; stored answers offline)
    "pivot_missing",  # pivot completions asked for that never came back (0 when the engine returned all K)
    "truncated",  # the response was cut at max_tokens (no end-of-sequence): it earns no consistency reward
    "pivot_truncated",  # pivot completions cut at max_tokens that cast no vote (no explicit final statement)
    "gold_correct",  # the target answer equals the label's gold answer (0 without one)
    "has_gold",  # the label carries a gold answer
    "signal",  # the pivot answers the sample was scored with give a majority reaching the agreement threshold
    "reward_and_correct",  # consistency 1 (reward 1) and the answer equals the gold answer (0 without one)
    "reward_agrees_gold",  # consistency equals gold correctness: rewarded and right, or neither (0 without gold)
    "errors",  # the sample failed (bad label, engine or tokenizer error): reward 0
)


def episode_logs(
    result: RewardResult,
    label: PasmrLabel,
    *,
    pivot_tokens: int = 0,
    pivot_cached: bool = False,
    pivot_received: int = 0,
    pivot_missing: int = 0,
    truncated: bool = False,
    pivot_truncated: int = 0,
) -> dict[str, float]:
    """The logged numbers of one scored sample."""
    has_gold, correct = label.gold is not None, result.gold_correct is True
    return {
        "consistency": float(result.consistent),
        "agreement": float(result.agreement),
        "format_ok": float(result.format_ok),
        "lang_fidelity": float(result.lang_fidelity),
        "answer_found": float(result.target_answer is not None),
        "no_signal": float(result.no_signal),
        "pivot_tokens": float(pivot_tokens),
        "pivot_cached": float(pivot_cached),
        "pivot_received": float(pivot_received),
        "pivot_missing": float(pivot_missing),
        "truncated": float(truncated),
        "pivot_truncated": float(pivot_truncated),
        "gold_correct": float(result.gold_correct is True),
        "has_gold": float(has_gold),
        "signal": float(result.signal),
        "reward_and_correct": float(result.consistent and correct),
        "reward_agrees_gold": float(has_gold and result.consistent == correct),
        "errors": 0.0,
    }


def failure_logs() -> dict[str, float]:
    """The logged numbers of a sample that could not be scored."""
    return {**dict.fromkeys(LOG_KEYS, 0.0), "errors": 1.0}


def mean_logs(samples: Sequence[dict]) -> dict[str, float]:
    """Means of the logged numbers over episode results (``{"reward": ..., "consistency": ...}``)."""
    if not samples:
        return {}
    means = {"reward": sum(float(sample["reward"]) for sample in samples) / len(samples)}
    for key in LOG_KEYS:
        means[key] = sum(float(sample["extra_logs"][key]) for sample in samples) / len(samples)
    return means
