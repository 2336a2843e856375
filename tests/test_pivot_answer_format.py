"""The pivot prompt asks for the answer in the form the target prompt asks for it (issue 17).

A PolyMath row of ``pasmr data rl --benchmark polymath`` asks for ``$\\boxed{...}$``; the agent file of
``pasmr agent-file``, loaded by OpenRLHF 0.11.2's own ``_load_agent_executor``, must ask the pivot
completions for a boxed answer too (and read them so), unless ``--pivot-answer-format`` says otherwise.
Episodes run on the real vLLM engine held to chosen texts (:class:`real_engine.GuidedEngine`), through
OpenRLHF's own ``generate_responses``; the pivot prompts checked are those the engine really received.
"""

from __future__ import annotations

import json

import pytest

pytest.importorskip("openrlhf")

from real_engine import PIVOT, GuidedEngine, real_engine, require_vllm  # noqa: E402, F401

require_vllm()

from openrlhf_fixtures import tiny_model_dir  # noqa: E402, F401
from polymath_fixtures import REASONING  # noqa: E402
from polymath_sample import write_polymath_sample  # noqa: E402

from pasmr_plugin.cli import main as pasmr  # noqa: E402
from pasmr_plugin.demo.openrlhf_runtime import SamplingParams, generate_responses, load_agent_executor  # noqa: E402
from pasmr_plugin.openrlhf.records import read_records  # noqa: E402
from pasmr_plugin.prompts import pam_response, question_from_prompt  # noqa: E402

BOXED_INSTRUCTION = 'finish with "The answer is $\\boxed{...}$."'
NUMBER_INSTRUCTION = 'finish with "The answer is [number]."'
TRANSLATION = (
    "Find the value: in triangle ABC the sides satisfy a squared plus b squared minus c squared equals a times b. "
    "What is the angle C in radians?"
)


def polymath_row(tmp_path, *extra: str) -> dict:
    """The first Swahili medium-level row of `pasmr data rl --benchmark polymath` on the in-repo sample."""
    data = write_polymath_sample(tmp_path / "data")
    out = tmp_path / "rl.jsonl"
    command = ["data", "rl", str(data), str(out), "--benchmark", "polymath", "--langs", "sw", "--levels", "medium"]
    assert pasmr([*command, *extra]) == 0
    return next(read_records(out)).data


def agent(tmp_path, *flags: str):
    """The agent file of `pasmr agent-file`, built by OpenRLHF's own `_load_agent_executor`."""
    path = tmp_path / "pasmr_agent.py"
    assert pasmr(["agent-file", str(path), "--pivot-samples", "4", *flags]) == 0
    return load_agent_executor(path)


def run_episode(executor, real_engine, row: dict, pivot_text: str):
    """One episode on the row's prompt (chat template applied, as OpenRLHF's PromptDataset does); the real
    engine writes the PAM response below, then ``pivot_text`` for each of the K pivot completions."""
    tokenizer = real_engine.tokenizer
    prompt = tokenizer.apply_chat_template(
        [{"role": "user", "content": row["prompt"]}], tokenize=False, add_generation_prompt=True
    )
    target = pam_response(TRANSLATION, f"{REASONING['sw']} Jibu ni $\\boxed{{\\dfrac{{\\pi}}{{3}}}}$.")
    engine = GuidedEngine(real_engine, [target], [pivot_text])
    params = SamplingParams(max_tokens=1024)
    [result] = engine.run(generate_responses(executor, engine, prompt, row["label"], params, 4096, tokenizer, 1))
    pivots = engine.of_kind(PIVOT)
    assert [request.texts for request in pivots] == [[pivot_text] * 4]  # what the agent voted on
    return result, [request.prompt for request in pivots]


def test_a_polymath_row_says_in_its_label_that_it_asks_for_a_boxed_answer(tmp_path):
    row = polymath_row(tmp_path)
    assert json.loads(row["label"])["answer_format"] == "boxed"
    assert row["prompt"].endswith('umalizie kwa "Jibu ni $\\boxed{...}$."')
    assert question_from_prompt(row["prompt"], "sw").startswith("Tafuta thamani:")  # the copied-translation rule reads it


def test_the_agent_file_asks_the_pivot_for_a_boxed_answer_on_a_polymath_row(tmp_path, real_engine):
    row = polymath_row(tmp_path)
    pivot_text = "Since cos C = 1/2, the angle is 60 degrees. The answer is $\\boxed{\\frac{\\pi}{3}}$."
    result, pivot_prompts = run_episode(agent(tmp_path), real_engine, row, pivot_text)
    assert len(pivot_prompts) == 1 and BOXED_INSTRUCTION in pivot_prompts[0]
    assert pivot_prompts[0].startswith("<|im_start|>user\nQuestion: " + TRANSLATION)
    assert result["reward"] == 1.0 and result["extra_logs"]["agreement"] == 1.0


def test_pivot_answer_format_number_overrides_the_label(tmp_path, real_engine):
    row = polymath_row(tmp_path)
    result, pivot_prompts = run_episode(agent(tmp_path, "--pivot-answer-format", "number"), real_engine, row, "The answer is 5.")
    assert NUMBER_INSTRUCTION in pivot_prompts[0] and "boxed" not in pivot_prompts[0]
    assert result["reward"] == 0.0  # the pivot answered 5: inconsistent with pi/3


def test_a_label_without_answer_format_takes_the_target_prompts_form(tmp_path, real_engine):
    row = polymath_row(tmp_path)
    label = json.loads(row["label"])
    del label["answer_format"]  # a label written before answer_format existed
    row = {**row, "label": json.dumps(label, ensure_ascii=False)}
    _, pivot_prompts = run_episode(agent(tmp_path), real_engine, row, "The answer is $\\boxed{\\pi/3}$.")
    assert BOXED_INSTRUCTION in pivot_prompts[0]


def test_an_mgsm_style_row_keeps_asking_the_pivot_for_a_number(tmp_path, real_engine):
    source = tmp_path / "q.jsonl"
    source.write_text(json.dumps({"lang": "sw", "question": "Janet ana mayai 16. Anauza mangapi?", "answer": 9}) + "\n")
    out = tmp_path / "rl.jsonl"
    assert pasmr(["data", "rl", str(source), str(out)]) == 0
    row = next(read_records(out)).data
    assert json.loads(row["label"])["answer_format"] == "number"
    _, pivot_prompts = run_episode(agent(tmp_path), real_engine, row, "The answer is 9.")
    assert NUMBER_INSTRUCTION in pivot_prompts[0]
