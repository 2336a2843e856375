"""Readers for MGSM, MSVAMP and PolyMath files in their published layouts (no hub, no framework).

The layout is the one of ``../shared/data`` and of the sources (google-research/url-nlp
``mgsm/``, microsoft/MathOctopus ``msvamp/``, QwenLM/PolyMath ``data/``)::

    DATA_DIR/mgsm/mgsm_{lang}.tsv            question<TAB>answer, no header, 250 rows
    DATA_DIR/mgsm/exemplars.py               MGSM_EXEMPLARS[lang]["1".."8"] = {"q": ..., "a": ...}
    DATA_DIR/msvamp/test_{Name}.json         JSON Lines: m_query (or question), response (or answer)
    DATA_DIR/polymath/{lang}/{level}.jsonl   JSON Lines: id, question, answer; 125 rows per level

Every reader returns plain dicts with ``id`` (the same for the same problem in every language),
``lang``, ``question`` and ``answer`` (a canonical number string; for PolyMath the gold as the
benchmark writes it, often LaTeX such as ``$\\frac{\\pi}{3}$``), and raises ``FileNotFoundError``
naming the missing file.

>>> [r["answer"] for r in read_mgsm_exemplars(DATA, "sw")][:3]  # doctest: +SKIP
['11', '29', '39']
"""

from __future__ import annotations

import ast
import csv
import json
import re
from pathlib import Path

from .extraction import extract_answer
from .languages import get_language

DATA_DIR_ENV = "PASMR_DATA_DIR"
"""When set, the evaluation tasks read their data from this folder (this layout) instead of the hub."""

QUESTION_KEYS = ("m_query", "question", "query")
ANSWER_KEYS = ("response", "answer", "answer_number")


def _require(path: Path) -> Path:
    if not path.is_file():
        raise FileNotFoundError(f"missing benchmark file: {path}")
    return path


def benchmark_folder(data_dir: str | Path, benchmark: str) -> Path:
    """``DATA_DIR/{benchmark}``; the benchmark's own folder is taken as it is:
    ``benchmark_folder("../shared/data/polymath", "polymath")`` is ``../shared/data/polymath``."""
    data_dir = Path(data_dir)
    if data_dir.name == benchmark and not (data_dir / benchmark).is_dir():
        return data_dir
    return data_dir / benchmark


def strip_label(text: str, label: str) -> str:
    """Remove a leading prompt label: ``strip_label("Frage: Wie viele?", "Frage:")`` is "Wie viele?" (any colon, any spacing)."""
    words = label.rstrip(" :：").split()
    pattern = r"\s*" + r"\s*".join(re.escape(word) for word in words) + r"\s*[:：]\s*"
    return re.sub("^" + pattern, "", text.strip(), count=1)


def canonical_number(value: object) -> str:
    """A gold answer as a canonical number string: "8.0" gives "8"; raises ``ValueError`` for non-numbers."""
    answer = extract_answer(str(value))
    if answer is None:
        raise ValueError(f"not a numeric answer: {value!r}")
    return answer


def read_mgsm(data_dir: str | Path, lang: str) -> list[dict]:
    """The 250 MGSM test problems of ``lang``."""
    get_language(lang)
    path = _require(benchmark_folder(data_dir, "mgsm") / f"mgsm_{lang}.tsv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        {"id": f"mgsm-{index}", "lang": lang, "question": question, "answer": canonical_number(answer)}
        for index, (question, answer) in enumerate(rows)
    ]


def read_mgsm_exemplars(data_dir: str | Path, lang: str) -> list[dict]:
    """The 8 human-written step-by-step exemplars of ``lang``, with their prompt labels removed.

    ``exemplars.py`` is read as data (``ast.literal_eval``), never executed.
    """
    language = get_language(lang)
    path = _require(benchmark_folder(data_dir, "mgsm") / "exemplars.py")
    values = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in ("MGSM_EXEMPLARS", "EXEMPLAR_NUMBER_ANSWERS"):
                values[node.targets[0].id] = ast.literal_eval(node.value)
    exemplars, answers = values["MGSM_EXEMPLARS"][lang], values["EXEMPLAR_NUMBER_ANSWERS"]
    return [
        {
            "id": f"mgsm-exemplar-{key}",
            "lang": lang,
            "question": strip_label(item["q"], language.question_label),
            "solution": strip_label(item["a"], language.step_answer_label),
            "answer": str(answers[int(key) - 1]),
        }
        for key, item in sorted(exemplars.items(), key=lambda pair: int(pair[0]))
    ]


def msvamp_record(row: dict, lang: str, index: int) -> dict:
    """One MSVAMP row in either schema (``m_query``/``response`` or ``question``/``answer``)."""
    question = next((row[key] for key in QUESTION_KEYS if row.get(key)), None)
    answer = next((row[key] for key in ANSWER_KEYS if row.get(key) not in (None, "")), None)
    if question is None or answer is None:
        raise ValueError(f"MSVAMP row {index} has no question or answer field: {sorted(row)}")
    record = {"id": f"msvamp-{index}", "lang": lang, "question": question, "answer": canonical_number(answer)}
    if row.get("query") and row.get("m_query"):
        record["pivot_question"] = row["query"]  # the English original, in non-English files
    return record


def read_msvamp(data_dir: str | Path, lang: str) -> list[dict]:
    """The 1,000 MSVAMP problems of ``lang`` (the file is JSON Lines despite its name)."""
    language = get_language(lang)
    path = _require(benchmark_folder(data_dir, "msvamp") / f"test_{language.english_name}.json")
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [msvamp_record(row, lang, index) for index, row in enumerate(rows)]


POLYMATH_LEVELS: tuple[str, ...] = ("low", "medium", "high", "top")
"""PolyMath's difficulty levels, easiest first; ``low`` is MGSM's first 125 problems, in the same order."""

POLYMATH_LEVEL_WEIGHTS: dict[str, int] = {"low": 1, "medium": 2, "high": 4, "top": 8}
"""The level weights of PolyMath's headline score, difficulty-weighted accuracy (Wang et al., 2025)."""

POLYMATH_MGSM_OVERLAP = 125
"""PolyMath's ``low`` level is MGSM's first this-many test problems (``mgsm-0`` .. ``mgsm-124``)."""


def _closed_braces(answer: str) -> str:
    """A gold answer with the closing braces it lacks added at its end (inside a final ``$``).

    One PolyMath gold misses one: medium-111, ``$\\frac{1}{2\\sqrt{2} \\ln\\frac{\\sqrt{2}+2}{2-\\sqrt{2}}$``.
    As published, no well-formed answer could ever equal it.
    """
    missing = (answer.count("{") - answer.count("\\{")) - (answer.count("}") - answer.count("\\}"))
    if missing <= 0:
        return answer
    if answer.endswith("$"):
        return answer[:-1] + "}" * missing + "$"
    return answer + "}" * missing


def polymath_record(row: dict, lang: str, level: str, index: int) -> dict:
    """One PolyMath row as a record; raises ``ValueError`` for a row without question or answer.

    The gold is kept as the benchmark writes it (LaTeX between ``$`` signs, or a number), with the
    closing braces it lacks added (:func:`_closed_braces`).

    >>> polymath_record({"question": "Tafuta $x$.", "answer": " $-85$ "}, "sw", "medium", 3)
    {'id': 'polymath-medium-3', 'lang': 'sw', 'level': 'medium', 'question': 'Tafuta $x$.', 'answer': '$-85$'}
    """
    question, answer = row.get("question"), row.get("answer")
    if not isinstance(question, str) or not question.strip() or answer is None or not str(answer).strip():
        raise ValueError(f"PolyMath row {index} ({lang}, {level}) has no question or answer: fields {sorted(row)}")
    return {
        "id": f"polymath-{level}-{index}",
        "lang": lang,
        "level": level,
        "question": question.strip(),
        "answer": _closed_braces(str(answer).strip()),
    }


def check_polymath_level(level: str) -> str:
    """``level`` when it is one of :data:`POLYMATH_LEVELS`; raises ``ValueError`` naming them otherwise."""
    if level not in POLYMATH_LEVELS:
        raise ValueError(f"unknown PolyMath level {level!r}; use one of {', '.join(POLYMATH_LEVELS)}")
    return level


def read_polymath(data_dir: str | Path, lang: str, level: str) -> list[dict]:
    """The 125 PolyMath problems of ``lang`` at ``level``, with ``level`` added and ids ``polymath-{level}-{i}``."""
    get_language(lang)
    path = _require(benchmark_folder(data_dir, "polymath") / lang / f"{check_polymath_level(level)}.jsonl")
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [polymath_record(row, lang, level, index) for index, row in enumerate(rows)]
