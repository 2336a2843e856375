"""`pasmr report` on corrupt sample files and model names of any characters (issue 8): one-line errors, no tracebacks.

Bad lines (not UTF-8, not JSON, nested past Python's limit, integers past the digit limit, docs of
the wrong shape) are skipped and counted; model names holding matplotlib's math syntax ("$x$"),
a leading "_", control characters, lone surrogates or any other text are shown as written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pasmr_plugin.cli import main as pasmr
from pasmr_plugin.evaluation.report import write_report

pytest.importorskip("matplotlib")

DATE = "2026-01-02T03-04-05.000006"
FUZZ = settings(
    max_examples=max(2, int(os.environ.get("PASMR_FUZZ_EXAMPLES", "60")) // 20),  # a report with plots takes seconds
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _line(lang: str, index: int, answer: str) -> str:
    doc = {"id": f"mgsm-{index}", "lang": lang, "question": "…", "answer": answer}
    return json.dumps({"doc_id": index, "doc": doc, "target": answer, "resps": [[f"The answer is {answer}."]], "filtered_resps": [f"The answer is {answer}."]})


def _run(folder: Path, model: object, extra: bytes = b"") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"results_{DATE}.json").write_text(json.dumps({"model_name": model}), encoding="utf-8")
    for lang in ("en", "de"):
        lines = "\n".join(_line(lang, index, str(index + 3)) for index in range(2)).encode() + b"\n" + extra
        (folder / f"samples_pasmr_mgsm_cot_{lang}_{DATE}.jsonl").write_bytes(lines)
    return folder


CORRUPT_LINES = {
    "not-utf8": b"\xff\xfe{not json}\n",
    "deep-nesting": b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "huge-int": b'{"doc": {"id": ' + b"1" * 5000 + b', "answer": "3"}, "resps": [["3"]]}\n',
    "doc-not-a-dict": b'{"doc": [1, 2], "resps": [["3"]]}\n',
    "nested-id": b'{"doc": {"id": ' + b"[" * 5000 + b"]" * 5000 + b', "answer": "3"}, "resps": [["3"]]}\n',
    "binary": bytes(range(256)) + b"\n",
}


@pytest.mark.parametrize("extra", CORRUPT_LINES.values(), ids=CORRUPT_LINES.keys())
def test_corrupt_lines_are_skipped_and_counted_never_a_traceback(tmp_path, capsys, extra):
    _run(tmp_path / "run", "model-a", extra)
    assert pasmr(["report", str(tmp_path / "run"), "--output", str(tmp_path / "out"), "--no-plots"]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "unreadable sample lines skipped" in captured.out


def test_a_samples_file_that_is_a_folder_or_unreadable_is_skipped(tmp_path, capsys):
    _run(tmp_path / "run", "model-a")
    (tmp_path / "run" / f"samples_pasmr_mgsm_cot_sw_{DATE}.jsonl").mkdir()
    assert pasmr(["report", str(tmp_path / "run"), "--output", str(tmp_path / "out"), "--no-plots"]) == 0


def test_a_report_folder_that_cannot_be_written_is_one_line(tmp_path, capsys):
    _run(tmp_path / "run", "model-a")
    (tmp_path / "file").write_text("x")
    assert pasmr(["report", str(tmp_path / "run"), "--output", str(tmp_path / "file" / "out"), "--no-plots"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot write the report" in err[0]


NAMES = ["gpt$4$", "$\\frac{1}{0}$", "a$b", "_hidden", "x^2_{", "\\", "\n\t", "\ud800", "日本語モデル", "$" * 50, "a" * 500, "%s%d{}"]


def test_any_model_name_renders_in_the_tables_and_plots(tmp_path):
    for index, name in enumerate(NAMES):  # one report with every name: each one a model
        _run(tmp_path / "runs" / f"m{index}", name)
    report = write_report(tmp_path / "runs", tmp_path / "out")
    assert len(report.files) >= 2 and all(path.stat().st_size > 0 for path in report.files)
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "gpt$4$" in markdown and "_hidden" in markdown and "日本語モデル" in markdown


@given(names=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=3, unique=True))
@FUZZ
def test_any_model_names_give_a_report(tmp_path_factory, names):
    root = tmp_path_factory.mktemp("runs")
    for index, name in enumerate(names):
        _run(root / f"m{index}", name)
    report = write_report(root, root / "out")
    assert report.files[0].read_text(encoding="utf-8").startswith("# PASMR evaluation report")
