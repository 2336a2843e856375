"""``pasmr report``: per-language tables, gaps to English, cross-lingual consistency, the self-feedback signal.

The numbers come from :mod:`.metrics`; this module lays them out as tables (:class:`Table`) and writes
them as Markdown (``report.md``), as JSON (``report.json``: every table, and the signal rows as one flat
list under ``"signal"``) and as PNG plots:

- per language: accuracy, answer found and language fidelity, with the macro mean and the
  low-resource mean (bn, sw, te, th);
- the gap of each language to English, and of the low-resource mean to English;
- consistency with the model's own English answers on the parallel questions;
- the self-feedback signal of every suite whose English run is in the folder
  (:mod:`pasmr_plugin.self_feedback`): does SRL's reward track correctness, per language;
- for PolyMath (``pasmr_polymath``, ``pasmr_polymath_cot``): the benchmark's headline score, the
  difficulty-weighted accuracy (levels weighted 1, 2, 4, 8) per language, and each level's macro
  mean, before the per-level sections, which hold all of the above.
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean

from ..languages import LOW_RESOURCE_LANGUAGES
from ..rendering import MISSING, markdown_table, percent, plot_label
from ..reward import DEFAULT_CONFIG
from ..self_feedback import SIGNAL_PLOT_HELP, plot_signal, signal_rows, signal_table
from .metrics import (
    Consistency,
    Key,
    LanguageResult,
    ReportError,
    SuiteSignal,
    cross_lingual_consistency,
    difficulty_weighted_accuracy,
    language_results,
    read_samples,
    self_feedback_signal,
)
from .tasks import FAMILIES, PIVOT, SUITES, Suite

MEAN, LOW = "mean", "low_resource"  # the columns of macro means before the languages


@dataclass(frozen=True)
class Table:
    """One table of the report: a row of values per model under ``columns`` (shares, or points for gaps)."""

    section: str  # the suite or benchmark family
    name: str  # what the values are: accuracy, gap_to_en, consistent, ...
    title: str
    columns: list[str]
    rows: list[tuple[str, list[float | None]]]
    fmt: Callable[[float | None], str] = percent

    def markdown(self) -> str:
        header = ["model"] + [column.replace("_", "-") for column in self.columns]
        return markdown_table(header, [[model] + [self.fmt(value) for value in values] for model, values in self.rows])

    def as_json(self) -> dict:
        rows = [{"model": model, **dict(zip(self.columns, values))} for model, values in self.rows]
        return {"section": self.section, "table": self.name, "title": self.title, "rows": rows}


@dataclass
class Report:
    results: dict[Key, dict[str, LanguageResult]]
    consistency: dict[Key, dict[str, Consistency]]
    signal: dict[Key, SuiteSignal]
    skipped: int
    agreement_threshold: float = DEFAULT_CONFIG.agreement_threshold
    markdown: str = ""
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the writer left out, and why


def points(value: float | None) -> str:
    return MISSING if value is None else f"{100 * value:+.1f}"


def _mean(values: Iterable[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return fmean(present) if present else None


def _metric_table(section: str, name: str, title: str, models: list[str], langs: list[str], value, fmt=percent):
    """One row per model: the macro mean, the low-resource mean, then each language's ``value(model, lang)``."""
    low = [lang for lang in langs if lang in LOW_RESOURCE_LANGUAGES]
    rows = []
    for model in models:
        cells = {lang: value(model, lang) for lang in langs}
        means = [_mean(cells.values()), _mean(cells[lang] for lang in low)]
        rows.append((model, means + [cells[lang] for lang in langs]))
    return Table(section, name, title, [MEAN, LOW] + langs, rows, fmt)


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


def _suite_tables(report: Report, suite: Suite) -> list[Table]:
    models = sorted(model for model, name in report.results if name == suite.name)
    present = {lang for model in models for lang in report.results[model, suite.name]}
    langs = [lang for lang in suite.languages if lang in present]
    if not langs:
        return []
    tables = [
        _metric_table(suite.name, name, title, models, langs, _field(report.results, suite, name))
        for name, title in [
            ("accuracy", "Accuracy (%)"),
            ("answer_found", "Answer found (%)"),
            ("lang_fidelity", "Language fidelity (%): the reasoning is in the question's language"),
        ]
    ]
    others = [lang for lang in langs if lang != PIVOT]
    if PIVOT in langs and others:
        tables += [
            _metric_table(suite.name, "gap_to_en", "Accuracy gap to English (points)", models, others,
                          _gap(report, suite), fmt=points),
            _metric_table(suite.name, "consistent",
                          "Cross-lingual consistency (%): the answer equals the model's answer to the English question",
                          models, others, _field(report.consistency, suite, "consistent")),
            _metric_table(suite.name, "lost", "Right in English, wrong in the language (%)", models, others,
                          _field(report.consistency, suite, "lost")),
        ]  # fmt: skip
    return tables


def _family_tables(report: Report, family: str, levels: tuple[Suite, ...]) -> list[Table]:
    """PolyMath's headline view: difficulty-weighted accuracy per language, and the accuracy of each level."""
    names = {suite.name for suite in levels}
    models = sorted({model for model, name in report.results if name in names})
    langs = [
        lang
        for lang in levels[0].languages
        if any(lang in report.results.get((model, suite.name), {}) for model in models for suite in levels)
    ]
    if not langs:
        return []
    accuracy = {suite.level: _field(report.results, suite, "accuracy") for suite in levels}

    def weighted(model: str, lang: str) -> float | None:
        return difficulty_weighted_accuracy({level: value(model, lang) for level, value in accuracy.items()})

    rows = [
        (
            model,
            [_mean(value(model, lang) for lang in langs) for value in accuracy.values()]
            + [_mean(weighted(model, lang) for lang in langs)],
        )
        for model in models
    ]
    return [
        _metric_table(family, "difficulty_weighted", "Difficulty-weighted accuracy (%)", models, langs, weighted),
        Table(family, "levels", "Accuracy per level (%): macro means over languages",
              [*accuracy, "difficulty_weighted"], rows),
    ]  # fmt: skip


def report_tables(report: Report) -> list[Table]:
    """Every table of the report, in the order of ``report.md``."""
    tables = []
    for suite in SUITES:
        if suite.family and suite is FAMILIES[suite.family][0]:
            tables += _family_tables(report, suite.family, FAMILIES[suite.family])
        tables += _suite_tables(report, suite)
    return tables


def report_signal_rows(report: Report) -> list[dict]:
    """The signal rows of every model and suite with a pivot run and answers to score (suites in report order)."""
    rows = []
    for suite in SUITES:
        for (model, name), signal in sorted(report.signal.items()):
            items = {lang: signal.items[lang] for lang in suite.languages if signal.items.get(lang)}
            if name == suite.name and items:
                rows += signal_rows(model, suite.name, PIVOT, signal.k, items)
    return rows


SIGNAL_INTRO = (
    "Each answer is scored as the SRL agent scores it, against the answers the English run logged for the same "
    "question (K per question; consistency only, no format rule, majority threshold {threshold:g}); correctness "
    "is what the task grades. Reward 1: the answer agrees with a pivot majority; no majority is reward 0. "
    "Coverage: share of answers with a pivot majority. {plot}"
)


def _signal_section(suite: str, rows: list[dict], threshold: float) -> str:
    plot = f"Plot `signal_{suite}.png`: {SIGNAL_PLOT_HELP}"
    return "\n\n".join(
        [
            "### Self-feedback signal (%): does the reward track correctness?",
            SIGNAL_INTRO.format(threshold=threshold, plot=plot),
            signal_table(rows),
        ]
    )


def render_markdown(report: Report, source: Path) -> str:
    signal = report_signal_rows(report)
    sections: dict[str, list[str]] = {}
    headings = {family: f"## {family}: difficulty-weighted accuracy" for family in FAMILIES}
    notes = {
        family: "PolyMath's headline score: per language, the accuracies of the levels low, medium, high and top "
        "weighted 1, 2, 4, 8 (a language needs all four levels); the mean is over languages."
        for family in FAMILIES
    }
    for table in report_tables(report):
        parts = sections.setdefault(table.section, [headings.get(table.section, f"## {table.section}")])
        if table.section in notes and len(parts) == 1:
            parts.append(notes[table.section])
        parts += [f"### {table.title}", table.markdown()]
    for suite in SUITES:
        rows = [row for row in signal if row["suite"] == suite.name]
        if rows:
            sections.setdefault(suite.name, [f"## {suite.name}"]).append(
                _signal_section(suite.name, rows, report.agreement_threshold)
            )
    models = sorted({model for model, _ in report.results})
    intro = f"# PASMR evaluation report\n\nSamples under `{source}`; models: {', '.join(models)}."
    if report.skipped:
        intro += f" {report.skipped} unreadable sample lines skipped."
    return "\n\n".join([intro] + ["\n\n".join(parts) for parts in sections.values()]) + "\n"


def report_json(report: Report, source: Path) -> dict:
    """``report.json``: every table's numbers (shares from 0 to 1; gaps as differences of shares, null where the
    table shows "–") and the signal rows as one flat list."""
    return {
        "source": str(source),
        "agreement_threshold": report.agreement_threshold,
        "skipped_lines": report.skipped,
        "tables": [table.as_json() for table in report_tables(report)],
        "signal": report_signal_rows(report),
    }


# --- plots (matplotlib's object API: no pyplot state, no backend switch) ---


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
    signal = report_signal_rows(report)
    for suite in SUITES:
        if any(name == suite.name for _, name in report.results):
            written.append(_plot_accuracy(report, suite, out / f"accuracy_{suite.name}.png"))
            consistency = _plot_consistency(report, suite, out / f"consistency_{suite.name}.png")
            written += [consistency] if consistency else []
        rows = [row for row in signal if row["suite"] == suite.name]
        if rows:
            title = f"{suite.name}: share of right answers"
            written.append(plot_signal(rows, out / f"signal_{suite.name}.png", title=title))
    return written


def build_report(
    results_dir: str | Path, *, agreement_threshold: float = DEFAULT_CONFIG.agreement_threshold
) -> Report:
    """Read, score and aggregate the samples under ``results_dir`` (no files written); ``agreement_threshold``
    is the share of the pivot answers a majority needs to give a signal (the agent's ``--agreement``)."""
    if not 0.0 <= agreement_threshold <= 1.0:
        raise ReportError(f"the agreement threshold must lie in [0, 1], got {agreement_threshold}")
    samples, skipped = read_samples(results_dir)
    report = Report(
        language_results(samples),
        cross_lingual_consistency(samples),
        self_feedback_signal(samples, agreement_threshold),
        skipped,
        agreement_threshold,
    )
    report.markdown = render_markdown(report, Path(results_dir))
    return report


PLOTS_NEED_MATPLOTLIB = "plots skipped: matplotlib is not installed (pip install 'pasmr-plugin[report]')"


def write_report(
    results_dir: str | Path,
    output_dir: str | Path | None = None,
    *,
    plots: bool = True,
    agreement_threshold: float = DEFAULT_CONFIG.agreement_threshold,
) -> Report:
    """:func:`build_report`, then ``report.md``, ``report.json`` and the PNG plots in ``output_dir`` (default
    ``RESULTS_DIR/pasmr_report``); without matplotlib the plots are skipped (``report.notes`` says so)."""
    report = build_report(results_dir, agreement_threshold=agreement_threshold)
    out = Path(output_dir) if output_dir else Path(results_dir) / "pasmr_report"
    if plots and importlib.util.find_spec("matplotlib") is None:
        plots = False
        report.notes.append(PLOTS_NEED_MATPLOTLIB)
    try:
        out.mkdir(parents=True, exist_ok=True)
        markdown_path, json_path = out / "report.md", out / "report.json"
        markdown_path.write_text(report.markdown, encoding="utf-8")
        data = report_json(report, Path(results_dir))
        json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        report.files = [markdown_path, json_path] + (_plots(report, out) if plots else [])
    except OSError as error:
        raise ReportError(f"cannot write the report to {out}: {error.strerror or error}") from None
    return report
