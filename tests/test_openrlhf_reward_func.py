"""The single-turn reward file, loaded and run by OpenRLHF 0.11.2's own SingleTurnAgentExecutor."""

import json
import logging
import pickle
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("openrlhf")
torch = pytest.importorskip("torch")

from openrlhf.utils.agent import SingleTurnAgentExecutor  # noqa: E402
from openrlhf_fixtures import (  # noqa: E402
    CONSISTENT_SW,
    INCONSISTENT_SW,
    NO_TRANSLATION_SW,
    chat_prompt,
    tiny_model_dir,  # noqa: F401  (fixture)
)

from real_engine import GuidedEngine, real_engine  # noqa: E402, F401  (fixture)

from pasmr_plugin.cli import main as pasmr  # noqa: E402
from pasmr_plugin.openrlhf.entry_files import write_reward_file  # noqa: E402
from pasmr_plugin.demo.openrlhf_runtime import SamplingParams  # noqa: E402
from pasmr_plugin.openrlhf.reward_func import PasmrRewardFunc, split_response  # noqa: E402
from pasmr_plugin.openrlhf.logs import LOG_KEYS  # noqa: E402
from pasmr_plugin.reward import RewardConfig  # noqa: E402

PROMPT = "<|im_start|>user\nSwali: Janet anauza mayai mangapi?<|im_end|>\n<|im_start|>assistant\n"
EOS = "<|im_end|>"  # OpenRLHF decodes prompt and response with special tokens: a finished response ends with it


def label(**fields):
    return json.dumps({"lang": "sw", **fields})


AGREE = label(pivot_answers=["9", "9", "9", "8"])

CASES = {
    # id: (decoded response, label, reward, logged numbers)
    "consistent": (CONSISTENT_SW + EOS, AGREE, 1.0, {"consistency": 1, "agreement": 0.75, "format_ok": 1}),
    "inconsistent": (INCONSISTENT_SW + EOS, AGREE, 0.0, {"consistency": 0, "no_signal": 0, "answer_found": 1}),
    "missing translation": (NO_TRANSLATION_SW + EOS, AGREE, 0.0, {"format_ok": 0}),
    "pivot answers tie": (CONSISTENT_SW + EOS, label(pivot_answers=["9", "8"]), 0.0, {"no_signal": 1}),
    "label without pivot answers": (CONSISTENT_SW + EOS, label(), 0.0, {"no_signal": 1, "errors": 0}),
    "end-of-turn token and newline": (CONSISTENT_SW + EOS + "\n", AGREE, 1.0, {"consistency": 1, "truncated": 0}),
    "cut at max_tokens (no end-of-sequence)": (CONSISTENT_SW, AGREE, 0.0, {"consistency": 0, "truncated": 1}),
    "gold logged": (INCONSISTENT_SW + EOS, label(gold="9", pivot_answers=["11"] * 3), 1.0, {"gold_correct": 0}),
    "eval row: gold decides": (INCONSISTENT_SW + EOS, label(gold="11", split="eval", pivot_answers=["9"] * 3), 1.0,
                               {"gold_correct": 1, "consistency": 1}),
    "train row: gold never decides": (CONSISTENT_SW + EOS, label(gold="11", split="train", pivot_answers=["9"] * 3),
                                      1.0, {"gold_correct": 0, "consistency": 1}),
    "stored pivot answers counted": (CONSISTENT_SW + EOS, AGREE, 1.0, {"pivot_received": 4, "pivot_missing": 0}),
    "malformed label": (CONSISTENT_SW + EOS, "sw", 0.0, {"errors": 1}),
    # the self-feedback signal against gold (CONSISTENT_SW answers 9, INCONSISTENT_SW 11)
    "rewarded and right": (CONSISTENT_SW + EOS, label(gold="9", pivot_answers=["9"] * 3), 1.0,
                           {"signal": 1, "reward_and_correct": 1, "reward_agrees_gold": 1}),
    "rewarded and wrong": (INCONSISTENT_SW + EOS, label(gold="9", pivot_answers=["11"] * 3), 1.0,
                           {"signal": 1, "reward_and_correct": 0, "reward_agrees_gold": 0}),
    "rejected and right": (INCONSISTENT_SW + EOS, label(gold="11", pivot_answers=["9"] * 3), 0.0,
                           {"signal": 1, "reward_and_correct": 0, "reward_agrees_gold": 0}),
    "rejected and wrong": (INCONSISTENT_SW + EOS, label(gold="9", pivot_answers=["9"] * 3), 0.0,
                           {"signal": 1, "reward_and_correct": 0, "reward_agrees_gold": 1}),
    "no signal and right": (CONSISTENT_SW + EOS, label(gold="9", pivot_answers=["9", "8"]), 0.0,
                            {"signal": 0, "reward_and_correct": 0, "reward_agrees_gold": 0}),
    "no gold": (CONSISTENT_SW + EOS, AGREE, 1.0, {"signal": 1, "reward_and_correct": 0, "reward_agrees_gold": 0}),
}


@pytest.fixture(scope="module")
def reward_file(tmp_path_factory):
    return write_reward_file(tmp_path_factory.mktemp("reward") / "pasmr_reward.py", RewardConfig())


@pytest.mark.parametrize("response,label_text,reward,logs", CASES.values(), ids=CASES.keys())
def test_reward_func_scores_one_sample(response, label_text, reward, logs):
    batch = PasmrRewardFunc()([PROMPT + response], [PROMPT], [label_text])
    assert batch.rewards.tolist() == [reward]
    assert batch.scores.tolist() == [reward]
    assert {key: batch.extra_logs[key].item() for key in logs} == pytest.approx(logs)
    assert set(batch.extra_logs) == set(LOG_KEYS)


def test_gold_mode_rewards_by_the_gold_answer():
    score = PasmrRewardFunc(RewardConfig(use_gold=True))
    batch = score([PROMPT + CONSISTENT_SW + EOS], [PROMPT], [label(gold="9", pivot_answers=["8", "8"])])
    assert batch.rewards.tolist() == [1.0]


def test_reward_file_loads_through_single_turn_executor_and_scores_its_episode(reward_file, real_engine):
    """OpenRLHF's single-turn executor generates on the real engine (held to the response) and calls the file."""
    executor = SingleTurnAgentExecutor(remote_rm_url=str(reward_file))
    engine = GuidedEngine(real_engine, [CONSISTENT_SW], [])
    tokenizer = real_engine.tokenizer
    params = SamplingParams(max_tokens=256, skip_special_tokens=False, logprobs=1)
    output = engine.run(executor.execute(chat_prompt(tokenizer), AGREE, params, 1024, tokenizer, engine))
    assert output["reward"].tolist() == [1.0]
    assert output["scores"].tolist() == [1.0]
    assert output["extra_logs"]["consistency"].tolist() == [1.0]
    assert set(output["extra_logs"]) == set(LOG_KEYS)
    assert len(output["rollout_log_probs"]) == len(output["observation_tokens"])


def test_reward_file_command_bakes_in_its_options(tmp_path, capsys):
    path = tmp_path / "reward.py"
    assert pasmr(["reward-file", str(path), "--agreement", "0.8", "--use-gold", "--pivot", "en"]) == 0
    assert "--reward.remote_url" in capsys.readouterr().out
    executor = SingleTurnAgentExecutor(remote_rm_url=str(path))
    scorer = executor.reward_func.__globals__["_score"]
    assert (scorer.config.agreement_threshold, scorer.config.use_gold) == (0.8, True)


def test_reward_func_is_safe_from_many_threads(reward_file):
    reward_func = SingleTurnAgentExecutor(remote_rm_url=str(reward_file)).reward_func
    samples = [(PROMPT + response, PROMPT, label_text) for response, label_text, _, _ in CASES.values()] * 25

    def one(sample):
        query, prompt, label_text = sample
        result = reward_func([query], [prompt], [label_text])
        return result["rewards"].item(), {key: value.item() for key, value in result["extra_logs"].items()}

    expected = [one(sample) for sample in samples]
    with ThreadPoolExecutor(max_workers=16) as pool:
        assert list(pool.map(one, samples)) == expected


@pytest.mark.parametrize(
    "queries,prompts,labels,rewards,warnings",
    [
        ([None], [PROMPT], [AGREE], [0.0], 1),  # not text
        ([PROMPT + CONSISTENT_SW + EOS], [None], [AGREE], [0.0], 1),
        ([PROMPT + CONSISTENT_SW + EOS, PROMPT], [PROMPT], [AGREE], [1.0, 0.0], 1),  # lengths differ: the extra one fails
        (None, None, None, [], 1),  # not sequences at all
        ([], [], [], [], 0),
    ],
)
def test_reward_func_never_raises(caplog, queries, prompts, labels, rewards, warnings):
    with caplog.at_level(logging.WARNING, logger="pasmr_plugin"):
        batch = PasmrRewardFunc()(queries, prompts, labels)
    assert batch.rewards.tolist() == rewards
    assert all(len(value) == len(rewards) for value in [batch.scores, *batch.extra_logs.values()])
    assert len(caplog.records) == warnings


def test_extra_keyword_arguments_are_ignored():
    batch = PasmrRewardFunc()([PROMPT + CONSISTENT_SW + EOS], [PROMPT], [AGREE], datasource=["x"], step=3)
    assert batch.rewards.tolist() == [1.0]


def test_reward_func_is_picklable():
    score = pickle.loads(pickle.dumps(PasmrRewardFunc(RewardConfig(agreement_threshold=0.7))))
    assert score.config.agreement_threshold == 0.7


@pytest.mark.parametrize(
    "query,prompt,response",
    [
        # the decoded query starts with the prompt
        (PROMPT + "Jibu ni 9.", PROMPT, "Jibu ni 9."),
        # the prompt was cut from the left to fit max_len: the response follows its tail
        (PROMPT[20:] + "Jibu ni 9.", PROMPT, "Jibu ni 9."),
        # a tokenizer that does not round-trip the prompt's start
        (PROMPT.replace("Swali", "swali") + "Jibu ni 9.", PROMPT, "Jibu ni 9."),
        # no trace of the prompt: the whole query is judged
        ("Jibu ni 9.", PROMPT, "Jibu ni 9."),
    ],
)
def test_the_response_is_the_query_without_the_prompt(query, prompt, response):
    assert split_response(query, prompt) == response
