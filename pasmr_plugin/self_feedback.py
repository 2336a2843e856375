"""Does the self-feedback reward track correctness? The figures of ``pasmr report`` and ``pasmr signal``.

SRL rewards a target-language answer when it agrees with the majority of the pivot answers
(:func:`~pasmr_plugin.reward.pivot_consistency`, the agent's vote and threshold). On questions with a
gold answer each scored answer is a :class:`SignalItem`, and :func:`signal_figures` measures how well
the reward tells right answers from wrong ones:

- ``coverage``: share of answers with a signal (a pivot majority reaching the agreement threshold);
- ``reward_rate`` and ``accuracy``: share rewarded, share right;
- ``agreement_with_gold``: share whose reward equals their correctness (no signal is reward 0);
- ``p_correct_given_reward_1``, ``p_correct_given_reward_0``: accuracy of the rewarded answers and of
  the others (answers without a signal among them).

A figure with no answers behind it is None.

>>> items = [signal_item("18", True, ["18"]), signal_item("৭", False, ["18"]), signal_item("9", True, [None])]
>>> figures = signal_figures(items)
>>> figures.reward_rate, figures.p_correct_given_reward_1, figures.p_correct_given_reward_0
(0.3333333333333333, 1.0, 0.5)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from statistics import fmean

from .languages import LOW_RESOURCE_LANGUAGES
from .rendering import markdown_table, percent, plot_label
from .reward import DEFAULT_CONFIG, pivot_consistency

ALL, LOW_RESOURCE = "all", "low_resource"  # the pooled rows' ``lang``
ROW_KEYS = ("model", "suite", "lang", "pivot")
FIGURES = (
    "n",
    "k",
    "coverage",
    "reward_rate",
    "accuracy",
    "agreement_with_gold",
    "p_correct_given_reward_1",
    "p_correct_given_reward_0",
)
"""The fields of a signal row after :data:`ROW_KEYS`, in the order of the table's columns."""


@dataclass(frozen=True)
class SignalItem:
    """One scored answer to a question with a gold answer."""

    signal: bool  # the pivot answers have a majority reaching the agreement threshold
    reward: bool  # the answer agrees with that majority (False without a signal)
    correct: bool  # the answer is right


def signal_item(
    target_answer: object,
    correct: bool,
    pivot_answers: Iterable[object] | None,
    agreement_threshold: float = DEFAULT_CONFIG.agreement_threshold,
) -> SignalItem:
    """The item of an answer scored for consistency only (no format rule), as the agent scores it."""
    vote, consistent = pivot_consistency(target_answer, pivot_answers, agreement_threshold)
    return SignalItem(vote.signal, consistent, bool(correct))


@dataclass(frozen=True)
class SignalFigures:
    """The figures of a set of items (see the module docstring); ``k`` is the pivot answers asked per question."""

    n: int
    k: int
    coverage: float | None
    reward_rate: float | None
    accuracy: float | None
    agreement_with_gold: float | None
    p_correct_given_reward_1: float | None
    p_correct_given_reward_0: float | None


def _share(values: list[bool]) -> float | None:
    return fmean(values) if values else None


def signal_figures(items: Sequence[SignalItem], k: int = 1) -> SignalFigures:
    """The figures of ``items``; each is None when no item is behind it."""
    return SignalFigures(
        n=len(items),
        k=k,
        coverage=_share([item.signal for item in items]),
        reward_rate=_share([item.reward for item in items]),
        accuracy=_share([item.correct for item in items]),
        agreement_with_gold=_share([item.reward == item.correct for item in items]),
        p_correct_given_reward_1=_share([item.correct for item in items if item.reward]),
        p_correct_given_reward_0=_share([item.correct for item in items if not item.reward]),
    )


def signal_rows(
    model: str, suite: str, pivot: str, k: int, items: Mapping[str, Sequence[SignalItem]]
) -> list[dict]:
    """Rows of :data:`ROW_KEYS` and :data:`FIGURES`: one per language of ``items`` (in its order), then the
    items pooled over the languages other than the pivot (``lang`` "all") and over the low-resource ones
    among them ("low_resource", when there are some).

    >>> rows = signal_rows("m", "pasmr_mgsm_cot", "en", 1, {"sw": [SignalItem(True, True, True)], "de": []})
    >>> [(row["lang"], row["n"], row["accuracy"]) for row in rows]
    [('sw', 1, 1.0), ('de', 0, None), ('all', 1, 1.0), ('low_resource', 1, 1.0)]
    """
    targets = [lang for lang in items if lang != pivot]
    groups = {lang: list(items[lang]) for lang in items}
    groups[ALL] = [item for lang in targets for item in items[lang]]
    low = [lang for lang in targets if lang in LOW_RESOURCE_LANGUAGES]
    if low:
        groups[LOW_RESOURCE] = [item for lang in low for item in items[lang]]
    return [
        {"model": model, "suite": suite, "lang": lang, "pivot": pivot, **asdict(signal_figures(group, k))}
        for lang, group in groups.items()
    ]


def signal_table(rows: Sequence[Mapping]) -> str:
    """The Markdown table of signal rows (figures in %)."""
    header = ["model", "lang", "n", "K", "coverage", "reward rate", "accuracy", "agreement with gold",
              "correct if reward 1", "correct if reward 0"]
    body = [
        [row["model"], row["lang"], str(row["n"]), str(row["k"])] + [percent(row[name]) for name in FIGURES[2:]]
        for row in rows
    ]
    return markdown_table(header, body)


SIGNAL_PLOT_HELP = (
    "per language, ▲ the accuracy of the answers the reward accepts, ▼ of the others, — of all; "
    "the longer the bar, the better the reward tells right from wrong."
)


def plot_signal(rows: Sequence[Mapping], path: str | Path, *, title: str) -> Path:
    """A dumbbell chart of signal rows (one suite, any number of models): :data:`SIGNAL_PLOT_HELP`.

    A figure that is None is not drawn. Needs matplotlib (the ``report`` extra).
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    models = list(dict.fromkeys(row["model"] for row in rows))
    langs = list(dict.fromkeys(row["lang"] for row in rows))
    by_key = {(row["model"], row["lang"]): row for row in rows}
    width = 0.8 / len(models)
    figure = Figure(figsize=(max(6.0, 0.45 * len(langs) * (len(models) + 1) + 2.5), 4.0), layout="tight")
    axes = figure.subplots()
    for index, model in enumerate(models):
        color = f"C{index % 10}"
        for x, lang in enumerate(langs):
            row = by_key.get((model, lang))
            if row is None or not row["n"]:
                continue
            at = x + (index - (len(models) - 1) / 2) * width
            high, low = row["p_correct_given_reward_1"], row["p_correct_given_reward_0"]
            if high is not None and low is not None:
                axes.plot([at, at], [100 * low, 100 * high], color=color, linewidth=4, alpha=0.35)
            for value, marker in ((high, "^"), (low, "v")):
                if value is not None:
                    axes.plot(at, 100 * value, marker=marker, markersize=8, color=color, linestyle="")
            axes.plot([at - width / 3, at + width / 3], [100 * row["accuracy"]] * 2, color="black", linewidth=1.5)
    if ALL in langs:
        axes.axvline(langs.index(ALL) - 0.5, color="gray", linewidth=0.8, linestyle=":")
    axes.set_xticks(range(len(langs)), [lang.replace("_", " ") for lang in langs])
    axes.set_ylim(-4, 104)
    axes.set_ylabel("answers right (%)")
    axes.set_title(title)
    handles = [
        Line2D([], [], marker="^", linestyle="", color="gray", label="rewarded answers"),
        Line2D([], [], marker="v", linestyle="", color="gray", label="other answers"),
        Line2D([], [], color="black", label="all answers"),
    ]
    if len(models) > 1:
        handles += [Line2D([], [], color=f"C{i % 10}", linewidth=4, label=plot_label(m)) for i, m in enumerate(models)]
    axes.legend(handles=handles, fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    figure.savefig(path, dpi=100)
    return Path(path)
