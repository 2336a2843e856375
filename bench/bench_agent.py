"""Benchmark the PASMR agent's orchestration against a fake engine of fixed latency (no GPU).

The agent file is written by ``pasmr agent-file`` and loaded by OpenRLHF's own
``_load_agent_executor``; groups of samples are fanned out by OpenRLHF's own
``RolloutRayActor.generate_responses``. The engine returns precomputed vLLM-shaped outputs
after ``--latency`` seconds, so everything measured besides that latency is the agent's own
work (tokenizing with a real BPE tokenizer, language identification, scoring, thread hops).

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
    2 or 4 distinct values (one call per distinct translation).

Run from the repo root (about 30 s, most of it building the tiny tokenizer and model):
    python bench/bench_agent.py [--latency 0.005] [--episodes 200]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from pasmr_plugin.openrlhf.config import AgentConfig  # noqa: E402
from pasmr_plugin.demo.engines import CompletionOutput, Logprob, RequestOutput  # noqa: E402
from pasmr_plugin.openrlhf.entry_files import write_agent_file  # noqa: E402
from pasmr_plugin.demo.openrlhf_runtime import SamplingParams, generate_responses, load_agent_executor  # noqa: E402
from pasmr_plugin.prompts import pam_response, target_prompt  # noqa: E402
from pasmr_plugin.demo.tiny_model import build_tiny_model  # noqa: E402

QUESTION = "Janet ana mayai 16. Anakula 3 na anaoka keki kwa 4. Anauza mayai yaliyobaki kwa dola 2. Anapata dola ngapi?"
TRANSLATION = "Janet has 16 eggs. She eats 3 and bakes with 4. She sells the rest for $2 each. How much does she make?"
SOLUTION = (
    "Janet anabaki na mayai 16 - 3 - 4 = 9. Anayauza kwa dola 2 kila moja, kwa hiyo anapata 9 × 2 = 18. Jibu ni 18."
)
PIVOT = "She has 16 - 3 - 4 = 9 eggs left and sells them for 9 * 2 = 18 dollars. The answer is 18."
LABEL = '{"lang": "sw"}'
GROUP = 8


class FixedLatencyEngine:
    """Answers target requests with ``targets`` (in turn) and pivot requests with ``PIVOT``, after ``latency`` s.

    The benchmark asks for logprobs and the agent never does for pivot answers: that tells them apart.
    """

    def __init__(self, tokenizer, targets, latency):
        self.latency = latency
        self.targets = [self._output(tokenizer, text) for text in targets]
        self.pivot = self._output(tokenizer, PIVOT)
        self.calls, self.inside, self._turn = [], 0.0, 0

    @staticmethod
    def _output(tokenizer, text):
        ids = tokenizer(text=text, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
        return CompletionOutput(0, text, ids, "stop", [{token: Logprob(-0.5)} for token in ids])

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        started = time.perf_counter()
        target = sampling_params.logprobs is not None
        self.calls.append("target" if target else "pivot")
        await asyncio.sleep(self.latency)
        if target:
            output, self._turn = self.targets[self._turn % len(self.targets)], self._turn + 1
            outputs = [output]
        else:
            outputs = [self.pivot] * sampling_params.n
        self.inside += time.perf_counter() - started
        return RequestOutput(list(prompt_token_ids), outputs)


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
            engine = FixedLatencyEngine(tokenizer, translations(1), latency)
            started = time.perf_counter()
            [result] = await generate_responses(executor, engine, prompt, LABEL, params, 2048, tokenizer, 1)
            samples.append((time.perf_counter() - started - engine.inside) * 1000)
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

    engine = FixedLatencyEngine(tokenizer, translations(GROUP), latency)
    return asyncio.run(measured())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.005, help="fake engine latency per request (s)")
    parser.add_argument("--episodes", type=int, default=200, help="episodes run one at a time")
    options = parser.parse_args()

    from transformers import AutoTokenizer

    work = Path(tempfile.mkdtemp(prefix="pasmr-bench-"))
    tokenizer = AutoTokenizer.from_pretrained(build_tiny_model(work / "tiny"))
    messages = [{"role": "user", "content": target_prompt(QUESTION, "sw")}]
    prompt = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    prompt_ids = tokenizer(text=prompt, add_special_tokens=False)["input_ids"]

    def executor(k):
        return load_agent_executor(write_agent_file(work / f"agent_k{k}.py", AgentConfig(pivot_samples=k)))

    agent = executor(4)
    overhead(agent, tokenizer, prompt, 0.0, 5)  # warm-up: language-id model, caches
    samples = overhead(agent, tokenizer, prompt, 0.0, options.episodes)
    cpu, per_episode_loop, longest, longest_gc = concurrent_costs(agent, tokenizer, prompt, options.latency, 8)

    rounds = {}
    for k in (1, 4, 8, 16):
        engine = FixedLatencyEngine(tokenizer, translations(1), options.latency)
        results = run_groups(executor(k), engine, tokenizer, prompt, 4, 1)
        rounds[k] = len(engine.calls) / len(results)

    pivot_calls = {}
    for distinct in (1, 2, 4):
        engine = FixedLatencyEngine(tokenizer, translations(distinct), options.latency)
        run_groups(agent, engine, tokenizer, prompt, 1, GROUP)
        pivot_calls[distinct] = engine.calls.count("pivot")

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
        f"pivot_calls_per_group_of_{GROUP}_by_distinct_translations": pivot_calls,
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
          + ", ".join(f"{d} distinct translation(s): {calls}" for d, calls in pivot_calls.items()))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
