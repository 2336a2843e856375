"""PASMR episodes on a real engine: vLLM 0.29.0 (CPU build) under OpenRLHF 0.11.2's own rollout code.

The agent file is loaded by OpenRLHF's ``_load_agent_executor``; each group runs under OpenRLHF's
``RolloutRayActor.generate_responses`` and ``RolloutRayActor.generate`` over vLLM's ``AsyncLLM``
serving the tiny model (:mod:`real_engine`): real sampling, scheduling, ``n = K`` fan-out, EOS,
cuts at ``max_tokens``, aborts and prefix caching. Structured outputs hold the model to chosen
texts; each test checks the agent against what the engine really sent back.

Only the failures a real engine cannot produce on demand (a completion that errors, an engine
core that dies mid-group) run on the scripted core of :mod:`scripted_engine`, and say so.
"""

import asyncio
import threading

import pytest

pytest.importorskip("openrlhf")

from real_engine import PIVOT, TARGET, GuidedEngine, real_engine, require_vllm  # noqa: E402, F401

require_vllm()

from openrlhf_fixtures import (  # noqa: E402
    CONSISTENT_SW,
    LABEL_SW,
    QUESTION_SW,
    SOLUTION_SW,
    chat_prompt,
    is_target_prompt,
    tiny_model_dir,  # noqa: F401  (fixture)
    tiny_tokenizer,  # noqa: F401  (fixture)
)

import ray  # noqa: E402
import vllm  # noqa: E402
from openrlhf.trainer.ray import vllm_engine  # noqa: E402
from vllm import SamplingParams  # noqa: E402
from vllm.sampling_params import RequestOutputKind  # noqa: E402

from pasmr_plugin.demo.openrlhf_runtime import load_agent_executor  # noqa: E402
from pasmr_plugin.openrlhf.config import AgentConfig  # noqa: E402
from pasmr_plugin.openrlhf.engine import rollout_actor_class  # noqa: E402
from pasmr_plugin.openrlhf.entry_files import write_agent_file  # noqa: E402
from pasmr_plugin.openrlhf.logs import LOG_KEYS  # noqa: E402
from pasmr_plugin.prompts import pam_response  # noqa: E402
from pasmr_plugin.reward import RewardConfig, pivot_answer, pivot_majority  # noqa: E402

MAX_LENGTH = 4096

# Pivot completions of different lengths: the shortest finishes first, the longest last.
PIVOT_9_SHORT = "16 - 3 - 4 = 9. The answer is 9."
PIVOT_9_MEDIUM = "Janet has 16 - 3 - 4 = 9 eggs left to sell. The answer is 9."
PIVOT_9_LONG = (
    "Janet starts with 16 eggs. She eats 3 of them, which leaves 13, and bakes with 4 more, which leaves "
    "13 - 4 = 9 eggs. She sells all of them. The answer is 9."
)
PIVOT_8 = "She uses 3 + 5 = 8 eggs, so she sells 8. The answer is 8."
PIVOTS = [PIVOT_9_SHORT, PIVOT_9_LONG, PIVOT_8, PIVOT_9_MEDIUM]


def test_the_stack_is_the_pinned_one(real_engine):
    assert vllm.__version__ == "0.29.0" and ray.__version__ == "2.55.0"
    assert type(real_engine.llm).__module__ == "vllm.v1.engine.async_llm"  # the real engine, not a stand-in
    assert rollout_actor_class() is vllm_engine.RolloutRayActor.__ray_actor_class__


@pytest.fixture
def agent(tmp_path):
    def load(**settings):
        return load_agent_executor(write_agent_file(tmp_path / "pasmr_agent.py", AgentConfig(**settings)))

    return load


def params(**overrides) -> SamplingParams:
    """Target sampling params as OpenRLHF's SamplesGenerator makes them (no seed).

    Seeds are for short prompts only: vLLM 0.29.0's CPU backend kills the engine when a seeded request's
    prompt is prefilled in chunks ("CPU Generator does not use offset", in ``_bookkeeping_sync``).
    """
    return SamplingParams(**{"max_tokens": 512, "min_tokens": 1, "skip_special_tokens": False, "logprobs": 1,
                             "temperature": 1.0, **overrides})


def run_group(guided, executor, n, *, sampling=None, question=QUESTION_SW):
    prompt = chat_prompt(guided.tokenizer, question=question)
    group = rollout_actor_class().generate_responses(
        guided.actor(executor), prompt=prompt, label=LABEL_SW, sampling_params=sampling or params(),
        max_length=MAX_LENGTH, hf_tokenizer=guided.tokenizer, num_samples=n,
    )
    return guided.engine.run(group)


def logs(result, *keys):
    return {key: result["extra_logs"][key] for key in keys}


def expected_vote(request, config=RewardConfig()):
    """The agreement the agent should log for what the engine sent back: every completion that completed votes
    (a cut one only with a final statement)."""
    answers = [pivot_answer(output.text, "en", truncated=output.finish_reason == "length", config=config)
               for output in request.output.outputs if output.finish_reason in ("stop", "length")]
    return pivot_majority(answers)[1]


# --- all K pivot answers reach the vote -------------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 4, 8])
def test_every_pivot_completion_of_different_length_reaches_the_vote(real_engine, agent, k):
    guided = GuidedEngine(real_engine, [CONSISTENT_SW], PIVOTS)
    [result] = run_group(guided, agent(pivot_samples=k), 1)
    [pivot] = guided.of_kind(PIVOT)
    outputs = pivot.output.outputs
    assert pivot.n == k and len(outputs) == k  # one request of n = K, and all K came back
    assert all(output.text.startswith(tuple(PIVOTS)) and output.finish_reason == "stop" for output in outputs)
    assert logs(result, "pivot_received", "pivot_missing", "errors") == {"pivot_received": k, "pivot_missing": 0,
                                                                          "errors": 0}
    assert result["extra_logs"]["agreement"] == pytest.approx(expected_vote(pivot))
    assert result["extra_logs"]["pivot_tokens"] == sum(len(output.token_ids) for output in outputs)
    assert set(result["extra_logs"]) == set(LOG_KEYS)


def test_completions_of_different_lengths_come_back_together_only_with_final_only(real_engine, tiny_tokenizer):
    """Why the agent asks for FINAL_ONLY: with vLLM's default output kind, the last output of an n = K stream
    holds only the completions still running at its last step."""
    prompt = tiny_tokenizer("Question: how many eggs does Janet sell?")["input_ids"]

    def last_output(kind):
        guided = GuidedEngine(real_engine, [], PIVOTS)
        sampling = params(n=8, output_kind=kind, logprobs=None, seed=0)
        return real_engine.run(guided.generate(prompt, sampling))

    final, streamed = last_output(RequestOutputKind.FINAL_ONLY), last_output(RequestOutputKind.CUMULATIVE)
    lengths = {len(output.token_ids) for output in final.outputs}
    assert len(final.outputs) == 8 and len(lengths) > 1
    assert len(streamed.outputs) < 8  # the ones that finished earlier are not in the last output


# --- a group of 8 samples: the memo, prefix caching, seeds ----------------------------------------------------

TRANSLATIONS = [
    f"{name} has 16 eggs. She eats 3 and bakes with 4. She sells the rest. How many eggs does she sell?"
    for name in ("Janet", "Jane", "Amina", "Neema", "Maria", "Rosa", "Lucy", "Grace")
]


@pytest.mark.parametrize("distinct", [1, 2, 8])
def test_a_group_of_8_shares_pivot_answers_per_distinct_translation(real_engine, agent, distinct):
    targets = [pam_response(TRANSLATIONS[index % distinct], SOLUTION_SW) for index in range(8)]
    guided = GuidedEngine(real_engine, targets, PIVOTS)
    results = run_group(guided, agent(pivot_samples=4), 8)
    pivots = guided.of_kind(PIVOT)
    assert [request.n for request in pivots] == [4] * distinct
    votes = sorted(expected_vote(request) for request in pivots)
    assert sorted({result["extra_logs"]["agreement"] for result in results}) == sorted(set(votes))
    for result in results:
        assert logs(result, "pivot_received", "pivot_missing", "errors") == {"pivot_received": 4, "pivot_missing": 0,
                                                                              "errors": 0}
    assert sum(result["extra_logs"]["pivot_cached"] for result in results) == 8 - distinct
    generated = sorted(result["extra_logs"]["pivot_tokens"] for result in results
                       if not result["extra_logs"]["pivot_cached"])
    assert generated == sorted(sum(len(o.token_ids) for o in request.output.outputs) for request in pivots)


def test_prefix_caching_serves_a_pivot_prompt_asked_before(real_engine, agent):
    """The K completions of a pivot request share its prompt's KV blocks, and a later group asking the same
    question reuses them: served from the prefix cache in whole blocks (128 tokens on vLLM's CPU backend)."""
    translation = " ".join(["Rosa has 16 eggs. She eats 3 and bakes with 4 every morning."] * 6) + " How many?"
    guided = GuidedEngine(real_engine, [pam_response(translation, SOLUTION_SW)], PIVOTS)
    run_group(guided, agent(pivot_samples=4), 1)
    run_group(guided, agent(pivot_samples=4), 1)
    first, second = (request.output for request in guided.of_kind(PIVOT))
    block = real_engine.llm.vllm_config.cache_config.block_size
    whole_blocks = len(second.prompt_token_ids) // block * block
    assert whole_blocks > 0 and first.num_cached_tokens == second.num_cached_tokens == whole_blocks


def test_seeded_groups_repeat_exactly(real_engine, agent):
    def episode_texts():
        guided = GuidedEngine(real_engine, [CONSISTENT_SW], PIVOTS)
        run_group(guided, agent(pivot_samples=8), 1, sampling=params(seed=0))
        return [output.text for output in guided.of_kind(PIVOT)[0].output.outputs]

    first = episode_texts()
    assert episode_texts() == first and len(set(first)) > 1  # vLLM seeds child i with seed + i


# --- truncation at max_tokens ------------------------------------------------------------------------------------


def test_a_pivot_completion_cut_at_max_tokens_still_comes_back_with_the_others(real_engine, agent, tiny_tokenizer):
    budget = len(tiny_tokenizer(text=PIVOT_9_MEDIUM, add_special_tokens=False)["input_ids"]) + 1
    guided = GuidedEngine(real_engine, [CONSISTENT_SW], PIVOTS)
    [result] = run_group(guided, agent(pivot_samples=8, pivot_max_tokens=budget), 1)
    outputs = guided.of_kind(PIVOT)[0].output.outputs
    cut = [output for output in outputs if output.finish_reason == "length"]
    assert cut and all(len(output.token_ids) == budget for output in cut)
    assert all(output.text.startswith(PIVOT_9_LONG[:20]) for output in cut)  # only the long one is cut
    assert logs(result, "pivot_received", "pivot_missing") == {"pivot_received": 8, "pivot_missing": 0}
    assert result["extra_logs"]["pivot_truncated"] == len(cut)  # cut before their final statement: no vote
    assert result["extra_logs"]["agreement"] == pytest.approx(expected_vote(guided.of_kind(PIVOT)[0]))


def test_a_target_response_cut_at_max_tokens_is_marked_truncated_and_spends_no_pivots(real_engine, agent):
    guided = GuidedEngine(real_engine, [CONSISTENT_SW], PIVOTS)
    [result] = run_group(guided, agent(pivot_samples=4), 1, sampling=params(max_tokens=12))
    start, end = result["action_ranges"][0]
    assert result["truncated"] is True and end - start == 12
    assert len(result["rollout_log_probs"]) == len(result["observation_tokens"])
    assert result["reward"] == 0.0
    assert logs(result, "truncated", "consistency", "pivot_received") == {"truncated": 1, "consistency": 0,
                                                                          "pivot_received": 0}
    assert guided.of_kind(PIVOT) == []


def test_truncated_responses_may_be_rewarded_when_configured(real_engine, agent, tiny_tokenizer):
    complete = len(tiny_tokenizer(text=CONSISTENT_SW, add_special_tokens=False)["input_ids"])  # all of it, no EOS
    guided = GuidedEngine(real_engine, [CONSISTENT_SW], [PIVOT_9_SHORT])
    executor = agent(pivot_samples=2, reward=RewardConfig(reward_truncated=True, truncated_pivot_votes="always"))
    [result] = run_group(guided, executor, 1, sampling=params(max_tokens=complete))
    assert result["truncated"] is True and result["reward"] == 1.0


def test_a_target_response_that_ends_at_eos_carries_the_eos_token(real_engine, agent, tiny_tokenizer):
    guided = GuidedEngine(real_engine, [CONSISTENT_SW], [PIVOT_9_SHORT])
    [result] = run_group(guided, agent(pivot_samples=2), 1)
    start, end = result["action_ranges"][0]
    assert result["observation_tokens"][end - 1] == tiny_tokenizer.eos_token_id and result["truncated"] is False
    assert result["reward"] == 1.0 and result["extra_logs"]["consistency"] == 1.0


# --- what the agent reads ------------------------------------------------------------------------------------------


def test_pivot_answers_are_read_from_the_reasoning_not_a_translation_block(real_engine, agent):
    restated = "<translation>\nJanet has 16 eggs and 12 hens. The answer is 12.\n</translation>\n" + PIVOT_9_SHORT
    guided = GuidedEngine(real_engine, [CONSISTENT_SW], [restated])
    [result] = run_group(guided, agent(pivot_samples=2), 1)
    assert logs(result, "agreement", "consistency") == {"agreement": 1.0, "consistency": 1.0}


def test_a_translation_that_copies_the_question_fails_the_format_in_rl(real_engine, agent):
    copied = pam_response(QUESTION_SW, SOLUTION_SW)
    guided = GuidedEngine(real_engine, [copied], [PIVOT_9_SHORT])
    executor = agent(pivot_samples=2, reward=RewardConfig(check_translation_language=False))
    reasons = []
    executor.episode_observer = lambda result, outcome: reasons.append(outcome.result.reason)
    [result] = run_group(guided, executor, 1)
    assert reasons == ["translation_copied"]  # the agent passes the question it read from the prompt
    assert result["reward"] == 0.0 and result["extra_logs"]["format_ok"] == 0.0
    assert guided.of_kind(PIVOT) == []


def test_an_untuned_model_writes_gibberish_and_every_episode_still_scores(real_engine, agent):
    """No structured output: the random model's own text, sampled, cut or stopped as it happens."""
    executor = agent(pivot_samples=4)
    actor = type("Actor", (), {"executor": executor, "generate": staticmethod(real_engine.generate)})()
    group = rollout_actor_class().generate_responses(
        actor, prompt=chat_prompt(real_engine.tokenizer), label=LABEL_SW, sampling_params=params(max_tokens=48),
        max_length=MAX_LENGTH, hf_tokenizer=real_engine.tokenizer, num_samples=4,
    )
    results = real_engine.run(group)
    assert [result["extra_logs"]["errors"] for result in results] == [0.0] * 4
    assert {result["reward"] for result in results} <= {0.0, 1.0}
    assert all(result["action_ranges"][0][1] - result["action_ranges"][0][0] <= 48 for result in results)


# --- cancellation of one sample -----------------------------------------------------------------------------------

LONG_TARGET = pam_response(TRANSLATIONS[0], " ".join([SOLUTION_SW] * 12))
LONG_PIVOT = " ".join([PIVOT_9_LONG] * 8)


@pytest.mark.parametrize("during", [TARGET, PIVOT])
def test_cancelling_one_sample_leaves_its_group_whole(real_engine, agent, during):
    """The trainer cancels one sample mid-generation: vLLM aborts that sample's own request, nothing else."""
    guided = GuidedEngine(real_engine, [LONG_TARGET], [LONG_PIVOT, PIVOT_9_LONG])
    executor = agent(pivot_samples=4)
    prompt = chat_prompt(guided.tokenizer)

    async def group_with_one_cancelled():
        tasks = [asyncio.ensure_future(executor.execute(prompt, LABEL_SW, params(max_tokens=2048), MAX_LENGTH, guided.tokenizer,
                                                        guided.actor(executor))) for _ in range(4)]
        while not guided.of_kind(during):
            await asyncio.sleep(0.001)
        await asyncio.sleep(0.05)
        tasks[0].cancel()
        return await asyncio.gather(*tasks, return_exceptions=True)

    results = real_engine.run(group_with_one_cancelled())
    assert isinstance(results[0], asyncio.CancelledError)
    [pivot] = guided.of_kind(PIVOT)
    for result in results[1:]:
        assert logs(result, "consistency", "errors", "pivot_received") == {"consistency": 1, "errors": 0,
                                                                            "pivot_received": 4}
        assert result["extra_logs"]["agreement"] == pytest.approx(expected_vote(pivot))
    targets = guided.of_kind(TARGET)
    if during == TARGET:
        assert targets[0].output is None  # aborted: its stream never finished
    assert all(request.output is not None for request in targets[1:])
    assert real_engine.llm.output_processor.get_num_unfinished_requests() == 0


# --- many concurrent episodes on one engine and one tokenizer -------------------------------------------------------


@pytest.fixture(scope="module")
def tokenizer_with_truncation_and_padding(tiny_model_dir, tmp_path_factory):
    """The tiny tokenizer saved with truncation and padding enabled in its tokenizer.json."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    tokenizer.backend_tokenizer.enable_truncation(max_length=4096)
    tokenizer.backend_tokenizer.enable_padding(pad_id=tokenizer.pad_token_id or 0, pad_token=tokenizer.pad_token or "")
    path = tmp_path_factory.mktemp("tokenizer-with-truncation")
    tokenizer.save_pretrained(path)
    loaded = AutoTokenizer.from_pretrained(path)
    assert loaded.backend_tokenizer.truncation is not None and loaded.backend_tokenizer.padding is not None
    return loaded


def test_64_concurrent_episodes_share_the_engine_and_a_tokenizer_saved_with_truncation_and_padding(
    real_engine, agent, tokenizer_with_truncation_and_padding
):
    """8 groups of 8 at once. The agent tokenizes in worker threads on OpenRLHF's one tokenizer; meanwhile the
    process uses the same tokenizer with other settings (here a thread truncating), which switches its Rust
    state: calling it from the agent's threads then raised "Already borrowed"."""
    tokenizer = tokenizer_with_truncation_and_padding
    long_question = " ".join(["Janet ana mayai 16 na kuku 3 na bata 5."] * 40) + " Anauza mayai mangapi?"
    targets = [pam_response(TRANSLATIONS[index % 8] + " She counts them again." * index, SOLUTION_SW)
               for index in range(8)]
    guided = GuidedEngine(real_engine, targets, PIVOTS)
    executor = agent(pivot_samples=4)
    done = threading.Event()

    def other_user():
        while not done.is_set():
            tokenizer(text=long_question, truncation=True, max_length=64)

    async def all_groups():
        groups = [
            rollout_actor_class().generate_responses(
                guided.actor(executor), prompt=chat_prompt(tokenizer, question=long_question + " " * index),
                label=LABEL_SW, sampling_params=params(), max_length=MAX_LENGTH, hf_tokenizer=tokenizer, num_samples=8)
            for index in range(8)
        ]
        return [result for group in await asyncio.gather(*groups) for result in group]

    thread = threading.Thread(target=other_user)
    thread.start()
    try:
        results = real_engine.run(all_groups())
    finally:
        done.set()
        thread.join()
    assert len(results) == 64
    assert [result["extra_logs"]["errors"] for result in results] == [0.0] * 64
    assert {result["extra_logs"]["pivot_received"] for result in results} == {4.0}
    assert len(guided.of_kind(PIVOT)) == 64 - sum(result["extra_logs"]["pivot_cached"] for result in results)


# --- failures a real engine cannot produce on demand: the scripted engine core ---------------------------------------
# A real engine cannot be told to fail one completion after 3 tokens or to die in the middle of a group; these
# run vLLM's real AsyncLLM over the scripted core of scripted_engine.py, which can.


def _scripted(tokenizer, targets, pivots):
    from scripted_engine import ScriptedEngine

    counts = {TARGET: 0, PIVOT: 0}

    def reply(prompt):
        kind, texts = (TARGET, targets) if is_target_prompt(prompt) else (PIVOT, pivots)
        text = texts[counts[kind] % len(texts)]
        counts[kind] += 1
        return text

    return ScriptedEngine(tokenizer, reply)


def _scripted_group(engine, executor, tokenizer, n):
    from pasmr_plugin.demo.openrlhf_runtime import generate_responses

    return asyncio.run(generate_responses(executor, engine, chat_prompt(tokenizer), LABEL_SW, params(), MAX_LENGTH,
                                          tokenizer, n))


def test_a_pivot_completion_the_engine_failed_is_left_out_and_counted_missing(agent, tiny_tokenizer):
    from scripted_engine import Reply

    pivots = [PIVOT_9_SHORT, Reply(PIVOT_8, error_after=3), PIVOT_9_MEDIUM, PIVOT_9_LONG]
    engine = _scripted(tiny_tokenizer, [CONSISTENT_SW], pivots)
    [result] = _scripted_group(engine, agent(pivot_samples=4), tiny_tokenizer, 1)
    assert logs(result, "agreement", "errors") == {"agreement": 1.0, "errors": 0}
    assert logs(result, "pivot_received", "pivot_missing") == {"pivot_received": 3, "pivot_missing": 1}
    assert result["reward"] == 1.0


def test_an_engine_core_that_dies_gives_every_sample_reward_0_and_errors_1(agent, tiny_tokenizer, caplog):
    engine = _scripted(tiny_tokenizer, [CONSISTENT_SW], PIVOTS)
    target_steps = len(tiny_tokenizer(text=CONSISTENT_SW, add_special_tokens=False)["input_ids"]) + 1
    engine.core.die_at_step = target_steps + 5  # during the pivot request
    results = _scripted_group(engine, agent(pivot_samples=4), tiny_tokenizer, 4)
    assert [result["reward"] for result in results] == [0.0] * 4
    assert all(result["extra_logs"]["errors"] == 1 and set(result["extra_logs"]) == set(LOG_KEYS) for result in results)
    assert all(result["action_ranges"][0][1] - result["action_ranges"][0][0] == target_steps for result in results)
    assert "EngineDeadError" in caplog.text or "EngineGenerateError" in caplog.text


@pytest.mark.parametrize("text", ["Swali: Janet ana mayai 16?", "<|im_start|>user\nহ্যালো ১২৩<|im_end|>\n", "x" * 5000])
def test_the_agents_tokenization_equals_the_tokenizers_own(tokenizer_with_truncation_and_padding, text):
    from pasmr_plugin.openrlhf.chat import token_ids

    tokenizer = tokenizer_with_truncation_and_padding
    assert token_ids(tokenizer, text) == tokenizer(text=text, add_special_tokens=False)["input_ids"]
