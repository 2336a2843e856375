"""OpenRLHF's rollout actor without Ray: a vLLM engine in this process that runs PASMR episodes.

In training, each vLLM engine is a ``RolloutRayActor``: it holds a vLLM ``AsyncLLM`` built from
``AsyncEngineArgs``, runs a prompt's samples with ``generate_responses`` and hands itself to the
agent as ``llm_engine``, whose ``generate`` streams ``AsyncLLM.generate`` and returns the last
output. :class:`LocalEngine` is that actor in one process, for ``pasmr signal``, the demo and the
tests: the same ``AsyncLLM``, OpenRLHF's own ``generate`` and ``generate_responses``, and an event
loop of its own (in a thread) on which the episodes run beside the engine, as in the actor.

>>> with LocalEngine("Qwen/Qwen2.5-1.5B-Instruct", dtype="bfloat16") as engine:  # doctest: +SKIP
...     group = engine.run(engine.generate_responses(executor, prompt, label, params, 2048, engine.tokenizer, 8))
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_MAX_MODEL_LEN = 4096


def rollout_actor_class() -> type:
    """OpenRLHF's ``RolloutRayActor`` as the class OpenRLHF wrote (Ray's ``@ray.remote`` wraps it)."""
    from openrlhf.trainer.ray.vllm_engine import RolloutRayActor

    return getattr(RolloutRayActor, "__ray_actor_class__", RolloutRayActor)


class LocalEngine:
    """A vLLM ``AsyncLLM`` for ``model`` with the interface OpenRLHF's rollout actor gives agents.

    ``engine_args`` go to vLLM's ``AsyncEngineArgs`` as OpenRLHF's ``create_vllm_engines`` passes
    them (``seed``, ``dtype``, ``max_model_len``, ``enable_prefix_caching``, ``enforce_eager``, ...).
    Coroutines that use the engine run on its loop: :meth:`run`.
    """

    def __init__(
        self,
        model: str,
        *,
        seed: int = 0,
        dtype: str = "auto",
        max_model_len: int = DEFAULT_MAX_MODEL_LEN,
        enable_prefix_caching: bool = True,
        enforce_eager: bool = False,
        **engine_args: Any,
    ):
        from transformers import AutoTokenizer

        self.model = str(model)
        self.tokenizer = AutoTokenizer.from_pretrained(self.model, trust_remote_code=True)
        self._mm_pad_token_ids = None  # read by OpenRLHF's generate (multimodal prompts only)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pasmr-vllm-engine", daemon=True)
        self._thread.start()
        args = dict(
            model=self.model,
            seed=seed,
            dtype=dtype,
            max_model_len=max_model_len,
            enable_prefix_caching=enable_prefix_caching,
            enforce_eager=enforce_eager,
            trust_remote_code=True,
            **engine_args,
        )
        try:
            self.llm = self.run(self._start(args))
        except BaseException:
            self._stop_loop()
            raise

    @staticmethod
    async def _start(args: dict):
        import vllm

        return vllm.AsyncLLMEngine.from_engine_args(vllm.AsyncEngineArgs(**args))

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run ``coroutine`` on the engine's event loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        """OpenRLHF's ``RolloutRayActor.generate``: the last ``RequestOutput`` of the request's stream."""
        return await rollout_actor_class().generate(self, prompt_token_ids, sampling_params, multi_modal_data)

    async def generate_responses(
        self, executor, prompt, label, sampling_params, max_length: int, tokenizer, num_samples: int = 1
    ) -> list[dict]:
        """OpenRLHF's ``RolloutRayActor.generate_responses``: ``num_samples`` episodes of ``prompt`` on
        ``executor``, concurrently."""
        actor = _ActorView(self, executor)
        return await rollout_actor_class().generate_responses(
            actor,
            prompt=prompt,
            label=label,
            sampling_params=sampling_params,
            max_length=max_length,
            hf_tokenizer=tokenizer,
            num_samples=num_samples,
        )

    def close(self) -> None:
        """Shut the engine down (its processes end) and stop its loop.

        The engine's tasks on the loop (vLLM's output handler) are cancelled first: vLLM's own ``shutdown``
        stops the engine core before it cancels the handler, which then logs the core it sees die.
        """
        llm, self.llm = getattr(self, "llm", None), None
        if llm is not None:
            if self._loop.is_running():
                self.run(_cancel_other_tasks())
            llm.shutdown()
        self._stop_loop()

    def _stop_loop(self) -> None:
        if self._loop.is_running():
            self.run(_cancel_other_tasks())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
        if not self._loop.is_closed():
            self._loop.close()

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


async def _cancel_other_tasks() -> None:
    current = asyncio.current_task()
    tasks = [task for task in asyncio.all_tasks() if task is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class _ActorView:
    """The rollout actor as ``generate_responses`` sees it: an ``executor`` and ``self`` as ``llm_engine``."""

    def __init__(self, engine: LocalEngine, executor):
        self.executor = executor
        self._engine = engine

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        return await self._engine.generate(prompt_token_ids, sampling_params, multi_modal_data)
