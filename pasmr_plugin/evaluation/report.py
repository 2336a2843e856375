"""``pasmr report``: per-language tables, gaps to English, cross-lingual consistency, plots.

The numbers come from :mod:`.metrics`; this module renders them as Markdown and PNG plots:

- per language: accuracy, answer found and language fidelity, with the macro mean and the
  low-resource mean (bn, sw, te, th);
- the gap of each language to English, and of the low-resource mean to English;
- consistency with the model's own English answers on the parallel questions;
- for PolyMath (``pasmr_polymath``, ``pasmr_polymath_cot``): the benchmark's headline score, the
  difficulty-weighted accuracy (levels weighted 1, 2, 4, 8) per language, and each level's macro
  mean, before the per-level sections, which hold all of the above.
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean

from ..languages import LOW_RESOURCE_LANGUAGES
from .metrics import (
    Consistency,
    Key,
    LanguageResult,
    ReportError,
    cross_lingual_consistency,
    difficulty_weighted_accuracy,
    language_results,
    read_samples,
)
from .tasks import FAMILIES, PIVOT, SUITES, Suite

MISSING = "–"


@dataclass
class Report:
    results: dict[Key, dict[str, LanguageResult]]
    consistency: dict[Key, dict[str, Consistency]]
    skipped: int
    markdown: str = ""
    files: list[Path] = field(default_factory=list)




def percent(value: float | None) -> str:
    return MISSING if value is None else f"{100 * value:.1f}"


def points(value: float | None) -> str:
    return MISSING if value is None else f"{100 * value:+.1f}"


def _mean(values: Iterable[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return fmean(present) if present else None


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def _metric_table(models: list[str], langs: list[str], value, fmt=percent) -> str:
    """One row per model: the macro mean, the low-resource mean, then each language's ``value(model, lang)``."""
    low = [lang for lang in langs if lang in LOW_RESOURCE_LANGUAGES]
    rows = []
    for model in models:
        cells = {lang: value(model, lang) for lang in langs}
        means = [_mean(cells.values()), _mean(cells[lang] for lang in low)]
        rows.append([model] + [fmt(v) for v in means] + [fmt(cells[lang]) for lang in langs])
    return _table(["model", "mean", "low-resource"] + langs, rows)


def _field(table: dict[Key, dict[str, object]], suite: Suite, name: str):
    """``value(model, lang)``: field ``name`` of the table's row, or None when there is none."""

    def value(model: str, lang: str) -> float | None:
        row = table.get((model, suite.name), {}).get(lang)
        return None if row is None else getattr(row, name)

    return value


def _gap(report: Report, suite: Suite):
    accuracy = _field(report.results, suite, "accuracy")

    def value(model: str, lang: str) -> float | None:
        own, english = accuracy(model, lang), accuracy(model, PIVOT)
        return None if own is None or english is None else own - english

    return value


def _suite_section(report: Report, suite: Suite) -> str | None:
    models = sorted(model for model, name in report.results if name == suite.name)
    present = {lang for model in models for lang in report.results[model, suite.name]}
    langs = [lang for lang in suite.languages if lang in present]
    if not langs:
        return None
    parts = [f"## {suite.name}"]
    for title, name in [
        ("Accuracy (%)", "accuracy"),
        ("Answer found (%)", "answer_found"),
        ("Language fidelity (%): the reasoning is in the question's language", "lang_fidelity"),
    ]:
        parts += [f"### {title}", _metric_table(models, langs, _field(report.results, suite, name))]
    others = [lang for lang in langs if lang != PIVOT]
    if PIVOT in langs and others:
        parts += [
            "### Accuracy gap to English (points)",
            _metric_table(models, others, _gap(report, suite), fmt=points),
            "### Cross-lingual consistency (%): the answer equals the model's answer to the English question",
            _metric_table(models, others, _field(report.consistency, suite, "consistent")),
            "### Right in English, wrong in the language (%)",
            _metric_table(models, others, _field(report.consistency, suite, "lost")),
        ]
    return "\n\n".join(parts)


def _family_section(report: Report, family: str, levels: tuple[Suite, ...]) -> str | None:
    """PolyMath's headline view: difficulty-weighted accuracy per language, and the accuracy of each level."""
    names = {suite.name for suite in levels}
    models = sorted({model for model, name in report.results if name in names})
    langs = [
        lang
        for lang in levels[0].languages
        if any(lang in report.results.get((model, suite.name), {}) for model in models for suite in levels)
    ]
    if not langs:
        return None
    accuracy = {suite.level: _field(report.results, suite, "accuracy") for suite in levels}

    def weighted(model: str, lang: str) -> float | None:
        return difficulty_weighted_accuracy({level: value(model, lang) for level, value in accuracy.items()})

    rows = [
        [model]
        + [percent(_mean(value(model, lang) for lang in langs)) for value in accuracy.values()]
        + [percent(_mean(weighted(model, lang) for lang in langs))]
        for model in models
    ]
    return "\n\n".join(
        [
            f"## {family}: difficulty-weighted accuracy",
            "PolyMath's headline score: per language, the accuracies of the levels low, medium, high and top "
            "weighted 1, 2, 4, 8 (a language needs all four levels); the mean is over languages.",
            "### Difficulty-weighted accuracy (%)",
            _metric_table(models, langs, weighted),
            "### Accuracy per level (%): macro means over languages",
            _table(["model", *accuracy, "difficulty-weighted"], rows),
        ]
    )


def render_markdown(report: Report, source: Path) -> str:
    sections = []
    for suite in SUITES:
        if suite.family and suite is FAMILIES[suite.family][0]:
            sections.append(_family_section(report, suite.family, FAMILIES[suite.family]))
        sections.append(_suite_section(report, suite))
    models = sorted({model for model, _ in report.results})
    intro = f"# PASMR evaluation report\n\nSamples under `{source}`; models: {', '.join(models)}."
    if report.skipped:
        intro += f" {report.skipped} unreadable sample lines skipped."
    return "\n\n".join([intro] + [section for section in sections if section]) + "\n"


# --- plots (matplotlib's object API: no pyplot state, no backend switch) ---


def plot_label(name: str) -> str:
    r"""``name`` as matplotlib shows it literally: "$" escaped (no math mode), a leading "_" kept visible.

    >>> plot_label("gpt$4$_x")
    'gpt\\$4\\$_x'
    """
    label = name.replace("$", "\\$")
    return " " + label if label.startswith("_") else label


def _plot_accuracy(report: Report, suite: Suite, path: Path) -> Path:
    from matplotlib.figure import Figure

    models = sorted(model for model, name in report.results if name == suite.name)
    langs = [lang for lang in suite.languages if any(lang in report.results[m, suite.name] for m in models)]
    width = 0.8 / len(models)
    figure = Figure(figsize=(max(6.0, 0.4 * len(langs) * (len(models) + 1)), 3.5), layout="tight")
    axes = figure.subplots()
    for index, model in enumerate(models):
        rows = report.results[model, suite.name]
        heights = [100 * rows[lang].accuracy if lang in rows else 0.0 for lang in langs]
        axes.bar([x + index * width for x in range(len(langs))], heights, width, label=plot_label(model))
    axes.set_xticks([x + width * (len(models) - 1) / 2 for x in range(len(langs))], langs)
    axes.set_ylim(0, 100)
    axes.set_ylabel("accuracy (%)")
    axes.set_title(f"{suite.name}: accuracy per language")
    axes.legend(fontsize="small")
    figure.savefig(path, dpi=100)
    return path


def _plot_consistency(report: Report, suite: Suite, path: Path) -> Path | None:
    from matplotlib.figure import Figure

    rows = {model: table for (model, name), table in report.consistency.items() if name == suite.name and table}
    models = sorted(rows)
    langs = [lang for lang in suite.languages if any(lang in table for table in rows.values())]
    if not models:
        return None
    grid = [
        [100 * rows[model][lang].consistent if lang in rows[model] else math.nan for lang in langs] for model in models
    ]
    figure = Figure(figsize=(max(5.0, 0.6 * len(langs) + 2.5), 1.2 + 0.5 * len(models)), layout="tight")
    axes = figure.subplots()
    image = axes.imshow(grid, vmin=0, vmax=100, cmap="viridis", aspect="auto")
    axes.set_xticks(range(len(langs)), langs)
    axes.set_yticks(range(len(models)), [plot_label(model) for model in models])
    for y, row in enumerate(grid):
        for x, value in enumerate(row):
            if not math.isnan(value):
                axes.text(x, y, f"{value:.0f}", ha="center", va="center", color="white" if value < 60 else "black")
    axes.set_title(f"{suite.name}: answers agreeing with English (%)")
    figure.colorbar(image, ax=axes)
    figure.savefig(path, dpi=100)
    return path


def _plots(report: Report, out: Path) -> list[Path]:
    written = []
    for suite in SUITES:
        if any(name == suite.name for _, name in report.results):
            written.append(_plot_accuracy(report, suite, out / f"accuracy_{suite.name}.png"))
            consistency = _plot_consistency(report, suite, out / f"consistency_{suite.name}.png")
            written += [consistency] if consistency else []
    return written


def build_report(results_dir: str | Path) -> Report:
    """Read, score and aggregate the samples under ``results_dir`` (no files written)."""
    samples, skipped = read_samples(results_dir)
    report = Report(language_results(samples), cross_lingual_consistency(samples), skipped)
    report.markdown = render_markdown(report, Path(results_dir))
    return report


def write_report(results_dir: str | Path, output_dir: str | Path | None = None, *, plots: bool = True) -> Report:
    """:func:`build_report`, then ``report.md`` and the PNG plots in ``output_dir`` (default ``RESULTS_DIR/pasmr_report``)."""
    if plots and importlib.util.find_spec("matplotlib") is None:
        raise ReportError("the plots need matplotlib: pip install 'pasmr-plugin[report]', or pass --no-plots")
    report = build_report(results_dir)
    out = Path(output_dir) if output_dir else Path(results_dir) / "pasmr_report"
    try:
        out.mkdir(parents=True, exist_ok=True)
        markdown_path = out / "report.md"
        markdown_path.write_text(report.markdown, encoding="utf-8")
        report.files = [markdown_path] + (_plots(report, out) if plots else [])
    except OSError as error:
        raise ReportError(f"cannot write the report to {out}: {error.strerror or error}") from None
    return report
