"""The PASMR agent under cancellation and misbehaving engines (issue 8).

A cancelled sample raises ``CancelledError`` itself (asyncio's and Ray's contract) and never
takes the other samples of its group with it, whatever it was waiting on: the group's prompt
tokenization, its own generation, or the pivot request the group shares. Engines that raise,
hang, abort a request, return nothing or return a megabyte give each sample a well-formed
result dict (reward 0 and ``errors`` 1 where nothing could be scored), never an exception.

The engines here are scripted (:mod:`scripted_engine`: vLLM's own serving code over a scripted core):
a real engine cannot be made to hang until released, raise or lose its output on demand.
"""

from __future__ import annotations

import asyncio
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("openrlhf")

from real_engine import require_vllm  # noqa: E402

require_vllm()

from fuzz_inputs import any_text  # noqa: E402
from openrlhf_fixtures import LABEL_SW, PIVOT_9, TRANSLATION, chat_prompt, is_target_prompt  # noqa: E402
from openrlhf_fixtures import tiny_model_dir, tiny_tokenizer  # noqa: E402, F401  (fixtures)

from types import SimpleNamespace  # noqa: E402

from pasmr_plugin.demo.openrlhf_runtime import SamplingParams, load_agent_executor  # noqa: E402
from pasmr_plugin.openrlhf import agent as agent_module  # noqa: E402
from pasmr_plugin.openrlhf.config import AgentConfig  # noqa: E402
from pasmr_plugin.openrlhf.entry_files import write_agent_file  # noqa: E402
from pasmr_plugin.openrlhf.logs import LOG_KEYS  # noqa: E402
from pasmr_plugin.prompts import pam_response  # noqa: E402
from scripted_engine import ScriptedEngine  # noqa: E402

MAX_LENGTH = 1024
SOLUTION = "Janet anabaki na mayai 16 - 3 - 4 = 9, na anayauza yote. Jibu ni 9."
RESULT_KEYS = {"prompt", "label", "observation_tokens", "action_ranges", "rollout_log_probs", "reward", "scores", "extra_logs", "truncated"}
FUZZ = settings(
    max_examples=max(5, int(os.environ.get("PASMR_FUZZ_EXAMPLES", "60")) // 6),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture
def executor(tmp_path):
    return load_agent_executor(write_agent_file(tmp_path / "pasmr_agent.py", AgentConfig(pivot_samples=2)))


class GatedEngine(ScriptedEngine):
    """Every pivot request waits until ``release`` is set, every target request until ``release_targets`` is."""

    def __init__(self, tokenizer, target: str = pam_response(TRANSLATION, SOLUTION), pivot: str = PIVOT_9):
        super().__init__(tokenizer, lambda prompt: target if is_target_prompt(prompt) else pivot)
        self.release, self.release_targets = asyncio.Event(), asyncio.Event()
        self.release_targets.set()
        self.pivot_waiting, self.target_waiting = asyncio.Event(), asyncio.Event()

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        if not is_target_prompt(self.tokenizer.decode(list(prompt_token_ids))):
            self.pivot_waiting.set()
            await self.release.wait()
        else:
            self.target_waiting.set()
            await self.release_targets.wait()
        return await super().generate(prompt_token_ids, sampling_params, multi_modal_data)


def start(executor, engine, tokenizer, count: int, *, prompt=None, label=LABEL_SW):
    params = SamplingParams(max_tokens=256)
    prompt = prompt if prompt is not None else chat_prompt(tokenizer)
    return [asyncio.ensure_future(executor.execute(prompt, label, params, MAX_LENGTH, tokenizer, engine)) for _ in range(count)]


async def outcomes(tasks):
    """Each task awaited on its own: its result dict, or the exception it raised."""
    results = []
    for task in tasks:
        try:
            results.append(await task)
        except BaseException as error:  # noqa: BLE001 - CancelledError is what is looked for
            results.append(error)
    return results


def assert_well_formed(result):
    assert isinstance(result, dict) and set(result) == RESULT_KEYS, result
    assert set(result["extra_logs"]) == set(LOG_KEYS)
    start, end = result["action_ranges"][0]
    assert 0 < start < end == len(result["observation_tokens"])


# --- cancellation ---


@pytest.mark.parametrize("cancelled", [0, 1, 2])
def test_a_sample_cancelled_while_its_group_waits_on_the_shared_pivot_request_leaves_the_others(
    executor, tiny_tokenizer, monkeypatch, cancelled
):
    reviewed = []
    review = agent_module._review
    monkeypatch.setattr(agent_module, "_review", lambda *args: (review(*args), reviewed.append(1))[0])

    async def scenario():
        engine = GatedEngine(tiny_tokenizer)
        tasks = start(executor, engine, tiny_tokenizer, 3)
        await engine.pivot_waiting.wait()
        for _ in range(500):  # let every sample reach the shared request (its review runs in a thread)
            if len(reviewed) == 3:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.01)
        tasks[cancelled].cancel()
        await asyncio.sleep(0)
        engine.release.set()
        return await outcomes(tasks), engine

    results, engine = asyncio.run(scenario())
    assert isinstance(results[cancelled], asyncio.CancelledError)
    for index, result in enumerate(results):
        if index != cancelled:
            assert_well_formed(result)
            assert (result["reward"], result["extra_logs"]["errors"]) == (1.0, 0.0)
    assert sum(not is_target_prompt(prompt) for prompt, _ in engine.calls) == 1  # one shared pivot request
    assert executor._groups == {}


@pytest.mark.parametrize("when", ["tokenizing", "generating"])
def test_a_sample_cancelled_before_the_pivot_request_leaves_the_others(executor, tiny_tokenizer, when):
    async def scenario():
        engine = GatedEngine(tiny_tokenizer)
        engine.release.set()
        if when == "generating":
            engine.release_targets.clear()
        tasks = start(executor, engine, tiny_tokenizer, 3)
        await (asyncio.sleep(0) if when == "tokenizing" else engine.target_waiting.wait())
        tasks[0].cancel()
        await asyncio.sleep(0)
        engine.release_targets.set()
        return await outcomes(tasks)

    results = asyncio.run(scenario())
    assert isinstance(results[0], asyncio.CancelledError)
    assert [(r["reward"], r["extra_logs"]["errors"]) for r in results[1:]] == [(1.0, 0.0)] * 2
    assert executor._groups == {}


def test_cancelling_every_sample_stops_the_shared_pivot_request(executor, tiny_tokenizer):
    async def scenario():
        engine = GatedEngine(tiny_tokenizer)
        tasks = start(executor, engine, tiny_tokenizer, 2)
        await engine.pivot_waiting.wait()
        await asyncio.sleep(0.05)
        for task in tasks:
            task.cancel()
        results = await outcomes(tasks)
        for _ in range(100):  # the stopped request finishes within a few steps of the loop
            pending = [task for task in asyncio.all_tasks() if "_generate_pivot_answers" in repr(task.get_coro())]
            if not pending:
                break
            await asyncio.sleep(0.01)
        return results, pending

    results, pending = asyncio.run(scenario())
    assert all(isinstance(result, asyncio.CancelledError) for result in results)
    assert pending == [] and executor._groups == {}


class AbortingEngine(GatedEngine):
    """An engine that aborts the pivot request (vLLM's abort surfaces as a cancelled request)."""

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        if not is_target_prompt(self.tokenizer.decode(list(prompt_token_ids))):
            await asyncio.sleep(0.05)
            raise asyncio.CancelledError()
        return await super().generate(prompt_token_ids, sampling_params, multi_modal_data)


def test_an_aborted_shared_request_fails_its_samples_without_cancelling_them(executor, tiny_tokenizer):
    async def scenario():
        engine = AbortingEngine(tiny_tokenizer)
        return await outcomes(start(executor, engine, tiny_tokenizer, 3))

    results = asyncio.run(scenario())
    # the sample that made the request saw the engine's CancelledError in its own task; the others are not cancelled
    others = [result for result in results if not isinstance(result, BaseException)]
    assert len(others) >= 2
    for result in others:
        assert_well_formed(result)
        assert (result["reward"], result["extra_logs"]["errors"]) == (0.0, 1.0)


def test_an_unhashable_prompt_is_one_failed_sample_not_an_exception(executor, tiny_tokenizer):
    async def scenario():
        engine = GatedEngine(tiny_tokenizer)
        engine.release.set()
        return await outcomes(start(executor, engine, tiny_tokenizer, 2, prompt=[chat_prompt(tiny_tokenizer)]))

    for result in asyncio.run(scenario()):
        assert_well_formed(result)  # scored or failed (the tokenizer decides), but never an exception
    assert executor._groups == {}


# --- engines that misbehave ---


class Engine:
    """An engine whose ``generate`` does what ``behaviour`` says for target and pivot prompts."""

    def __init__(self, tokenizer, target, pivot):
        self.tokenizer, self.target, self.pivot = tokenizer, target, pivot

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        is_target = is_target_prompt(self.tokenizer.decode(list(prompt_token_ids)))
        behaviour = self.target if is_target else self.pivot
        count = max(1, int(getattr(sampling_params, "n", 1) or 1))
        if behaviour == "raise":
            raise RuntimeError("engine died")
        if behaviour == "hang":
            await asyncio.Event().wait()
        if behaviour == "nothing":
            return SimpleNamespace(prompt_token_ids=list(prompt_token_ids), outputs=[], finished=True)
        if behaviour == "none":
            return None
        if behaviour == "megabyte":
            text = (pam_response(TRANSLATION, SOLUTION) if is_target else PIVOT_9) + " 7" * 500_000
        else:
            text = behaviour
        outputs = [
            SimpleNamespace(index=i, text=text, token_ids=[5, 6, 7], finish_reason="stop", logprobs=None)
            for i in range(count)
        ]
        return SimpleNamespace(prompt_token_ids=list(prompt_token_ids), outputs=outputs, finished=True)


@pytest.mark.parametrize(
    "target, pivot, reward, errors",
    [
        ("raise", PIVOT_9, 0.0, 1.0),
        (pam_response(TRANSLATION, SOLUTION), "raise", 0.0, 1.0),
        ("nothing", PIVOT_9, 0.0, 1.0),
        (pam_response(TRANSLATION, SOLUTION), "nothing", 0.0, 0.0),  # no pivot answers: no signal
        ("none", PIVOT_9, 0.0, 1.0),
        ("megabyte", PIVOT_9, None, 0.0),
        (pam_response(TRANSLATION, SOLUTION), "megabyte", None, 0.0),
        ("", PIVOT_9, 0.0, 0.0),
    ],
    ids=["target-raises", "pivot-raises", "target-nothing", "pivot-nothing", "target-none", "target-1mb", "pivot-1mb", "target-empty"],
)
def test_a_misbehaving_engine_gives_each_sample_a_result(executor, tiny_tokenizer, target, pivot, reward, errors):
    async def scenario():
        return await outcomes(start(executor, Engine(tiny_tokenizer, target, pivot), tiny_tokenizer, 2))

    for result in asyncio.run(scenario()):
        assert_well_formed(result)
        assert result["extra_logs"]["errors"] == errors
        assert reward is None or result["reward"] == reward
    assert executor._groups == {}


def test_a_hanging_engine_leaves_the_sample_cancellable(executor, tiny_tokenizer):
    async def scenario():
        tasks = start(executor, Engine(tiny_tokenizer, pam_response(TRANSLATION, SOLUTION), "hang"), tiny_tokenizer, 2)
        done, pending = await asyncio.wait(tasks, timeout=1.0)
        for task in pending:
            task.cancel()
        return done, await outcomes(tasks)

    done, results = asyncio.run(scenario())
    assert not done and all(isinstance(result, asyncio.CancelledError) for result in results)
    assert executor._groups == {}


@given(target=any_text, pivot=any_text, label=st.one_of(st.just(LABEL_SW), any_text))
@FUZZ
def test_any_engine_text_and_any_label_give_a_well_formed_result(executor, tiny_tokenizer, target, pivot, label):
    async def scenario():
        return await outcomes(start(executor, Engine(tiny_tokenizer, target or " ", pivot or " "), tiny_tokenizer, 2, label=label))

    for result in asyncio.run(scenario()):
        assert_well_formed(result)
    assert executor._groups == {}
