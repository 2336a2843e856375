"""The dataset builders behind ``pasmr data``: PAM SFT records, RL prompts with labels, offline pivot answers.

- :func:`build_sft`: parallel records (target question, pivot question, target-language
  solution) to OpenRLHF SFT records ``{"input": prompt, "output": PAM response}``.
- :func:`build_rl`: target-language questions to RL prompts ``{"prompt": ..., "label": ...,
  "datasource": ...}`` of the ``train`` or ``eval`` split; :func:`benchmark_records` reads MGSM
  and MSVAMP folders for evaluation sets.
- :func:`add_pivot_labels`: K pivot answers per RL prompt from a pluggable generator
  (:func:`vllm_pivot_generator` on a GPU machine), for the single-turn reward.

Builders are lazy generators over :class:`~pasmr_plugin.openrlhf.records.SourceRecord` values and
raise :class:`~pasmr_plugin.openrlhf.records.RecordError` naming the file and line of a bad record.

>>> record = SourceRecord("q.jsonl:1", {"question": "Mayai mangapi?", "lang": "sw", "answer": 13})
>>> row = next(build_rl([record]))
>>> row["label"], row["datasource"]
('{"lang": "sw", "gold": "13", "split": "train", "answer_format": "number"}', 'pasmr_sw')
>>> next(build_rl([record], split="eval", datasource="mgsm", boxed=True))["label"]
'{"lang": "sw", "gold": "13", "split": "eval", "answer_format": "boxed"}'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..benchmarks import (
    POLYMATH_LEVELS,
    POLYMATH_MGSM_OVERLAP,
    benchmark_folder,
    check_polymath_level,
    read_mgsm,
    read_msvamp,
    read_polymath,
)
from ..languages import DEFAULT_PIVOT, LANGUAGES, MGSM_LANGUAGES, MSVAMP_LANGUAGES, POLYMATH_LANGUAGES, find_language
from ..prompts import pam_response, read_target_prompt, target_prompt
from ..reward import RewardConfig, pivot_answer
from .chat import chat_prompt_text, token_ids, translation_key
from .config import AgentConfig, pivot_answer_format
from .labels import LabelError, PasmrLabel, label_with_pivot_answers, make_label, parse_label
from .records import RecordError, SourceRecord, progress

SFT_INPUT_KEY, SFT_OUTPUT_KEY = "input", "output"  # --data.input_key / --data.output_key of train_sft
PROMPT_KEY, LABEL_KEY = "prompt", "label"  # --data.input_key / --data.label_key of train_ppo_ray
DATASOURCE_KEY = "datasource"  # the row field OpenRLHF's evaluation groups pass1 by (eval_{datasource}_pass1)
DEFAULT_DATASOURCE = "pasmr"  # rows get datasource "{name}_{lang}": pasmr_sw, or mgsm_sw with --benchmark mgsm
BENCHMARK_LANGUAGES = {"mgsm": MGSM_LANGUAGES, "msvamp": MSVAMP_LANGUAGES, "polymath": POLYMATH_LANGUAGES}
SPLITS = ("train", "eval")  # pasmr data rl --split: eval rows carry "split": "eval" in their label

PivotGenerator = Callable[[Sequence[str], str], Sequence[Sequence[object]]]
"""Pivot questions and the answer format their prompts ask for (``"number"`` or ``"boxed"``, the same for
all questions of a call) in, the K pivot-language responses of each out (same order): texts, or
``(text, cut)`` pairs where ``cut`` says the response stopped at ``max_tokens`` (it then votes only with
an explicit final statement: :func:`pasmr_plugin.reward.pivot_answer`)."""


class MissingDependency(RuntimeError):
    """An optional dependency a command needs is not installed; the message says how to install it."""


@dataclass(frozen=True)
class FieldNames:
    """Which input fields hold what; ``answer`` and ``pivot_question`` are optional in RL input."""

    question: str = "question"
    pivot_question: str = "pivot_question"
    solution: str = "solution"
    answer: str = "answer"
    lang: str = "lang"


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _text(record: SourceRecord, key: str) -> str:
    value = record.data.get(key)
    if not _present(value):
        raise RecordError(f"{record.where}: missing field {key!r} (fields: {', '.join(sorted(record.data))})")
    if not isinstance(value, str):
        raise RecordError(f"{record.where}: field {key!r} must be text, got {type(value).__name__}")
    return value.strip()


def _optional(record: SourceRecord, key: str) -> object:
    value = record.data.get(key)
    return value if _present(value) else None


def _lang(record: SourceRecord, key: str, default: str | None) -> str:
    value = _optional(record, key) or default
    if value is None:
        raise RecordError(f"{record.where}: no language: add a {key!r} field or pass --lang")
    if find_language(value) is None:
        raise RecordError(f"{record.where}: unknown language {value!r}; known: {', '.join(sorted(LANGUAGES))}")
    return value


def _with_id(row: dict, record: SourceRecord) -> dict:
    return {"id": record.data["id"], **row} if _present(record.data.get("id")) else row


def sft_row(record: SourceRecord, *, fields: FieldNames = FieldNames(), pivot: str = DEFAULT_PIVOT, lang: str | None = None):
    """One SFT record: the PASMR prompt and the PAM response (translation first, then the solution).

    When the record has an answer and its solution states none, the language's answer
    sentence is appended ("Jibu ni 13.").
    """
    code = _lang(record, fields.lang, lang)
    question, pivot_question = _text(record, fields.question), _text(record, fields.pivot_question)
    solution = _text(record, fields.solution)
    try:
        response = pam_response(pivot_question, solution, lang=code, answer=_optional(record, fields.answer))
    except ValueError as error:  # a marker inside the texts: the target would not parse back
        raise RecordError(f"{record.where}: {error}") from None
    row = {SFT_INPUT_KEY: target_prompt(question, code, pivot=pivot), SFT_OUTPUT_KEY: response, "lang": code}
    return _with_id(row, record)


def rl_row(
    record: SourceRecord,
    *,
    fields: FieldNames = FieldNames(),
    pivot: str = DEFAULT_PIVOT,
    lang: str | None = None,
    boxed: bool = False,
    split: str = "train",
    datasource: str = DEFAULT_DATASOURCE,
):
    """One RL prompt: the PASMR prompt, its label (language, split, optional gold and reference translation)
    and its ``datasource``.

    ``boxed`` asks for the final answer in ``$\\boxed{...}$`` (the prompt of the ``pasmr_polymath``
    tasks); the label says which form the prompt asks for (``answer_format``), so that the pivot prompt
    asks for the same. ``split="eval"`` rows are scored by their gold answer (gold accuracy), so they need one;
    ``train`` rows never are. ``datasource`` is the record's own ``datasource`` field
    (``polymath_medium_sw``), else ``{datasource}_{lang}`` (``mgsm_sw``): OpenRLHF reports evaluation
    pass1 per datasource.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
    code = _lang(record, fields.lang, lang)
    question = _text(record, fields.question)
    gold = _optional(record, fields.answer)
    if split == "eval" and gold is None:
        raise RecordError(f"{record.where}: an eval row needs a gold answer (field {fields.answer!r})")
    try:
        pivot_question = _optional(record, fields.pivot_question)
        answer_format = "boxed" if boxed else "number"
        label = make_label(code, gold=gold, pivot_question=pivot_question, split=split, answer_format=answer_format)
    except LabelError as error:
        raise RecordError(f"{record.where}: {error}") from None
    source = record.data.get(DATASOURCE_KEY)
    source = source if isinstance(source, str) and source.strip() else f"{datasource}_{code}"
    row = {PROMPT_KEY: target_prompt(question, code, pivot=pivot, boxed=boxed), LABEL_KEY: label, "lang": code}
    return _with_id({**row, DATASOURCE_KEY: source}, record)


def build_sft(records: Iterable[SourceRecord], **options) -> Iterator[dict]:
    """:func:`sft_row` over ``records`` (options: ``fields``, ``pivot``, ``lang``)."""
    return (sft_row(record, **options) for record in records)


def build_rl(records: Iterable[SourceRecord], **options) -> Iterator[dict]:
    """:func:`rl_row` over ``records`` (options: ``fields``, ``pivot``, ``lang``, ``boxed``, ``split``, ``datasource``)."""
    return (rl_row(record, **options) for record in records)


def _benchmark_file(data_dir: Path, benchmark: str, lang: str, level: str | None = None) -> Path:
    folder = benchmark_folder(data_dir, benchmark)
    if benchmark == "mgsm":
        return folder / f"mgsm_{lang}.tsv"
    if benchmark == "polymath":
        return folder / lang / f"{level}.jsonl"
    return folder / f"test_{LANGUAGES[lang].english_name}.json"


def _read_benchmark(data_dir: Path, benchmark: str, lang: str, level: str | None = None) -> list[dict]:
    if benchmark == "polymath":
        return read_polymath(data_dir, lang, level)
    return read_mgsm(data_dir, lang) if benchmark == "mgsm" else read_msvamp(data_dir, lang)


def _levels(benchmark: str, levels: Sequence[str] | None) -> list[str | None]:
    if benchmark != "polymath":
        if levels:
            raise ValueError(f"{benchmark} has no levels; only polymath has ({', '.join(POLYMATH_LEVELS)})")
        return [None]
    return [check_polymath_level(level) for level in levels or POLYMATH_LEVELS]


def benchmark_records(
    data_dir: str | Path,
    benchmark: str,
    langs: Sequence[str] | None = None,
    *,
    pivot: str = DEFAULT_PIVOT,
    levels: Sequence[str] | None = None,
) -> Iterator[SourceRecord]:
    """MGSM, MSVAMP or PolyMath problems as records with question, answer, lang, id and datasource.

    The problems are row-aligned across languages, so the pivot language's own file supplies
    ``pivot_question`` (the reference translation) when the folder has it. PolyMath is read level
    by level (``levels``, default all four); its records add ``level``. The datasource names the
    benchmark, level and language: ``mgsm_sw``, ``polymath_medium_sw``.
    """
    data_dir = Path(data_dir)
    if benchmark not in BENCHMARK_LANGUAGES:
        raise ValueError(f"unknown benchmark {benchmark!r}; use one of {', '.join(BENCHMARK_LANGUAGES)}")
    for lang in langs or ():
        if lang not in BENCHMARK_LANGUAGES[benchmark]:
            known = ", ".join(BENCHMARK_LANGUAGES[benchmark])
            raise ValueError(f"{benchmark} has no language {lang!r}; it has {known}")
    for level in _levels(benchmark, levels):
        pivot_rows = None
        if _benchmark_file(data_dir, benchmark, pivot, level).is_file():
            pivot_rows = _read_benchmark(data_dir, benchmark, pivot, level)
        for lang in langs or BENCHMARK_LANGUAGES[benchmark]:
            path = _benchmark_file(data_dir, benchmark, lang, level)
            source = "_".join(part for part in (benchmark, level, lang) if part)
            for index, row in enumerate(_read_benchmark(data_dir, benchmark, lang, level)):
                data = {"id": f"{row['id']}-{lang}", "lang": lang, "question": row["question"], "answer": row["answer"]}
                if level is not None:
                    data["level"] = level
                data[DATASOURCE_KEY] = source
                if pivot_rows is not None and lang != pivot and index < len(pivot_rows):
                    data["pivot_question"] = pivot_rows[index]["question"]
                yield SourceRecord(f"{path}: row {index + 1}", data)


_SPACE_RUN = re.compile(r"\s+")


def _question_key(text: str) -> str:
    return _SPACE_RUN.sub(" ", text).strip().casefold()


def shipped_questions(data_dir: str | Path) -> dict[str, str]:
    """Every evaluation question of the shipped tasks found under ``data_dir`` -> the tasks that ask it.

    Questions are compared with case and spacing ignored. Files that are missing are skipped, so
    a folder holding only some benchmarks (or none) works.
    """
    data_dir = Path(data_dir)
    sources = [("mgsm", lang, None, "pasmr_mgsm") for lang in MGSM_LANGUAGES]
    sources += [("msvamp", lang, None, "pasmr_msvamp") for lang in MSVAMP_LANGUAGES]
    sources += [
        ("polymath", lang, level, f"pasmr_polymath_{level}") for level in POLYMATH_LEVELS for lang in POLYMATH_LANGUAGES
    ]
    index: dict[str, str] = {}
    for benchmark, lang, level, task in sources:
        if not _benchmark_file(data_dir, benchmark, lang, level).is_file():
            continue
        for row in _read_benchmark(data_dir, benchmark, lang, level):
            index.setdefault(_question_key(row["question"]), task)
    return index


class OverlapCounter:
    """Counts, per shipped task, the records whose question a shipped evaluation set asks.

    >>> counter = OverlapCounter({"how many eggs?": "pasmr_mgsm"})
    >>> _ = list(counter.watch([SourceRecord("x:1", {"question": "How  many eggs?"})]))
    >>> counter.notes()
    ['1 question asked by pasmr_mgsm']
    """

    def __init__(self, index: dict[str, str], question_key: str = "question"):
        self.index, self.question_key, self.counts = index, question_key, Counter()

    def watch(self, records: Iterable[SourceRecord]) -> Iterator[SourceRecord]:
        for record in records:
            question = record.data.get(self.question_key)
            if isinstance(question, str) and (task := self.index.get(_question_key(question))):
                self.counts[task] += 1
            yield record

    def notes(self) -> list[str]:
        return [f"{n} question{'' if n == 1 else 's'} asked by {task}" for task, n in sorted(self.counts.items())]


def evaluation_overlap(benchmark: str, levels: Sequence[str] | None = None) -> list[str]:
    """The shipped evaluation tasks whose questions a training set built from ``benchmark`` contains.

    >>> evaluation_overlap("polymath", ["high"])
    ['pasmr_polymath_high evaluates the polymath high problems']
    """
    if benchmark == "mgsm":
        return [
            "MGSM's test problems are what pasmr_mgsm and pasmr_mgsm_cot evaluate; "
            f"its first {POLYMATH_MGSM_OVERLAP} are PolyMath's low level (pasmr_polymath_low)"
        ]
    if benchmark == "msvamp":
        return ["MSVAMP's test problems are what pasmr_msvamp evaluates"]
    notes = []
    for level in _levels(benchmark, levels):
        if level == "low":
            notes.append(
                f"polymath low is MGSM's first {POLYMATH_MGSM_OVERLAP} test problems: "
                "pasmr_mgsm, pasmr_mgsm_cot and pasmr_polymath_low evaluate them"
            )
        else:
            notes.append(f"pasmr_polymath_{level} evaluates the polymath {level} problems")
    return notes


def _label_at(record: SourceRecord, label_key: str) -> PasmrLabel:
    try:
        label = parse_label(record.data.get(label_key))
    except LabelError as error:
        raise RecordError(f"{record.where}: {error}") from None
    if label.pivot_question is None:
        raise RecordError(
            f"{record.where}: the label has no pivot_question to answer offline; build the prompts with a "
            "pivot question field (pasmr data rl --pivot-question-key ...) or use the agent instead"
        )
    return label


def pivot_questions(records: Sequence[SourceRecord], label_key: str = LABEL_KEY) -> list[str]:
    """The reference translation in each record's label; raises :class:`RecordError` at the first bad label."""
    return [_label_at(record, label_key).pivot_question for record in records]


def _answer_format(record: SourceRecord, label: PasmrLabel, setting: str, pivot: str) -> str:
    """The form the pivot prompt of a record asks for: :func:`~pasmr_plugin.openrlhf.config.pivot_answer_format`
    of the setting, the label and the record's prompt."""
    found = read_target_prompt(record.data.get(PROMPT_KEY), label.lang, pivot=pivot)
    return pivot_answer_format(setting, label.answer_format, found and found[1])


def _batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def add_pivot_labels(
    records: Iterable[SourceRecord],
    generate: PivotGenerator,
    *,
    pivot: str = DEFAULT_PIVOT,
    batch_size: int = 256,
    label_key: str = LABEL_KEY,
    answer_format: str = "auto",
) -> Iterator[dict]:
    """The records with ``pivot_answers`` added to each label: the answers to its ``pivot_question``.

    Every label is validated before anything is generated. The pivot prompt asks for the answer in
    the form of ``answer_format`` (``auto``: the label's ``answer_format``, else the form the record's
    prompt asks for, as the agent does), and answers are read in that form. Identical pivot questions
    of one form are generated for once. Other record fields and label keys are kept.
    """
    records = list(records)
    labels = [_label_at(record, label_key) for record in records]
    keys = [
        (_answer_format(record, label, answer_format, pivot), label.pivot_question)
        for record, label in zip(records, labels)
    ]
    answers: dict[tuple[str, str], tuple[str | None, ...]] = {}
    batches = list(_batches(list(zip(records, keys)), batch_size))
    for batch in progress(batches, desc="pivot answers", total=len(batches)):
        for form in dict.fromkeys(form for _, (form, _) in batch):
            missing = list(
                dict.fromkeys(q for _, (f, q) in batch if f == form and (form, translation_key(q)) not in answers)
            )
            texts = list(generate(missing, form)) if missing else []
            if len(texts) != len(missing):
                raise RuntimeError(f"the pivot generator returned {len(texts)} results for {len(missing)} questions")
            for question, samples in zip(missing, texts):
                answers[form, translation_key(question)] = tuple(_pivot_vote(sample, pivot, form) for sample in samples)
        for record, (form, question) in batch:
            label = label_with_pivot_answers(record.data[label_key], answers[form, translation_key(question)])
            yield {**record.data, label_key: label}


def _pivot_vote(sample: object, pivot: str, answer_format: str) -> str | None:
    """The answer one generated pivot response votes for: from its reasoning only; cut ones need a final statement."""
    text, cut = sample if isinstance(sample, tuple) else (sample, False)
    return pivot_answer(text, pivot, truncated=bool(cut), config=RewardConfig(pivot=pivot), answer_format=answer_format)


def vllm_pivot_generator(
    model: str | Path,
    *,
    pivot: str = DEFAULT_PIVOT,
    samples: int = AgentConfig.pivot_samples,
    temperature: float = AgentConfig.pivot_temperature,
    top_p: float = AgentConfig.pivot_top_p,
    max_tokens: int = 1024,
    seed: int = 0,
    tensor_parallel_size: int = 1,
) -> PivotGenerator:
    """A :data:`PivotGenerator` backed by vLLM (the prompt through the model's chat template, K samples each)."""
    try:
        import vllm
    except ImportError:
        raise MissingDependency(
            "`pasmr data pivot-labels` generates with vLLM, which is not installed: pip install 'pasmr-plugin[vllm]' "
            "on a GPU machine (or call pasmr_plugin.openrlhf.data.add_pivot_labels with your own generator)"
        ) from None
    llm = vllm.LLM(model=str(model), seed=seed, tensor_parallel_size=tensor_parallel_size)
    tokenizer = llm.get_tokenizer()
    params = vllm.SamplingParams(n=samples, temperature=temperature, top_p=top_p, max_tokens=max_tokens)

    def generate(questions: Sequence[str], answer_format: str) -> list[list[str]]:
        texts = [chat_prompt_text(tokenizer, q, pivot, boxed=answer_format == "boxed") for q in questions]
        prompts = [{"prompt_token_ids": token_ids(tokenizer, text)} for text in texts]
        results = llm.generate(prompts, params, use_tqdm=False)
        return [[(output.text, output.finish_reason == "length") for output in result.outputs] for result in results]

    return generate
