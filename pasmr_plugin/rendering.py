"""Markdown tables and plot labels shared by ``pasmr report`` and ``pasmr signal``.

>>> print(markdown_table(["model", "sw"], [["m", percent(0.5)]]))
| model | sw |
|---|---|
| m | 50.0 |
"""

from __future__ import annotations

MISSING = "–"  # a cell without a figure


def percent(value: float | None) -> str:
    """A share as a percentage with one decimal, or :data:`MISSING`."""
    return MISSING if value is None else f"{100 * value:.1f}"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def plot_label(name: str) -> str:
    r"""``name`` as matplotlib shows it literally: "$" escaped (no math mode), a leading "_" kept visible.

    >>> plot_label("gpt$4$_x")
    'gpt\\$4\\$_x'
    """
    label = name.replace("$", "\\$")
    return " " + label if label.startswith("_") else label
