"""The offline demo behind ``make demo`` / ``pasmr demo``: no GPU, no network.

1. The self-feedback reward scores bundled multilingual PASMR responses (written for the
   project) and prints what was extracted and why each got its reward.
2. A tiny random model is built, and a few PASMR episodes run through OpenRLHF's real agent
   interface (``--train.agent_func_path``), printing the reward statistics.
3. ``pasmr-eval`` evaluates the tiny model on a few bundled questions and ``pasmr report``
   writes a report.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from .reward import score_response

DEMO_RESPONSES = "demo_responses.jsonl"


def load_demo_responses() -> list[dict]:
    """The bundled responses: ``lang``, ``question``, ``response``, ``pivot_answers`` and a ``note``."""
    text = resources.files("pasmr_plugin.resources").joinpath(DEMO_RESPONSES).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _votes(votes: dict[str, int]) -> str:
    return " ".join(f"{answer}×{count}" for answer, count in votes.items()) or "-"


def reward_table() -> str:
    """A Markdown table of the reward on every bundled response, with the reason for each."""
    rows = [
        "| lang | target answer | pivot votes | agreement | reward | reason | what the example shows |",
        "|---|---|---|---|---|---|---|",
    ]
    for record in load_demo_responses():
        result = score_response(
            record["response"], record["lang"], record["pivot_answers"], question=record["question"]
        )
        rows.append(
            f"| {record['lang']} | {result.target_answer or '-'} | {_votes(result.diagnostics['pivot_votes'])} "
            f"| {result.agreement:.2f} | {result.reward:g} | {result.reason} | {record['note']} |"
        )
    return "\n".join(rows)


def _section(title: str) -> None:
    print(f"\n== {title} ==\n")


def run_demo(output_dir: str | Path = "demo_output", *, quick: bool = False) -> int:
    """Run the demo, writing its files under ``output_dir``; returns an exit code."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)

    _section("1. Self-feedback reward on bundled multilingual PASMR responses")
    table = reward_table()
    print(table)
    (out / "reward_table.md").write_text(table + "\n", encoding="utf-8")
    if quick:
        return 0

    from .tiny_model import build_tiny_model

    model_dir = build_tiny_model(out / "tiny-model")

    _section("2. PASMR episodes through OpenRLHF's agent interface (tiny random model, CPU)")
    from .openrlhf.demo import run_demo_episodes

    run_demo_episodes(model_dir, out / "episodes", n_prompts=4, n_samples=4)

    _section("3. pasmr-eval on bundled questions (tiny random model, CPU) and pasmr report")
    from .evaluation.demo import run_demo_eval

    report = run_demo_eval(model_dir, out / "eval")
    print(f"\nDemo files are in {out.resolve()} (report: {report})")
    return 0
