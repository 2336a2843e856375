"""The PASMR agent file, loaded and run through OpenRLHF 0.11.2's own agent interface, on a real engine.

(a) the real vLLM engine held to chosen texts (:class:`real_engine.GuidedEngine`) pins down the reward
paths, the pivot memo and the token bookkeeping, and OpenRLHF's own experience builder consumes the
results; (b) the tiny random model's own sampled text keeps the bookkeeping straight too. Engines that
must raise, hold a response back or lose its text are scripted (:mod:`scripted_engine`): a real engine
cannot be made to do that on demand.
"""

import asyncio
import copy
import logging
import math
import threading

import pytest

pytest.importorskip("openrlhf")

from real_engine import GuidedEngine, real_engine, require_vllm  # noqa: E402, F401

require_vllm()

from openrlhf.utils.agent import AgentExecutorBase  # noqa: E402
from openrlhf_fixtures import (  # noqa: E402
    CONSISTENT_SW,
    INCONSISTENT_SW,
    LABEL_SW,
    NO_TRANSLATION_SW,
    PIVOT_8,
    PIVOT_9,
    TRANSLATION,
    chat_prompt,
    is_target_prompt,
    scripted_reply,
    tiny_model_dir,  # noqa: F401  (fixture)
    tiny_tokenizer,  # noqa: F401  (fixture)
)

from pasmr_plugin.cli import main as pasmr  # noqa: E402
from pasmr_plugin.openrlhf import agent as agent_module  # noqa: E402
from pasmr_plugin.openrlhf.config import AgentConfig  # noqa: E402
from pasmr_plugin.openrlhf.entry_files import write_agent_file  # noqa: E402
from pasmr_plugin.demo.openrlhf_runtime import (  # noqa: E402
    SamplingParams,
    generate_responses,
    import_with_stand_ins,
    load_agent_executor,
)
from pasmr_plugin.openrlhf.logs import LOG_KEYS  # noqa: E402
from pasmr_plugin.prompts import pam_response  # noqa: E402
from pasmr_plugin.reward import RewardConfig, pivot_answer, pivot_majority  # noqa: E402
from scripted_engine import ScriptedEngine  # noqa: E402
from vllm.logprobs import Logprob  # noqa: E402

MAX_LENGTH = 1024


@pytest.fixture
def guided(real_engine):
    """The real engine held to chosen texts: target responses ``targets`` in turn, pivot completions ``pivots``."""
    return lambda targets, pivots: GuidedEngine(real_engine, targets, pivots)


@pytest.fixture
def agent_file(tmp_path):
    def write(config=AgentConfig()):
        return load_agent_executor(write_agent_file(tmp_path / "pasmr_agent.py", config))

    return write


def run_group(executor, engine, tokenizer, *, n=1, label=LABEL_SW, params=None, max_length=MAX_LENGTH, prompt=None):
    """One prompt's group of ``n`` episodes, fanned out by OpenRLHF's own generate_responses (on the real
    engine's event loop for the real engine)."""
    params = params or SamplingParams(max_tokens=256)
    prompt = prompt or chat_prompt(tokenizer)
    group = generate_responses(executor, engine, prompt, label, params, max_length, tokenizer, n)
    return engine.run(group) if isinstance(engine, GuidedEngine) else asyncio.run(group)


def pivot_calls(engine):
    return [count for prompt, count in engine.calls if not is_target_prompt(prompt)]


# --- loading ----------------------------------------------------------------------------------------------


def test_agent_file_loads_through_openrlhfs_loader_with_its_config(agent_file):
    executor = agent_file(AgentConfig(pivot_samples=8, reward=RewardConfig(agreement_threshold=0.75)))
    assert isinstance(executor, AgentExecutorBase)
    assert type(executor).__name__ == "AgentExecutor"
    assert executor.config.pivot_samples == 8
    assert executor.config.reward.agreement_threshold == 0.75


def test_agent_file_command_bakes_in_its_options(tmp_path, capsys):
    path = tmp_path / "agent.py"
    code = pasmr(["agent-file", str(path), "--pivot-samples", "6", "--pivot-temperature", "0.9", "--agreement", "0.6"])
    assert code == 0
    assert f"--train.agent_func_path {path}" in capsys.readouterr().out
    config = load_agent_executor(path).config
    assert (config.pivot_samples, config.pivot_temperature, config.reward.agreement_threshold) == (6, 0.9, 0.6)


@pytest.mark.parametrize("flags", [["--pivot-samples", "0"], ["--agreement", "1.5"], ["--open-marker", " "]])
def test_agent_file_command_rejects_bad_settings(tmp_path, capsys, flags):
    assert pasmr(["agent-file", str(tmp_path / "agent.py"), *flags]) == 2
    assert "pasmr: error:" in capsys.readouterr().err
    assert not (tmp_path / "agent.py").exists()


# --- (a) scripted engines: the reward paths ---------------------------------------------------------------

RIGHT_REWARDED = {"signal": 1, "reward_and_correct": 1, "reward_agrees_gold": 1}  # against the label's gold, 9
WRONG_REJECTED = {"signal": 1, "reward_and_correct": 0, "reward_agrees_gold": 1}
RIGHT_UNHEARD = {"signal": 0, "reward_and_correct": 0, "reward_agrees_gold": 0}  # right, but no signal: reward 0

EPISODES = {
    # id: (target response, pivot responses, reward, logged numbers, pivot requests)
    "consistent": (CONSISTENT_SW, [PIVOT_9] * 4, 1.0,
                   {"consistency": 1, "agreement": 1, "no_signal": 0, **RIGHT_REWARDED}, 1),
    "inconsistent": (INCONSISTENT_SW, [PIVOT_9] * 4, 0.0,
                     {"consistency": 0, "no_signal": 0, "format_ok": 1, **WRONG_REJECTED}, 1),
    "missing translation": (NO_TRANSLATION_SW, [], 0.0,
                            {"format_ok": 0, "pivot_tokens": 0, "agreement": 0, **RIGHT_UNHEARD}, 0),
    "pivot answers without a number": (CONSISTENT_SW, ["I do not know."] * 4, 0.0,
                                       {"no_signal": 1, **RIGHT_UNHEARD}, 1),
}  # fmt: skip


@pytest.mark.parametrize("target,pivots,reward,logs,requests", EPISODES.values(), ids=EPISODES.keys())
def test_scripted_episode_rewards(guided, agent_file, tiny_tokenizer, target, pivots, reward, logs, requests):
    engine = guided([target], pivots)
    [result] = run_group(agent_file(), engine, tiny_tokenizer)
    assert result["reward"] == reward
    assert result["scores"] == reward
    assert {key: result["extra_logs"][key] for key in logs} == pytest.approx(logs)
    assert pivot_calls(engine) == [4] * requests
    assert set(result["extra_logs"]) == set(LOG_KEYS)
    assert result["extra_logs"]["errors"] == 0


def test_pivot_answers_without_a_majority_give_no_signal(guided, agent_file, tiny_tokenizer):
    """Each of the two pivot completions samples 9 or 8: seeds are tried until they disagree (a tie)."""
    for seed in range(20):
        engine = guided([CONSISTENT_SW], [PIVOT_9, PIVOT_8])
        params = SamplingParams(max_tokens=256, seed=seed)
        [result] = run_group(agent_file(AgentConfig(pivot_samples=2)), engine, tiny_tokenizer, params=params)
        [pivot] = engine.of_kind("pivot")
        if pivot_majority([pivot_answer(output.text, "en") for output in pivot.output.outputs])[0] is None:
            break
    else:
        pytest.fail("no seed in 0..19 made the two pivot completions disagree")
    assert result["reward"] == 0.0
    assert {key: result["extra_logs"][key] for key in ("no_signal", "agreement")} == {"no_signal": 1, "agreement": 0.5}


def test_gold_accuracy_is_logged_when_the_label_has_a_gold_answer(guided, agent_file, tiny_tokenizer):
    engine = guided([CONSISTENT_SW, INCONSISTENT_SW], [PIVOT_9] * 8)
    results = run_group(agent_file(), engine, tiny_tokenizer, n=2)
    assert sorted(r["extra_logs"]["gold_correct"] for r in results) == [0.0, 1.0]
    assert all(r["extra_logs"]["has_gold"] == 1.0 for r in results)


def test_without_gold_nothing_is_counted_as_correct(guided, agent_file, tiny_tokenizer):
    engine = guided([CONSISTENT_SW], [PIVOT_9] * 4)
    [result] = run_group(agent_file(), engine, tiny_tokenizer, label='{"lang": "sw"}')
    assert (result["reward"], result["extra_logs"]["gold_correct"], result["extra_logs"]["has_gold"]) == (1.0, 0.0, 0.0)


def test_gold_mode_scores_by_the_gold_answer_without_pivot_generation(guided, agent_file, tiny_tokenizer):
    engine = guided([CONSISTENT_SW], [PIVOT_8] * 4)
    executor = agent_file(AgentConfig(reward=RewardConfig(use_gold=True)))
    [result] = run_group(executor, engine, tiny_tokenizer)
    assert result["reward"] == 1.0
    assert pivot_calls(engine) == []


def test_gold_mode_falls_back_to_pivots_for_labels_without_gold(guided, agent_file, tiny_tokenizer):
    engine = guided([CONSISTENT_SW], [PIVOT_8] * 4)
    executor = agent_file(AgentConfig(reward=RewardConfig(use_gold=True)))
    [result] = run_group(executor, engine, tiny_tokenizer, label='{"lang": "sw"}')
    assert (result["reward"], pivot_calls(engine)) == (0.0, [4])


# --- generation rounds and the per-group memo --------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 4, 16])
def test_an_episode_is_two_generation_rounds_whatever_k(guided, agent_file, tiny_tokenizer, k):
    engine = guided([CONSISTENT_SW], [PIVOT_9] * k)
    [result] = run_group(agent_file(AgentConfig(pivot_samples=k)), engine, tiny_tokenizer)
    assert [count for _, count in engine.calls] == [1, k]
    assert result["reward"] == 1.0


def test_identical_translations_in_a_group_share_one_pivot_request(guided, agent_file, tiny_tokenizer):
    respaced = CONSISTENT_SW.replace(TRANSLATION, TRANSLATION.replace(" ", "  "))
    targets = [CONSISTENT_SW, INCONSISTENT_SW, respaced, CONSISTENT_SW, NO_TRANSLATION_SW, CONSISTENT_SW]
    engine = guided(targets, [PIVOT_9] * 4)
    results = run_group(agent_file(), engine, tiny_tokenizer, n=len(targets))
    assert pivot_calls(engine) == [4]
    logs = [r["extra_logs"] for r in results]
    assert sum(log["pivot_cached"] for log in logs) == 4  # five usable translations, one generated
    assert sum(log["pivot_tokens"] > 0 for log in logs) == 1
    assert sorted(r["reward"] for r in results) == [0.0, 0.0, 1.0, 1.0, 1.0, 1.0]  # targets go out in call order


def test_distinct_translations_get_their_own_pivot_request(guided, agent_file, tiny_tokenizer):
    other = pam_response("Janet has 16 eggs and eats 3, bakes with 4. How many does she sell?", "Jibu ni 9.")
    engine = guided([CONSISTENT_SW, other, CONSISTENT_SW], [PIVOT_9] * 8)
    run_group(agent_file(), engine, tiny_tokenizer, n=3)
    assert pivot_calls(engine) == [4, 4]


def test_the_memo_lives_only_as_long_as_its_group(guided, agent_file, tiny_tokenizer):
    executor = agent_file()
    engine = guided([CONSISTENT_SW] * 4, [PIVOT_9] * 8)
    run_group(executor, engine, tiny_tokenizer, n=2)
    run_group(executor, engine, tiny_tokenizer, n=2)
    assert pivot_calls(engine) == [4, 4]
    assert executor._groups == {}


def test_pivot_prompts_use_the_chat_template_and_the_models_translation(guided, agent_file, tiny_tokenizer):
    engine = guided([CONSISTENT_SW], [PIVOT_9] * 4)
    run_group(agent_file(), engine, tiny_tokenizer)
    pivot_prompt = engine.calls[1][0]
    assert pivot_prompt.startswith("<|im_start|>user\nQuestion: " + TRANSLATION)
    assert pivot_prompt.endswith("<|im_start|>assistant\n")


# --- work shared by the samples of a group ------------------------------------------------------------------


class CountingTokenizer:
    """A tokenizer that records every text it tokenizes (everything else is the wrapped tokenizer's)."""

    def __init__(self, tokenizer):
        self._tokenizer = tokenizer
        self.texts = []

    def __call__(self, *args, **kwargs):
        self.texts.append(kwargs.get("text", args[0] if args else None))
        return self._tokenizer(*args, **kwargs)

    def __getattr__(self, name):
        if name == "backend_tokenizer":  # hidden: the agent then encodes through __call__, where we count
            raise AttributeError(name)
        return getattr(self._tokenizer, name)


def test_the_prompt_is_tokenized_once_per_group(guided, agent_file, tiny_tokenizer):
    tokenizer = CountingTokenizer(tiny_tokenizer)
    engine = guided([CONSISTENT_SW, INCONSISTENT_SW] * 2, [PIVOT_9] * 16)
    params = SamplingParams(max_tokens=256, logprobs=1)
    results = run_group(agent_file(), engine, tokenizer, n=4, params=params)
    prompt = chat_prompt(tiny_tokenizer)
    assert tokenizer.texts.count(prompt) == 1
    assert sorted(r["reward"] for r in results) == [0.0, 0.0, 1.0, 1.0]  # each sample is scored on its own
    prompt_ids = tiny_tokenizer(prompt, add_special_tokens=False)["input_ids"]
    assert all(r["observation_tokens"][: len(prompt_ids)] == prompt_ids for r in results)
    assert len({id(r["observation_tokens"]) for r in results}) == 4


def test_a_failure_of_the_shared_prompt_tokenization_fails_every_sample_without_raising(agent_file, caplog):
    class BrokenTokenizer:
        eos_token_id = 2
        calls = 0

        def __call__(self, *args, **kwargs):
            BrokenTokenizer.calls += 1
            raise ValueError("no vocabulary")

    engine = ScriptedEngine(BrokenTokenizer(), lambda prompt: "")
    with caplog.at_level(logging.WARNING, logger="pasmr_plugin"):
        results = run_group(agent_file(), engine, BrokenTokenizer(), n=3, prompt="p")
    assert BrokenTokenizer.calls == 1 and engine.calls == []
    assert [(r["reward"], r["extra_logs"]["errors"]) for r in results] == [(0.0, 1.0)] * 3
    assert len(caplog.records) == 3 and all("no vocabulary" in record.getMessage() for record in caplog.records)


def test_the_same_prompt_with_another_label_gets_its_own_target_request(guided, agent_file, tiny_tokenizer, caplog):
    """Two groups of one prompt in flight together (the prompt twice in a batch) share a memo, not the label."""
    executor, params = agent_file(), SamplingParams(max_tokens=256)
    engine = guided([CONSISTENT_SW] * 4, [PIVOT_9] * 16)
    prompt = chat_prompt(tiny_tokenizer)

    async def both():
        return await asyncio.gather(
            generate_responses(executor, engine, prompt, LABEL_SW, params, MAX_LENGTH, tiny_tokenizer, 2),
            generate_responses(executor, engine, prompt, "broken", params, MAX_LENGTH, tiny_tokenizer, 2),
        )

    with caplog.at_level(logging.WARNING, logger="pasmr_plugin"):
        good, bad = engine.run(both())
    assert [(r["reward"], r["extra_logs"]["errors"]) for r in good] == [(1.0, 0.0)] * 2
    assert [(r["reward"], r["extra_logs"]["errors"]) for r in bad] == [(0.0, 1.0)] * 2
    assert executor._groups == {}


def test_a_sample_cancelled_on_its_own_leaves_the_rest_of_its_group_to_finish(guided, agent_file, tiny_tokenizer):
    executor, params, prompt = agent_file(), SamplingParams(max_tokens=256), chat_prompt(tiny_tokenizer)
    engine = guided([CONSISTENT_SW], [PIVOT_9] * 4)

    async def two_samples():
        first, second = (
            asyncio.ensure_future(executor.execute(prompt, LABEL_SW, params, MAX_LENGTH, tiny_tokenizer, engine))
            for _ in range(2)
        )
        await asyncio.sleep(0)  # both are waiting for the shared prompt tokenization
        first.cancel()
        return first, await second

    first, result = engine.run(two_samples())
    assert first.cancelled()
    assert (result["reward"], result["extra_logs"]["errors"]) == (1.0, 0.0)
    assert executor._groups == {}


class WaitingEngine(ScriptedEngine):
    """Holds back every target response after the first until a pivot request has come in."""

    def __init__(self, tokenizer, reply):
        super().__init__(tokenizer, reply)
        self.targets = 0
        self.pivot_requested = asyncio.Event()

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        if not is_target_prompt(self.tokenizer.decode(list(prompt_token_ids))):
            self.pivot_requested.set()
        else:
            self.targets += 1
            if self.targets > 1:
                await self.pivot_requested.wait()
        return await super().generate(prompt_token_ids, sampling_params, multi_modal_data)


def test_a_memo_hit_builds_no_pivot_request(agent_file, tiny_tokenizer):
    tokenizer = CountingTokenizer(tiny_tokenizer)
    engine = WaitingEngine(tiny_tokenizer, scripted_reply([CONSISTENT_SW] * 3, [PIVOT_9] * 4))
    results = run_group(agent_file(), engine, tokenizer, n=3)
    pivot_prompts = [text for text in tokenizer.texts if text != chat_prompt(tiny_tokenizer)]
    assert len(pivot_prompts) == 1 and pivot_prompts[0].startswith("<|im_start|>user\nQuestion: " + TRANSLATION)
    assert pivot_calls(engine) == [4]
    assert [r["extra_logs"]["pivot_cached"] for r in results] == [0.0, 1.0, 1.0]
    assert [r["reward"] for r in results] == [1.0] * 3


LONG_PIVOT_9 = "Janet starts with 16 eggs. " * 100 + PIVOT_9  # two are over LOOP_EXTRACTION_MAX_CHARS
SQRT_PIVOT_9 = "Janet has 81 cents, and the side of a square of area 81 is the answer. The answer is $\\sqrt{81}$."


@pytest.mark.parametrize(
    "k,pivot,extracted_on_loop,scored_on_loop",
    [
        (4, PIVOT_9, True, True),
        (agent_module.LOOP_SCORING_MAX_SAMPLES, PIVOT_9, True, True),
        # many pivot answers are scored in a worker thread, long pivot responses extracted in one
        (agent_module.LOOP_SCORING_MAX_SAMPLES + 1, PIVOT_9, True, False),
        (2, LONG_PIVOT_9, False, True),
        # an expression answer means symbolic work (and loading sympy once): a worker thread, however few
        (2, SQRT_PIVOT_9, True, False),
    ],
)
def test_small_extraction_and_scoring_run_on_the_event_loop_and_large_in_a_worker_thread(
    guided, agent_file, tiny_tokenizer, monkeypatch, k, pivot, extracted_on_loop, scored_on_loop
):
    threads = {"pivot_answer": set(), "score_response": set()}
    for name in threads:
        original = getattr(agent_module, name)

        def recording(*args, _name=name, _original=original, **kwargs):
            threads[_name].add(threading.current_thread())
            return _original(*args, **kwargs)

        monkeypatch.setattr(agent_module, name, recording)
    engine = guided([CONSISTENT_SW], [pivot] * k)
    params = SamplingParams(max_tokens=2048)  # room for the long pivot responses
    executor = agent_file(AgentConfig(pivot_samples=k))
    [result] = run_group(executor, engine, tiny_tokenizer, params=params, max_length=4096)
    loop_thread = engine.run(_current_thread())
    assert result["reward"] == 1.0
    assert (threads["pivot_answer"] == {loop_thread}) == extracted_on_loop
    assert (threads["score_response"] == {loop_thread}) == scored_on_loop


async def _current_thread():
    return threading.current_thread()


def test_pivot_answers_are_extracted_once_per_distinct_translation(guided, agent_file, tiny_tokenizer, monkeypatch):
    extracted = []
    pivot_answer = agent_module.pivot_answer

    def recording_pivot_answer(text, pivot, **kwargs):
        extracted.append(text)
        return pivot_answer(text, pivot, **kwargs)

    monkeypatch.setattr(agent_module, "pivot_answer", recording_pivot_answer)
    engine = guided([CONSISTENT_SW] * 3, [PIVOT_9] * 4)
    results = run_group(agent_file(), engine, tiny_tokenizer, n=3)
    assert extracted == [PIVOT_9] * 4
    assert [r["reward"] for r in results] == [1.0] * 3


@pytest.mark.parametrize(
    "action_ids,logprobs,expected",
    [
        ([5, 6], [{5: Logprob(-0.25)}, {6: Logprob(-1.5)}], [-0.25, -1.5]),
        ([5, 6], [{5: Logprob(-0.25)}, {7: Logprob(-1.5)}], [-0.25, 0.0]),  # sampled token missing
        ([5, 6, 7], [{5: Logprob(-0.25)}], [-0.25, 0.0, 0.0]),  # fewer positions than tokens
        ([5, 6], None, [0.0, 0.0]),
    ],
)
def test_token_logprobs_are_the_sampled_tokens_with_zero_where_missing(action_ids, logprobs, expected):
    assert agent_module._token_logprobs(action_ids, logprobs) == expected


# --- token bookkeeping with scripted texts ----------------------------------------------------------------


@pytest.mark.parametrize("logprobs,expected_length", [(1, "observation"), (None, None)])
def test_rollout_logprobs_cover_the_observation_only_when_asked(guided, agent_file, tiny_tokenizer, logprobs, expected_length):
    engine = guided([CONSISTENT_SW], [PIVOT_9] * 4)
    [result] = run_group(agent_file(), engine, tiny_tokenizer, params=SamplingParams(max_tokens=256, logprobs=logprobs))
    if expected_length is None:
        assert result["rollout_log_probs"] is None
        return
    start, end = result["action_ranges"][0]
    assert len(result["rollout_log_probs"]) == len(result["observation_tokens"]) == end
    assert set(result["rollout_log_probs"][:start]) == {0.0}
    assert all(math.isfinite(value) and value <= 0.0 for value in result["rollout_log_probs"][start:])


def test_the_action_range_is_the_target_response_only(guided, agent_file, tiny_tokenizer):
    engine = guided([CONSISTENT_SW], [PIVOT_9] * 4)
    [result] = run_group(agent_file(), engine, tiny_tokenizer)
    prompt_ids = tiny_tokenizer(chat_prompt(tiny_tokenizer), add_special_tokens=False)["input_ids"]
    start, end = result["action_ranges"][0]
    assert result["action_ranges"] == [(len(prompt_ids), len(result["observation_tokens"]))]
    assert result["observation_tokens"][:start] == prompt_ids
    assert tiny_tokenizer.decode(result["observation_tokens"][start:end], skip_special_tokens=True) == CONSISTENT_SW
    assert result["extra_logs"]["pivot_tokens"] > 0  # generated, but not part of the observation


def test_without_max_tokens_the_response_gets_what_the_prompt_leaves(guided, agent_file, tiny_tokenizer):
    engine = guided([CONSISTENT_SW], [PIVOT_9] * 4)
    prompt_length = len(tiny_tokenizer(chat_prompt(tiny_tokenizer), add_special_tokens=False)["input_ids"])
    params = SamplingParams(max_tokens=None)
    [result] = run_group(agent_file(), engine, tiny_tokenizer, params=params, max_length=prompt_length + 10)
    assert result["action_ranges"] == [(prompt_length, prompt_length + 10)]
    assert result["truncated"] is True
    assert params.max_tokens is None  # OpenRLHF's params are shared by the group: never changed


def test_the_callers_sampling_params_are_left_unchanged(guided, agent_file, tiny_tokenizer):
    params = SamplingParams(max_tokens=256, temperature=1.0, logprobs=1)
    before = copy.deepcopy(params)
    engine = guided([CONSISTENT_SW] * 3, [PIVOT_9] * 4)
    run_group(agent_file(), engine, tiny_tokenizer, n=3, params=params)
    assert params == before


# --- failures never raise ---------------------------------------------------------------------------------


class FailingEngine(ScriptedEngine):
    """Raises on target requests (``fail_target``) or on pivot requests."""

    def __init__(self, tokenizer, *, fail_target: bool):
        super().__init__(tokenizer, scripted_reply([CONSISTENT_SW] * 8, [PIVOT_9] * 32))
        self.fail_target = fail_target

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        target = is_target_prompt(self.tokenizer.decode(list(prompt_token_ids)))
        if target == self.fail_target:
            raise RuntimeError("engine is gone")
        return await super().generate(prompt_token_ids, sampling_params, multi_modal_data)


@pytest.mark.parametrize("fail_target", [True, False], ids=["target request fails", "pivot request fails"])
def test_an_engine_failure_gives_reward_zero_an_error_count_and_one_warning(
    agent_file, tiny_tokenizer, caplog, fail_target
):
    engine = FailingEngine(tiny_tokenizer, fail_target=fail_target)
    with caplog.at_level(logging.WARNING, logger="pasmr_plugin"):
        [result] = run_group(agent_file(), engine, tiny_tokenizer, params=SamplingParams(max_tokens=256, logprobs=1))
    assert (result["reward"], result["scores"], result["extra_logs"]["errors"]) == (0.0, 0.0, 1.0)
    assert set(result["extra_logs"]) == set(LOG_KEYS)
    assert len(caplog.records) == 1 and "engine is gone" in caplog.records[0].getMessage()
    start, end = result["action_ranges"][0]
    assert 0 < start < end == len(result["observation_tokens"]) == len(result["rollout_log_probs"])


def test_a_failure_after_generation_keeps_the_sampled_tokens_with_aligned_logprobs(agent_file, tiny_tokenizer, caplog):
    class TextlessEngine(ScriptedEngine):
        async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
            output = await super().generate(prompt_token_ids, sampling_params, multi_modal_data)
            output.outputs[0].text = None  # vLLM's CompletionOutput is a mutable dataclass
            return output

    engine = TextlessEngine(tiny_tokenizer, scripted_reply([CONSISTENT_SW], []))
    with caplog.at_level(logging.WARNING, logger="pasmr_plugin"):
        [result] = run_group(agent_file(), engine, tiny_tokenizer, params=SamplingParams(max_tokens=256, logprobs=1))
    start, end = result["action_ranges"][0]
    assert result["extra_logs"]["errors"] == 1.0 and len(caplog.records) == 1
    assert end - start > 10 and len(result["rollout_log_probs"]) == len(result["observation_tokens"]) == end


@pytest.mark.parametrize("label", ["sw", '{"gold": "9"}', '{"lang": "xx"}', None])
def test_a_malformed_label_gives_reward_zero_and_keeps_the_sampled_tokens(guided, agent_file, tiny_tokenizer, caplog, label):
    engine = guided([CONSISTENT_SW], [PIVOT_9] * 4)
    with caplog.at_level(logging.WARNING, logger="pasmr_plugin"):
        [result] = run_group(agent_file(), engine, tiny_tokenizer, label=label)
    assert (result["reward"], result["extra_logs"]["errors"]) == (0.0, 1.0)
    assert len(caplog.records) == 1 and "bad label" in caplog.records[0].getMessage()
    assert pivot_calls(engine) == []
    start, end = result["action_ranges"][0]
    assert end - start > 10


def test_a_broken_tokenizer_still_gives_a_well_formed_result(agent_file, caplog):
    class BrokenTokenizer:
        eos_token_id = 2

        def __call__(self, *args, **kwargs):
            raise ValueError("no vocabulary")

    engine = ScriptedEngine(BrokenTokenizer(), lambda prompt: "")
    with caplog.at_level(logging.WARNING, logger="pasmr_plugin"):
        result = asyncio.run(agent_file().execute("p", LABEL_SW, SamplingParams(), 64, BrokenTokenizer(), engine))
    assert result["observation_tokens"] == [2, 2] and result["action_ranges"] == [(1, 2)]
    assert result["extra_logs"]["errors"] == 1.0 and len(caplog.records) == 1


def test_results_of_every_path_batch_into_one_openrlhf_experience(guided, agent_file, tiny_tokenizer):
    """OpenRLHF merges extra_logs key by key across samples: every path must emit the same keys."""
    from openrlhf.trainer.ppo_utils.experience import make_experience_batch

    generator = import_with_stand_ins("openrlhf.trainer.ppo_utils.samples_generator").SamplesGenerator
    params = SamplingParams(max_tokens=256, logprobs=1)
    targets = [CONSISTENT_SW, NO_TRANSLATION_SW, CONSISTENT_SW]
    engine = guided(targets, [PIVOT_9] * 4)
    results = run_group(agent_file(), engine, tiny_tokenizer, n=2, params=params)
    results += run_group(agent_file(), engine, tiny_tokenizer, label="broken", params=params)
    experiences = [generator._process_response_into_experience(None, r, max_len=MAX_LENGTH) for r in results]
    batch = make_experience_batch(experiences)
    assert [value.item() for value in batch.info["errors"]] == [0.0, 0.0, 1.0]
    assert sorted(batch.rewards.flatten().tolist()[:2]) == [0.0, 1.0] and batch.rewards[2].item() == 0.0
    assert set(LOG_KEYS) <= set(batch.info)


# --- (b) the tiny random model's own text ----------------------------------------------------------------


def test_tiny_model_episodes_keep_token_bookkeeping_straight(agent_file, real_engine):
    """No structured output: what the random model samples, stopped at EOS or cut at max_tokens as it happens."""
    tokenizer = real_engine.tokenizer
    max_new_tokens = 24
    params = SamplingParams(max_tokens=max_new_tokens, min_tokens=1, skip_special_tokens=False, logprobs=1)
    group = generate_responses(agent_file(AgentConfig(pivot_samples=2)), real_engine, chat_prompt(tokenizer), LABEL_SW,
                               params, MAX_LENGTH, tokenizer, 3)
    results = real_engine.run(group)

    prompt_ids = tokenizer(chat_prompt(tokenizer), add_special_tokens=False)["input_ids"]
    assert len(results) == 3
    for result in results:
        start, end = result["action_ranges"][0]
        action = result["observation_tokens"][start:end]
        assert start == len(prompt_ids) and result["observation_tokens"][:start] == prompt_ids
        assert 1 <= len(action) <= max_new_tokens and end == len(result["observation_tokens"])
        assert len(result["rollout_log_probs"]) == len(result["observation_tokens"])
        assert all(math.isfinite(value) and value <= 0.0 for value in result["rollout_log_probs"][start:])
        assert any(value < 0.0 for value in result["rollout_log_probs"][start:])
        ended = action[-1] == tokenizer.eos_token_id
        assert result["truncated"] == (not ended) and (ended or len(action) == max_new_tokens)
        assert set(result["extra_logs"]) == set(LOG_KEYS) and result["extra_logs"]["errors"] == 0.0
