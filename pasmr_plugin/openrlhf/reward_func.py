"""The single-turn PASMR reward for ``--reward.remote_url``: pivot answers computed offline, read from the label.

OpenRLHF's ``SingleTurnAgentExecutor`` decodes prompt and response together and calls
``reward_func(queries, prompts, labels)`` from worker threads, one sample at a time. The
response is the query with the prompt stripped; its label carries the language, the offline
pivot answers (``pasmr data pivot-labels``) and optionally a gold answer. Cheaper than the
agent (no generation during RL), but the pivot answers answer the dataset's reference
translation, not the model's own.

A label without ``pivot_answers`` gives no signal (reward 0, ``no_signal`` 1) unless the gold
answer decides (an ``eval`` row). OpenRLHF passes no finish reason here, but it decodes the
response with its special tokens: a response that does not end with an end-of-sequence text
(``eos_texts``: the tokenizer's, by default any of :data:`~pasmr_plugin.openrlhf.chat.END_MARKERS`)
was cut at ``max_tokens`` and earns no consistency reward (``truncated`` 1). The copied-translation
rule compares the translation with the question read from the prompt. Nothing here raises: a bad
sample scores 0 with ``errors`` 1.

>>> score = PasmrRewardFunc({"pivot": "en"})
>>> prompt = "Swali: Mayai mangapi yamebaki?\\n"
>>> response = "<translation>\\nHow many eggs are left?\\n</translation>\\nZimebaki mayai 13. Jibu ni 13.<|im_end|>"
>>> batch = score([prompt + response], [prompt], ['{"lang": "sw", "pivot_answers": ["13", "13", "12"]}'])
>>> batch.rewards.tolist(), batch.extra_logs["consistency"].tolist()
([1.0], [1.0])
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import zip_longest

from ..dependencies import require_dependencies
from ..prompts import question_from_prompt
from ..reward import RewardConfig, score_response
from .chat import END_MARKERS, strip_end_markers
from .config import reward_config_from_dict
from .labels import parse_label
from .logs import LOG_KEYS, episode_logs, failure_logs

logger = logging.getLogger(__name__)

PROMPT_ANCHOR_CHARS = 64
"""When the decoded query does not start with the prompt (a truncated prompt, a tokenizer that
does not round-trip), the response starts after the first occurrence of the prompt's last 64
characters: long enough not to occur by chance earlier in the prompt."""


@dataclass(frozen=True)
class RewardBatch:
    """Tensors of one call: ``rewards`` and ``scores`` have one entry per sample, and so has each log."""

    rewards: object
    scores: object
    extra_logs: dict


def split_response(query: str, prompt: str) -> str:
    """The response part of ``query`` (prompt and response decoded together).

    >>> prompt = "<|im_start|>user\\nSwali?<|im_end|>\\n<|im_start|>assistant\\n"
    >>> split_response(prompt + "Jibu ni 7.", prompt)
    'Jibu ni 7.'
    """
    if query.startswith(prompt):
        return query[len(prompt) :]
    anchor = prompt[-PROMPT_ANCHOR_CHARS:]
    found = query.find(anchor) if anchor else -1
    return query[found + len(anchor) :] if found != -1 else query


class PasmrRewardFunc:
    """Scores batches of (query, prompt, label); stateless after construction, so safe from many threads."""

    def __init__(self, config: RewardConfig | Mapping | None = None, *, eos_texts: Sequence[str] | None = None):
        require_dependencies("the PASMR reward")  # when the reward file loads, not as reward 0 per sample
        self.config = config if isinstance(config, RewardConfig) else reward_config_from_dict(config or {})
        self.eos_texts = tuple(eos_texts or END_MARKERS)
        if not all(isinstance(text, str) and text for text in self.eos_texts):
            raise ValueError(f"eos_texts must be non-empty strings, got {self.eos_texts!r}")

    def is_truncated(self, response: str) -> bool:
        """Whether the decoded response lacks an end-of-sequence text at its end: cut at ``max_tokens``."""
        return not response.rstrip().endswith(self.eos_texts)

    def reward_of_sample(self, query: object, prompt: object, label: object) -> tuple[float, float, dict[str, float]]:
        """(reward, 0-1 score, logged numbers) of one sample; a failure is (0, 0, errors 1) and one warning."""
        try:
            parsed = parse_label(label, strict=False)
            if parsed is None:
                logger.warning("PASMR reward: bad label (reward 0): %.120r", label)
                return 0.0, 0.0, failure_logs()
            decoded = split_response(query, prompt)
            truncated = self.is_truncated(decoded)
            question = question_from_prompt(prompt, parsed.lang, pivot=self.config.pivot, fmt=self.config.fmt)
            result = score_response(
                strip_end_markers(decoded),
                parsed.lang,
                parsed.pivot_answers or (),
                config=self.config,
                gold=parsed.gold,
                question=question,
                truncated=truncated,
                gold_decides=parsed.gold_decides(self.config.use_gold),
            )
            stored = len(parsed.pivot_answers or ())
            logs = episode_logs(result, parsed, pivot_received=stored, truncated=truncated)
            return result.reward, float(result.consistent), logs
        except Exception as error:  # never raise into OpenRLHF
            logger.warning("PASMR reward failed (reward 0): %s: %s", type(error).__name__, error)
            return 0.0, 0.0, failure_logs()

    def __call__(self, queries, prompts, labels, **kwargs) -> RewardBatch:
        import torch

        try:
            rows = [self.reward_of_sample(*sample) for sample in zip_longest(queries, prompts, labels)]
        except Exception as error:  # arguments that are not sequences
            logger.warning("PASMR reward got unusable arguments (no rewards): %s: %s", type(error).__name__, error)
            rows = []
        return RewardBatch(
            rewards=torch.tensor([row[0] for row in rows], dtype=torch.float32),
            scores=torch.tensor([row[1] for row in rows], dtype=torch.float32),
            extra_logs={key: torch.tensor([row[2][key] for row in rows], dtype=torch.float32) for key in LOG_KEYS},
        )
