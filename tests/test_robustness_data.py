"""`pasmr data` under adversarial files, paths and signals (issue 8): one-line errors with file and line,
nothing written on any error, OUT never the input, nothing left on SIGTERM or SIGINT, linear reading.

Every bad input runs through the real command line (``pasmr.cli.main``) and is checked for: exit
code 2, exactly one line on standard error that names the file and line, and a folder holding the
input files only afterwards (no output, no temporary file).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pasmr_plugin.cli import main as pasmr
from pasmr_plugin.openrlhf.records import RecordError, read_records

REPO = Path(__file__).resolve().parents[1]
GOOD = {"question": "Mayai mangapi?", "lang": "sw", "answer": 5, "pivot_question": "How many eggs?", "solution": "Jibu ni 5."}
GOOD_LINE = json.dumps(GOOD).encode()
FUZZ = settings(
    max_examples=int(os.environ.get("PASMR_FUZZ_EXAMPLES", "60")) // 3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def run(tmp_path: Path, capsys, content: bytes, name: str = "in.jsonl", kind: str = "rl", output: str = "out.jsonl"):
    """Run ``pasmr data KIND IN OUT`` on a file holding ``content``; (exit code, stderr lines, files left)."""
    source = tmp_path / name
    source.write_bytes(content)
    code = pasmr(["data", kind, str(source), str(tmp_path / output)])
    err = capsys.readouterr().err.strip().splitlines()
    return code, err, sorted(path.name for path in tmp_path.iterdir())


def assert_refused(result, location: str, message: str, inputs=("in.jsonl",)):
    code, err, files = result
    assert code == 2 and len(err) == 1, err
    assert location in err[0] and message in err[0], err[0]
    assert files == sorted(inputs), files


# --- regression: the examples of the issue ---


BAD_FILES = [
    ("non-utf8", b"\n".join([GOOD_LINE, GOOD_LINE, b'{"question": "\xff", "lang": "sw"}']), "in.jsonl:3", "not UTF-8"),
    ("lone-surrogate", GOOD_LINE + b'\n{"question": "\\ud800", "lang": "sw"}\n', "in.jsonl:2", "lone surrogate"),
    ("5000-digit-int", b'{"question": "a", "lang": "sw", "answer": ' + b"1" * 5000 + b"}\n", "in.jsonl:1", "4300 digits"),
    ("deep-nesting", b"[" * 100_000 + b"]" * 100_000 + b"\n", "in.jsonl:1", "nested too deeply"),
    ("no-records", b"", "in.jsonl", "no records"),
    ("blank-lines-only", b"\n\n  \n", "in.jsonl", "no records"),
    ("not-an-object", GOOD_LINE + b"\n[1, 2]\n", "in.jsonl:2", "expected an object"),
]


@pytest.mark.parametrize("content, location, message", [case[1:] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES])
def test_a_bad_jsonl_file_is_one_line_naming_file_and_line_and_writes_nothing(tmp_path, capsys, content, location, message):
    assert_refused(run(tmp_path, capsys, content), location, message)


JSON_FILES = [
    ("trailing-data", b'[{"question": "a", "lang": "sw"}] trailing', "in.json:1", "after the JSON array"),
    ("second-array", b'[{"question": "a", "lang": "sw"}]\n[]', "in.json:2", "after the JSON array"),
    ("missing-comma", b'[{"question": "a", "lang": "sw"}\n {"question": "b", "lang": "sw"}]', "in.json:2", "expected ','"),
    ("not-closed", b'[{"question": "a", "lang": "sw"},\n', "in.json:2", "not valid JSON"),
    ("empty-array", b"  [ ]  ", "in.json", "no records"),
    ("bad-element", b'[{"question": "a", "lang": "sw"},\n\n {"question": }]', "in.json:3", "not valid JSON"),
]


@pytest.mark.parametrize("content, location, message", [case[1:] for case in JSON_FILES], ids=[case[0] for case in JSON_FILES])
def test_a_bad_json_array_is_one_line_naming_file_and_line(tmp_path, capsys, content, location, message):
    assert_refused(run(tmp_path, capsys, content, name="in.json"), location, message, inputs=("in.json",))


def test_a_raw_u2028_inside_a_json_lines_string_of_a_json_file_is_text(tmp_path, capsys):
    line = json.dumps({"question": "Mayai\u2028mangapi?", "lang": "sw"}, ensure_ascii=False).encode()
    code, err, files = run(tmp_path, capsys, line + b"\n" + GOOD_LINE + b"\n", name="in.json")
    assert (code, err) == (0, []) and "out.jsonl" in files
    written = (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert "\u2028" not in written  # escaped: str.splitlines() would split there
    assert "Mayai\u2028mangapi?" in json.loads(written.splitlines()[0])["prompt"]


def test_a_non_utf8_byte_in_a_csv_file_names_its_line(tmp_path, capsys):
    content = b"question,lang\nMayai?,sw\n\xff,sw\n"
    assert_refused(run(tmp_path, capsys, content, name="in.csv"), "in.csv:3", "not UTF-8", inputs=("in.csv",))


@pytest.mark.parametrize("kind", ["rl", "sft"])
def test_out_equal_to_in_is_refused_before_anything_is_written(tmp_path, capsys, kind):
    source = tmp_path / "q.jsonl"
    source.write_bytes(GOOD_LINE + b"\n")
    (tmp_path / "sub").mkdir()
    os.symlink(source, tmp_path / "link.jsonl")
    os.link(source, tmp_path / "hard.jsonl")
    for output in (source, tmp_path / "sub" / ".." / "q.jsonl", tmp_path / "link.jsonl", tmp_path / "hard.jsonl"):
        assert pasmr(["data", kind, str(source), str(output)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "is the input" in err[0]
        assert source.read_bytes() == GOOD_LINE + b"\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["hard.jsonl", "link.jsonl", "q.jsonl", "sub"]


@pytest.mark.parametrize(
    "output, message",
    [("folder", "is a folder"), ("in.jsonl/out.jsonl", "is not a folder"), ("ro/out.jsonl", "cannot write")],
)
def test_an_output_that_cannot_be_written_is_one_line(tmp_path, capsys, monkeypatch, output, message):
    (tmp_path / "folder").mkdir()
    (tmp_path / "ro").mkdir()
    real_mkstemp = __import__("tempfile").mkstemp

    def refuse_ro(*args, dir=None, **kwargs):  # root may write anywhere: simulate a read-only folder
        if Path(dir).name == "ro":
            raise PermissionError(13, "Permission denied", dir)
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr("tempfile.mkstemp", refuse_ro)
    code, err, files = run(tmp_path, capsys, GOOD_LINE + b"\n", output=output)
    assert code == 2 and len(err) == 1 and message in err[0] and output.split("/")[0] in err[0], err
    assert files == ["folder", "in.jsonl", "ro"] and not list((tmp_path / "ro").iterdir())


def test_a_pivot_question_holding_the_closing_marker_is_reported_with_its_line(tmp_path, capsys):
    bad = dict(GOOD, pivot_question="What </translation> is it?")
    content = GOOD_LINE + b"\n" + json.dumps(bad).encode() + b"\n"
    assert_refused(run(tmp_path, capsys, content, kind="sft"), "in.jsonl:2", "closing marker")


# --- signals: nothing partial, no temporary file ---


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130)])
def test_a_signal_during_a_write_leaves_no_output_and_no_temporary_file(tmp_path, signum, code):
    source = tmp_path / "many.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for index in range(40_000):  # about 10 s of work: the signal comes while it is being written
            handle.write(json.dumps(dict(GOOD, question=f"Swali {index}?")) + "\n")
    command = [sys.executable, "-m", "pasmr_plugin.cli", "data", "rl", str(source), str(tmp_path / "out.jsonl")]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        # as from a terminal: pytest started in the background by a script inherits SIGINT ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not any(path.name.startswith(".out.jsonl.") for path in tmp_path.iterdir()):  # writing has begun
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.02)
    process.send_signal(signum)
    process.communicate(timeout=60)
    assert process.returncode == code
    assert sorted(path.name for path in tmp_path.iterdir()) == ["many.jsonl"]


# --- linear time ---


def _json_array(path: Path, count: int) -> Path:
    rows = [dict(GOOD, question=f"Swali namba {index} kuhusu mayai mangapi?") for index in range(count)]
    path.write_text("[\n" + ",\n".join(json.dumps(row) for row in rows) + "\n]\n", encoding="utf-8")
    return path


def test_a_json_array_is_read_in_linear_time(tmp_path):
    def seconds(count: int) -> float:
        path = _json_array(tmp_path / f"a{count}.json", count)
        started = time.perf_counter()
        assert sum(1 for _ in read_records(path)) == count
        return time.perf_counter() - started

    small, large = seconds(5_000), seconds(40_000)  # 40,000 records: about 5 MB
    assert large < 8 * small * 2.5 and large < 5.0, (small, large)  # quadratic reading took 18 s for 3.6 MB


def test_records_of_a_json_array_name_the_line_they_start_on(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('[\n {"a": 1},\n\n {"b":\n 2}, {"c": 3}\n]', encoding="utf-8")
    assert [record.where.rsplit(":", 1)[1] for record in read_records(path)] == ["2", "4", "5"]


# --- property: any bytes give records or one RecordError naming the file ---


@given(content=st.one_of(st.binary(max_size=300), st.lists(st.sampled_from([GOOD_LINE, b"\n", b"\xff", b"[", b"]", b",", b"{", b"}", b'"\\ud800"', b"\xe2\x80\xa8", b"1" * 5000, b"\r\n"]), max_size=20).map(b"".join)))
@FUZZ
def test_any_bytes_give_records_or_one_record_error_naming_the_file(tmp_path, content):
    for name in ("in.jsonl", "in.json", "in.csv"):
        path = tmp_path / name
        path.write_bytes(content)
        try:
            records = list(read_records(path))
        except RecordError as error:
            assert str(error).startswith(str(path)) and "\n" not in str(error)
            continue
        for record in records:
            assert isinstance(record.data, dict) and record.where.startswith(f"{path}:")
            json.dumps(record.data, ensure_ascii=False).encode("utf-8")  # every record can be written
