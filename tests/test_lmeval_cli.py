"""``pasmr-eval`` (lm-eval's command line with our tasks) end to end, and ``pasmr report`` on what it writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lmeval_fixtures import DEMO_DATA

from pasmr_plugin.evaluation import tasks_dir
from pasmr_plugin.evaluation.cli import include_paths, main
from pasmr_plugin.demo.evaluation import DEMO_TASKS, run_demo_eval
from pasmr_plugin.evaluation.metrics import SAMPLES_FILE
from pasmr_plugin.evaluation.report import write_report
from pasmr_plugin.evaluation.tasks import DATA_DIR_ENV
from pasmr_plugin.evaluation.tasks import SUITES as ALL_SUITES
from pasmr_plugin.demo.tiny_model import build_tiny_model

REPO_ROOT = Path(__file__).resolve().parents[1]
SUITES = [suite for suite in ALL_SUITES if suite.family is None]  # MGSM and MSVAMP; PolyMath: test_polymath_tasks.py
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _user_task_folder(root: Path) -> Path:
    """A user's own --include_path folder: one task reusing ours under another name."""
    folder = root / "my_tasks"
    folder.mkdir()
    include = tasks_dir() / "pasmr_mgsm" / "pasmr_mgsm_en.yaml"
    (folder / "my_english.yaml").write_text(f"include: {include}\ntask: my_english\n", encoding="utf-8")
    return folder


def _results(output: Path) -> dict:
    (path,) = output.glob("*/results_*.json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def replay_run(tmp_path_factory) -> Path:
    """``pasmr-eval`` with the replay model on every group plus a user task, samples logged."""
    root = tmp_path_factory.mktemp("pasmr_eval")
    argv = [
        "--model", "pasmr-replay",
        "--model_args", "pretrained=replay-model",
        "--tasks", ",".join([suite.name for suite in SUITES] + ["my_english", "pasmr_mgsm_cot_en_k4"]),
        "--include_path", str(_user_task_folder(root)),
        "--output_path", str(root / "results"),
        "--log_samples",
    ]  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_ENV, str(DEMO_DATA))
        assert main(argv) == 0
    return root / "results"


def test_include_paths_put_a_users_folder_after_ours():
    assert include_paths(None) == [str(tasks_dir())]
    assert include_paths("/my/tasks") == [str(tasks_dir()), "/my/tasks"]


def test_pasmr_eval_runs_every_group_and_keeps_the_users_include_path(replay_run):
    results = _results(replay_run)
    assert set(results["groups"]) == {name for suite in SUITES for name in (suite.name, suite.low_resource_group)}
    assert results["groups"]["pasmr_mgsm"]["exact_match,none"] == pytest.approx(7.25 / 11)
    assert results["results"]["my_english"]["lang_fidelity,none"] == 1.0
    tasks = {suite.task(lang) for suite in SUITES for lang in suite.languages} | {"my_english", "pasmr_mgsm_cot_en_k4"}
    assert {SAMPLES_FILE.match(path.name)["task"] for path in replay_run.glob("*/samples_*.jsonl")} == tasks


@pytest.mark.parametrize(
    "argv,user_path",
    [
        (["--model", "hf", "--tasks", "pasmr_mgsm"], None),  # legacy form: no subcommand means run
        (["run", "--model", "hf", "--tasks", "pasmr_mgsm", "--include_path", "/my/tasks"], "/my/tasks"),
        (["ls", "tasks", "--include_path", "/my/tasks"], "/my/tasks"),
        (["validate", "--tasks", "pasmr_msvamp"], None),
    ],
)
def test_every_subcommand_searches_our_folder_then_the_users(monkeypatch, argv, user_path):
    from lm_eval._cli import HarnessCLI

    executed = []
    monkeypatch.setattr(HarnessCLI, "execute", lambda self, args: executed.append(args))
    assert main(argv) == 0
    assert executed[0].include_path == include_paths(user_path)


def test_report_on_pasmr_eval_output_has_tables_and_valid_plots(replay_run, tmp_path):
    report = write_report(replay_run, tmp_path)
    assert "| replay-model | 65.9 | 50.0 | 50.0 | 75.0 | 75.0 |" in report.markdown  # pasmr_mgsm accuracy
    assert report.consistency["replay-model", "pasmr_msvamp"]["bn"].consistent == 0.5
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == report.markdown
    plots = [path for path in report.files if path.suffix == ".png"]
    assert sorted(path.name for path in plots) == sorted(
        f"{kind}_{suite.name}.png" for suite in SUITES for kind in ("accuracy", "consistency", "signal")
    )
    assert all(path.read_bytes().startswith(PNG_SIGNATURE) for path in plots)


def test_a_pivot_variant_logs_k_responses_per_doc_and_the_report_votes_over_them(replay_run, tmp_path):
    (samples,) = replay_run.glob("*/samples_pasmr_mgsm_cot_en_k4_*.jsonl")
    lines = [json.loads(line) for line in samples.read_text(encoding="utf-8").splitlines()]
    assert [len(line["resps"][0]) for line in lines] == [4] * 4  # lm-eval's repeats: K responses per doc
    write_report(replay_run, tmp_path, plots=False)
    rows = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["signal"]
    sw = next(row for row in rows if row["suite"] == "pasmr_mgsm_cot" and row["lang"] == "sw")
    # replayed sw answers: right, right, one too many, none; English: right, right, right, none (no signal)
    assert sw == {"model": "replay-model", "suite": "pasmr_mgsm_cot", "lang": "sw", "pivot": "en", "n": 4, "k": 4,
                  "coverage": 0.75, "reward_rate": 0.5, "accuracy": 0.5, "agreement_with_gold": 1.0,
                  "p_correct_given_reward_1": 1.0, "p_correct_given_reward_0": 0.0}  # fmt: skip
    assert {row["k"] for row in rows if row["suite"] != "pasmr_mgsm_cot"} == {1}  # plain English runs elsewhere


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny"))


@pytest.mark.slow
def test_tiny_random_model_runs_end_to_end_through_pasmr_eval(tiny_model, tmp_path):
    env = {
        **os.environ,
        DATA_DIR_ENV: str(DEMO_DATA),
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [
        sys.executable, "-m", "pasmr_plugin.evaluation.cli",
        "--model", "hf",
        "--model_args", f"pretrained={tiny_model}",
        "--tasks", "pasmr_mgsm",
        "--device", "cpu",
        "--limit", "2",
        "--gen_kwargs", "max_gen_toks=8",
        "--output_path", str(tmp_path / "results"),
        "--log_samples",
    ]  # fmt: skip
    finished = subprocess.run(command, check=False, env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr[-3000:]
    samples = list((tmp_path / "results").glob("*/samples_pasmr_mgsm_*.jsonl"))
    assert len(samples) == 11
    assert all(len(path.read_text(encoding="utf-8").splitlines()) == 2 for path in samples)
    assert set(_results(tmp_path / "results")["groups"]) == {"pasmr_mgsm", "pasmr_mgsm_low_resource"}


@pytest.mark.slow
def test_demo_evaluates_the_bundled_questions_and_writes_a_report(tiny_model, tmp_path):
    report = run_demo_eval(tiny_model, tmp_path)
    assert report == tmp_path / "report" / "report.md"
    assert "## pasmr_mgsm\n" in report.read_text(encoding="utf-8")
    assert len(list((tmp_path / "lm_eval").glob("*/samples_*.jsonl"))) == sum(
        len(suite.languages) for suite in SUITES if suite.name in DEMO_TASKS.split(",")
    )
    assert DATA_DIR_ENV not in os.environ  # the demo's settings do not leak into the caller


def test_pasmr_eval_drops_lm_evals_own_data_notice_for_pasmr_tasks_only():
    import logging

    from pasmr_plugin.evaluation.cli import quiet_own_data_notices

    quiet_own_data_notices()
    quiet_own_data_notices()  # installed once
    task_logger = logging.getLogger("lm_eval.api.task")
    notice = "{}: Custom kwargs can be passed to `--metadata` in console (as json string) or to the TaskManager."
    records = [
        logging.LogRecord("lm_eval.api.task", logging.WARNING, __file__, 1, notice.format(task), None, None)
        for task in ("pasmr_mgsm_sw", "mgsm_direct_sw")
    ]
    assert [bool(task_logger.filter(record)) for record in records] == [False, True]
    assert len(task_logger.filters) == 1
