"""The Python behind the lm-eval tasks: loading, prompts and scoring (the YAMLs wire these in).

Every doc has the same fields whether it comes from the hub or from ``PASMR_DATA_DIR``:
``id`` (the same for the same question in every language: "mgsm-17", "msvamp-3",
"polymath-top-4"), ``lang``, ``question`` (without its prompt label) and ``answer`` (the gold
number, canonical; PolyMath's gold as the benchmark writes it, often LaTeX, and its docs add
``level``). The few-shot exemplars (the ``train`` split: MGSM's exemplars, also for MSVAMP, which has none)
add ``solution`` (a worked solution ending with the language's answer sentence) and
``pivot_question`` (the same exemplar's English question).

A response is scored by :func:`grade_response`:

>>> score = grade_response("<translation>\\nHow many?\\n</translation>\\nসে ৫টি আম পেল। উত্তর হল ৫।", "5", "bn")
>>> score.exact_match, score.answer_found, score.lang_fidelity
(1.0, 1.0, 1.0)
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ..answers import MAX_SCAN_CHARS, answers_equivalent, extract_expression
from ..benchmarks import (
    DATA_DIR_ENV,
    POLYMATH_LEVELS,
    canonical_number,
    check_polymath_level,
    msvamp_record,
    polymath_record,
    read_mgsm,
    read_mgsm_exemplars,
    read_msvamp,
    read_polymath,
    strip_label,
)
from ..langid import detect_language
from ..languages import (
    DEFAULT_PIVOT,
    LOW_RESOURCE_LANGUAGES,
    MGSM_LANGUAGES,
    MSVAMP_LANGUAGES,
    POLYMATH_LANGUAGES,
    counts_as,
    get_language,
)
from ..prompts import cot_prompt, pam_response, parse_response, polymath_prompt, target_prompt


MGSM_HUB = "juletxara/mgsm"  # configs are language codes; "train" holds the exemplars, "test" the 250
MSVAMP_HUB = "Mathoctopus/MSVAMP"  # read with configs named by language code (not verified offline)
MAX_BOXED_CHARS = 2_000  # a boxed answer longer than this is not compared as written (bounded work per response)
POLYMATH_HUB = "Qwen/PolyMath"  # configs are language codes, splits are levels (not verified offline)
PIVOT = DEFAULT_PIVOT


@dataclass(frozen=True)
class Suite:
    """A family of per-language tasks ``{name}_{lang}`` sharing one template, and its groups.

    With ``low_resource_subgroup`` (MGSM, MSVAMP): ``{name}_low_resource`` over the low-resource
    languages, and ``{name}`` over the other languages plus that group (so each language counts once
    in both macro means). Without (PolyMath): ``{name}`` over all its languages. A suite with a
    ``family`` is one level of a benchmark with levels: the group ``{family}`` holds the groups of
    its level suites (``pasmr_polymath`` over ``pasmr_polymath_low`` .. ``pasmr_polymath_top``).
    """

    name: str
    folder: str  # under lm_eval_tasks/
    template: str  # the shared YAML of the folder (no .yaml ending)
    languages: tuple[str, ...]
    pam: bool  # the PASMR prompt (translation first) rather than plain chain-of-thought
    low_resource_subgroup: bool = True
    family: str | None = None  # the group over the levels, for the suites of one level each
    level: str | None = None  # the level whose problems the tasks read

    def task(self, lang: str) -> str:
        return f"{self.name}_{lang}"

    def pivot_variant(self, repeats: int) -> str:
        """The English task answered ``repeats`` times per question (lm-eval's ``repeats``)."""
        return f"{self.task(PIVOT)}_k{repeats}"

    @property
    def low_resource_group(self) -> str:
        return f"{self.name}_low_resource"

    @property
    def low_resource_languages(self) -> tuple[str, ...]:
        return tuple(lang for lang in self.languages if lang in LOW_RESOURCE_LANGUAGES)


def _polymath_suites(family: str, template: str, *, pam: bool) -> tuple[Suite, ...]:
    return tuple(
        Suite(
            f"{family}_{level}",
            "pasmr_polymath",
            template,
            POLYMATH_LANGUAGES,
            pam=pam,
            low_resource_subgroup=False,
            family=family,
            level=level,
        )
        for level in POLYMATH_LEVELS
    )


SUITES = (
    Suite("pasmr_mgsm", "pasmr_mgsm", "pasmr_yaml", MGSM_LANGUAGES, pam=True),
    Suite("pasmr_mgsm_cot", "pasmr_mgsm", "cot_yaml", MGSM_LANGUAGES, pam=False),
    Suite("pasmr_msvamp", "pasmr_msvamp", "pasmr_yaml", MSVAMP_LANGUAGES, pam=True),
    *_polymath_suites("pasmr_polymath", "pasmr_yaml", pam=True),
    *_polymath_suites("pasmr_polymath_cot", "cot_yaml", pam=False),
)

FAMILIES: dict[str, tuple[Suite, ...]] = {
    family: tuple(suite for suite in SUITES if suite.family == family)
    for family in dict.fromkeys(suite.family for suite in SUITES if suite.family)
}
"""The benchmarks with levels: the group over the levels -> its level suites, easiest first."""


@dataclass(frozen=True)
class Score:
    """How one response did: the answer it commits to and the three metrics of the tasks."""

    answer: str | None
    exact_match: float  # the answer equals the gold number
    answer_found: float  # the response commits to a number at all
    lang_fidelity: float  # the reasoning is written in the task's language

    def metrics(self) -> dict[str, float]:
        return {"exact_match": self.exact_match, "answer_found": self.answer_found, "lang_fidelity": self.lang_fidelity}


def grade_response(response: object, gold: object, lang: str, *, pam: bool = True) -> Score:
    """Score ``response`` to a question in ``lang`` whose answer is ``gold``; never raises.

    With ``pam`` (the PASMR prompt) the response may start with a translation between
    ``<translation>`` markers; its reasoning is what follows, and only the reasoning is
    scored. Without it (plain chain-of-thought) the whole response is the reasoning.

    >>> grade_response("Janet verdient 9 × 2 = 18 Dollar. Die Antwort lautet 18.", "18", "de", pam=False).answer
    '18'
    """
    text = response if isinstance(response, str) else ""
    if pam:
        parts = parse_response(text, lang)
        reasoning, answer = parts.reasoning, parts.answer
    else:
        reasoning, answer = text, extract_expression(text, lang)
    return Score(
        answer=answer,
        exact_match=float(answers_equivalent(answer, gold) or _boxed_as_gold(reasoning, gold)),
        answer_found=float(answer is not None),
        lang_fidelity=float(counts_as(detect_language(reasoning), lang)),  # id and ms count as each other
    )


_BOXED = re.compile(r"\\boxed\s*\{")
_LITERAL_NOISE = re.compile(r"[\s$]+")


def _boxed_as_gold(reasoning: str, gold: object) -> bool:
    """Whether the last ``\\boxed{}`` of the reasoning holds the gold exactly as written (spaces and ``$`` aside).

    PolyMath's reference scorer counts such a copy first, before any reading; here it catches
    golds that reading cannot take apart the same way ("$P(x)=-1,1$", two answers).
    """
    if not isinstance(gold, str) or not gold.strip() or len(gold) > MAX_BOXED_CHARS:
        return False
    tail = reasoning[-MAX_SCAN_CHARS:]  # the final answer is at the end: bounded work on any input
    match = _BOXED.match(tail, max(tail.rfind("\\boxed"), 0))
    if match is None:
        return False
    depth, start = 1, match.end()
    for position in range(start, min(len(tail), start + MAX_BOXED_CHARS)):
        depth += {"{": 1, "}": -1}.get(tail[position], 0)
        if depth == 0:
            written = _LITERAL_NOISE.sub("", tail[start:position])
            return bool(written) and written == _LITERAL_NOISE.sub("", gold)
    return False


# --- prompts and targets (doc_to_text, doc_to_target) ---


def pam_doc_to_text(doc: dict) -> str:
    """The PASMR prompt: the question, then the instruction to translate into English first."""
    return target_prompt(doc["question"], doc["lang"])


def cot_doc_to_text(doc: dict) -> str:
    """The plain native chain-of-thought prompt (no translation step)."""
    return cot_prompt(doc["question"], doc["lang"])


def polymath_pam_doc_to_text(doc: dict) -> str:
    """The PASMR prompt for PolyMath: translate first, then finish with the answer sentence around ``$\\boxed{...}$``."""
    return target_prompt(doc["question"], doc["lang"], boxed=True)


def polymath_cot_doc_to_text(doc: dict) -> str:
    """PolyMath's own prompt: the question, then its note asking for the final answer in ``\\boxed{}``."""
    return polymath_prompt(doc["question"], doc["lang"])


def pam_exemplar_target(doc: dict) -> str:
    """A few-shot exemplar's answer in the PASMR format: its English question, then its solution."""
    return pam_response(doc["pivot_question"], doc["solution"], lang=doc["lang"], answer=doc["answer"])


def cot_exemplar_target(doc: dict) -> str:
    """A few-shot exemplar's answer for chain-of-thought: its solution."""
    return doc["solution"]


def _first_response(results: object) -> object:
    """The generated text of lm-eval's ``results`` (a list with one response; nested lists are unwrapped)."""
    while isinstance(results, (list, tuple)):
        results = results[0] if results else None
    return results


def _process(doc: object, results: object, *, pam: bool) -> dict[str, float]:
    doc = doc if isinstance(doc, dict) else {}
    return grade_response(_first_response(results), doc.get("answer"), doc.get("lang"), pam=pam).metrics()


def process_pam_results(doc: dict, results: list) -> dict[str, float]:
    """``process_results`` of the PASMR tasks; never raises (an odd doc or result scores 0)."""
    return _process(doc, results, pam=True)


def process_cot_results(doc: dict, results: list) -> dict[str, float]:
    """``process_results`` of the chain-of-thought tasks; never raises (an odd doc or result scores 0)."""
    return _process(doc, results, pam=False)


# --- data (custom_dataset) ---


def load_mgsm(lang: str, **_metadata: object):
    """The MGSM questions of ``lang`` (split ``test``) and its exemplars (split ``train``).

    ``custom_dataset`` of the pasmr_mgsm tasks: lm-eval passes the task's metadata too, which is ignored.
    """
    return _dataset(test=_mgsm_questions(lang), train=_exemplars(lang))


def load_msvamp(lang: str, **_metadata: object):
    """The MSVAMP questions of ``lang`` (split ``test``) and MGSM's exemplars of ``lang`` (split ``train``)."""
    return _dataset(test=_msvamp_questions(lang), train=_exemplars(lang))


def load_polymath(lang: str, level: str, **_metadata: object):
    """The PolyMath problems of ``lang`` at ``level`` (split ``test``; PolyMath has no exemplars)."""
    check_polymath_level(level)
    data_dir = _data_dir()
    if data_dir:
        try:
            records = read_polymath(data_dir, lang, level)
        except FileNotFoundError as error:
            raise FileNotFoundError(f"{error} (read because {DATA_DIR_ENV}={data_dir})") from None
    else:
        rows = _hub_split(POLYMATH_HUB, lang, level)
        records = [polymath_record(row, lang, level, index) for index, row in enumerate(rows)]
    return _dataset(test=records, train=[])


def load_questions(lang: str, path: str, **_metadata: object):
    """Your own questions in ``lang`` (a table or language-pack code) from a JSONL or JSON file (split ``test``).

    ``custom_dataset`` of the ``pasmr_questions`` template: each record needs ``question`` and
    ``answer`` (a number) and may have ``id`` (default ``"{lang}-{line}"``). There are no
    exemplars, so these tasks run zero-shot.
    """
    get_language(lang)  # an unknown code fails here, naming the known ones (pack codes included)
    questions = []
    for where, record in _question_records(path):
        if not isinstance(record, dict) or not isinstance(record.get("question"), str) or "answer" not in record:
            raise ValueError(f"{where}: a question record needs 'question' (text) and 'answer'")
        try:
            answer = canonical_number(record["answer"])
        except ValueError:
            raise ValueError(f"{where}: answer {record['answer']!r} is not a number") from None
        index = len(questions)
        questions.append({"id": str(record.get("id", f"{lang}-{index}")), "lang": lang,
                          "question": record["question"], "answer": answer})
    return _dataset(test=questions, train=[])


def _question_records(path: str):
    """(where, record) of a JSONL file, or of a JSON file holding a list of records."""
    import json

    with open(path, encoding="utf-8") as handle:
        if str(path).endswith(".json"):
            return [(f"{path}: record {index}", record) for index, record in enumerate(json.load(handle), start=1)]
        return [(f"{path}:{number}", json.loads(line)) for number, line in enumerate(handle, start=1) if line.strip()]


def _dataset(*, test: list[dict], train: list[dict]):
    import datasets

    return datasets.DatasetDict({"test": datasets.Dataset.from_list(test), "train": datasets.Dataset.from_list(train)})


def _data_dir() -> str | None:
    return os.environ.get(DATA_DIR_ENV) or None


def _read_local(reader, data_dir: str, lang: str) -> list[dict]:
    try:
        return reader(data_dir, lang)
    except FileNotFoundError as error:
        raise FileNotFoundError(f"{error} (read because {DATA_DIR_ENV}={data_dir})") from None


def _hub_split(path: str, lang: str, split: str):
    import datasets

    try:
        return datasets.load_dataset(path, lang, split=split)
    except OSError as error:  # offline: datasets raises ConnectionError
        raise ConnectionError(
            f"{path} ({lang}, {split}) could not be read from the Hugging Face hub ({error}); offline, set "
            f"{DATA_DIR_ENV} to a folder with the benchmark files (docs/evaluation.md)"
        ) from None


def _question(record: dict) -> dict:
    """The eval doc of a reader's record (``pivot_question`` and other extras dropped)."""
    return {key: record[key] for key in ("id", "lang", "question", "answer")}


def _mgsm_questions(lang: str) -> list[dict]:
    data_dir = _data_dir()
    if data_dir:
        return [_question(record) for record in _read_local(read_mgsm, data_dir, lang)]
    rows = _hub_split(MGSM_HUB, lang, "test")
    return [
        {
            "id": f"mgsm-{index}",
            "lang": lang,
            "question": row["question"],
            "answer": canonical_number(row["answer_number"]),
        }
        for index, row in enumerate(rows)
    ]


def _msvamp_questions(lang: str) -> list[dict]:
    data_dir = _data_dir()
    if data_dir:
        records = _read_local(read_msvamp, data_dir, lang)
    else:
        records = [msvamp_record(row, lang, index) for index, row in enumerate(_hub_split(MSVAMP_HUB, lang, "test"))]
    return [_question(record) for record in records]


def _exemplars_of(lang: str) -> list[dict]:
    data_dir = _data_dir()
    if data_dir:
        return _read_local(read_mgsm_exemplars, data_dir, lang)
    language = get_language(lang)
    return [
        {
            "id": f"mgsm-exemplar-{index}",
            "lang": lang,
            "question": strip_label(row["question"], language.question_label),
            "solution": strip_label(row["answer"], language.step_answer_label),
            "answer": canonical_number(row["answer_number"]),
        }
        for index, row in enumerate(_hub_split(MGSM_HUB, lang, "train"), start=1)
    ]


def _exemplars(lang: str) -> list[dict]:
    """The exemplars of ``lang``, each with the English question of the same exemplar as ``pivot_question``."""
    pivots = {exemplar["id"]: exemplar["question"] for exemplar in _exemplars_of(PIVOT)}
    return [{**exemplar, "pivot_question": pivots[exemplar["id"]]} for exemplar in _exemplars_of(lang)]
