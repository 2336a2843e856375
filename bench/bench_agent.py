"""Benchmark the PASMR agent's orchestration on vLLM's serving path with a simulated engine core (no GPU).

The agent file is written by ``pasmr agent-file`` and loaded by OpenRLHF's own
``_load_agent_executor``; groups of samples are fanned out by OpenRLHF's own
``RolloutRayActor.generate_responses`` and generate through ``RolloutRayActor.generate`` and
vLLM's own ``AsyncLLM`` (output processor, detokenizer, parallel sampling), whose engine core
is the scripted ``EngineCore`` of ``tests/scripted_engine.py``: one token per running request per step,
``--latency`` seconds per step. Everything measured besides the steps is CPU work that a
real engine's event loop does too: vLLM's output processing and the agent's own work
(tokenizing with a real BPE tokenizer, language identification, scoring, thread hops).

Measured (all excluding generation):
  * the event loop's CPU time per episode and its longest single callback, with groups of 8
    samples running concurrently: what the agent costs the loop that drives a vLLM engine
    (garbage-collector pauses, a few ms in a process that holds torch, are reported apart:
    they land in whichever callback allocates);
  * the CPU time of all threads per episode (tokenizing the prompt, once per group, and the
    pivot prompt, language identification, answer extraction and scoring);
  * the wall time of one episode at a time outside the engine (median and p90): groups of one
    sample, so nothing is shared;
  * generation rounds per episode for K in 1, 4, 8, 16 (the target request plus one pivot
    request of n = K);
  * pivot generate calls per group of 8 samples whose translations are identical, or take
    2 or 4 distinct values (one call per distinct translation);
  * with ``--pivot-options``: the ways to ask for K pivot answers, on groups of 8 samples with
    distinct translations whose K pivot completions have different lengths (answers 18, 18, 20,
    18, ...): one n = K request streamed with vLLM's default output kind (what OpenRLHF's
    ``generate`` gets by default), one n = K request with ``FINAL_ONLY`` (what the agent asks
    for), and K requests of n = 1; CPU per episode, mean agreement (0.75 when all K vote) and
    completions received.

Run from the repo root (about a minute with vLLM installed: importing it takes most):
    python bench/bench_agent.py [--latency 0.001] [--episodes 200] [--pivot-options]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import gc
import itertools
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "tests"))  # the scripted engine core lives with the tests

from pasmr_plugin.openrlhf.config import AgentConfig  # noqa: E402
from pasmr_plugin.openrlhf.entry_files import write_agent_file  # noqa: E402
from pasmr_plugin.demo.openrlhf_runtime import SamplingParams, generate_responses, load_agent_executor  # noqa: E402
from pasmr_plugin.prompts import pam_response, target_prompt  # noqa: E402
from pasmr_plugin.demo.tiny_model import build_tiny_model  # noqa: E402
from scripted_engine import ScriptedEngine  # noqa: E402

QUESTION = "Janet ana mayai 16. Anakula 3 na anaoka keki kwa 4. Anauza mayai yaliyobaki kwa dola 2. Anapata dola ngapi?"
TRANSLATION = "Janet has 16 eggs. She eats 3 and bakes with 4. She sells the rest for $2 each. How much does she make?"
SOLUTION = (
    "Janet anabaki na mayai 16 - 3 - 4 = 9. Anayauza kwa dola 2 kila moja, kwa hiyo anapata 9 × 2 = 18. Jibu ni 18."
)
PIVOT = "She has 16 - 3 - 4 = 9 eggs left and sells them for 9 * 2 = 18 dollars. The answer is 18."
LABEL = '{"lang": "sw"}'
GROUP = 8


def scripted_engine(tokenizer, targets, latency):
    """Target prompts get ``targets`` in turn, pivot requests (every child of n = K) ``PIVOT``; ``latency`` s per step."""
    turns = itertools.count()

    def reply(prompt):
        return targets[next(turns) % len(targets)] if "<translation>" in prompt else PIVOT

    return ScriptedEngine(tokenizer, reply, step_seconds=latency)


def pivot_calls(engine) -> int:
    return sum(1 for prompt, _ in engine.calls if "<translation>" not in prompt)


class LoopTimer:
    """Measures the CPU time of every callback the event loop runs (one step of a task is one callback),
    and apart from it the pauses of Python's cyclic garbage collector, which land in whichever callback
    happens to allocate (``durations`` leave them out; ``gc_pauses`` lists them)."""

    def __init__(self):
        self.durations, self.gc_pauses = [], []
        self._original = asyncio.events.Handle._run

    def __enter__(self):
        original, durations, gc_pauses = self._original, self.durations, self.gc_pauses
        loop_thread, collecting = threading.get_ident(), []

        def timed(handle):  # CPU time of the loop's thread: waiting for the GIL does not count
            started, pauses = time.thread_time(), len(gc_pauses)
            original(handle)
            durations.append(time.thread_time() - started - sum(gc_pauses[pauses:]))

        def gc_callback(phase, info):
            if threading.get_ident() != loop_thread:
                return
            if phase == "start":
                collecting.append(time.thread_time())
            elif collecting:
                gc_pauses.append(time.thread_time() - collecting.pop())

        asyncio.events.Handle._run = timed
        gc.callbacks.append(gc_callback)
        self._gc_callback = gc_callback
        return self

    def __exit__(self, *exc):
        asyncio.events.Handle._run = self._original
        gc.callbacks.remove(self._gc_callback)


def translations(distinct: int) -> list[str]:
    """``distinct`` responses that differ only in their translation (the pivot answers stay valid)."""
    names = ["Janet", "Jane", "Amina", "Neema", "Maria", "Rosa", "Lucy", "Grace"]
    return [pam_response(TRANSLATION.replace("Janet", names[i]), SOLUTION) for i in range(distinct)]


def gather_groups(executor, engine, tokenizer, prompt, groups, group_size):
    """A coroutine: ``groups`` groups of ``group_size`` samples, all in flight at once, one memo per group."""
    params = SamplingParams(max_tokens=512, logprobs=1)
    prompts = [prompt + "\n" * index for index in range(groups)]
    runs = [generate_responses(executor, engine, p, LABEL, params, 2048, tokenizer, group_size) for p in prompts]

    async def gathered():
        return [result for group in await asyncio.gather(*runs) for result in group]

    return gathered()


def run_groups(executor, engine, tokenizer, prompt, groups, group_size):
    return asyncio.run(gather_groups(executor, engine, tokenizer, prompt, groups, group_size))


def overhead(executor, tokenizer, prompt, latency, episodes):
    """Sequential episodes on one event loop: wall time minus time inside the engine, per episode, in ms."""
    params = SamplingParams(max_tokens=512, logprobs=1)

    async def main():
        samples = []
        for _ in range(episodes):
            engine = scripted_engine(tokenizer, translations(1), latency)
            started = time.perf_counter()
            [result] = await generate_responses(executor, engine, prompt, LABEL, params, 2048, tokenizer, 1)
            samples.append((time.perf_counter() - started - engine.generating) * 1000)
            assert result["reward"] == 1.0, result["extra_logs"]
        return samples

    return asyncio.run(main())


def concurrent_costs(executor, tokenizer, prompt, latency, groups):
    """Concurrent groups of GROUP samples with distinct translations (every episode does all the work), in ms:
    CPU time of the whole process per episode, event-loop CPU time per episode (garbage collection
    included), longest loop callback and longest garbage-collector pause on the loop (apart).

    A first round on the same loop starts its worker threads, as a long-running engine has them."""

    async def measured():
        await gather_groups(executor, engine, tokenizer, prompt, groups, GROUP)
        started = time.process_time()
        with LoopTimer() as timer:
            results = await gather_groups(executor, engine, tokenizer, prompt, groups, GROUP)
        cpu = (time.process_time() - started) * 1000 / len(results)
        loop = (sum(timer.durations) + sum(timer.gc_pauses)) * 1000 / len(results)
        return cpu, loop, max(timer.durations) * 1000, max(timer.gc_pauses, default=0.0) * 1000

    engine = scripted_engine(tokenizer, translations(GROUP), latency)
    return asyncio.run(measured())


OPTION_PIVOTS = (
    "9 * 2 = 18. The answer is 18.",
    "She has 16 - 3 - 4 = 9 eggs left and sells them for 9 * 2 = 18 dollars. The answer is 18.",
    "16 - 3 - 3 = 10 and 10 * 2 = 20. The answer is 20.",
    "Janet starts with 16 eggs, eats 3 and bakes with 4, so 16 - 3 - 4 = 9 eggs are left. "
    "She sells each for 2 dollars: 9 * 2 = 18. The answer is 18.",
)


def pivot_request_options(work, tokenizer, prompt, groups=4, repeats=3) -> dict:
    """CPU per episode (median of ``repeats`` runs), mean agreement and completions received per option."""
    from pasmr_plugin.openrlhf import agent as agent_module

    final_only = agent_module._generate_pivot_answers

    async def streamed(engine, prompt_ids, params, config):
        params.output_kind = type(params.output_kind).CUMULATIVE
        return await final_only(engine, prompt_ids, params, config)

    async def k_requests(engine, prompt_ids, params, config):
        one = copy.deepcopy(params)
        one.n, one.output_kind = 1, type(params.output_kind).CUMULATIVE
        results = await asyncio.gather(*(engine.generate(prompt_ids, one) for _ in range(params.n)))
        completions = [(result.outputs[0].text, result.outputs[0].finish_reason == "length") for result in results]
        tokens = sum(len(result.outputs[0].token_ids) for result in results)
        return agent_module._PivotAnswers(agent_module._extract_answers(completions, config), tokens, params.n)

    options = {"streamed n=K (vLLM default)": streamed, "FINAL_ONLY n=K (the agent)": final_only,
               "K requests of n=1": k_requests}
    report = {}
    try:
        for k in (4, 8):
            executor = load_agent_executor(write_agent_file(work / f"options_k{k}.py", AgentConfig(pivot_samples=k)))
            for name, option in options.items():
                agent_module._generate_pivot_answers = option
                cpus = []
                for _ in range(repeats):
                    turns = itertools.count()
                    targets = translations(GROUP)

                    def reply(text, turns=turns, targets=targets):
                        if "<translation>" in text:
                            return targets[next(turns) % len(targets)]
                        return OPTION_PIVOTS[next(turns) % len(OPTION_PIVOTS)]

                    engine = ScriptedEngine(tokenizer, reply)
                    started = time.process_time()
                    results = run_groups(executor, engine, tokenizer, prompt, groups, GROUP)
                    cpus.append((time.process_time() - started) * 1000 / len(results))
                report[f"K={k} {name}"] = {
                    "cpu_ms_per_episode": statistics.median(cpus),
                    "agreement": statistics.mean(r["extra_logs"]["agreement"] for r in results),
                    "pivot_received": statistics.mean(r["extra_logs"]["pivot_received"] for r in results),
                    "engine_core_requests": len(engine.core.requests),
                }
    finally:
        agent_module._generate_pivot_answers = final_only
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.001, help="simulated engine core time per step (s)")
    parser.add_argument("--episodes", type=int, default=200, help="episodes run one at a time")
    parser.add_argument("--pivot-options", action="store_true", help="only compare the ways to ask for K answers")
    options = parser.parse_args()

    from transformers import AutoTokenizer

    work = Path(tempfile.mkdtemp(prefix="pasmr-bench-"))
    tokenizer = AutoTokenizer.from_pretrained(build_tiny_model(work / "tiny"))
    messages = [{"role": "user", "content": target_prompt(QUESTION, "sw")}]
    prompt = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    prompt_ids = tokenizer(text=prompt, add_special_tokens=False)["input_ids"]

    def executor(k):
        return load_agent_executor(write_agent_file(work / f"agent_k{k}.py", AgentConfig(pivot_samples=k)))

    if options.pivot_options:
        report = pivot_request_options(work, tokenizer, prompt)
        print(f"Ways to ask for K pivot answers (groups of {GROUP} distinct translations, vLLM's serving path):")
        for name, row in report.items():
            print(f"  {name:<40} {row['cpu_ms_per_episode']:6.2f} ms CPU/episode, agreement {row['agreement']:.3f}, "
                  f"{row['pivot_received']:.2f} completions received, {row['engine_core_requests']} engine-core requests")
        print(json.dumps(report))
        return

    agent = executor(4)
    overhead(agent, tokenizer, prompt, 0.0, 5)  # warm-up: language-id model, caches
    samples = overhead(agent, tokenizer, prompt, 0.0, options.episodes)
    cpu, per_episode_loop, longest, longest_gc = concurrent_costs(agent, tokenizer, prompt, options.latency, 8)

    rounds = {}
    for k in (1, 4, 8, 16):
        engine = scripted_engine(tokenizer, translations(1), options.latency)
        results = run_groups(executor(k), engine, tokenizer, prompt, 4, 1)
        rounds[k] = len(engine.calls) / len(results)

    calls = {}
    for distinct in (1, 2, 4):
        engine = scripted_engine(tokenizer, translations(distinct), options.latency)
        run_groups(agent, engine, tokenizer, prompt, 1, GROUP)
        calls[distinct] = pivot_calls(engine)

    report = {
        "latency_ms": options.latency * 1000,
        "prompt_tokens": len(prompt_ids),
        "sequential_overhead_ms_median": statistics.median(samples),
        "sequential_overhead_ms_p90": statistics.quantiles(samples, n=10)[-1],
        "cpu_ms_per_episode": cpu,
        "event_loop_ms_per_episode": per_episode_loop,
        "longest_loop_callback_ms": longest,
        "longest_loop_gc_pause_ms": longest_gc,
        "generation_rounds_per_episode": rounds,
        f"pivot_calls_per_group_of_{GROUP}_by_distinct_translations": calls,
    }
    print(f"PASMR agent orchestration, excluding generation (fake engine; K=4; {len(prompt_ids)}-token prompt)")
    print(f"  event loop, per episode: {per_episode_loop:.3f} ms CPU; longest single callback {longest:.3f} ms"
          f" (GC pauses apart: longest {longest_gc:.3f} ms)"
          f"  ({GROUP * 8} concurrent episodes, {report['latency_ms']:g} ms per request)")
    print(f"  all threads, per episode: {cpu:.3f} ms CPU (prompt tokenized once per group of {GROUP}, pivot prompt, "
          "language id, scoring)")
    print(f"  one episode at a time: {report['sequential_overhead_ms_median']:.2f} ms median, "
          f"{report['sequential_overhead_ms_p90']:.2f} ms p90 wall time outside the engine (CPU work + 2 thread hops)")
    print("  generation rounds per episode: " + ", ".join(f"K={k}: {value:g}" for k, value in rounds.items()))
    print(f"  pivot generate calls per group of {GROUP}: "
          + ", ".join(f"{d} distinct translation(s): {count}" for d, count in calls.items()))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
