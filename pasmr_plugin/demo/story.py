"""The offline demo behind ``make demo`` / ``pasmr demo``: no GPU, no network.

1. The self-feedback reward scores bundled multilingual PASMR responses (written for the
   project) and prints what was extracted and why each got its reward.
2. Stage 1 and the episodes of stage 2 in miniature: a tiny random model learns the PAM format
   on the bundled MGSM exemplars of a few languages (:mod:`pasmr_plugin.demo.tiny_sft`, seconds on
   a CPU), then PASMR episodes on the same questions run through OpenRLHF's real agent
   interface (``--train.agent_func_path``), printing each episode's reward and why, and the
   mean logged numbers. Sampling makes the mix: consistent, inconsistent, format failures.
3. ``pasmr-eval`` evaluates the tuned model on a few bundled questions and ``pasmr report``
   writes a report.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from ..openrlhf.records import SourceRecord
from ..reward import score_response

DEMO_RESPONSES = "demo_responses.jsonl"
SFT_LANGS = ("sw", "de", "ru", "ja")  # three scripts; Bengali or Thai words split into many more tokens (slower)
TINY_VOCAB = 2048  # enough merges that the demo texts' words become single tokens
EPISODE_SAMPLES, PIVOT_SAMPLES = 4, 2  # a GRPO-style group per question; K pivot answers per translation
EPISODE_TEMPERATURE = 1.0  # the tuned model is sure of most tokens: lower mostly repeats the trained text
MAX_NEW_TOKENS = 80  # the trained responses are 50 to 60 tokens


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


def train_demo_model(records: Sequence[SourceRecord], out: Path) -> Path:
    """A tiny model whose tokenizer knows the demo texts, PAM-tuned on ``records``; returns its folder."""
    from .tiny_model import build_tiny_model
    from .tiny_sft import example_texts, pam_examples, train_tiny_pam

    examples = pam_examples(records)
    langs = ", ".join(dict.fromkeys(record.data["lang"] for record in records))
    print(
        f"PAM SFT (stage 1) of a tiny random model on {len(examples)} examples: {len(records)} bundled exemplar "
        f"questions in {langs} -> translation, then the solution in the question's language; and their English "
        "versions -> the English solution (used to answer the model's own translations)."
    )
    base = build_tiny_model(out / "tiny-model", corpus=example_texts(examples), vocab_size=TINY_VOCAB)
    return train_tiny_pam(base, examples, out / "tiny-pam-model")


def _quiet_progress_bars() -> None:
    """The demo's files are tiny: Hugging Face's per-file progress bars would only interrupt the story."""
    from datasets.utils.logging import disable_progress_bar as disable_datasets_bars
    from transformers.utils.logging import disable_progress_bar as disable_transformers_bars

    disable_datasets_bars()
    disable_transformers_bars()


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

    from .episodes import run_demo_episodes
    from .evaluation import demo_data_dir, run_demo_eval
    from .tiny_sft import exemplar_records

    _quiet_progress_bars()

    _section("2. PAM SFT of a tiny model, then PASMR episodes through OpenRLHF's agent interface (CPU)")
    records = exemplar_records(demo_data_dir(), SFT_LANGS)
    model_dir = train_demo_model(records, out)

    print(
        f"\n{EPISODE_SAMPLES} sampled episodes per trained question (temperature {EPISODE_TEMPERATURE:g}): the agent "
        f"answers each response's own translation {PIVOT_SAMPLES} times in English and rewards agreement; no gold "
        "answer is used."
    )
    run_demo_episodes(
        model_dir,
        out / "episodes",
        records=records,
        n_samples=EPISODE_SAMPLES,
        pivot_samples=PIVOT_SAMPLES,
        max_new_tokens=MAX_NEW_TOKENS,
        temperature=EPISODE_TEMPERATURE,
    )

    _section("3. pasmr-eval on bundled questions (the tiny PAM model, CPU) and pasmr report")
    print(
        f"The tuned model has seen only the {len(records)} exemplar questions above; the evaluation questions are "
        "others, so expect an accuracy near 0 (it opens the PAM format and recites what it memorized). "
        "The point is the path: lm-eval with the PASMR tasks, per-sample logs, the report.\n"
    )
    report = run_demo_eval(model_dir, out / "eval", max_gen_toks=MAX_NEW_TOKENS)
    print(f"\nDemo files are in {out.resolve()} (report: {report})")
    return 0
