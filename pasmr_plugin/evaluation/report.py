"""``pasmr report``: per-language results, gaps to English and cross-lingual consistency.

Reads the ``samples_{task}_{date}.jsonl`` files lm-eval writes with ``--log_samples`` under
``--output_path`` (one folder per model) and rescores every response with the tasks' own
:func:`~pasmr_plugin.evaluation.tasks.grade_response`, so every number comes from one code path:

- per language: accuracy, answer found and language fidelity, with the macro mean and the
  low-resource mean (bn, sw, te, th);
- the gap of each language to English, and of the low-resource mean to English;
- on the parallel questions (the same question id in every language): the share whose answer in
  language L equals the model's own answer in English (consistency; no answer never agrees), and
  the share right in English but wrong in L.

Unreadable lines are skipped and counted, never fatal, and files of other tasks are ignored; a
folder without any PASMR samples raises :class:`ReportError`. When one model's folder holds several
runs of a task, the newest file is read.

>>> record = {"doc": {"id": "mgsm-3", "answer": "5"}, "resps": [["<translation>\\nHow many?\\n</translation>\\nউত্তর হল ৫।"]]}
>>> sample_from_record(record, "my-model", SUITE_BY_NAME["pasmr_mgsm"], "bn").score.answer
'5'
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean

from ..answers import answers_match
from ..languages import LOW_RESOURCE_LANGUAGES
from .tasks import PIVOT, SUITES, Score, Suite, grade_response

SAMPLES_FILE = re.compile(r"^samples_(?P<task>.+)_(?P<date>[^_]+)\.jsonl$")
SUITE_BY_NAME = {suite.name: suite for suite in SUITES}
TASK_NAME = re.compile(
    r"^(?P<suite>" + "|".join(sorted(SUITE_BY_NAME, key=len, reverse=True)) + r")_(?P<lang>[a-z]{2})$"
)
MISSING = "–"


class ReportError(ValueError):
    """The folder holds nothing to report on."""


@dataclass(frozen=True)
class Sample:
    """One scored response: ``question`` is the doc id, shared by the same question in every language."""

    model: str
    suite: str
    lang: str
    question: str
    score: Score


@dataclass(frozen=True)
class LanguageResult:
    """A model's means over the questions of one language."""

    n: int
    accuracy: float
    answer_found: float
    lang_fidelity: float


@dataclass(frozen=True)
class Consistency:
    """A model's answers in one language against its own answers to the same questions in English."""

    n: int  # questions answered both in English and in the language
    consistent: float  # the answer equals the model's answer in English
    lost: float  # right in English, wrong in the language


Key = tuple[str, str]  # (model, suite)


@dataclass
class Report:
    results: dict[Key, dict[str, LanguageResult]]
    consistency: dict[Key, dict[str, Consistency]]
    skipped: int
    markdown: str = ""
    files: list[Path] = field(default_factory=list)


# --- reading ---


def _recorded_name(folder: Path) -> str | None:
    """The ``model_name`` lm-eval recorded in a ``results_*.json`` next to the samples."""
    for path in sorted(folder.glob("results_*.json"), reverse=True):
        try:
            name = json.loads(path.read_text(encoding="utf-8")).get("model_name")
        except (OSError, UnicodeDecodeError, ValueError, AttributeError):
            continue
        if isinstance(name, str) and name:
            return name
    return None


def model_names(folders: Iterable[Path], results_dir: Path) -> dict[Path, str]:
    """A label per folder: the recorded model name, or the folder's path when that is missing or shared."""
    paths = {
        folder: folder.relative_to(results_dir).as_posix() if folder != results_dir else folder.name
        for folder in folders
    }
    recorded = {folder: _recorded_name(folder) for folder in paths}
    counts = Counter(recorded.values())
    return {folder: name if name and counts[name] == 1 else paths[folder] for folder, name in recorded.items()}


def sample_files(results_dir: Path) -> dict[tuple[Path, str], Path]:
    """The newest samples file of each (folder, PASMR task) under ``results_dir``."""
    newest: dict[tuple[Path, str], tuple[str, Path]] = {}
    for path in results_dir.rglob("samples_*.jsonl"):
        match = SAMPLES_FILE.match(path.name)
        if match and TASK_NAME.match(match["task"]):
            key = (path.parent, match["task"])
            if key not in newest or match["date"] > newest[key][0]:
                newest[key] = (match["date"], path)
    return {key: path for key, (_, path) in newest.items()}


def _response(record: dict) -> object:
    """The generated text: the filtered response, else the first raw one."""
    for key in ("filtered_resps", "resps"):
        value = record.get(key)
        while isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, str):
            return value
    return None


def sample_from_record(record: object, model: str, suite: Suite, lang: str) -> Sample | None:
    """A :class:`Sample` from one line of a samples file, or None when the line is not one."""
    if not isinstance(record, dict) or not isinstance(record.get("doc"), dict):
        return None
    doc = record["doc"]
    question = doc.get("id", record.get("doc_id"))
    response = _response(record)
    if question is None or response is None:
        return None
    score = grade_response(response, doc.get("answer", record.get("target")), lang, pam=suite.pam)
    return Sample(model, suite.name, lang, str(question), score)


def _read_lines(path: Path) -> Iterable[object]:
    """Each line's JSON value, or None for a line that is not JSON."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                yield json.loads(line)
            except ValueError:
                yield None


def read_samples(results_dir: str | Path) -> tuple[list[Sample], int]:
    """Every scored PASMR sample under ``results_dir``, and how many lines were skipped."""
    root = Path(results_dir)
    if not root.is_dir():
        raise ReportError(f"not a folder: {root}")
    files = sample_files(root)
    names = model_names({folder for folder, _ in files}, root)
    samples, skipped = [], 0
    for (folder, task), path in sorted(files.items()):
        match = TASK_NAME.match(task)
        suite, lang, model = SUITE_BY_NAME[match["suite"]], match["lang"], names[folder]
        try:
            records = list(_read_lines(path))
        except OSError:
            skipped += 1
            continue
        for record in records:
            sample = sample_from_record(record, model, suite, lang)
            if sample is None:
                skipped += 1
            else:
                samples.append(sample)
    if not samples:
        raise ReportError(
            f"no samples of PASMR tasks under {root}: run lm_eval or pasmr-eval with "
            "--log_samples --output_path DIR on pasmr_mgsm, pasmr_mgsm_cot or pasmr_msvamp, then report on DIR"
        )
    return samples, skipped


# --- aggregation ---


def _by(samples: Iterable[Sample]) -> dict[Key, dict[str, dict[str, Sample]]]:
    """(model, suite) -> language -> question id -> sample (the first of repeated ids)."""
    grouped: dict[Key, dict[str, dict[str, Sample]]] = defaultdict(lambda: defaultdict(dict))
    for sample in samples:
        grouped[sample.model, sample.suite][sample.lang].setdefault(sample.question, sample)
    return grouped


def _language_result(scores: list[Score]) -> LanguageResult:
    return LanguageResult(
        n=len(scores),
        accuracy=fmean(score.exact_match for score in scores),
        answer_found=fmean(score.answer_found for score in scores),
        lang_fidelity=fmean(score.lang_fidelity for score in scores),
    )


def language_results(samples: Iterable[Sample]) -> dict[Key, dict[str, LanguageResult]]:
    """Per (model, suite) and language: the means of the three metrics."""
    return {
        key: {
            lang: _language_result([s.score for s in by_question.values()]) for lang, by_question in languages.items()
        }
        for key, languages in _by(samples).items()
    }


def _consistency(pivot: dict[str, Sample], target: dict[str, Sample]) -> Consistency | None:
    shared = [question for question in target if question in pivot]
    if not shared:
        return None
    pairs = [(pivot[question].score, target[question].score) for question in shared]
    return Consistency(
        n=len(pairs),
        consistent=fmean(float(answers_match(p.answer, t.answer)) for p, t in pairs),
        lost=fmean(float(p.exact_match == 1.0 and t.exact_match == 0.0) for p, t in pairs),
    )


def cross_lingual_consistency(samples: Iterable[Sample]) -> dict[Key, dict[str, Consistency]]:
    """Per (model, suite) and language other than English: agreement with the model's English answers."""
    table = {}
    for key, languages in _by(samples).items():
        pivot = languages.get(PIVOT, {})
        rows = {lang: _consistency(pivot, by_question) for lang, by_question in languages.items() if lang != PIVOT}
        table[key] = {lang: row for lang, row in rows.items() if row is not None}
    return table


# --- rendering ---


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


def render_markdown(report: Report, source: Path) -> str:
    sections = [_suite_section(report, suite) for suite in SUITES]
    models = sorted({model for model, _ in report.results})
    intro = f"# PASMR evaluation report\n\nSamples under `{source}`; models: {', '.join(models)}."
    if report.skipped:
        intro += f" {report.skipped} unreadable sample lines skipped."
    return "\n\n".join([intro] + [section for section in sections if section]) + "\n"


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
        axes.bar([x + index * width for x in range(len(langs))], heights, width, label=model)
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
    axes.set_yticks(range(len(models)), models)
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
    out.mkdir(parents=True, exist_ok=True)
    markdown_path = out / "report.md"
    markdown_path.write_text(report.markdown, encoding="utf-8")
    report.files = [markdown_path] + (_plots(report, out) if plots else [])
    return report
