"""The settings baked into a generated agent or reward file, and their JSON form.

>>> config = AgentConfig(pivot_samples=8, reward=RewardConfig(pivot="en", agreement_threshold=0.6))
>>> AgentConfig.from_dict(config.to_dict()) == config
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields

from ..prompts import ANSWER_FORMATS, PamFormat
from ..reward import RewardConfig

MAX_PIVOT_SAMPLES = 64
"""K above this makes pivot generation cost more than the trained response many times over."""

PIVOT_ANSWER_FORMATS = ("auto", *ANSWER_FORMATS)
"""``--pivot-answer-format``: the form the pivot prompt asks the answer in; ``auto`` takes the target's."""


def pivot_answer_format(setting: str, label_format: str | None, prompt_format: str | None) -> str:
    """The form the pivot prompt asks for: ``setting`` unless it is ``auto``; then the label's
    ``answer_format``, else the form the target prompt asks for, else ``number``.

    >>> pivot_answer_format("auto", None, "boxed"), pivot_answer_format("auto", "number", "boxed"), pivot_answer_format("boxed", None, None)
    ('boxed', 'number', 'boxed')
    """
    if setting != "auto":
        return setting
    return label_format or prompt_format or "number"


def reward_config_to_dict(config: RewardConfig) -> dict:
    """A :class:`RewardConfig` as plain JSON data (the markers as a nested object)."""
    return asdict(config)


def _known_settings(data: Mapping, cls: type, what: str) -> dict:
    """``data`` as a dict, checked to hold only fields of the dataclass ``cls``."""
    known = {item.name for item in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"unknown {what} settings {unknown}; known: {sorted(known)}")
    return dict(data)


def reward_config_from_dict(data: Mapping) -> RewardConfig:
    """The inverse of :func:`reward_config_to_dict`; missing keys take their defaults, unknown keys are an error."""
    values = _known_settings(data, RewardConfig, "reward")
    if "fmt" in values:
        values["fmt"] = PamFormat(**values["fmt"])
    return RewardConfig(**values)


@dataclass(frozen=True)
class AgentConfig:
    """How an agent episode answers the model's own translation, and how it is scored.

    Attributes:
        pivot_samples: K, the pivot answers generated per distinct translation.
        pivot_temperature / pivot_top_p: sampling of the pivot answers (the paper votes over samples).
        pivot_max_tokens: length budget of a pivot answer; None uses the target's budget.
        pivot_answer_format: the form the pivot prompt asks the answer in (:data:`PIVOT_ANSWER_FORMATS`;
            ``auto``: the label's ``answer_format``, else the target prompt's, see :func:`pivot_answer_format`).
        reward: the core reward settings (pivot language, agreement threshold, ...).
    """

    pivot_samples: int = 4
    pivot_temperature: float = 0.7
    pivot_top_p: float = 1.0
    pivot_max_tokens: int | None = None
    pivot_answer_format: str = "auto"
    reward: RewardConfig = field(default_factory=RewardConfig)

    def __post_init__(self):
        if not 1 <= self.pivot_samples <= MAX_PIVOT_SAMPLES:
            raise ValueError(f"pivot_samples must lie in [1, {MAX_PIVOT_SAMPLES}], got {self.pivot_samples}")
        if self.pivot_temperature < 0:
            raise ValueError(f"pivot_temperature must be >= 0, got {self.pivot_temperature}")
        if not 0 < self.pivot_top_p <= 1:
            raise ValueError(f"pivot_top_p must lie in (0, 1], got {self.pivot_top_p}")
        if self.pivot_max_tokens is not None and self.pivot_max_tokens < 1:
            raise ValueError(f"pivot_max_tokens must be >= 1, got {self.pivot_max_tokens}")
        if self.pivot_answer_format not in PIVOT_ANSWER_FORMATS:
            raise ValueError(
                f"pivot_answer_format must be one of {', '.join(PIVOT_ANSWER_FORMATS)}, got {self.pivot_answer_format!r}"
            )

    @property
    def pivot(self) -> str:
        return self.reward.pivot

    def to_dict(self) -> dict:
        return {**asdict(self), "reward": reward_config_to_dict(self.reward)}

    @classmethod
    def from_dict(cls, data: Mapping) -> AgentConfig:
        values = _known_settings(data, cls, "agent")
        values["reward"] = reward_config_from_dict(values.get("reward", {}))
        return cls(**values)
