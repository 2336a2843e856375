"""Reading lm-eval sample logs and the numbers ``pasmr report`` shows: accuracy per language and consistency.

Reads the ``samples_{task}_{date}.jsonl`` files lm-eval writes with ``--log_samples`` under
``--output_path`` (one folder per model) and rescores every response with the tasks' own
:func:`~pasmr_plugin.evaluation.tasks.grade_response`, so every number comes from one code path:

- per language: accuracy, answer found and language fidelity;
- for PolyMath, per language: the difficulty-weighted accuracy over its four levels;
- on the parallel questions (the same question id in every language): the share whose answer in
  language L equals the model's own answer in English (consistency; no answer never agrees), and
  the share right in English but wrong in L;
- the self-feedback signal (:mod:`pasmr_plugin.self_feedback`): each answer in L scored against the
  answers the English run logged for the same question, as the SRL agent scores it. K is the number of
  responses per doc: 1 for a plain run, K for the English tasks ``{suite}_en_k{K}`` (lm-eval ``repeats``,
  sampled as the agent samples pivot answers). Those variants feed the signal only; when a folder holds
  several English runs of a suite, the one with the largest K is read.

Unreadable lines (not JSON, not UTF-8, nested too deeply, not a sample) are skipped and counted,
never fatal, and files of other tasks are ignored; a folder without any PASMR samples raises
:class:`ReportError`. When one model's folder holds several runs of a task, the newest file is
read. Model names are kept as written, less control characters and lone surrogates (see
:func:`clean_name`), so every name can be printed and written.

>>> record = {"doc": {"id": "mgsm-3", "answer": "5"}, "resps": [["<translation>\\nHow many?\\n</translation>\\nউত্তর হল ৫।"]]}
>>> sample_from_record(record, "my-model", SUITE_BY_NAME["pasmr_mgsm"], "bn").score.answer
'5'
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import fmean

from ..answers import answers_equivalent
from ..benchmarks import POLYMATH_LEVEL_WEIGHTS
from ..reward import DEFAULT_CONFIG, pivot_answer
from ..self_feedback import SignalItem, signal_item
from .tasks import PIVOT, SUITES, Score, Suite, grade_response

SAMPLES_FILE = re.compile(r"^samples_(?P<task>.+)_(?P<date>[^_]+)\.jsonl$")
SUITE_BY_NAME = {suite.name: suite for suite in SUITES}
TASK_NAME = re.compile(
    r"^(?P<suite>" + "|".join(sorted(SUITE_BY_NAME, key=len, reverse=True)) + r")"
    r"_(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)(?:_k(?P<repeats>[1-9][0-9]{0,2}))?$"
)
"""``{suite}_{lang}``, or ``{suite}_en_k{K}`` for a pivot run with K responses per doc (see :func:`task_parts`)."""


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
    pivot_answers: tuple[str | None, ...] = ()  # in the pivot language: the answer each logged response votes for
    repeats: int | None = None  # K of a ``_k{K}`` pivot variant (None: a plain task)


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


@dataclass(frozen=True)
class SuiteSignal:
    """A model's answers in each language of a suite scored against its pivot run's answers (``k`` per doc)."""

    k: int
    items: dict[str, list[SignalItem]]


Key = tuple[str, str]  # (model, suite)


# --- reading ---

MAX_NAME_CHARS = 120
"""Model names are cut to this many characters in tables and plots (hub names are far shorter)."""

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_name(name: str) -> str:
    """A model name safe to print and write: control characters and lone surrogates replaced, length capped.

    >>> clean_name("org/model\\n\\ud800")
    'org/model ?'
    """
    cleaned = _UNPRINTABLE.sub(lambda m: " " if m.group() in "\t\n\r" else "?", name)[:MAX_NAME_CHARS]
    return cleaned if cleaned.strip() else "?"


def _recorded_name(folder: Path) -> str | None:
    """The ``model_name`` lm-eval recorded in a ``results_*.json`` next to the samples."""
    for path in sorted(folder.glob("results_*.json"), reverse=True):
        try:
            name = json.loads(path.read_text(encoding="utf-8", errors="replace")).get("model_name")
        except (OSError, ValueError, AttributeError, RecursionError):
            continue
        if isinstance(name, str) and name:
            return clean_name(name)
    return None


def model_names(folders: Iterable[Path], results_dir: Path) -> dict[Path, str]:
    """A label per folder: the recorded model name, or the folder's path when that is missing or shared."""
    paths = {
        folder: clean_name(folder.relative_to(results_dir).as_posix() if folder != results_dir else folder.name)
        for folder in folders
    }
    recorded = {folder: _recorded_name(folder) for folder in paths}
    counts = Counter(recorded.values())
    return {folder: name if name and counts[name] == 1 else paths[folder] for folder, name in recorded.items()}


def task_parts(task: str) -> tuple[Suite, str, int | None] | None:
    """The suite, language and K (None for a plain task) of a PASMR task name; None for any other name.

    >>> suite, lang, repeats = task_parts("pasmr_mgsm_cot_en_k4")
    >>> suite.name, lang, repeats, task_parts("pasmr_mgsm_sw_k4")  # variants are English runs only
    ('pasmr_mgsm_cot', 'en', 4, None)
    """
    match = TASK_NAME.match(task)
    if match is None or (match["repeats"] and match["lang"] != PIVOT):
        return None
    return SUITE_BY_NAME[match["suite"]], match["lang"], int(match["repeats"]) if match["repeats"] else None


def sample_files(results_dir: Path) -> dict[tuple[Path, str], Path]:
    """The newest samples file of each (folder, PASMR task) under ``results_dir``."""
    newest: dict[tuple[Path, str], tuple[str, Path]] = {}
    for path in results_dir.rglob("samples_*.jsonl"):
        match = SAMPLES_FILE.match(path.name)
        if match and task_parts(match["task"]):
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


def _all_responses(record: dict) -> list[str]:
    """Every logged response to the doc: lm-eval writes ``resps`` as requests × repeats (a non-text entry is
    a missing response); without them, the filtered response."""
    resps = record.get("resps")
    if isinstance(resps, list) and resps and isinstance(resps[0], list):
        return [text for text in resps[0] if isinstance(text, str)]
    response = _response(record)
    return [response] if isinstance(response, str) else []


def sample_from_record(
    record: object, model: str, suite: Suite, lang: str, repeats: int | None = None
) -> Sample | None:
    """A :class:`Sample` from one line of a samples file, or None when the line is not one."""
    if not isinstance(record, dict) or not isinstance(record.get("doc"), dict):
        return None
    doc = record["doc"]
    question = doc.get("id", record.get("doc_id"))
    response = _response(record)
    if question is None or response is None:
        return None
    score = grade_response(response, doc.get("answer", record.get("target")), lang, pam=suite.pam)
    votes = ()
    if lang == PIVOT:  # PolyMath's prompts ask for the answer in $\boxed{...}$
        answer_format = "number" if suite.level is None else "boxed"
        votes = tuple(pivot_answer(text, PIVOT, answer_format=answer_format) for text in _all_responses(record))
    return Sample(model, suite.name, lang, str(question), score, votes, repeats)


def _read_lines(path: Path) -> Iterable[object]:
    """Each line's JSON value, or None for a line that is not JSON."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                yield json.loads(line)
            except (ValueError, RecursionError):  # not JSON, an integer past the digit limit, deep nesting
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
        (suite, lang, repeats), model = task_parts(task), names[folder]
        try:
            records = list(_read_lines(path))
        except OSError:
            skipped += 1
            continue
        for record in records:
            try:
                sample = sample_from_record(record, model, suite, lang, repeats)
            except (ValueError, TypeError, RecursionError):  # a doc id that cannot be a string, say
                sample = None
            if sample is None:
                skipped += 1
            else:
                samples.append(sample)
    if not samples:
        raise ReportError(
            f"no samples of PASMR tasks under {root}: run lm_eval or pasmr-eval with "
            "--log_samples --output_path DIR on pasmr_mgsm, pasmr_mgsm_cot, pasmr_msvamp, pasmr_polymath or "
            "pasmr_polymath_cot, then report on DIR"
        )
    return samples, skipped


# --- aggregation ---


def _by(samples: Iterable[Sample]) -> dict[Key, dict[str, dict[str, Sample]]]:
    """(model, suite) -> language -> question id -> sample (the first of repeated ids), plain tasks only."""
    grouped: dict[Key, dict[str, dict[str, Sample]]] = defaultdict(lambda: defaultdict(dict))
    for sample in samples:
        if sample.repeats is None:
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
        consistent=fmean(float(answers_equivalent(p.answer, t.answer)) for p, t in pairs),
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


def _pivot_runs(samples: Iterable[Sample]) -> dict[Key, tuple[int, dict[str, Sample]]]:
    """(model, suite) -> the K and the questions of its pivot run: the ``_k{K}`` variant of the largest K,
    else the plain task (K: the most responses logged for a doc)."""
    runs: dict[Key, dict[int | None, dict[str, Sample]]] = defaultdict(lambda: defaultdict(dict))
    for sample in samples:
        if sample.lang == PIVOT:
            runs[sample.model, sample.suite][sample.repeats].setdefault(sample.question, sample)
    chosen = {}
    for key, by_repeats in runs.items():
        variants = [repeats for repeats in by_repeats if repeats is not None]
        repeats = max(variants) if variants else None
        questions = by_repeats[repeats]
        k = repeats or max(len(sample.pivot_answers) for sample in questions.values())
        chosen[key] = (k, questions)
    return chosen


def self_feedback_signal(
    samples: Sequence[Sample], agreement_threshold: float = DEFAULT_CONFIG.agreement_threshold
) -> dict[Key, SuiteSignal]:
    """Per (model, suite) with a pivot run: each language's answers scored against the pivot answers logged
    for the same question (questions the pivot run lacks are left out)."""
    table = {}
    targets = _by(samples)
    for key, (k, pivot) in _pivot_runs(samples).items():
        items = {
            lang: [
                signal_item(sample.score.answer, sample.score.exact_match == 1.0, pivot[question].pivot_answers,
                            agreement_threshold)
                for question, sample in by_question.items()
                if question in pivot
            ]
            for lang, by_question in targets.get(key, {}).items()
            if lang != PIVOT
        }
        table[key] = SuiteSignal(k, items)
    return table


def difficulty_weighted_accuracy(accuracy_by_level: dict[str, float | None]) -> float | None:
    """PolyMath's headline score of one language: the level accuracies weighted 1, 2, 4, 8 (low .. top).

    None unless every level has an accuracy (the benchmark's own scorer waits for all four too).

    >>> round(difficulty_weighted_accuracy({"low": 0.9, "medium": 0.6, "high": 0.3, "top": 0.1}), 4)
    0.2733
    >>> difficulty_weighted_accuracy({"low": 0.9, "medium": 0.6, "high": 0.3, "top": None}) is None
    True
    """
    values = [accuracy_by_level.get(level) for level in POLYMATH_LEVEL_WEIGHTS]
    if any(value is None for value in values):
        return None
    weights = POLYMATH_LEVEL_WEIGHTS.values()
    return sum(weight * value for weight, value in zip(weights, values)) / sum(weights)
