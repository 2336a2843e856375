"""Engines for the tests, the benchmark and the demo: vLLM's serving path with only the GPU part simulated.

OpenRLHF's agent calls ``await llm_engine.generate(prompt_token_ids, sampling_params)``, which
is ``RolloutRayActor.generate``: it streams vLLM ``AsyncLLM.generate`` and keeps the **last**
``RequestOutput`` the stream yields. What that last output holds depends on vLLM's output
path, not on the model: with the default output kind a request of ``n = K`` streams each
child as it progresses, so the last output holds only the children that were still running at
the last step. An engine that hands back all K outputs at once is kinder than the real one
and hides exactly that.

So the engines here run the real path. :class:`EngineCore` stands in for vLLM's engine core
(the GPU process) and only for it: every step it emits one token for each running request,
each request with its own scripted tokens, finishing on end-of-sequence (``stop``) or
``max_tokens`` (``length``), aborted on request, failing when told to. In front of it:

- with vLLM installed, vLLM's own ``AsyncLLM`` (its ``OutputProcessor``, detokenizer, logprobs
  processor and parallel-sampling fan-out), built around the simulated core by
  :func:`vllm_async_llm`; token prompts go through the calls vLLM's input processor makes
  for them (``SamplingParams.clone``, ``update_from_generation_config``,
  ``update_from_tokenizer``), since the rest of it needs a model configuration;
- without vLLM (a demo installed without it), :class:`EmulatedAsyncLLM`, which streams the
  same way (``tests/test_real_stack.py`` checks it against vLLM's own code);

and OpenRLHF's own ``RolloutRayActor.generate`` on top, so ``engine.generate`` returns what
the agent gets on a GPU machine. Two engines are built this way:

- :class:`ScriptedEngine` answers each request (each child of an ``n = K`` request) with the
  text a function chooses;
- :class:`HFEngine` samples each request from a Hugging Face causal LM (the tiny model of
  :mod:`pasmr_plugin.demo.tiny_model` on CPU), with its logprobs.

Both record each request as ``(prompt text, n)`` in ``calls``.

>>> engine = ScriptedEngine(tokenizer, lambda prompt: "Jibu ni 7.")  # doctest: +SKIP
>>> output = await engine.generate(prompt_ids, SamplingParams(n=4, max_tokens=64))  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import copy
import json
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from ..openrlhf.chat import token_ids
from .openrlhf_runtime import is_installed, rollout_actor_class

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


def request_seed(seed: int, prompt_ids: Sequence[int], asked_before: int) -> int:
    """The sampling seed of one request: from the run's seed, the prompt, and how often it was asked before.

    Concurrent episodes reach the engine in an order that varies from run to run; seeding each
    request by what it asks (not by when) keeps a run repeatable.
    """
    return zlib.crc32(json.dumps([seed, list(prompt_ids), asked_before]).encode())


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


# --- the same streaming without vLLM ----------------------------------------------------------------------


@dataclass(frozen=True)
class Logprob:
    logprob: float


@dataclass
class CompletionOutput:
    index: int
    text: str
    token_ids: list[int]
    finish_reason: str | None
    logprobs: list[dict[int, Logprob]] | None


@dataclass
class RequestOutput:
    prompt_token_ids: list[int]
    outputs: list[CompletionOutput]
    finished: bool = True
    request_id: str = ""


@dataclass
class _Child:
    index: int
    params: object
    tokens: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)
    finish: str | None = None


class _Stream:
    """One request of :class:`EmulatedAsyncLLM`: its children and the output waiting for the consumer."""

    def __init__(self, request_id: str, prompt_ids: list[int], params, children: dict[str, _Child]):
        self.request_id, self.prompt_ids, self.params, self.children = request_id, prompt_ids, params, children
        self.pending: RequestOutput | BaseException | None = None
        self.ready = asyncio.Event()

    def put(self, output) -> None:
        """Like vLLM's ``RequestOutputCollector.put``: a later output merges into one not yet taken."""
        if self.pending is None or isinstance(output, BaseException):
            self.pending = output
        elif isinstance(self.pending, RequestOutput):
            for completion in output.outputs:
                same = [i for i, seen in enumerate(self.pending.outputs) if seen.index == completion.index]
                if same:
                    self.pending.outputs[same[0]] = completion
                else:
                    self.pending.outputs.append(completion)
            self.pending.finished |= output.finished
        self.ready.set()

    async def get(self) -> RequestOutput:
        while self.pending is None:
            await self.ready.wait()
        output, self.pending = self.pending, None
        self.ready.clear()
        if isinstance(output, BaseException):
            raise output
        return output


class EmulatedAsyncLLM:
    """The streaming behaviour of vLLM's ``AsyncLLM.generate`` over an :class:`EngineCore`, without vLLM.

    A request of ``n = K`` fans out into K child requests; after every engine step the request's
    stream receives the cumulative output of each child that produced a token (with the default
    output kind), or, with ``FINAL_ONLY``, one output holding all K children once the last one
    finishes. The stream ends when every child has finished.
    """

    def __init__(self, tokenizer, core: EngineCore):
        self.tokenizer = tokenizer
        self.core = core
        self._streams: dict[str, tuple[_Stream, _Child]] = {}
        self._driver: asyncio.Task | None = None

    async def generate(self, prompt, sampling_params, request_id: str, **kwargs):
        params = copy.copy(sampling_params)
        prompt_ids = list(prompt["prompt_token_ids"])
        children = {}
        for index in range(max(1, int(getattr(params, "n", 1) or 1))):
            child_params = copy.copy(params)
            child_params.n = 1
            children[f"{index}_{request_id}"] = _Child(index, child_params)
        stream = _Stream(request_id, prompt_ids, params, children)
        try:
            self._start()  # as AsyncLLM starts its output handler before adding the children
            for child_id, child in children.items():
                self._streams[child_id] = (stream, child)
                await self.core.add(child_id, prompt_ids, child.params)
            finished = False
            while not finished:
                output = await stream.get()
                finished = output.finished
                yield output
        except (asyncio.CancelledError, GeneratorExit):
            self.core.abort([child_id for child_id in children if child_id in self._streams])
            raise
        finally:
            for child_id in children:
                self._streams.pop(child_id, None)

    def _start(self) -> None:
        if self._driver is None or self._driver.done() or self._driver.get_loop() is not asyncio.get_running_loop():
            self._driver = asyncio.ensure_future(self._drive())

    def _completion(self, child: _Child) -> CompletionOutput:
        ids = child.tokens[:-1] if child.finish == FINISH_STOP else child.tokens  # vLLM leaves the stop token out
        skip = bool(getattr(child.params, "skip_special_tokens", True))
        text = self.tokenizer.decode(ids, skip_special_tokens=skip)
        logprobs = None
        if getattr(child.params, "logprobs", None) is not None:
            logprobs = [{token: Logprob(value)} for token, value in zip(child.tokens, child.logprobs)]
        return CompletionOutput(child.index, text, list(child.tokens), child.finish, logprobs)

    async def _drive(self) -> None:
        while True:
            try:
                steps = await self.core.step()
            except EngineDead as error:
                for stream, _ in list(self._streams.values()):
                    stream.put(error)
                return
            progressed: dict[int, tuple[_Stream, list[_Child]]] = {}
            for step in steps:
                if step.request_id not in self._streams:
                    continue
                stream, child = self._streams[step.request_id]
                child.tokens.append(step.token)
                child.logprobs.append(step.logprob)
                child.finish = step.finish
                progressed.setdefault(id(stream), (stream, []))[1].append(child)
            for stream, children in progressed.values():
                done = all(child.finish is not None for child in stream.children.values())
                final_only = getattr(stream.params, "output_kind", None) is not None and (
                    stream.params.output_kind.name == "FINAL_ONLY"
                )
                if final_only and not done:
                    continue
                shown = sorted(stream.children.values(), key=lambda c: c.index) if final_only else children
                outputs = [self._completion(child) for child in shown]
                stream.put(RequestOutput(stream.prompt_ids, outputs, done, stream.request_id))


# --- engines: OpenRLHF's RolloutRayActor.generate over one of the two ---------------------------------------


class ServingEngine:
    """``generate`` as OpenRLHF's agent calls it: ``RolloutRayActor.generate`` over (vLLM's) AsyncLLM and ``core``.

    ``use_vllm`` (default: whether vLLM is installed) picks vLLM's own AsyncLLM or :class:`EmulatedAsyncLLM`.
    Each event loop gets its own AsyncLLM (its output handler is a task of the loop).
    """

    def __init__(self, tokenizer, core: EngineCore, *, use_vllm: bool | None = None):
        self.tokenizer = tokenizer
        self.core = core
        self.use_vllm = is_installed("vllm") if use_vllm is None else use_vllm
        self.calls: list[tuple[str, int]] = []
        self.generating = 0.0
        self._llm = None
        self._llm_loop = None
        self._vllm_tokenizer = None

    def _serving_tokenizer(self):
        if self._vllm_tokenizer is None:
            self._vllm_tokenizer = self.tokenizer
            if self.use_vllm:  # vLLM detokenizes with its own copy of the model's tokenizer, as on a GPU machine
                from vllm.tokenizers import get_tokenizer

                name = getattr(self.tokenizer, "name_or_path", None)
                if name and Path(name).is_dir():
                    self._vllm_tokenizer = get_tokenizer(name)
        return self._vllm_tokenizer

    @property
    def llm(self):
        loop = asyncio.get_running_loop()
        if self._llm is None or self._llm_loop is not loop:
            tokenizer = self._serving_tokenizer()
            if self.use_vllm:
                self._llm = vllm_async_llm(tokenizer, self.core)
            else:
                self._llm = EmulatedAsyncLLM(tokenizer, self.core)
            self._llm_loop = loop
        return self._llm

    def background_tasks(self) -> set:
        """The serving side's own long-lived tasks (vLLM's output handler, or the emulation's driver): they run
        as long as the engine does, whatever requests come and go."""
        task = getattr(self._llm, "output_handler", None) or getattr(self._llm, "_driver", None)
        return {task} if task is not None else set()

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        started = time.perf_counter()
        self.calls.append((self.tokenizer.decode(list(prompt_token_ids)), max(1, int(sampling_params.n or 1))))
        actor = SimpleNamespace(llm=self.llm, _mm_pad_token_ids=None)
        try:
            return await rollout_actor_class().generate(actor, list(prompt_token_ids), sampling_params, multi_modal_data)
        finally:
            self.generating += time.perf_counter() - started


class ScriptedEngine(ServingEngine):
    """Answers every request (every child of an ``n = K`` request) with ``reply(prompt_text)``: a text or a
    :class:`Reply`. ``step_seconds`` is the engine core's time per step (one token for every running request).
    Every sampled token gets logprob ``SCRIPTED_LOGPROB``."""

    SCRIPTED_LOGPROB = EngineCore.logprob

    def __init__(self, tokenizer, reply: Callable, *, step_seconds: float = 0.0, use_vllm: bool | None = None):
        lock = threading.Lock()

        def script(prompt_ids, params):
            with lock:  # reply functions may keep state (iterators)
                return reply(tokenizer.decode(prompt_ids))

        super().__init__(tokenizer, EngineCore(tokenizer, script, step_seconds=step_seconds), use_vllm=use_vllm)
        self.reply = reply


class HFEngine(ServingEngine):
    """Every request sampled from a Hugging Face causal LM (with its logprobs), streamed like vLLM.

    Each request is seeded by ``seed``, its prompt and how often that prompt was asked before,
    so concurrent episodes reaching the engine in another order sample the same texts. Needs
    ``torch`` and ``transformers``.
    """

    def __init__(self, model_dir: str | Path, *, seed: int = 0, use_vllm: bool | None = None):
        from transformers import AutoModelForCausalLM, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        self.model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
        self.seed = seed
        self._asked: dict[tuple[int, ...], int] = {}
        self._lock = threading.Lock()
        super().__init__(tokenizer, EngineCore(tokenizer, self._sample, script_in_thread=True), use_vllm=use_vllm)

    def _sampling_kwargs(self, params) -> dict:
        kwargs = {
            "max_new_tokens": params.max_tokens or 16,
            "min_new_tokens": getattr(params, "min_tokens", 0) or 0,
            "pad_token_id": self.tokenizer.pad_token_id,
            "eos_token_id": self.tokenizer.eos_token_id,
            "output_scores": True,
            "return_dict_in_generate": True,
        }
        if params.temperature > 0:
            top_k = getattr(params, "top_k", -1)
            kwargs.update(do_sample=True, temperature=params.temperature, top_p=params.top_p, top_k=max(top_k, 0))
        else:
            kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        return kwargs

    def _sample(self, prompt_ids: list[int], params) -> Reply:
        import torch

        with self._lock, torch.no_grad():
            key = tuple(prompt_ids)
            asked = self._asked.get(key, 0)
            self._asked[key] = asked + 1
            torch.manual_seed(request_seed(self.seed, prompt_ids, asked))
            generated = self.model.generate(torch.tensor([prompt_ids]), **self._sampling_kwargs(params))
        row = generated.sequences[0, len(prompt_ids) :].tolist()
        eos = self.tokenizer.eos_token_id
        if eos in row:
            row = row[: row.index(eos) + 1]
        scores = torch.stack(generated.scores, dim=1)[0].float().log_softmax(dim=-1)
        return Reply(token_ids=row, logprobs=[float(scores[step, token]) for step, token in enumerate(row)])
