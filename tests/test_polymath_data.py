"""``pasmr data rl --benchmark polymath``: RL and evaluation prompts from PolyMath, and overlap warnings."""

from __future__ import annotations

import json

import pytest
from polymath_sample import sample_rows, write_polymath_sample

from pasmr_plugin.cli import main as pasmr
from pasmr_plugin.languages import POLYMATH_LANGUAGES
from pasmr_plugin.openrlhf.data import benchmark_records, build_rl, evaluation_overlap
from pasmr_plugin.openrlhf.labels import parse_label
from pasmr_plugin.prompts import target_prompt


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return write_polymath_sample(tmp_path_factory.mktemp("data"))


def _rows(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_rl_prompts_of_two_levels_in_every_language(data_dir, tmp_path, capsys):
    out = tmp_path / "rl.jsonl"
    assert pasmr(["data", "rl", str(data_dir), str(out), "--benchmark", "polymath", "--levels", "medium,high"]) == 0
    rows = _rows(out)
    assert len(rows) == 2 * 2 * 18
    sources = {f"polymath_{level}_{lang}" for level in ("medium", "high") for lang in POLYMATH_LANGUAGES}
    assert {row["datasource"] for row in rows} == sources
    row = next(row for row in rows if row["id"] == "polymath-high-0-ko")
    question = sample_rows("ko", "high")[0]["question"]
    assert row["prompt"] == target_prompt(question, "ko", boxed=True)  # the prompt of the pasmr_polymath tasks
    label = parse_label(row["label"])
    english = sample_rows("en", "high")[0]["question"]
    assert (label.lang, label.gold, label.pivot_question) == ("ko", "$\\{-2, 2\\}$", english)
    assert json.loads(row["label"]).get("split", "train") == "train"
    assert "pasmr_polymath_medium evaluates" in capsys.readouterr().err  # training on evaluation questions


def test_eval_split_marks_every_label_and_warns_of_nothing(data_dir, tmp_path, capsys):
    out = tmp_path / "eval.jsonl"
    options = ["--benchmark", "polymath", "--levels", "top", "--langs", "sw,ar", "--split", "eval"]
    argv = ["data", "rl", str(data_dir), str(out), *options]
    assert pasmr(argv) == 0
    rows = _rows(out)
    assert [row["datasource"] for row in rows] == ["polymath_top_sw"] * 2 + ["polymath_top_ar"] * 2
    assert all(json.loads(row["label"])["split"] == "eval" for row in rows)
    assert parse_label(rows[0]["label"]).gold == "$2n^2 - 2n + 1$"
    assert "warning" not in capsys.readouterr().err


def test_training_on_low_warns_that_it_is_mgsms_test_set(data_dir, tmp_path, capsys):
    out = tmp_path / "low.jsonl"
    options = ["--benchmark", "polymath", "--levels", "low", "--langs", "sw"]
    assert pasmr(["data", "rl", str(data_dir), str(out), *options]) == 0
    err = capsys.readouterr().err
    assert "overlaps a shipped evaluation set" in err and "MGSM's first 125 test problems" in err
    assert "pasmr_mgsm" in err


@pytest.mark.parametrize(
    "benchmark,levels,expected",
    [
        ("mgsm", None, ["pasmr_mgsm and pasmr_mgsm_cot", "pasmr_polymath_low"]),
        ("msvamp", None, ["pasmr_msvamp"]),
        ("polymath", ["top"], ["pasmr_polymath_top"]),
        ("polymath", None, [f"pasmr_polymath_{level}" for level in ("low", "medium", "high", "top")]),
    ],
)
def test_every_benchmark_training_set_names_the_tasks_it_overlaps(benchmark, levels, expected):
    notes = " ".join(evaluation_overlap(benchmark, levels))
    assert all(name in notes for name in expected)


@pytest.mark.parametrize(
    "argv,message",
    [
        (["--benchmark", "mgsm", "--levels", "low"], "--levels needs --benchmark polymath"),
        (["--benchmark", "polymath", "--levels", "middle"], "unknown PolyMath level 'middle'"),
        (["--benchmark", "polymath", "--langs", "hi"], "polymath has no language 'hi'"),
    ],
)
def test_bad_options_are_one_line_errors_and_write_nothing(data_dir, tmp_path, capsys, argv, message):
    out = tmp_path / "rl.jsonl"
    assert pasmr(["data", "rl", str(data_dir), str(out), *argv]) == 2
    assert message in capsys.readouterr().err and not out.exists()


def test_builder_keeps_level_and_datasource_for_other_uses(data_dir):
    records = list(benchmark_records(data_dir, "polymath", ["de"], levels=["medium"]))
    assert [(r.data["id"], r.data["level"], r.data["datasource"]) for r in records] == [
        ("polymath-medium-0-de", "medium", "polymath_medium_de"),
        ("polymath-medium-1-de", "medium", "polymath_medium_de"),
    ]
    assert [row["datasource"] for row in build_rl(records, boxed=True)] == ["polymath_medium_de"] * 2


def test_a_training_file_is_checked_against_the_evaluation_data_of_pasmr_data_dir(data_dir, tmp_path, capsys):
    source = tmp_path / "mine.jsonl"
    questions = [row["question"] for row in sample_rows("it", "top")] + ["Quante uova restano?"]
    source.write_text("".join(json.dumps({"question": q, "lang": "it", "answer": "7"}) + "\n" for q in questions), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PASMR_DATA_DIR", str(data_dir))
        assert pasmr(["data", "rl", str(source), str(tmp_path / "rl.jsonl")]) == 0
        assert "2 questions asked by pasmr_polymath_top" in capsys.readouterr().err
        assert pasmr(["data", "rl", str(source), str(tmp_path / "eval.jsonl"), "--split", "eval"]) == 0
        assert "warning" not in capsys.readouterr().err
        patch.delenv("PASMR_DATA_DIR")
        assert pasmr(["data", "rl", str(source), str(tmp_path / "unset.jsonl")]) == 0  # nothing to compare with
        assert "warning" not in capsys.readouterr().err
