"""What the agent and the single-turn reward share: the logged numbers, response clean-up, pivot prompts.

OpenRLHF turns every ``extra_logs`` key into a tensor and concatenates them across the
samples of a batch, so both emit exactly :data:`LOG_KEYS`, all numbers, on every path
(failures included). Gold accuracy is ``sum(gold_correct) / sum(has_gold)``; on an
evaluation set where every label has a gold answer, the mean of ``gold_correct`` is it.

>>> sorted(failure_logs()) == sorted(LOG_KEYS), failure_logs()["errors"]
(True, 1.0)
>>> strip_end_markers("Jibu ni 13.<|im_end|>")
'Jibu ni 13.'
"""

from __future__ import annotations

from collections.abc import Sequence

from ..labels import PasmrLabel
from ..prompts import pivot_messages, pivot_prompt
from ..reward import RewardResult

LOG_KEYS = (
    "consistency",  # 1 when the target answer agrees with the pivot majority (or the gold answer in gold mode)
    "agreement",  # share of pivot answers that voted for the majority (0 without pivot answers)
    "format_ok",  # the response has the PAM shape: usable translation, reasoning, one final answer
    "lang_fidelity",  # the reasoning is in the prompt's language
    "answer_found",  # the reasoning commits to a number
    "no_signal",  # pivot answers gave no usable majority (tie, none, or below the agreement threshold)
    "pivot_tokens",  # pivot tokens this sample generated (0 when its translation was answered already)
    "pivot_cached",  # the pivot answers came from the group's memo
    "gold_correct",  # the target answer equals the label's gold answer (0 without one)
    "has_gold",  # the label carries a gold answer
    "errors",  # the sample failed (bad label, engine or tokenizer error): reward 0
)

END_MARKERS = ("<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<end_of_turn>", "</s>")
"""End-of-turn tokens that decoding with ``skip_special_tokens=False`` leaves at the end of a response."""


def episode_logs(
    result: RewardResult, label: PasmrLabel, *, pivot_tokens: int = 0, pivot_cached: bool = False
) -> dict[str, float]:
    """The logged numbers of one scored sample."""
    return {
        "consistency": float(result.consistent),
        "agreement": float(result.agreement),
        "format_ok": float(result.format_ok),
        "lang_fidelity": float(result.lang_fidelity),
        "answer_found": float(result.target_answer is not None),
        "no_signal": float(result.no_signal),
        "pivot_tokens": float(pivot_tokens),
        "pivot_cached": float(pivot_cached),
        "gold_correct": float(result.gold_correct is True),
        "has_gold": float(label.gold is not None),
        "errors": 0.0,
    }


def failure_logs() -> dict[str, float]:
    """The logged numbers of a sample that could not be scored."""
    return {**dict.fromkeys(LOG_KEYS, 0.0), "errors": 1.0}


def strip_end_markers(text: str) -> str:
    """``text`` without trailing end-of-turn tokens and the whitespace around them."""
    text = text.rstrip()
    while text.endswith(END_MARKERS):
        marker = next(marker for marker in END_MARKERS if text.endswith(marker))
        text = text[: -len(marker)].rstrip()
    return text


def pivot_key(pivot_question: str) -> str:
    """The memo key of a pivot question: translations differing only in spacing are one question."""
    return " ".join(pivot_question.split())


def chat_prompt_text(tokenizer, pivot_question: str, pivot: str) -> str:
    """The pivot prompt as the model sees it: the tokenizer's chat template when it has one, else plain text.

    >>> chat_prompt_text(None, "How many eggs?", "en").splitlines()[0]
    'Question: How many eggs?'
    """
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(
            pivot_messages(pivot_question, pivot), tokenize=False, add_generation_prompt=True
        )
    return pivot_prompt(pivot_question, pivot)


def token_ids(tokenizer, text: str) -> list[int]:
    """``text`` as token ids, without special tokens added (the prompt template already has them)."""
    return list(tokenizer(text=text, add_special_tokens=False)["input_ids"])


def mean_logs(samples: Sequence[dict]) -> dict[str, float]:
    """Means of the logged numbers over episode results (``{"reward": ..., "consistency": ...}``)."""
    if not samples:
        return {}
    means = {"reward": sum(float(sample["reward"]) for sample in samples) / len(samples)}
    for key in LOG_KEYS:
        means[key] = sum(float(sample["extra_logs"][key]) for sample in samples) / len(samples)
    return means
