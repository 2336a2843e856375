"""``pasmr signal`` on the real engine: PASMR episodes (and ``--base`` answers) on questions with gold answers.

The command runs as a user runs it, on the tests' shared vLLM engine (:mod:`real_engine`; the command's
engine start is handed that engine instead of starting a second one) serving the tiny random model, on
MGSM-format files written here. The model writes gibberish: what is checked is that every stage runs and
that both modes write the same table, JSON fields and episodes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("openrlhf")

from real_engine import real_engine, require_vllm  # noqa: E402, F401  (fixture)

require_vllm()

from openrlhf_fixtures import tiny_model_dir  # noqa: E402, F401  (fixture)

from pasmr_plugin.cli import main as pasmr  # noqa: E402
from pasmr_plugin.openrlhf import live_signal  # noqa: E402
from pasmr_plugin.self_feedback import FIGURES, ROW_KEYS  # noqa: E402

QUESTIONS = {
    "en": [("Tom has 3 apples and buys 4 more. How many apples does he have?", 7),
           ("A box holds 6 eggs. How many eggs are in 2 boxes?", 12)],
    "sw": [("Tom ana tufaha 3 na ananunua 4 zaidi. Ana tufaha ngapi?", 7),
           ("Sanduku lina mayai 6. Kuna mayai mangapi katika masanduku 2?", 12)],
    "de": [("Tom hat 3 Äpfel und kauft 4 dazu. Wie viele Äpfel hat er?", 7),
           ("Eine Schachtel hat 6 Eier. Wie viele Eier sind in 2 Schachteln?", 12)],
}  # fmt: skip
EPISODE_KEYS = {"suite", "lang", "id", "prompt", "response", "translation", "pivot_answers", "reward", "reason",
                "signal", "gold", "correct"}  # fmt: skip


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("data")
    (root / "mgsm").mkdir()
    for lang, rows in QUESTIONS.items():
        text = "".join(f"{question}\t{answer}\n" for question, answer in rows)
        (root / "mgsm" / f"mgsm_{lang}.tsv").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def engine_starts(monkeypatch, real_engine):
    """The command's engine start, handed the shared engine (left open); records the arguments it got."""
    starts = []

    class Borrowed:
        def __init__(self, model, **engine_args):
            starts.append((model, engine_args))

        def __enter__(self):
            return real_engine

        def __exit__(self, *exc_info):
            return None

    monkeypatch.setattr(live_signal, "LocalEngine", Borrowed)
    return starts


def _signal(tmp_path, tiny_model_dir, data_dir, *flags) -> tuple[dict, list[dict]]:
    out = tmp_path / "out"
    argv = ["signal", "--model", str(tiny_model_dir), "--benchmark", "mgsm", "--langs", "sw,de", "--questions", "2",
            "--samples", "2", "--pivot-samples", "3", "--max-tokens", "12", "--dtype", "float32", "--enforce-eager",
            "--output", str(out),
            "--data", str(data_dir), *flags]  # fmt: skip
    assert pasmr(argv) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    episodes = [json.loads(line) for line in (out / "episodes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# PASMR self-feedback signal")
    assert (out / "signal_mgsm.png").is_file()
    return report, episodes


def _check(report: dict, episodes: list[dict]) -> None:
    rows = report["signal"]
    assert [row["lang"] for row in rows] == ["sw", "de", "all", "low_resource"]
    assert all(list(row) == [*ROW_KEYS, *FIGURES] for row in rows)
    assert [(row["n"], row["k"]) for row in rows] == [(4, 3), (4, 3), (8, 3), (4, 3)]  # N x S episodes, K
    assert len(episodes) == 8 and all(set(episode) == EPISODE_KEYS for episode in episodes)
    assert not any(episode["reason"] == "error" for episode in episodes)
    assert {(episode["lang"], episode["gold"]) for episode in episodes} == {(lang, gold) for lang in ("sw", "de")
                                                                             for gold in ("7", "12")}  # fmt: skip


def test_pasmr_signal_runs_pasmr_episodes_on_the_real_engine(tmp_path, tiny_model_dir, data_dir, engine_starts):
    report, episodes = _signal(tmp_path, tiny_model_dir, data_dir)
    _check(report, episodes)
    assert report["mode"] == "pam" and report["agent"]["pivot_samples"] == 3
    assert engine_starts == [(str(tiny_model_dir), {"seed": 0, "dtype": "float32", "max_model_len": 4096,
                                                    "tensor_parallel_size": 1, "enforce_eager": True})]  # fmt: skip
    # the prompts are the agent's PASMR prompts, through the chat template; gibberish has no translation
    assert all("<translation>" in episode["prompt"] and "<|im_start|>user" in episode["prompt"] for episode in episodes)
    assert all(episode["reason"] == "missing_translation" and episode["pivot_answers"] == [] for episode in episodes)


def test_pasmr_signal_base_answers_the_reference_pivot_question_k_times(tmp_path, tiny_model_dir, data_dir,
                                                                         engine_starts):  # fmt: skip
    report, episodes = _signal(tmp_path, tiny_model_dir, data_dir, "--base")
    _check(report, episodes)
    assert report["mode"] == "base"
    assert all("<translation>" not in episode["prompt"] for episode in episodes)
    # the reference English question, answered K = 3 times by the engine (gibberish votes for nothing)
    assert {episode["translation"] for episode in episodes} == {question for question, _ in QUESTIONS["en"]}
    assert all(len(episode["pivot_answers"]) == 3 for episode in episodes)


def test_base_needs_the_pivot_file_for_reference_questions(tmp_path, data_dir, capsys):
    partial = tmp_path / "data"
    (partial / "mgsm").mkdir(parents=True)
    (partial / "mgsm" / "mgsm_sw.tsv").write_bytes((data_dir / "mgsm" / "mgsm_sw.tsv").read_bytes())
    argv = ["signal", "--model", "unused", "--benchmark", "mgsm", "--langs", "sw", "--output", str(tmp_path / "out"),
            "--data", str(partial), "--base"]  # fmt: skip
    assert pasmr(argv) == 2
    assert "reference pivot question" in capsys.readouterr().err
