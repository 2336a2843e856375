"""PASMR episodes on CPU through OpenRLHF's real agent interface, with the tiny random model.

The path is the one of a training run, minus the cluster: ``pasmr data rl`` writes the
prompts, OpenRLHF's ``blending_datasets`` and ``PromptDataset`` read them (chat template
applied), ``pasmr agent-file`` writes the agent, OpenRLHF's ``_load_agent_executor`` loads it
and ``RolloutRayActor.generate_responses`` runs each prompt's group of samples against a
Hugging Face engine that returns vLLM-shaped outputs. The random model writes gibberish, so
expect format failures and reward 0: the demo shows the plumbing and the logged numbers.

>>> stats = run_demo_episodes(build_tiny_model("tiny"), "demo_output")  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from ..records import SourceRecord, write_jsonl
from .config import AgentConfig
from .data import build_rl
from .files import write_agent_file
from .harness import SamplingParams, generate_responses, load_agent_executor, prompt_dataset
from .scoring import mean_logs

DEMO_QUESTIONS = (
    ("sw", "Amina ana machungwa 12. Anampa rafiki yake 5. Amebaki na machungwa mangapi?", "7"),
    ("de", "Ein Bauer hat 8 Kühe und kauft 7 weitere. Wie viele Kühe hat er jetzt?", "15"),
    ("bn", "রিনার কাছে ২০টি কলম আছে। সে ৬টি কলম বিক্রি করল। তার কাছে কতগুলি কলম রইল?", "14"),
    ("ja", "太郎はりんごを3個ずつ4袋買いました。りんごは全部で何個ですか？", "12"),
    ("fr", "Marie lit 15 pages par jour pendant 6 jours. Combien de pages a-t-elle lues ?", "90"),
    ("th", "แม่มีไข่ 30 ฟอง ใช้ทำขนมไป 12 ฟอง เหลือไข่กี่ฟอง", "18"),
)
DEMO_MAX_LENGTH = 2048


def _demo_prompts(path: Path, n_prompts: int) -> Path:
    questions = [DEMO_QUESTIONS[index % len(DEMO_QUESTIONS)] for index in range(n_prompts)]
    records = [
        SourceRecord(f"demo:{index + 1}", {"id": f"demo-{index}", "lang": lang, "question": question, "answer": gold})
        for index, (lang, question, gold) in enumerate(questions)
    ]
    write_jsonl(path, build_rl(records))
    return path


async def _episodes(executor, engine, dataset, params, n_samples: int) -> list[dict]:
    results = []
    for index in range(len(dataset)):
        _, prompt, label, _ = dataset[index]
        results += await generate_responses(
            executor, engine, prompt, label, params, DEMO_MAX_LENGTH, engine.tokenizer, n_samples
        )
    return results


def _print_stats(stats: dict) -> None:
    print(f"PASMR episodes through OpenRLHF's agent interface ({stats['episodes']} episodes, tiny random model):")
    for key, value in stats.items():
        print(f"  {key:<22} {value:.3f}" if isinstance(value, float) else f"  {key:<22} {value}")


def run_demo_episodes(
    model_dir: str | Path,
    out_dir: str | Path,
    *,
    n_prompts: int = 4,
    n_samples: int = 4,
    max_new_tokens: int = 48,
    pivot_samples: int = 2,
    seed: int = 0,
) -> dict:
    """Run ``n_prompts`` groups of ``n_samples`` episodes; write the files to ``out_dir``, print and return statistics.

    ``out_dir`` receives ``demo_prompts.jsonl``, ``pasmr_agent.py`` and ``episodes.jsonl``
    (one line per episode: reward, token counts, logged numbers). Needs torch, transformers,
    datasets and OpenRLHF (installed without its dependencies).
    """
    from .engines import HFEngine

    out = Path(out_dir)
    prompts = _demo_prompts(out / "demo_prompts.jsonl", n_prompts)
    agent_file = write_agent_file(
        out / "pasmr_agent.py", AgentConfig(pivot_samples=pivot_samples, pivot_max_tokens=max_new_tokens)
    )
    executor = load_agent_executor(agent_file)
    engine = HFEngine(model_dir, seed=seed)
    params = SamplingParams(max_tokens=max_new_tokens, min_tokens=1, skip_special_tokens=False, logprobs=1)
    results = asyncio.run(_episodes(executor, engine, prompt_dataset(prompts, engine.tokenizer), params, n_samples))
    write_jsonl(
        out / "episodes.jsonl",
        (
            {
                "label": result["label"],
                "reward": result["reward"],
                "response_tokens": result["action_ranges"][0][1] - result["action_ranges"][0][0],
                "truncated": result["truncated"],
                "extra_logs": result["extra_logs"],
            }
            for result in results
        ),
    )
    stats = {
        "episodes": len(results),
        "generate_calls": len(engine.calls),
        "pivot_calls": len(engine.calls) - len(results),  # each episode makes exactly one target call
        **mean_logs(results),
    }
    _print_stats(stats)
    return stats
