"""Evaluation and offline pivot labels on a real vLLM engine (vLLM 0.29.0's CPU build), end to end.

lm-eval's own command line (``lm_eval --model vllm``) and ``pasmr-eval`` with its vLLM backend run PASMR
tasks on the tiny model, then ``pasmr report`` reads their output; ``pasmr data pivot-labels`` answers
pivot questions with ``vllm.LLM``. Everything runs as a user would run it, in subprocesses, offline: the
data comes from ``PASMR_DATA_DIR`` (the bundled demo questions and a PolyMath sample written by the tests).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from real_engine import require_vllm

require_vllm()

from openrlhf_fixtures import tiny_model_dir  # noqa: E402, F401  (fixture)
from polymath_sample import write_polymath_sample  # noqa: E402

from pasmr_plugin.demo.evaluation import demo_data_dir  # noqa: E402
from pasmr_plugin.evaluation import tasks_dir  # noqa: E402

BIN = Path(sys.executable).parent
MODEL_ARGS = "dtype=float32,max_model_len=1024,enforce_eager=True"
GEN_KWARGS = ["--gen_kwargs", "max_gen_toks=48"]  # within max_model_len (PolyMath tasks ask for 16384)
LIMIT = 3


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("data")
    shutil.copytree(demo_data_dir(), root, dirs_exist_ok=True)
    write_polymath_sample(root)
    return root


def run(command: list[str], data_dir: Path, cwd: Path) -> subprocess.CompletedProcess:
    """``command`` as a user runs it: offline, the data in ``PASMR_DATA_DIR``, a small CPU KV cache (1 GiB)."""
    env = {**os.environ, "PASMR_DATA_DIR": str(data_dir), "VLLM_CPU_KVCACHE_SPACE": "1", "HF_HUB_OFFLINE": "1",
           "HF_DATASETS_OFFLINE": "1"}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def logged_samples(out: Path, task: str) -> list[dict]:
    [path] = out.rglob(f"samples_{task}_*.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def check_run(out: Path, tasks: list[str], model: Path) -> None:
    [results_file] = out.rglob("results_*.json")
    results = json.loads(results_file.read_text(encoding="utf-8"))
    assert set(tasks) <= set(results["results"])
    assert "vllm" in results["config"]["model"] and str(model) in json.dumps(results["config"]["model_args"])
    for task in tasks:
        samples = logged_samples(out, task)
        assert 0 < len(samples) <= LIMIT  # the PolyMath sample holds two questions a level
        assert all(sample["resps"][0][0].strip() for sample in samples)  # the model's own generations
        assert {"exact_match", "answer_found", "lang_fidelity"} <= set(samples[0])


def test_lm_evals_own_cli_runs_pasmr_tasks_on_vllm_and_pasmr_report_reads_them(tiny_model_dir, data_dir, tmp_path):
    tasks = ["pasmr_mgsm_sw", "pasmr_polymath_low_sw"]
    out = tmp_path / "lm_eval"
    run([str(BIN / "lm_eval"), "--model", "vllm", "--model_args", f"pretrained={tiny_model_dir},{MODEL_ARGS}",
         "--tasks", ",".join(tasks), "--include_path", str(tasks_dir()), "--limit", str(LIMIT), "--log_samples",
         "--output_path", str(out), *GEN_KWARGS], data_dir, tmp_path)
    check_run(out, tasks, tiny_model_dir)
    run([str(BIN / "pasmr"), "report", str(out), "--output", str(tmp_path / "report")], data_dir, tmp_path)
    report = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "pasmr_mgsm" in report and "polymath" in report and str(tiny_model_dir) in report


def test_pasmr_eval_runs_on_its_vllm_backend(tiny_model_dir, data_dir, tmp_path):
    out = tmp_path / "pasmr_eval"
    run([str(BIN / "pasmr-eval"), "--model", "vllm", "--model_args", f"pretrained={tiny_model_dir},{MODEL_ARGS}",
         "--tasks", "pasmr_msvamp_de", "--limit", str(LIMIT), "--log_samples", "--output_path", str(out), *GEN_KWARGS],
        data_dir, tmp_path)
    check_run(out, ["pasmr_msvamp_de"], tiny_model_dir)


def test_pivot_labels_are_generated_with_vllm(tiny_model_dir, data_dir, tmp_path):
    from pasmr_plugin.openrlhf.data import build_rl
    from pasmr_plugin.openrlhf.records import SourceRecord, write_jsonl

    records = [SourceRecord(f"q:{i}", {"lang": "sw", "question": f"Amina ana machungwa {i + 5}. Ana mangapi?",
                                       "pivot_question": f"Amina has {i + 5} oranges. How many does she have?"})
               for i in range(3)]
    prompts, labelled = tmp_path / "rl.jsonl", tmp_path / "rl_pivots.jsonl"
    write_jsonl(prompts, build_rl(records))
    run([str(BIN / "pasmr"), "data", "pivot-labels", str(prompts), str(labelled), "--model", str(tiny_model_dir),
         "--samples", "2", "--max-tokens", "16"], data_dir, tmp_path)
    rows = [json.loads(line) for line in labelled.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3
    for row in rows:
        label = json.loads(row["label"])
        assert len(label["pivot_answers"]) == 2  # K answers (None where the random model stated no number)
