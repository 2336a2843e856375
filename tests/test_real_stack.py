"""PASMR episodes on the serving code users run: vLLM 0.29.0, OpenRLHF 0.11.2, Ray 2.55.0.

The agent file is loaded by OpenRLHF's ``_load_agent_executor``; its episodes run under OpenRLHF's
``RolloutRayActor.generate_responses`` and ``RolloutRayActor.generate`` (the class under Ray's
``@ray.remote``), over vLLM's own ``AsyncLLM.generate``, ``OutputProcessor``, detokenizer and
parallel-sampling fan-out. Only the engine core (the GPU process) is simulated
(:class:`pasmr_plugin.demo.engines.EngineCore`): one token per running request per step, each
request with a scripted text of its own length, finishing on end-of-sequence or ``max_tokens``.

These tests run in ``make test`` and ``.ci/run``. Without vLLM they are skipped, except under CI
(``CI`` set), where a missing vLLM fails the run.
"""

import asyncio
import os
from types import SimpleNamespace

import pytest

pytest.importorskip("openrlhf")

from openrlhf_fixtures import (  # noqa: E402
    CONSISTENT_SW,
    LABEL_SW,
    SOLUTION_SW,
    chat_prompt,
    is_target_prompt,
    tiny_model_dir,  # noqa: F401  (fixture)
    tiny_tokenizer,  # noqa: F401  (fixture)
)

from pasmr_plugin.demo.openrlhf_runtime import is_installed  # noqa: E402

if not is_installed("vllm"):
    if os.environ.get("CI"):
        pytest.fail("CI: vLLM is not installed, so the real-stack tests cannot run (make test installs it)",
                    pytrace=False)
    pytest.skip("vLLM is not installed (make test installs it)", allow_module_level=True)

import ray  # noqa: E402
import vllm  # noqa: E402
from openrlhf.trainer.ray import vllm_engine  # noqa: E402

from pasmr_plugin.demo.engines import Reply, ScriptedEngine  # noqa: E402
from pasmr_plugin.demo.openrlhf_runtime import (  # noqa: E402
    SamplingParams,
    generate_responses,
    load_agent_executor,
    rollout_actor_class,
)
from pasmr_plugin.openrlhf.config import AgentConfig  # noqa: E402
from pasmr_plugin.openrlhf.entry_files import write_agent_file  # noqa: E402
from pasmr_plugin.openrlhf.logs import LOG_KEYS  # noqa: E402
from pasmr_plugin.prompts import pam_response  # noqa: E402

MAX_LENGTH = 2048

# Pivot completions of different lengths: the shortest finishes first, the longest last.
PIVOT_9_SHORT = "16 - 3 - 4 = 9. The answer is 9."
PIVOT_9_MEDIUM = "Janet has 16 - 3 - 4 = 9 eggs left to sell. The answer is 9."
PIVOT_9_LONG = (
    "Janet starts with 16 eggs. She eats 3 of them, which leaves 13, and bakes with 4 more, which leaves "
    "13 - 4 = 9 eggs. She sells all of them. The answer is 9."
)
PIVOT_8 = "She uses 3 + 5 = 8 eggs, so she sells 8. The answer is 8."


def test_the_stack_is_the_pinned_one():
    assert vllm.__version__ == "0.29.0" and ray.__version__ == "2.55.0"
    assert rollout_actor_class() is vllm_engine.RolloutRayActor.__ray_actor_class__
    assert rollout_actor_class().generate.__module__ == "openrlhf.trainer.ray.vllm_engine"


@pytest.fixture
def agent(tmp_path):
    def load(**settings):
        return load_agent_executor(write_agent_file(tmp_path / "pasmr_agent.py", AgentConfig(**settings)))

    return load


def cycling(targets, pivots):
    """A reply function: target prompts get ``targets`` in turn, pivot requests (each child) ``pivots`` in turn."""
    counts = {"target": 0, "pivot": 0}

    def reply(prompt):
        kind, texts = ("target", targets) if is_target_prompt(prompt) else ("pivot", pivots)
        text = texts[counts[kind] % len(texts)]
        counts[kind] += 1
        return text

    return reply


def run_group(executor, engine, tokenizer, n, *, params=None):
    params = params or SamplingParams(max_tokens=512, min_tokens=1, skip_special_tokens=False, logprobs=1)
    prompt = chat_prompt(tokenizer)
    return asyncio.run(generate_responses(executor, engine, prompt, LABEL_SW, params, MAX_LENGTH, tokenizer, n))


def pivot_requests(engine):
    return [n for prompt, n in engine.calls if not is_target_prompt(prompt)]


def logs(result, *keys):
    return {key: result["extra_logs"][key] for key in keys}


# --- all K pivot answers reach the vote -------------------------------------------------------------------

PIVOT_SETS = {
    1: ([PIVOT_9_MEDIUM], 1.0),
    4: ([PIVOT_9_SHORT, PIVOT_9_LONG, PIVOT_8, PIVOT_9_MEDIUM], 0.75),
    8: ([PIVOT_9_LONG, PIVOT_8, PIVOT_9_SHORT, PIVOT_9_MEDIUM, PIVOT_8, PIVOT_9_SHORT, PIVOT_9_LONG, PIVOT_9_MEDIUM],
        0.75),
}


@pytest.mark.parametrize("k", sorted(PIVOT_SETS))
def test_every_pivot_completion_of_different_length_reaches_the_vote(agent, tiny_tokenizer, k):
    pivots, agreement = PIVOT_SETS[k]
    engine = ScriptedEngine(tiny_tokenizer, cycling([CONSISTENT_SW], pivots), use_vllm=True)
    [result] = run_group(agent(pivot_samples=k), engine, tiny_tokenizer, 1)
    pivot_tokens = sum(len(tiny_tokenizer(text=text, add_special_tokens=False)["input_ids"]) + 1 for text in pivots)
    assert pivot_requests(engine) == [k]  # one request of n = K
    assert logs(result, "agreement", "consistency", "pivot_tokens") == pytest.approx(
        {"agreement": agreement, "consistency": 1.0, "pivot_tokens": pivot_tokens}
    )
    assert logs(result, "pivot_received", "pivot_missing") == {"pivot_received": k, "pivot_missing": 0}
    assert set(result["extra_logs"]) == set(LOG_KEYS) and result["extra_logs"]["errors"] == 0


def test_a_pivot_majority_of_short_answers_is_not_outvoted_by_the_longest(agent, tiny_tokenizer):
    # three short completions say 8, the longest says 9: the majority is 8, whatever finishes last
    pivots = [PIVOT_8, PIVOT_8, PIVOT_9_LONG, PIVOT_8]
    engine = ScriptedEngine(tiny_tokenizer, cycling([CONSISTENT_SW], pivots), use_vllm=True)
    [result] = run_group(agent(pivot_samples=4), engine, tiny_tokenizer, 1)
    assert result["reward"] == 0.0
    assert logs(result, "consistency", "agreement", "no_signal") == {"consistency": 0, "agreement": 0.75, "no_signal": 0}


# --- a group of 8 samples: the memo --------------------------------------------------------------------------

TRANSLATIONS = [
    f"{name} has 16 eggs. She eats 3 and bakes with 4. She sells the rest. How many eggs does she sell?"
    for name in ("Janet", "Jane", "Amina", "Neema", "Maria", "Rosa", "Lucy", "Grace")
]


@pytest.mark.parametrize("distinct", [1, 2, 8])
def test_a_group_of_8_shares_pivot_answers_per_distinct_translation(agent, tiny_tokenizer, distinct):
    targets = [pam_response(TRANSLATIONS[index % distinct], SOLUTION_SW) for index in range(8)]
    pivots = PIVOT_SETS[4][0]
    engine = ScriptedEngine(tiny_tokenizer, cycling(targets, pivots), use_vllm=True, step_seconds=0.0005)
    results = run_group(agent(pivot_samples=4), engine, tiny_tokenizer, 8)
    assert pivot_requests(engine) == [4] * distinct
    for result in results:
        assert logs(result, "agreement", "consistency", "errors") == {"agreement": 0.75, "consistency": 1, "errors": 0}
        assert logs(result, "pivot_received", "pivot_missing") == {"pivot_received": 4, "pivot_missing": 0}
    assert sum(result["extra_logs"]["pivot_cached"] for result in results) == 8 - distinct
    generated = [result["extra_logs"]["pivot_tokens"] for result in results if not result["extra_logs"]["pivot_cached"]]
    assert len(generated) == distinct and len(set(generated)) == 1 and generated[0] > 0


# --- truncation at max_tokens ------------------------------------------------------------------------------------


def test_a_pivot_completion_cut_at_max_tokens_still_comes_back_with_the_others(agent, tiny_tokenizer):
    budget = len(tiny_tokenizer(text=PIVOT_9_MEDIUM, add_special_tokens=False)["input_ids"]) + 1
    pivots = [PIVOT_9_SHORT, PIVOT_9_LONG, PIVOT_9_MEDIUM, PIVOT_9_SHORT]  # the long one is cut
    engine = ScriptedEngine(tiny_tokenizer, cycling([CONSISTENT_SW], pivots), use_vllm=True)
    [result] = run_group(agent(pivot_samples=4, pivot_max_tokens=budget), engine, tiny_tokenizer, 1)
    assert result["extra_logs"]["agreement"] == 0.75  # the cut completion votes for nothing
    assert logs(result, "pivot_received", "pivot_missing") == {"pivot_received": 4, "pivot_missing": 0}


def test_a_target_response_cut_at_max_tokens_is_marked_truncated(agent, tiny_tokenizer):
    engine = ScriptedEngine(tiny_tokenizer, cycling([CONSISTENT_SW], [PIVOT_9_SHORT]), use_vllm=True)
    params = SamplingParams(max_tokens=12, min_tokens=1, skip_special_tokens=False, logprobs=1)
    [result] = run_group(agent(pivot_samples=4), engine, tiny_tokenizer, 1, params=params)
    start, end = result["action_ranges"][0]
    assert result["truncated"] is True and end - start == 12
    assert len(result["rollout_log_probs"]) == len(result["observation_tokens"])


# --- engine-core errors -------------------------------------------------------------------------------------------


def test_a_pivot_completion_the_engine_failed_is_left_out_and_counted_missing(agent, tiny_tokenizer):
    pivots = [PIVOT_9_SHORT, Reply(PIVOT_8, error_after=3), PIVOT_9_MEDIUM, PIVOT_9_LONG]
    engine = ScriptedEngine(tiny_tokenizer, cycling([CONSISTENT_SW], pivots), use_vllm=True)
    [result] = run_group(agent(pivot_samples=4), engine, tiny_tokenizer, 1)
    assert logs(result, "agreement", "errors") == {"agreement": 1.0, "errors": 0}
    assert logs(result, "pivot_received", "pivot_missing") == {"pivot_received": 3, "pivot_missing": 1}
    assert result["reward"] == 1.0


def test_an_engine_core_that_dies_gives_every_sample_reward_0_and_errors_1(agent, tiny_tokenizer, caplog):
    engine = ScriptedEngine(tiny_tokenizer, cycling([CONSISTENT_SW], PIVOT_SETS[4][0]), use_vllm=True)
    target_steps = len(tiny_tokenizer(text=CONSISTENT_SW, add_special_tokens=False)["input_ids"]) + 1
    engine.core.die_at_step = target_steps + 5  # during the pivot request
    results = run_group(agent(pivot_samples=4), engine, tiny_tokenizer, 4)
    assert [result["reward"] for result in results] == [0.0] * 4
    assert all(result["extra_logs"]["errors"] == 1 and set(result["extra_logs"]) == set(LOG_KEYS) for result in results)
    assert all(result["action_ranges"][0][1] - result["action_ranges"][0][0] == target_steps for result in results)
    assert "EngineDeadError" in caplog.text or "EngineGenerateError" in caplog.text


# --- cancellation of one sample -----------------------------------------------------------------------------------


async def _group_with_one_cancelled(executor, engine, tokenizer, n, cancel_when):
    """``n`` episodes as ``generate_responses`` runs them, the first cancelled once ``cancel_when(engine)``."""
    actor = SimpleNamespace(generate=engine.generate)
    params = SamplingParams(max_tokens=512, min_tokens=1, skip_special_tokens=False, logprobs=1)
    prompt = chat_prompt(tokenizer)
    tasks = [
        asyncio.ensure_future(executor.execute(prompt, LABEL_SW, params, MAX_LENGTH, tokenizer, actor))
        for _ in range(n)
    ]
    while not cancel_when(engine):
        await asyncio.sleep(0.0005)
    tasks[0].cancel()
    return await asyncio.gather(*tasks, return_exceptions=True)


@pytest.mark.parametrize("during", ["target", "pivot"])
def test_cancelling_one_sample_leaves_its_group_whole(agent, tiny_tokenizer, during):
    engine = ScriptedEngine(tiny_tokenizer, cycling([CONSISTENT_SW], PIVOT_SETS[4][0]), use_vllm=True,
                            step_seconds=0.0005)

    def cancel_when(engine):
        if during == "target":
            return engine.core.steps >= 3
        return bool(pivot_requests(engine)) and engine.core.steps >= len(engine.core.requests) + 30

    results = asyncio.run(_group_with_one_cancelled(agent(pivot_samples=4), engine, tiny_tokenizer, 4, cancel_when))
    assert isinstance(results[0], asyncio.CancelledError)
    for result in results[1:]:
        assert logs(result, "agreement", "consistency", "errors") == {"agreement": 0.75, "consistency": 1, "errors": 0}
        assert result["extra_logs"]["pivot_received"] == 4
    assert pivot_requests(engine) == [4]
    if during == "target":
        assert len(engine.core.aborted) == 1  # vLLM aborted the cancelled sample's own request, nothing else


# --- the serving path without vLLM behaves as vLLM's -------------------------------------------------------------


@pytest.mark.parametrize("final_only", [False, True], ids=["default output kind", "FINAL_ONLY"])
def test_the_emulated_serving_path_streams_as_vllms_own(tiny_tokenizer, final_only):
    replies = [PIVOT_9_SHORT, PIVOT_9_LONG, Reply(PIVOT_8, error_after=4), PIVOT_9_MEDIUM]

    def generate(use_vllm):
        engine = ScriptedEngine(tiny_tokenizer, cycling(["unused"], replies), use_vllm=use_vllm)
        params = SamplingParams(n=4, max_tokens=30, min_tokens=1, temperature=0.7, skip_special_tokens=False)
        if final_only:
            params.output_kind = type(params.output_kind).FINAL_ONLY
        output = asyncio.run(engine.generate(tiny_tokenizer("Question: 2 + 2?")["input_ids"], params))
        return [(o.index, o.text, list(o.token_ids), o.finish_reason) for o in output.outputs]

    real, emulated = generate(True), generate(False)
    assert emulated == real
    assert (len(real) == 4) == final_only  # the default kind's last output holds only the children that finished last


# --- truncation, pivot reasoning, the copied question -------------------------------------------------------------


def test_a_target_response_cut_at_max_tokens_earns_no_consistency_reward_and_spends_no_pivots(agent, tiny_tokenizer):
    cut = len(tiny_tokenizer(text=CONSISTENT_SW, add_special_tokens=False)["input_ids"]) - 1  # ends on "9" unfinished
    engine = ScriptedEngine(tiny_tokenizer, cycling([CONSISTENT_SW], [PIVOT_9_SHORT]), use_vllm=True)
    params = SamplingParams(max_tokens=cut, min_tokens=1, skip_special_tokens=False, logprobs=1)
    [result] = run_group(agent(pivot_samples=4), engine, tiny_tokenizer, 1, params=params)
    assert result["truncated"] is True and result["reward"] == 0.0
    assert logs(result, "truncated", "consistency", "pivot_received") == {"truncated": 1, "consistency": 0,
                                                                          "pivot_received": 0}
    assert pivot_requests(engine) == []


def test_truncated_responses_may_be_rewarded_when_configured(agent, tiny_tokenizer):
    from pasmr_plugin.reward import RewardConfig

    cut = len(tiny_tokenizer(text=CONSISTENT_SW, add_special_tokens=False)["input_ids"])  # complete, but no EOS
    engine = ScriptedEngine(tiny_tokenizer, cycling([CONSISTENT_SW], [PIVOT_9_SHORT]), use_vllm=True)
    params = SamplingParams(max_tokens=cut, min_tokens=1, skip_special_tokens=False, logprobs=1)
    executor = agent(pivot_samples=2, reward=RewardConfig(reward_truncated=True, truncated_pivot_votes="always"))
    [result] = run_group(executor, engine, tiny_tokenizer, 1, params=params)
    assert result["truncated"] is True and result["reward"] == 1.0


def test_cut_pivot_completions_vote_only_with_a_final_statement_and_are_counted(agent, tiny_tokenizer):
    budget = len(tiny_tokenizer(text=PIVOT_9_MEDIUM, add_special_tokens=False)["input_ids"])  # MEDIUM: cut, stated
    pivots = [PIVOT_9_SHORT, PIVOT_9_LONG, PIVOT_9_MEDIUM, PIVOT_8]  # LONG cut before its statement
    engine = ScriptedEngine(tiny_tokenizer, cycling([CONSISTENT_SW], pivots), use_vllm=True)
    [result] = run_group(agent(pivot_samples=4, pivot_max_tokens=budget), engine, tiny_tokenizer, 1)
    assert logs(result, "pivot_received", "pivot_truncated", "agreement") == {
        "pivot_received": 4, "pivot_truncated": 1, "agreement": 0.5
    }


def test_pivot_answers_are_read_from_the_reasoning_not_a_translation_block(agent, tiny_tokenizer):
    restated = "<translation>\nJanet has 16 eggs and 12 hens. The answer is 12.\n</translation>\n" + PIVOT_9_SHORT
    engine = ScriptedEngine(tiny_tokenizer, cycling([CONSISTENT_SW], [restated]), use_vllm=True)
    [result] = run_group(agent(pivot_samples=2), engine, tiny_tokenizer, 1)
    assert logs(result, "agreement", "consistency") == {"agreement": 1.0, "consistency": 1.0}


def test_a_translation_that_copies_the_question_fails_the_format_in_rl(agent, tiny_tokenizer):
    from openrlhf_fixtures import QUESTION_SW

    from pasmr_plugin.reward import RewardConfig

    copied = pam_response(QUESTION_SW, SOLUTION_SW)
    engine = ScriptedEngine(tiny_tokenizer, cycling([copied], [PIVOT_9_SHORT]), use_vllm=True)
    executor = agent(pivot_samples=2, reward=RewardConfig(check_translation_language=False))
    reasons = []
    executor.episode_observer = lambda result, outcome: reasons.append(outcome.result.reason)
    [result] = run_group(executor, engine, tiny_tokenizer, 1)
    assert reasons == ["translation_copied"]  # the agent passes the question it read from the prompt
    assert result["reward"] == 0.0 and result["extra_logs"]["format_ok"] == 0.0
    assert pivot_requests(engine) == []


# --- the shared tokenizer under concurrency ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tokenizer_with_truncation_and_padding(tiny_model_dir, tmp_path_factory):
    """The tiny tokenizer saved with truncation and padding enabled in its tokenizer.json."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    tokenizer.backend_tokenizer.enable_truncation(max_length=4096)
    tokenizer.backend_tokenizer.enable_padding(pad_id=tokenizer.pad_token_id or 0, pad_token=tokenizer.pad_token or "")
    path = tmp_path_factory.mktemp("tokenizer-with-truncation")
    tokenizer.save_pretrained(path)
    for name in ("config.json", "generation_config.json"):
        (path / name).write_bytes((tiny_model_dir / name).read_bytes())
    loaded = AutoTokenizer.from_pretrained(path)
    assert loaded.backend_tokenizer.truncation is not None and loaded.backend_tokenizer.padding is not None
    return loaded


def test_64_concurrent_episodes_share_a_tokenizer_saved_with_truncation_and_padding(
    agent, tokenizer_with_truncation_and_padding
):
    """The agent tokenizes in worker threads on OpenRLHF's one tokenizer; meanwhile the process uses the same
    tokenizer with other settings (here a thread truncating, as other code in the process may), which
    switches its Rust state: calling it from the agent's threads then raised "Already borrowed"."""
    import threading

    tokenizer = tokenizer_with_truncation_and_padding
    long_question = " ".join(["Janet ana mayai 16 na kuku 3 na bata 5."] * 40) + " Anauza mayai mangapi?"
    targets = [pam_response(TRANSLATIONS[index % 8] + " She counts them again." * index, SOLUTION_SW)
               for index in range(8)]
    engine = ScriptedEngine(tokenizer, cycling(targets, PIVOT_SETS[4][0]), use_vllm=True)
    executor = agent(pivot_samples=4)
    params = SamplingParams(max_tokens=512, min_tokens=1, skip_special_tokens=False, logprobs=1)
    prompts = [chat_prompt(tokenizer, question=long_question + " " * index) for index in range(8)]
    done = threading.Event()

    def other_user():
        while not done.is_set():
            tokenizer(text=long_question, truncation=True, max_length=64)

    async def all_groups():
        groups = [generate_responses(executor, engine, prompt, LABEL_SW, params, 4096, tokenizer, 8) for prompt in prompts]
        return [result for group in await asyncio.gather(*groups) for result in group]

    thread = threading.Thread(target=other_user)
    thread.start()
    try:
        results = asyncio.run(all_groups())
    finally:
        done.set()
        thread.join()
    assert len(results) == 64
    assert [result["extra_logs"]["errors"] for result in results] == [0.0] * 64
    assert {result["extra_logs"]["pivot_received"] for result in results} == {4.0}


@pytest.mark.parametrize("text", ["Swali: Janet ana mayai 16?", "<|im_start|>user\nহ্যালো ১২৩<|im_end|>\n", "x" * 5000])
def test_the_agents_tokenization_equals_the_tokenizers_own(tokenizer_with_truncation_and_padding, text):
    from pasmr_plugin.openrlhf.chat import token_ids

    tokenizer = tokenizer_with_truncation_and_padding
    assert token_ids(tokenizer, text) == tokenizer(text=text, add_special_tokens=False)["input_ids"]
