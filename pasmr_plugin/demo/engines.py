"""Engines with the interface the agent gets from OpenRLHF, for tests, the benchmark and the demo (no vLLM).

OpenRLHF's agent calls ``await llm_engine.generate(prompt_token_ids, sampling_params)`` and
reads a vLLM ``RequestOutput``: ``.outputs[i]`` with ``.token_ids``, ``.text``,
``.finish_reason`` ("stop" or "length") and ``.logprobs`` (per position, a dict from token id
to an object with ``.logprob``), ``n`` outputs per request. Two engines return exactly that:

- :class:`ScriptedEngine` answers with texts a function chooses (after a fixed latency);
- :class:`HFEngine` samples from a Hugging Face causal LM (the tiny model of
  :mod:`pasmr_plugin.demo.tiny_model` on CPU).

Both record each request as ``(prompt text, n)`` in ``calls``.

>>> engine = ScriptedEngine(tokenizer, lambda prompt: "Jibu ni 7.")  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..openrlhf.chat import token_ids


@dataclass(frozen=True)
class Logprob:
    logprob: float


@dataclass(frozen=True)
class CompletionOutput:
    index: int
    text: str
    token_ids: list[int]
    finish_reason: str
    logprobs: list[dict[int, Logprob]] | None


@dataclass(frozen=True)
class RequestOutput:
    prompt_token_ids: list[int]
    outputs: list[CompletionOutput]


def _sample_count(params) -> int:
    return max(1, int(getattr(params, "n", 1) or 1))


class ScriptedEngine:
    """Answers every sample of a request with ``reply(prompt_text)``, after ``latency`` seconds.

    A reply that does not fit ``max_tokens`` is cut and finishes with "length"; otherwise the
    end-of-sequence token is appended, as vLLM does. Every sampled token gets logprob
    ``SCRIPTED_LOGPROB`` when logprobs are asked for. ``generating`` is the time spent
    inside ``generate`` in total, so benchmarks can subtract it.
    """

    SCRIPTED_LOGPROB = -0.5

    def __init__(self, tokenizer, reply: Callable[[str], str], *, latency: float = 0.0):
        self.tokenizer = tokenizer
        self.reply = reply
        self.latency = latency
        self.calls: list[tuple[str, int]] = []
        self.generating = 0.0

    def _completion(self, index: int, text: str, params) -> CompletionOutput:
        ids, finish = token_ids(self.tokenizer, text), "stop"
        if params.max_tokens is not None and len(ids) >= params.max_tokens:
            ids, finish = ids[: params.max_tokens], "length"
            text = self.tokenizer.decode(ids)
        elif self.tokenizer.eos_token_id is not None:
            ids.append(self.tokenizer.eos_token_id)
        logprobs = None
        if params.logprobs is not None:
            logprobs = [{token: Logprob(self.SCRIPTED_LOGPROB)} for token in ids]
        return CompletionOutput(index, text, ids, finish, logprobs)

    async def generate(self, prompt_token_ids: Sequence[int], sampling_params, multi_modal_data=None):
        started = time.perf_counter()
        prompt = self.tokenizer.decode(list(prompt_token_ids))
        count = _sample_count(sampling_params)
        self.calls.append((prompt, count))
        if self.latency:
            await asyncio.sleep(self.latency)
        outputs = [self._completion(index, self.reply(prompt), sampling_params) for index in range(count)]
        self.generating += time.perf_counter() - started
        return RequestOutput(list(prompt_token_ids), outputs)


class HFEngine:
    """A Hugging Face causal LM behind vLLM's async ``generate``: sampling, finish reasons, processed logprobs.

    Generation runs in a worker thread, one request at a time. Needs ``torch`` and ``transformers``.
    """

    def __init__(self, model_dir: str | Path, *, seed: int = 0):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        torch.manual_seed(seed)
        self.tokenizer = AutoTokenizer.from_pretrained(model_dir)
        self.model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
        self.calls: list[tuple[str, int]] = []
        self._lock = threading.Lock()

    async def generate(self, prompt_token_ids: Sequence[int], sampling_params, multi_modal_data=None):
        count = _sample_count(sampling_params)
        self.calls.append((self.tokenizer.decode(list(prompt_token_ids)), count))
        return await asyncio.to_thread(self._generate, list(prompt_token_ids), sampling_params, count)

    def _sampling_kwargs(self, params, count: int) -> dict:
        kwargs = {
            "max_new_tokens": params.max_tokens or 16,
            "min_new_tokens": getattr(params, "min_tokens", 0) or 0,
            "num_return_sequences": count,
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

    def _generate(self, prompt_ids: list[int], params, count: int) -> RequestOutput:
        import torch

        with self._lock, torch.no_grad():
            generated = self.model.generate(torch.tensor([prompt_ids]), **self._sampling_kwargs(params, count))
        new_tokens = generated.sequences[:, len(prompt_ids) :].tolist()
        logprobs = torch.stack(generated.scores, dim=1).float().log_softmax(dim=-1)
        outputs = [self._completion(index, row, logprobs[index], params) for index, row in enumerate(new_tokens)]
        return RequestOutput(prompt_ids, outputs)

    def _completion(self, index: int, row: list[int], row_logprobs, params) -> CompletionOutput:
        eos = self.tokenizer.eos_token_id
        finish = "length"
        if eos in row:
            row, finish = row[: row.index(eos) + 1], "stop"
        text = self.tokenizer.decode(row, skip_special_tokens=bool(getattr(params, "skip_special_tokens", True)))
        logprobs = None
        if params.logprobs is not None:
            logprobs = [{token: Logprob(float(row_logprobs[step, token]))} for step, token in enumerate(row)]
        return CompletionOutput(index, text, row, finish, logprobs)
