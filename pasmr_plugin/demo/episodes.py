"""PASMR episodes on CPU through OpenRLHF's real agent interface, with the tiny model.

The path is the one of a training run, minus the cluster: ``pasmr data rl`` writes the
prompts, OpenRLHF's ``blending_datasets`` and ``PromptDataset`` read them (chat template
applied), ``pasmr agent-file`` writes the agent, OpenRLHF's ``_load_agent_executor`` loads it
and ``RolloutRayActor.generate_responses`` runs each prompt's group of samples on a real vLLM
engine (:class:`~pasmr_plugin.openrlhf.engine.LocalEngine`, vLLM's CPU build here). A random
model writes gibberish (format failures, reward 0); after the PAM SFT of
:mod:`pasmr_plugin.demo.tiny_sft` on the same prompts the episodes earn real self-feedback
rewards, and the per-episode table says why.

>>> stats = run_demo_episodes(build_tiny_model("tiny"), "demo_output")  # doctest: +SKIP
>>> stats = run_demo_episodes("tiny-pam", "demo_output", records=exemplar_records(data_dir, ["sw"]))  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ..openrlhf.agent import EpisodeOutcome
from ..openrlhf.config import AgentConfig
from ..openrlhf.data import build_rl
from ..openrlhf.entry_files import write_agent_file
from ..openrlhf.labels import parse_label
from ..openrlhf.logs import mean_logs
from ..openrlhf.records import SourceRecord, write_jsonl
from ..openrlhf.engine import LocalEngine
from .openrlhf_runtime import SamplingParams, load_agent_executor, prompt_dataset

DEMO_QUESTIONS = (
    ("sw", "Amina ana machungwa 12. Anampa rafiki yake 5. Amebaki na machungwa mangapi?", "7"),
    ("de", "Ein Bauer hat 8 Kühe und kauft 7 weitere. Wie viele Kühe hat er jetzt?", "15"),
    ("bn", "রিনার কাছে ২০টি কলম আছে। সে ৬টি কলম বিক্রি করল। তার কাছে কতগুলি কলম রইল?", "14"),
    ("ja", "太郎はりんごを3個ずつ4袋買いました。りんごは全部で何個ですか？", "12"),
    ("fr", "Marie lit 15 pages par jour pendant 6 jours. Combien de pages a-t-elle lues ?", "90"),
    ("th", "แม่มีไข่ 30 ฟอง ใช้ทำขนมไป 12 ฟอง เหลือไข่กี่ฟอง", "18"),
)
DEMO_MAX_LENGTH = 2048
DEMO_ENGINE_ARGS = {
    "dtype": "float32",  # bfloat16 matrix work is about 10x slower on a CPU without AMX
    "max_model_len": DEMO_MAX_LENGTH,
    "kv_cache_memory_bytes": 64 * 2**20,  # the tiny model needs 1 KiB per token; the CPU default takes 40 s to set up
    "enforce_eager": True,
}


def demo_records(n_prompts: int) -> list[SourceRecord]:
    """``n_prompts`` records cycling through :data:`DEMO_QUESTIONS` (language, question, gold answer)."""
    questions = [DEMO_QUESTIONS[index % len(DEMO_QUESTIONS)] for index in range(n_prompts)]
    return [
        SourceRecord(f"demo:{index + 1}", {"id": f"demo-{index}", "lang": lang, "question": question, "answer": gold})
        for index, (lang, question, gold) in enumerate(questions)
    ]


def episode_details(result: dict, outcome: EpisodeOutcome) -> dict:
    """What an episode wrote and why it got its reward: response, target and pivot answers, the reason.

    ``outcome`` is what the agent handed its ``episode_observer`` for this result: the pivot
    answers to the response's own translation (none where the agent asked for none) and the
    :class:`~pasmr_plugin.reward.RewardResult` the reward came from.
    """
    label = parse_label(result["label"])
    start, end = result["action_ranges"][0]
    return {
        "lang": label.lang,
        "gold": label.gold,
        "response": outcome.response,
        "target_answer": outcome.result.target_answer,
        "pivot_answers": list(outcome.pivot_answers),
        "reason": outcome.result.reason,
        "reward": result["reward"],
        "response_tokens": end - start,
        "truncated": result["truncated"],
        "extra_logs": result["extra_logs"],
    }


def _group_order(row: dict) -> tuple:
    return -row["reward"], row["reason"], json.dumps(row, sort_keys=True)


async def _episodes(executor, engine, dataset, params, n_samples: int) -> list[dict]:
    """:func:`episode_details` of every episode, a prompt's group at a time (each group asks for its own
    pivots), rewarded first within a group (which sample drew which text varies between runs)."""
    outcomes: dict[int, EpisodeOutcome] = {}
    executor.episode_observer = lambda result, outcome: outcomes.__setitem__(id(result), outcome)
    rows = []
    for index in range(len(dataset)):
        _, prompt, label, _ = dataset[index]
        results = await engine.generate_responses(
            executor, prompt, label, params, DEMO_MAX_LENGTH, engine.tokenizer, n_samples
        )
        group = [episode_details(result, outcomes.pop(id(result))) for result in results]
        rows += sorted(group, key=_group_order)
    return rows


def episode_table(rows: Sequence[dict]) -> str:
    """A Markdown table with one row per episode (:func:`episode_details`).

    >>> print(episode_table([{"lang": "sw", "gold": "5", "target_answer": "5", "pivot_answers": ["5", None],
    ...                       "reward": 1.0, "reason": "consistent"}]).splitlines()[-1])
    | sw | 5 | 5 | 5 - | 1 | consistent |
    """
    lines = ["| lang | gold | target answer | pivot answers | reward | reason |", "|---|---|---|---|---|---|"]
    for row in rows:
        pivots = " ".join(answer or "-" for answer in row["pivot_answers"]) or "(not asked)"
        lines.append(
            f"| {row['lang']} | {row['gold'] or '-'} | {row['target_answer'] or '-'} | {pivots} "
            f"| {row['reward']:g} | {row['reason']} |"
        )
    return "\n".join(lines)


def _print_stats(stats: dict) -> None:
    print(f"Mean logged numbers over {stats['episodes']} episodes:")
    for key, value in stats.items():
        print(f"  {key:<22} {value:.3f}" if isinstance(value, float) else f"  {key:<22} {value}")


def run_demo_episodes(
    model_dir: str | Path,
    out_dir: str | Path,
    *,
    records: Sequence[SourceRecord] | None = None,
    n_prompts: int = 4,
    n_samples: int = 4,
    max_new_tokens: int = 48,
    temperature: float = 1.0,
    pivot_samples: int = 2,
    seed: int = 0,
) -> dict:
    """Run a group of ``n_samples`` episodes per prompt; write the files to ``out_dir``, print and return statistics.

    The prompts come from ``records`` (``question``, ``lang``, optional ``answer``, as for
    ``pasmr data rl``), by default from ``n_prompts`` of :data:`DEMO_QUESTIONS`. Target
    responses are sampled at ``temperature``, the ``pivot_samples`` pivot answers at the
    agent's default. ``out_dir`` receives ``demo_prompts.jsonl``, ``pasmr_agent.py`` and
    ``episodes.jsonl`` (one line per episode: :func:`episode_details`). Prints the episode
    table, then the mean logged numbers. Needs torch, transformers, datasets, vLLM and OpenRLHF
    (installed without its dependencies).
    """
    out = Path(out_dir)
    prompts = out / "demo_prompts.jsonl"
    write_jsonl(prompts, build_rl(demo_records(n_prompts) if records is None else records))
    config = AgentConfig(pivot_samples=pivot_samples, pivot_max_tokens=max_new_tokens)
    executor = load_agent_executor(write_agent_file(out / "pasmr_agent.py", config))
    params = SamplingParams(
        temperature=temperature, max_tokens=max_new_tokens, min_tokens=1, skip_special_tokens=False, logprobs=1
    )
    with LocalEngine(str(model_dir), seed=seed, **DEMO_ENGINE_ARGS) as engine:
        dataset = prompt_dataset(prompts, engine.tokenizer)
        rows = engine.run(_episodes(executor, engine, dataset, params, n_samples))
    write_jsonl(out / "episodes.jsonl", rows)
    print(episode_table(rows) + "\n")
    stats = {
        "episodes": len(rows),
        "pivot_requests": sum(1 for row in rows if row["pivot_answers"] and not row["extra_logs"]["pivot_cached"]),
        **mean_logs(rows),
    }
    _print_stats(stats)
    return stats
