"""Records in and out: JSONL, JSON, CSV, TSV and parquet readers that name the bad line, atomic writers.

Every reader yields :class:`SourceRecord` values whose ``where`` says where the record came
from ("train.jsonl:17"), so a builder can report a bad field with its file and line. Every
problem of an input file is a :class:`RecordError` naming the file and line: bytes that are
not UTF-8, JSON that does not parse (or nests deeper than Python can read, or holds an
integer over Python's digit limit), a lone surrogate escape (text that cannot be written as
UTF-8), data after a JSON array. Reading takes time linear in the file size.

Output is written to a temporary file in the target folder and moved into place only when
complete: an error, Ctrl-C (SIGINT) or SIGTERM leaves the old output (or none), never half of
a new one and no temporary file.

>>> [record.where for record in read_records(path)]  # doctest: +SKIP
['questions.jsonl:1', 'questions.jsonl:2']
"""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import tempfile
import threading
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


_BOM = "\ufeff"
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_SEPARATORS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029"})  # escaped: str.splitlines() splits there


def _as_record(value: object, where: str) -> SourceRecord:
    if not isinstance(value, dict):
        raise RecordError(f"{where}: expected an object with named fields, got {type(value).__name__}")
    return SourceRecord(where, value)


def _decode(path: Path, data: bytes, first_line: int = 1) -> str:
    """``data`` as UTF-8 text; bytes that are not UTF-8 are an error naming their line and column."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = first_line + data.count(b"\n", 0, error.start)
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start : error.start + 1].hex()
        raise RecordError(f"{path}:{line}: not UTF-8 (byte 0x{byte} at column {column})") from None


def _text_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line; only "\n" ends a line (U+2028 inside a string is text)."""
    with path.open("rb") as handle:
        for number, data in enumerate(handle, 1):
            line = _decode(path, data, number)
            yield number, line[1:] if number == 1 and line.startswith(_BOM) else line


def _json_value(text: str, where: str, decode=json.loads, *, path: Path | None = None):
    """Parse one JSON value, turning every way it can fail into a :class:`RecordError` at ``where``.

    With ``path``, a syntax error is placed on the line the decoder reports (``text`` is the whole file).
    """
    try:
        value = decode(text)
    except json.JSONDecodeError as error:
        where = f"{path}:{error.lineno}" if path is not None else where
        raise RecordError(f"{where}: not valid JSON ({error.msg}, column {error.colno})") from None
    except ValueError as error:  # an integer longer than Python's int-from-string limit
        raise RecordError(f"{where}: unreadable JSON ({str(error).split(';')[0]})") from None
    except RecursionError:
        raise RecordError(f"{where}: JSON nested too deeply to read") from None
    return value


def _check_text(value: object, where: str) -> None:
    """Strings that cannot be written back as UTF-8 (lone surrogate escapes like "\\ud800") are an error."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise RecordError(f"{where}: text with a lone surrogate ({item[:40]!r}) cannot be written as UTF-8")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _json_record(value: object, where: str, raw: str) -> SourceRecord:
    if "\\u" in raw or "\\U" in raw:  # only escapes can make a lone surrogate
        _check_text(value, where)
    return _as_record(value, where)


def _read_json_lines(path: Path, lines: Iterable[tuple[int, str]]) -> Iterator[SourceRecord]:
    for number, line in lines:
        if not line.strip():
            continue
        where = f"{path}:{number}"
        yield _json_record(_json_value(line, where), where, line)


def _read_json_array(path: Path, text: str) -> Iterator[SourceRecord]:
    """The elements of a top-level JSON array, each with the line it starts on (one pass over the text)."""
    decoder = json.JSONDecoder()
    line, counted = 1, 0

    def line_at(position: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, position)
        counted = position
        return line

    position = _JSON_SPACE.match(text, _JSON_SPACE.match(text).end() + 1).end()  # after "["
    if text.startswith("]", position):
        position += 1
    else:
        while True:
            where = f"{path}:{line_at(position)}"
            value, position = _json_value(text, where, lambda t: decoder.raw_decode(t, position), path=path)
            yield _json_record(value, where, text[counted:position])
            position = _JSON_SPACE.match(text, position).end()
            if text.startswith(",", position):
                position = _JSON_SPACE.match(text, position + 1).end()
            elif text.startswith("]", position):
                position += 1
                break
            elif position == len(text):
                raise RecordError(f"{path}:{line_at(position)}: the JSON array is not closed")
            else:
                raise RecordError(f"{path}:{line_at(position)}: expected ',' or ']' after a record")
    position = _JSON_SPACE.match(text, position).end()
    if position != len(text):
        raise RecordError(f"{path}:{line_at(position)}: unexpected data after the JSON array")


def _read_json(path: Path) -> Iterator[SourceRecord]:
    text = _decode(path, path.read_bytes())
    text = text[1:] if text.startswith(_BOM) else text
    if text.lstrip(" \t\r\n").startswith("["):
        yield from _read_json_array(path, text)
    else:  # JSON Lines in a .json file (MSVAMP): only "\n" ends a line
        yield from _read_json_lines(path, enumerate(text.split("\n"), 1))


def _read_jsonl(path: Path) -> Iterator[SourceRecord]:
    yield from _read_json_lines(path, _text_lines(path))


def _read_delimited(path: Path, delimiter: str) -> Iterator[SourceRecord]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(_checked_lines(path, handle), delimiter=delimiter)
        try:
            for row in reader:
                if None in row:
                    raise RecordError(f"{path}:{reader.line_num}: more cells than header columns")
                yield SourceRecord(f"{path}:{reader.line_num}", row)
        except csv.Error as error:
            raise RecordError(f"{path}:{reader.line_num}: {error}") from None


def _checked_lines(path: Path, handle) -> Iterator[str]:
    """The lines of a text handle; a decoding error names the line it is on."""
    number = 0
    while True:
        try:
            line = handle.readline()
        except UnicodeDecodeError:
            handle.close()
            with path.open("rb") as raw:  # find the line and column of the bad byte
                for offset, data in enumerate(raw, 1):
                    _decode(path, data, offset)
            raise RecordError(f"{path}:{number + 1}: not UTF-8") from None
        if not line:
            return
        number += 1
        yield line


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


def check_output(output: str | Path, inputs: Iterable[str | Path]) -> None:
    """Refuse, before anything is read or written, an output that is a folder or one of the inputs.

    The same file reached through another path (a symlink, a hard link, ``./q.jsonl``) counts.
    """
    target = Path(output)
    if target.is_dir():
        raise RecordError(f"{target}: is a folder; OUT must be a file path")
    for source in inputs:
        source = Path(source)
        if target.exists() and source.exists() and os.path.samefile(source, target):
            raise RecordError(f"{target}: is the input {source}; write the output to another file")


def _file_mode() -> int:
    """The mode a new file gets under the current umask (``mkstemp`` would give 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _terminate(signum, frame):
    """SIGTERM during a write: unwind (the temporary file is removed on the way) and exit 128 + 15."""
    raise SystemExit(128 + signum)


@contextmanager
def _terminate_as_exception():
    """While the block runs (main thread only), SIGTERM raises ``SystemExit`` instead of killing the process."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def atomic_output(path: str | Path) -> Iterator[TextIO]:
    """A text handle whose content replaces ``path`` only when the ``with`` block completes.

    The temporary file lives in the target folder (so the final rename is atomic) and is
    removed on any exception, ``KeyboardInterrupt`` and SIGTERM included. A target that cannot
    be written (a folder, a path under a file, no permission, a full disk) is a
    :class:`RecordError` naming it.
    """
    target = Path(path)
    if target.is_dir():
        raise RecordError(f"{target}: is a folder; the output must be a file path")
    blocking = next((parent for parent in target.parents if parent.exists() and not parent.is_dir()), None)
    if blocking is not None:
        raise RecordError(f"{target}: cannot write ({blocking} is not a folder)")
    with _terminate_as_exception():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        except OSError as error:
            raise RecordError(f"{target}: cannot write ({error.strerror or error})") from None
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, _file_mode())
            os.replace(temporary, target)
        except OSError as error:
            with suppress(FileNotFoundError):
                os.unlink(temporary)
            raise RecordError(f"{target}: cannot write ({error.strerror or error})") from None
        except BaseException:
            with suppress(FileNotFoundError):
                os.unlink(temporary)
            raise


def write_jsonl(path: str | Path, records: Iterable[Mapping], *, source: str | Path | None = None) -> int:
    """Write ``records`` as JSON Lines (UTF-8, non-ASCII kept) atomically; returns how many were written.

    U+2028 and U+2029 are written as escapes, so no reader that splits lines on them breaks a record.

    ``records`` may be a lazy generator: an error while producing it leaves no output. With
    ``source`` (the input they come from), no records at all is an error and nothing is written.
    """
    count = 0
    with atomic_output(path) as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False).translate(_LINE_SEPARATORS) + "\n")
            count += 1
        if source is not None and not count:
            raise RecordError(f"{source}: no records")
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
