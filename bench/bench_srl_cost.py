"""The cost of SRL on a real engine: PASMR episodes against plain single-turn episodes of the same prompts.

A real vLLM engine (``LocalEngine``; vLLM's CPU build here) serves the tiny random Qwen2 in float32;
vLLM's structured outputs hold it to chosen texts (``tests/real_engine.py``), so both kinds of
episode generate the same target responses: PAM responses whose translations take 1, 2 or 8
distinct values in a group of 8, and pivot completions of different lengths.

- **SRL**: the agent file of ``pasmr agent-file --pivot-samples K`` (K = 4), run by OpenRLHF's own
  ``RolloutRayActor.generate_responses``: the target response, then one pivot request of n = K per
  distinct translation in the group.
- **Single-turn**: OpenRLHF's ``SingleTurnAgentExecutor`` with the reward file of ``pasmr reward-file``
  (pivot answers precomputed in the labels): the target response only.

Per group of 8 (median over ``--groups`` groups, each on a question of its own, one group at a time):
tokens generated (target, pivot), wall time, and the SRL / single-turn ratios; with prefix caching on
and off (one engine each). The plugin's own CPU time per SRL episode (thread CPU time inside the agent's
steps: prompt tokenization, the response check and pivot prompt, answer extraction, scoring) is given as a
share of the episode's wall time.

Run from the repo root (about two minutes on 2 cores: two engine starts take most)::

    python bench/bench_srl_cost.py [--groups 5] [--pivot-samples 4]
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "tests"))  # the structured-output guide lives with the tests

from real_engine import PIVOT, TARGET, GuidedEngine, engine_args  # noqa: E402

from pasmr_plugin.demo.openrlhf_runtime import load_agent_executor  # noqa: E402
from pasmr_plugin.demo.tiny_model import build_tiny_model  # noqa: E402
from pasmr_plugin.openrlhf import agent as agent_module  # noqa: E402
from pasmr_plugin.openrlhf.config import AgentConfig  # noqa: E402
from pasmr_plugin.openrlhf.engine import LocalEngine, rollout_actor_class  # noqa: E402
from pasmr_plugin.openrlhf.entry_files import write_agent_file, write_reward_file  # noqa: E402
from pasmr_plugin.openrlhf.labels import label_with_pivot_answers, make_label  # noqa: E402
from pasmr_plugin.prompts import pam_response, target_prompt  # noqa: E402
from pasmr_plugin.reward import RewardConfig  # noqa: E402

GROUP = 8
DISTINCT = (1, 2, 8)
NAMES = ("Janet", "Jane", "Amina", "Neema", "Maria", "Rosa", "Lucy", "Grace")
SOLUTION = "Janet anabaki na mayai 16 - 3 - 4 = 9, na anayauza yote. Jibu ni 9."
PIVOTS = [
    "16 - 3 - 4 = 9. The answer is 9.",
    "Janet has 16 - 3 - 4 = 9 eggs left to sell. The answer is 9.",
    "She starts with 16 eggs, eats 3 and bakes with 4, which leaves 16 - 3 - 4 = 9 eggs to sell. The answer is 9.",
    "She uses 3 + 5 = 8 eggs, so she sells 8. The answer is 8.",
]
AGENT_STEPS = ("_target_request", "_review", "_extract_answers", "_score")  # the plugin's own work in an episode


def question(group: int) -> str:
    return f"Janet ana mayai {16 + group}. Anakula 3 na anaoka keki kwa 4. Anauza mayai mangapi?"


def targets(distinct: int) -> list[str]:
    return [pam_response(f"{NAMES[i % distinct]} has 16 eggs. She eats 3 and bakes with 4. How many does she sell?",
                         SOLUTION) for i in range(GROUP)]


class AgentCpu:
    """Thread CPU time spent inside the agent's steps (:data:`AGENT_STEPS`), wherever they run."""

    def __init__(self):
        self.seconds = 0.0
        self._lock = threading.Lock()
        self._saved = {}

    def __enter__(self):
        for name in AGENT_STEPS:
            original = self._saved[name] = getattr(agent_module, name)

            @functools.wraps(original)
            def timed(*args, _original=original, **kwargs):
                started = time.thread_time()
                try:
                    return _original(*args, **kwargs)
                finally:
                    with self._lock:
                        self.seconds += time.thread_time() - started

            setattr(agent_module, name, timed)
        return self

    def __exit__(self, *exc):
        for name, original in self._saved.items():
            setattr(agent_module, name, original)


def run_group(engine, executor, prompt, label, params) -> tuple[list[dict], float]:
    """One group of 8 by OpenRLHF's ``generate_responses``; the results and the group's wall time."""
    async def group():
        started = time.perf_counter()
        results = await rollout_actor_class().generate_responses(
            engine.actor(executor), prompt=prompt, label=label, sampling_params=params, max_length=2048,
            hf_tokenizer=engine.tokenizer, num_samples=GROUP)
        return results, time.perf_counter() - started

    return engine.run(group())


def measure(llm: LocalEngine, work: Path, groups: int, k: int) -> dict:
    """Per distinct-translation count: median tokens and wall time per group, SRL and single-turn."""
    from openrlhf.utils.agent import SingleTurnAgentExecutor
    from vllm import SamplingParams

    srl = load_agent_executor(write_agent_file(work / "agent.py", AgentConfig(pivot_samples=k)))
    single = SingleTurnAgentExecutor(remote_rm_url=str(write_reward_file(work / "reward.py", RewardConfig())))
    params = SamplingParams(max_tokens=512, min_tokens=1, skip_special_tokens=False, logprobs=1)
    chat = [{"role": "user", "content": ""}]
    rows = {}
    for distinct in DISTINCT:
        figures = defaultdict(list)
        for index in range(groups):
            chat[0]["content"] = target_prompt(question(index + 100 * distinct), "sw")
            prompt = llm.tokenizer.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)
            guided = GuidedEngine(llm, targets(distinct), PIVOTS)
            with AgentCpu() as cpu:
                results, wall = run_group(guided, srl, prompt, make_label("sw"), params)
            figures["srl_target"].append(sum(end - start for start, end in (r["action_ranges"][0] for r in results)))
            figures["srl_pivot"].append(sum(r["extra_logs"]["pivot_tokens"] for r in results))
            figures["srl_wall"].append(wall)
            figures["srl_requests"].append(len(guided.of_kind(PIVOT)) + len(guided.of_kind(TARGET)))
            figures["plugin_cpu_share"].append(cpu.seconds / GROUP / wall)  # episodes of a group run concurrently
            plain = GuidedEngine(llm, targets(distinct), PIVOTS)
            label = label_with_pivot_answers(make_label("sw"), ["9"] * k)
            results, wall = run_group(plain, single, prompt, label, params)
            figures["single_target"].append(sum(end - start for start, end in (r["action_ranges"][0] for r in results)))
            figures["single_wall"].append(wall)
        rows[distinct] = {name: statistics.median(values) for name, values in figures.items()}
    return rows


def table(results: dict, k: int) -> str:
    lines = [
        "| prefix caching | distinct translations | SRL target tokens | SRL pivot tokens | single-turn tokens "
        "| token ratio | SRL wall (s) | single-turn wall (s) | wall ratio | plugin CPU share |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for caching, rows in results.items():
        for distinct, row in rows.items():
            tokens = row["srl_target"] + row["srl_pivot"]
            lines.append(
                f"| {caching} | {distinct} | {row['srl_target']:.0f} | {row['srl_pivot']:.0f} "
                f"| {row['single_target']:.0f} | {tokens / row['single_target']:.2f} | {row['srl_wall']:.2f} "
                f"| {row['single_wall']:.2f} | {row['srl_wall'] / row['single_wall']:.2f} "
                f"| {100 * row['plugin_cpu_share']:.2f}% |"
            )
    return f"Groups of {GROUP}, K = {k} (medians per group)\n\n" + "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=5, help="groups per setting (each on its own question)")
    parser.add_argument("--pivot-samples", type=int, default=4, help="K, the pivot answers per translation")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        model = build_tiny_model(work / "tiny-model")
        results = {}
        for caching in ("on", "off"):
            with LocalEngine(str(model), **engine_args(enable_prefix_caching=caching == "on")) as llm:
                measure(llm, work, 1, args.pivot_samples)  # warm-up: first requests compile the grammar backend
                results[caching] = measure(llm, work, args.groups, args.pivot_samples)
    print(table(results, args.pivot_samples))
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
