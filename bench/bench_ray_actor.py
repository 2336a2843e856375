"""OpenRLHF's vLLM engine actor on CPU: how long until the first group, and each group after it.

The rollout as ``train_ppo_ray`` runs it, unmodified: a local Ray with one declared GPU, OpenRLHF 0.11.2's
``create_vllm_engines`` (vLLM 0.29.0's CPU build inside a ``RolloutRayActor``; OpenRLHF forces bfloat16),
the agent file of ``pasmr agent-file --pivot-samples 4``, and ``generate_responses`` for prompts of the
demo (4 samples each, up to 160 tokens, temperature 1). Two settings of the job's runtime env:

- ``default``: vLLM's CPU KV cache takes ``gpu_memory_utilization`` (0.5) of the machine's memory;
- ``kv-1GiB``: ``pasmr runtime-env --cpu-kv-cache-gib 1`` (``VLLM_CPU_KVCACHE_SPACE=1``).

Printed per setting: seconds until the first group's results (engine start included) and the median seconds
of the later groups. Needs a demo output folder (``pasmr
demo --output DIR``: ``DIR/tiny-pam-model`` and ``DIR/episodes/demo_prompts.jsonl``).

    python bench/bench_ray_actor.py DIR [--groups 4]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

SETTINGS = {"default": None, "kv-1GiB": 1}


def run_setting(demo: Path, kv_cache_gib: int | None, groups: int) -> dict:
    """One Ray session: the engine actor, then ``groups`` groups one after another."""
    import ray
    from openrlhf.trainer.ray.vllm_engine import create_vllm_engines
    from transformers import AutoTokenizer
    from vllm import SamplingParams

    from pasmr_plugin.openrlhf.config import AgentConfig
    from pasmr_plugin.openrlhf.entry_files import write_agent_file
    from pasmr_plugin.openrlhf.runtime_env import runtime_env

    model = demo / "tiny-pam-model"
    rows = [json.loads(line) for line in (demo / "episodes" / "demo_prompts.jsonl").read_text().splitlines()]
    tokenizer = AutoTokenizer.from_pretrained(model)
    params = SamplingParams(max_tokens=160, temperature=1.0, skip_special_tokens=False, logprobs=1)
    with tempfile.TemporaryDirectory() as tmp:
        agent = Path(tmp) / "pasmr_agent.py"
        write_agent_file(agent, AgentConfig(pivot_samples=4))
        env = runtime_env(cpu_kv_cache_gib=kv_cache_gib)
        ray.init(num_cpus=2, num_gpus=1, runtime_env={"env_vars": env.get("env_vars", {})}, include_dashboard=False,
                 _temp_dir=str(Path(tmp) / "ray"))
        try:
            started = time.perf_counter()
            [engine] = create_vllm_engines(
                num_engines=1, tensor_parallel_size=1, pretrain=str(model), seed=0, full_determinism=True,
                enable_prefix_caching=True, enforce_eager=True, max_model_len=1024, gpu_memory_utilization=0.5,
                agent_func_path=str(agent))
            times = []
            for index in range(groups):
                row = rows[index % len(rows)]
                prompt = tokenizer.apply_chat_template([{"role": "user", "content": row["prompt"]}], tokenize=False,
                                                       add_generation_prompt=True)
                ray.get(engine.generate_responses.remote(prompt=prompt, label=row["label"], sampling_params=params,
                                                         max_length=1024, hf_tokenizer=tokenizer, num_samples=4))
                times.append(time.perf_counter() - started)
                started = time.perf_counter()
        finally:
            ray.shutdown()
    return {"first_group_s": times[0], "later_group_median_s": statistics.median(times[1:])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("demo", type=Path, help="the output folder of `pasmr demo`")
    parser.add_argument("--groups", type=int, default=4, help="groups per setting (the first includes the start)")
    args = parser.parse_args()
    results = {name: run_setting(args.demo, gib, args.groups) for name, gib in SETTINGS.items()}
    print("| runtime env | first group (s, engine start included) | later groups, median (s) |")
    print("|---|---:|---:|")
    for name, row in results.items():
        print(f"| {name} | {row['first_group_s']:.1f} | {row['later_group_median_s']:.2f} |")


if __name__ == "__main__":
    main()
