"""Records in and out: JSONL, JSON, CSV, TSV and parquet readers that name the bad line, atomic writers.

Every reader yields :class:`SourceRecord` values whose ``where`` says where the record came
from ("train.jsonl:17"), so a builder can report a bad field with its file and line. Output
is written to a temporary file in the target folder and moved into place only when complete:
an error or Ctrl-C leaves the old output (or none), never half of a new one.

>>> [record.where for record in read_records(path)]  # doctest: +SKIP
['questions.jsonl:1', 'questions.jsonl:2']
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

FORMATS = {".jsonl": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv", ".parquet": "parquet"}
"""File endings and the reader each selects; ``.json`` holds a JSON array or, as MSVAMP's files do, JSON Lines."""


class RecordError(ValueError):
    """A bad input file or record; the message starts with the file and line (or row)."""


@dataclass(frozen=True)
class SourceRecord:
    """One input record and where it was read: ``"data.csv:3"``, ``"data.parquet: row 5"``."""

    where: str
    data: dict


def _as_record(value: object, where: str) -> SourceRecord:
    if not isinstance(value, dict):
        raise RecordError(f"{where}: expected an object with named fields, got {type(value).__name__}")
    return SourceRecord(where, value)


def _read_json_lines(path: Path, lines: Iterable[str]) -> Iterator[SourceRecord]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise RecordError(f"{path}:{number}: not valid JSON ({error.msg}, column {error.colno})") from None
        yield _as_record(value, f"{path}:{number}")


def _read_json_array(path: Path, text: str) -> Iterator[SourceRecord]:
    """The elements of a top-level JSON array, each with the line it starts on."""
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text):
            raise RecordError(f"{path}:{text.count(chr(10)) + 1}: the JSON array is not closed")
        if text[position] == "]":
            return
        line = text.count("\n", 0, position) + 1
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise RecordError(f"{path}:{error.lineno}: not valid JSON ({error.msg}, column {error.colno})") from None
        yield _as_record(value, f"{path}:{line}")


def _read_json(path: Path) -> Iterator[SourceRecord]:
    text = path.read_text(encoding="utf-8-sig")
    if text.lstrip().startswith("["):
        yield from _read_json_array(path, text)
    else:
        yield from _read_json_lines(path, text.splitlines())


def _read_jsonl(path: Path) -> Iterator[SourceRecord]:
    with path.open(encoding="utf-8-sig") as handle:
        yield from _read_json_lines(path, handle)


def _read_delimited(path: Path, delimiter: str) -> Iterator[SourceRecord]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        try:
            for row in reader:
                if None in row:
                    raise RecordError(f"{path}:{reader.line_num}: more cells than header columns")
                yield SourceRecord(f"{path}:{reader.line_num}", row)
        except csv.Error as error:
            raise RecordError(f"{path}:{reader.line_num}: {error}") from None


def _read_parquet(path: Path) -> Iterator[SourceRecord]:
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        raise RecordError(f"{path}: reading parquet needs pyarrow: pip install 'pasmr-plugin[data]'") from None
    for number, row in enumerate(parquet.read_table(path).to_pylist(), 1):
        yield SourceRecord(f"{path}: row {number}", row)


def read_records(path: str | Path, *, fmt: str | None = None) -> Iterator[SourceRecord]:
    """Yield the records of ``path``; the format comes from its ending unless ``fmt`` names one.

    Raises :class:`RecordError` naming the file and line of the first bad record, and
    ``FileNotFoundError`` for a missing file.
    """
    path = Path(path)
    fmt = fmt or FORMATS.get(path.suffix.lower())
    readers = {
        "jsonl": _read_jsonl,
        "json": _read_json,
        "csv": lambda p: _read_delimited(p, ","),
        "tsv": lambda p: _read_delimited(p, "\t"),
        "parquet": _read_parquet,
    }
    if fmt not in readers:
        raise RecordError(f"{path}: unknown format {fmt or path.suffix!r}; use one of {', '.join(sorted(readers))}")
    if not path.is_file():
        raise FileNotFoundError(f"no such input file: {path}")
    return readers[fmt](path)


def _file_mode() -> int:
    """The mode a new file gets under the current umask (``mkstemp`` would give 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_output(path: str | Path) -> Iterator[TextIO]:
    """A text handle whose content replaces ``path`` only when the ``with`` block completes.

    The temporary file lives in the target folder (so the final rename is atomic) and is
    removed on any exception, ``KeyboardInterrupt`` included.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _file_mode())
        os.replace(temporary, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_jsonl(path: str | Path, records: Iterable[Mapping]) -> int:
    """Write ``records`` as JSON Lines (UTF-8, non-ASCII kept) atomically; returns how many were written.

    ``records`` may be a lazy generator: an error while producing it leaves no output.
    """
    count = 0
    with atomic_output(path) as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` atomically; returns the path."""
    with atomic_output(path) as handle:
        handle.write(text)
    return Path(path)


def progress(iterable: Iterable, *, desc: str, total: int | None = None) -> Iterable:
    """``iterable`` behind a tqdm progress bar on a terminal; unchanged when tqdm is missing or output is piped."""
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, desc=desc, total=total, unit=" records", disable=None)
