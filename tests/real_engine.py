"""The real vLLM engine the tests share, and a way to make it write chosen texts.

:func:`real_engine` is one :class:`~pasmr_plugin.openrlhf.engine.LocalEngine` per test session: vLLM
0.29.0 (its CPU build) serving the tiny random Qwen2 in float32, OpenRLHF's own ``generate`` and
``generate_responses``. It really samples, schedules, fans ``n = K`` out, stops at end-of-sequence,
cuts at ``max_tokens``, aborts and caches prefixes.

A random model writes gibberish; :class:`GuidedEngine` makes it write chosen texts with vLLM's
structured outputs: each target request is held to one text (a ``choice`` of one), each pivot
request to a ``choice`` among the pivot texts, which each of its K completions samples from
(seeded: vLLM seeds child ``i`` of a request with ``seed + i``). What came back is recorded, so a
test can compute what the agent should make of it.

Imported by the test modules that need it (not a conftest). Without vLLM the importing module is
skipped, except under CI (``CI`` set), where a missing vLLM fails the run.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from openrlhf_fixtures import is_target_prompt

from pasmr_plugin.demo.openrlhf_runtime import is_installed


def require_vllm() -> None:
    """Skip the calling module without vLLM, or fail it under CI (``make test`` installs vLLM)."""
    if is_installed("vllm"):
        return
    if os.environ.get("CI"):
        pytest.fail("CI: vLLM is not installed, so the real-engine tests cannot run (make test installs it)",
                    pytrace=False)
    pytest.skip("vLLM is not installed (make test installs it)", allow_module_level=True)


TEST_KV_CACHE_BYTES = 128 * 2**20
"""The tiny model needs about 1 KiB of KV cache per token: 128 MiB hold 64 concurrent episodes. vLLM's CPU
default (a share of the machine's memory) takes 40 s to set up; this takes milliseconds."""

TARGET, PIVOT = "target", "pivot"


def engine_args(**overrides) -> dict:
    """The engine arguments of the tests' engines: float32 (bfloat16 is about 10x slower on CPU), eager."""
    return {"dtype": "float32", "max_model_len": 4096, "kv_cache_memory_bytes": TEST_KV_CACHE_BYTES,
            "enforce_eager": True, "seed": 0, **overrides}


@pytest.fixture(scope="session")
def real_engine(tiny_model_dir):
    require_vllm()
    from pasmr_plugin.openrlhf.engine import LocalEngine

    engine = LocalEngine(str(tiny_model_dir), **engine_args())
    yield engine
    engine.close()


@dataclass
class Request:
    """One request the agent made: target or pivot, its prompt text, ``n``, its params as sent, its final output."""

    kind: str
    prompt: str
    n: int
    params: object
    output: object = None

    @property
    def texts(self) -> list[str]:
        return [completion.text for completion in self.output.outputs] if self.output is not None else []


@dataclass
class GuidedEngine:
    """The shared engine, held to chosen texts: target request ``i`` writes ``targets[i % len(targets)]``,
    each completion of a pivot request one of ``pivots`` (vLLM's structured outputs)."""

    engine: object
    targets: Sequence[str]
    pivots: Sequence[str]
    requests: list[Request] = field(default_factory=list)

    @property
    def tokenizer(self):
        return self.engine.tokenizer

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        from vllm.sampling_params import StructuredOutputsParams

        params = copy.deepcopy(sampling_params)
        prompt = self.tokenizer.decode(prompt_token_ids)
        kind = TARGET if is_target_prompt(prompt) else PIVOT
        if kind == TARGET:
            choice = [self.targets[sum(r.kind == TARGET for r in self.requests) % len(self.targets)]]
        else:
            choice = list(dict.fromkeys(self.pivots))
        params.structured_outputs = StructuredOutputsParams(choice=choice)
        request = Request(kind, prompt, params.n, params)
        self.requests.append(request)
        request.output = await self.engine.generate(prompt_token_ids, params, multi_modal_data)
        return request.output

    def of_kind(self, kind: str) -> list[Request]:
        return [request for request in self.requests if request.kind == kind]

    @property
    def calls(self) -> list[tuple[str, int]]:
        """Each request as ``(prompt text, n)``, in the order the agent made them."""
        return [(request.prompt, request.n) for request in self.requests]

    def run(self, coroutine):
        """Run ``coroutine`` on the engine's event loop (where OpenRLHF's actor runs its episodes)."""
        return self.engine.run(coroutine)

    def actor(self, executor) -> SimpleNamespace:
        """What OpenRLHF's ``generate_responses`` takes as ``self``: the executor and this engine's ``generate``."""
        return SimpleNamespace(executor=executor, generate=self.generate)
