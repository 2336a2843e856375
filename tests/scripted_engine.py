"""A scripted engine core under vLLM's real serving code, for what a real engine cannot be made to do on demand.

The real engine (:mod:`real_engine`) serves every test it can. What it cannot do on demand is fail:
a completion that errors in the engine after a few tokens, an engine core that dies in the middle
of a group, a request that hangs until the test releases it, a tokenizer that breaks. For those,
:class:`EngineCore` stands in for vLLM's engine core (the GPU process) and only for it: every step
it emits one token for each running request, each request with its own scripted tokens,
finishing on end-of-sequence (``stop``) or ``max_tokens`` (``length``), aborted on request,
failing when told to. In front of it runs vLLM's own ``AsyncLLM`` (its ``OutputProcessor``,
detokenizer, logprobs processor and parallel-sampling fan-out), built around the core by
:func:`vllm_async_llm`, and OpenRLHF's own ``RolloutRayActor.generate`` on top.

:class:`ScriptedEngine` answers each request (each child of an ``n = K`` request) with the text a
function chooses, and records each request as ``(prompt text, n)`` in ``calls``.

>>> engine = ScriptedEngine(tokenizer, lambda prompt: "Jibu ni 7.")  # doctest: +SKIP
>>> output = await engine.generate(prompt_ids, SamplingParams(n=4, max_tokens=64))  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from pasmr_plugin.openrlhf.chat import token_ids
from pasmr_plugin.openrlhf.engine import rollout_actor_class

FINISH_STOP, FINISH_LENGTH, FINISH_ABORT, FINISH_ERROR = "stop", "length", "abort", "error"


class EngineDead(RuntimeError):
    """The simulated engine core died (vLLM raises its ``EngineDeadError`` in its place)."""


@dataclass(frozen=True)
class Reply:
    """What one request generates: ``text`` (tokenized by the core) or ``token_ids``, then end-of-sequence.

    ``logprobs`` are the sampled tokens' logprobs (``EngineCore.logprob`` each when None);
    ``error_after`` makes the core fail the request (finish reason ``error``) after that many tokens.
    """

    text: str | None = None
    token_ids: Sequence[int] | None = None
    logprobs: Sequence[float] | None = None
    error_after: int | None = None


@dataclass
class _Running:
    request_id: str
    tokens: list[int]
    logprobs: list[float]
    params: object
    stop_ids: frozenset
    error_after: int | None
    emitted: int = 0


@dataclass(frozen=True)
class StepOutput:
    """One request's token of one step (and its finish reason when it is the last)."""

    request_id: str
    token: int
    logprob: float
    finish: str | None
    want_logprobs: bool


class EngineCore:
    """vLLM's engine core reduced to what the serving code sees: one token per running request per step.

    ``script(prompt_ids, params)`` gives each request its :class:`Reply` (in a worker thread when
    ``script_in_thread``: a script that runs a model; a scripted text joins the running requests
    at once, as a request sent to vLLM's engine core joins its next step). A request finishes when its next token is a stop token (the
    tokenizer's end-of-sequence, after ``min_tokens``), or after ``max_tokens`` tokens.
    ``step_seconds`` is the time one step takes; ``die_at_step`` kills the core at that step.
    """

    logprob = -0.5

    def __init__(self, tokenizer, script: Callable, *, step_seconds: float = 0.0, script_in_thread: bool = False):
        self.tokenizer = tokenizer
        self.script = script
        self.script_in_thread = script_in_thread
        self.step_seconds = step_seconds
        self.die_at_step: int | None = None
        self.steps = 0
        self.requests: list[tuple[list[int], object]] = []  # (prompt ids, params) of every core request
        self.aborted: list[str] = []
        self.dead = False
        self._running: dict[str, _Running] = {}
        self._work: asyncio.Event | None = None

    def _event(self) -> asyncio.Event:
        loop = asyncio.get_running_loop()
        if self._work is None or getattr(self._work, "_pasmr_loop", None) is not loop:
            self._work = asyncio.Event()
            self._work._pasmr_loop = loop
        return self._work

    async def add(self, request_id: str, prompt_ids: Sequence[int], params) -> None:
        if self.script_in_thread:
            reply = await asyncio.to_thread(self.script, list(prompt_ids), params)
        else:
            reply = self.script(list(prompt_ids), params)
        reply = Reply(reply) if isinstance(reply, str) else reply
        tokens = list(reply.token_ids) if reply.token_ids is not None else token_ids(self.tokenizer, reply.text or "")
        logprobs = list(reply.logprobs) if reply.logprobs is not None else []
        eos = self.tokenizer.eos_token_id
        stop_ids = frozenset(getattr(params, "all_stop_token_ids", None) or ({eos} if eos is not None else ()))
        self.requests.append((list(prompt_ids), params))
        self._running[request_id] = _Running(request_id, tokens, logprobs, params, stop_ids, reply.error_after)
        self._event().set()

    def abort(self, request_ids) -> None:
        for request_id in request_ids:
            if self._running.pop(request_id, None) is not None:
                self.aborted.append(request_id)

    def _next(self, run: _Running) -> StepOutput:
        eos = self.tokenizer.eos_token_id
        position = run.emitted
        token = run.tokens[position] if position < len(run.tokens) else eos
        logprob = run.logprobs[position] if position < len(run.logprobs) else self.logprob
        run.emitted += 1
        finish = None
        if run.error_after is not None and run.emitted > run.error_after:
            finish = FINISH_ERROR
        elif token in run.stop_ids and run.emitted > (getattr(run.params, "min_tokens", 0) or 0):
            finish = FINISH_STOP
        elif run.params.max_tokens is not None and run.emitted >= run.params.max_tokens:
            finish = FINISH_LENGTH
        return StepOutput(run.request_id, token, logprob, finish, getattr(run.params, "logprobs", None) is not None)

    async def step(self) -> list[StepOutput]:
        """Wait for work, then run one step: a token for every running request."""
        work = self._event()
        while not self._running:
            work.clear()
            await work.wait()
        await asyncio.sleep(self.step_seconds)
        self.steps += 1
        if self.die_at_step is not None and self.steps >= self.die_at_step:
            self.dead = True
            raise EngineDead(f"the engine core died at step {self.steps}")
        outputs = [self._next(run) for run in list(self._running.values())]
        for output in outputs:
            if output.finish is not None:
                del self._running[output.request_id]
        return outputs


# --- vLLM's own AsyncLLM around the simulated core --------------------------------------------------------


class _CoreClient:
    """The engine-core client interface AsyncLLM talks to (``AsyncMPClient`` on a GPU machine)."""

    def __init__(self, core: EngineCore):
        from vllm.v1.engine import EngineCoreOutput, EngineCoreOutputs, FinishReason
        from vllm.v1.outputs import LogprobsLists

        self.core = core
        self.resources = SimpleNamespace(engine_dead=False)
        self.engine_ranks_managed = [0]
        self._types = EngineCoreOutput, EngineCoreOutputs, FinishReason, LogprobsLists

    async def get_supported_tasks_async(self):
        return ("generate",)

    async def add_request_async(self, request) -> None:
        await self.core.add(request.request_id, request.prompt_token_ids, request.sampling_params)

    async def abort_requests_async(self, request_ids) -> None:
        self.core.abort(request_ids)

    async def get_output_async(self):
        import numpy as np
        from vllm.v1.engine.exceptions import EngineDeadError

        output_type, outputs_type, finish_reason, logprobs_lists = self._types
        try:
            steps = await self.core.step()
        except EngineDead as error:
            self.resources.engine_dead = True
            raise EngineDeadError() from error
        finishes = {
            FINISH_STOP: finish_reason.STOP,
            FINISH_LENGTH: finish_reason.LENGTH,
            FINISH_ERROR: finish_reason.ERROR,
            None: None,
        }
        outputs = []
        for step in steps:
            logprobs = None
            if step.want_logprobs:
                logprobs = logprobs_lists(
                    np.array([[step.token]]), np.array([[step.logprob]], dtype=np.float32), np.array([1])
                )
            outputs.append(
                output_type(
                    request_id=step.request_id,
                    new_token_ids=[step.token],
                    new_logprobs=logprobs,
                    finish_reason=finishes[step.finish],
                )
            )
        return outputs_type(outputs=outputs, timestamp=time.monotonic())

    def shutdown(self, timeout=None) -> None:
        pass


class _TokenPromptProcessor:
    """What vLLM's ``InputProcessor.process_inputs`` does with a token prompt of a text-only model."""

    def __init__(self, tokenizer, max_model_len: int):
        from vllm.v1.engine.input_processor import InputProcessor

        self.tokenizer = tokenizer
        self.max_model_len = max_model_len
        self.assign_request_id = InputProcessor.assign_request_id

    def process_inputs(self, request_id, prompt, params, supported_tasks=(), arrival_time=None, **kwargs):
        from vllm.v1.engine import EngineCoreRequest

        prompt_ids = list(prompt["prompt_token_ids"])
        if len(prompt_ids) >= self.max_model_len:
            raise ValueError(f"prompt of {len(prompt_ids)} tokens does not fit max_model_len {self.max_model_len}")
        sampling = params.clone()
        if sampling.max_tokens is None:
            sampling.max_tokens = self.max_model_len - len(prompt_ids)
        sampling.update_from_generation_config({}, self.tokenizer.eos_token_id)
        sampling.update_from_tokenizer(self.tokenizer)
        return EngineCoreRequest(
            request_id=request_id,
            prompt_token_ids=prompt_ids,
            mm_features=None,
            sampling_params=sampling,
            pooling_params=None,
            arrival_time=arrival_time or time.time(),
            lora_request=None,
            cache_salt=None,
            data_parallel_rank=None,
        )

    async def process_inputs_async(self, *args, **kwargs):
        return self.process_inputs(*args, **kwargs)


def vllm_async_llm(tokenizer, core: EngineCore, *, max_model_len: int = 8192):
    """vLLM's own ``AsyncLLM`` serving ``core``: everything above the engine core is vLLM's code.

    Built without ``AsyncLLM.__init__`` (which starts a GPU engine process): the attributes its
    ``generate``, ``abort`` and output handler read are set here. ``tokenizer`` is the one
    vLLM's output processor detokenizes with (``vllm.tokenizers.get_tokenizer`` of the model).
    """
    from vllm.v1.engine.async_llm import AsyncLLM
    from vllm.v1.engine.output_processor import OutputProcessor

    llm = object.__new__(AsyncLLM)
    llm.vllm_config = SimpleNamespace(cache_config=SimpleNamespace(kv_sharing_fast_prefill=False))
    llm.model_config = SimpleNamespace(is_encoder_decoder=False, max_model_len=max_model_len)
    llm.scheduler_config = SimpleNamespace(max_num_queued_reqs=None, max_num_queued_tokens=None)
    llm.observability_config = SimpleNamespace(otlp_traces_endpoint=None)
    llm.log_requests = llm.log_stats = False
    llm.logger_manager = llm.profiler = llm.output_handler = None
    llm.renderer = SimpleNamespace(mm_processor_cache=None, stat_mm_cache=lambda: None, shutdown=lambda: None)
    llm.input_processor = _TokenPromptProcessor(tokenizer, max_model_len)
    llm.output_processor = OutputProcessor(tokenizer, log_stats=False, stream_interval=1)
    llm.engine_core = _CoreClient(core)
    llm._supported_tasks = ("generate",)
    llm._client_count = 1
    return llm


# --- engines: OpenRLHF's RolloutRayActor.generate over one of the two ---------------------------------------


class ScriptedEngine:
    """``generate`` as OpenRLHF's agent calls it (``RolloutRayActor.generate``) over vLLM's AsyncLLM and a
    scripted core that answers every request (every child of an ``n = K`` request) with ``reply(prompt_text)``:
    a text or a :class:`Reply`.

    ``step_seconds`` is the core's time per step (one token for every running request); every sampled
    token gets logprob ``SCRIPTED_LOGPROB``. Each event loop gets its own AsyncLLM (its output handler is a
    task of the loop).
    """

    SCRIPTED_LOGPROB = EngineCore.logprob

    def __init__(self, tokenizer, reply: Callable, *, step_seconds: float = 0.0):
        lock = threading.Lock()

        def script(prompt_ids, params):
            with lock:  # reply functions may keep state (iterators)
                return reply(tokenizer.decode(prompt_ids))

        self.tokenizer = tokenizer
        self.reply = reply
        self.core = EngineCore(tokenizer, script, step_seconds=step_seconds)
        self.calls: list[tuple[str, int]] = []
        self.generating = 0.0  # seconds spent in generate (the benchmark subtracts them)
        self._llm = None
        self._llm_loop = None
        self._vllm_tokenizer = None

    def _serving_tokenizer(self):
        """vLLM detokenizes with its own copy of the model's tokenizer, as on a GPU machine."""
        if self._vllm_tokenizer is None:
            from vllm.tokenizers import get_tokenizer

            name = getattr(self.tokenizer, "name_or_path", None)
            self._vllm_tokenizer = get_tokenizer(name) if name and Path(name).is_dir() else self.tokenizer
        return self._vllm_tokenizer

    @property
    def llm(self):
        loop = asyncio.get_running_loop()
        if self._llm is None or self._llm_loop is not loop:
            self._llm = vllm_async_llm(self._serving_tokenizer(), self.core)
            self._llm_loop = loop
        return self._llm

    def background_tasks(self) -> set:
        """vLLM's output handler: it runs as long as the engine does, whatever requests come and go."""
        task = getattr(self._llm, "output_handler", None)
        return {task} if task is not None else set()

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        started = time.perf_counter()
        self.calls.append((self.tokenizer.decode(list(prompt_token_ids)), max(1, int(sampling_params.n or 1))))
        actor = SimpleNamespace(llm=self.llm, _mm_pad_token_ids=None)
        try:
            return await rollout_actor_class().generate(actor, list(prompt_token_ids), sampling_params, multi_modal_data)
        finally:
            self.generating += time.perf_counter() - started
