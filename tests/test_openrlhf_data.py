"""`pasmr data sft|rl|pivot-labels`: the records they build and what OpenRLHF's own datasets make of them."""

import csv
import json
from pathlib import Path

import pytest

from openrlhf_fixtures import (
    QUESTION_SW,
    SOLUTION_SW,
    TRANSLATION,
    tiny_model_dir,  # noqa: F401  (fixture)
    tiny_tokenizer,  # noqa: F401  (fixture)
)

from pasmr_plugin.cli import main as pasmr
from pasmr_plugin.openrlhf.labels import PasmrLabel, parse_label
from pasmr_plugin.openrlhf import data as data_module
from pasmr_plugin.openrlhf.data import FieldNames, add_pivot_labels, benchmark_records, build_rl, build_sft
from pasmr_plugin.prompts import pam_response, target_prompt
from pasmr_plugin.openrlhf.records import RecordError, SourceRecord

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

PARALLEL = [
    {"id": "ex-1", "lang": "sw", "question": QUESTION_SW, "pivot_question": TRANSLATION, "solution": SOLUTION_SW},
    {
        "lang": "de",
        "question": "Ein Bauer hat 8 Kühe und kauft 7 weitere. Wie viele Kühe hat er?",
        "pivot_question": "A farmer has 8 cows and buys 7 more. How many cows does he have?",
        "solution": "Er hat 8 + 7 = 15 Kühe.",
        "answer": 15,
    },
]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def records(rows, name="in.jsonl"):
    return [SourceRecord(f"{name}:{index}", row) for index, row in enumerate(rows, 1)]


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


# --- sft --------------------------------------------------------------------------------------------------


def test_sft_records_hold_the_pasmr_prompt_and_the_pam_response():
    rows = list(build_sft(records(PARALLEL)))
    assert rows[0] == {
        "id": "ex-1",
        "input": target_prompt(QUESTION_SW, "sw"),
        "output": pam_response(TRANSLATION, SOLUTION_SW),
        "lang": "sw",
    }
    assert rows[1]["output"].endswith("Er hat 8 + 7 = 15 Kühe. Die Antwort lautet 15.")  # answer sentence added


def test_sft_field_names_and_a_default_language_are_configurable():
    row = {"frage": QUESTION_SW, "english": TRANSLATION, "loesung": SOLUTION_SW}
    fields = FieldNames(question="frage", pivot_question="english", solution="loesung")
    [built] = build_sft(records([row]), fields=fields, lang="sw")
    assert built["output"] == pam_response(TRANSLATION, SOLUTION_SW)


def test_sft_output_is_what_openrlhfs_sft_dataset_trains_on(tiny_tokenizer):
    preprocess_data = pytest.importorskip("openrlhf.datasets.sft_dataset").preprocess_data

    [row] = build_sft(records(PARALLEL[:1]))
    prompt, response = preprocess_data(
        row, input_key="input", output_key="output", apply_chat_template=tiny_tokenizer.apply_chat_template
    )
    assert prompt.endswith("<|im_start|>assistant\n") and target_prompt(QUESTION_SW, "sw") in prompt
    assert response.startswith(pam_response(TRANSLATION, SOLUTION_SW))


@pytest.mark.parametrize(
    "change,message",
    [
        ({"solution": ""}, "in.jsonl:1: missing field 'solution'"),
        ({"pivot_question": None}, "in.jsonl:1: missing field 'pivot_question'"),
        ({"question": 7}, "in.jsonl:1: field 'question' must be text"),
        ({"lang": "xx"}, "in.jsonl:1: unknown language 'xx'"),
        ({"lang": None}, "in.jsonl:1: no language"),
    ],
)
def test_a_bad_sft_record_is_reported_with_its_line(change, message):
    with pytest.raises(RecordError, match=message):
        list(build_sft(records([{**PARALLEL[0], **change}])))


@pytest.mark.parametrize("ending", ["jsonl", "csv"])
def test_data_sft_command_writes_openrlhf_sft_jsonl(tmp_path, capsys, ending):
    source = tmp_path / f"parallel.{ending}"
    if ending == "jsonl":
        write_jsonl(source, PARALLEL)
    else:
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=["lang", "question", "pivot_question", "solution"])
            writer.writeheader()
            writer.writerows({key: row[key] for key in writer.fieldnames} for row in PARALLEL)
    assert pasmr(["data", "sft", str(source), str(tmp_path / "sft.jsonl")]) == 0
    assert "wrote 2 records" in capsys.readouterr().out
    assert [row["lang"] for row in read_jsonl(tmp_path / "sft.jsonl")] == ["sw", "de"]


def test_a_bad_line_stops_the_command_with_its_location_and_no_output(tmp_path, capsys):
    source = write_jsonl(tmp_path / "parallel.jsonl", [PARALLEL[0], PARALLEL[1], {"lang": "sw", "question": "?"}])
    assert pasmr(["data", "sft", str(source), str(tmp_path / "sft.jsonl")]) == 2
    assert f"pasmr: error: {source}:3: missing field 'pivot_question'" in capsys.readouterr().err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["parallel.jsonl"]


# --- rl ---------------------------------------------------------------------------------------------------

QUESTIONS = [
    {"lang": "sw", "question": QUESTION_SW},
    {"lang": "bn", "question": "রিনার কাছে ২০টি কলম আছে। সে ৬টি বিক্রি করল। কতগুলি রইল?", "answer": "১৪"},
    {"lang": "ja", "question": "りんごは全部で何個ですか？", "pivot_question": "How many apples are there?", "answer": 12},
]


def test_rl_prompts_carry_a_label_with_language_gold_and_reference_translation():
    rows = list(build_rl(records(QUESTIONS)))
    assert [row["prompt"] for row in rows] == [target_prompt(q["question"], q["lang"]) for q in QUESTIONS]
    assert [parse_label(row["label"]) for row in rows] == [
        PasmrLabel("sw", split="train", answer_format="number"),
        PasmrLabel("bn", gold="১৪", split="train", answer_format="number"),
        PasmrLabel("ja", gold="12", pivot_question="How many apples are there?", split="train", answer_format="number"),
    ]
    assert [row["datasource"] for row in rows] == ["pasmr_sw", "pasmr_bn", "pasmr_ja"]


def test_rl_gold_can_be_left_out_with_an_empty_answer_key():
    [row] = build_rl(records(QUESTIONS[1:2]), fields=FieldNames(answer=""))
    assert parse_label(row["label"]).gold is None


def test_rl_rejects_a_gold_answer_that_is_not_a_number():
    with pytest.raises(RecordError, match="in.jsonl:1: label gold answer is not a number"):
        list(build_rl(records([{"lang": "sw", "question": "?", "answer": "many"}])))


def test_rl_prompts_and_labels_round_trip_through_openrlhfs_prompt_dataset(tmp_path, tiny_tokenizer):
    pytest.importorskip("openrlhf.datasets")
    from pasmr_plugin.demo.openrlhf_runtime import prompt_dataset

    source = write_jsonl(tmp_path / "questions.jsonl", QUESTIONS)
    assert pasmr(["data", "rl", str(source), str(tmp_path / "rl.jsonl")]) == 0
    dataset = prompt_dataset(tmp_path / "rl.jsonl", tiny_tokenizer)
    built = read_jsonl(tmp_path / "rl.jsonl")
    assert len(dataset) == len(QUESTIONS)
    for index, row in enumerate(built):
        _, prompt, label, _ = dataset[index]
        messages = [{"role": "user", "content": row["prompt"]}]
        assert prompt == tiny_tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        assert label == row["label"] and parse_label(label).lang == QUESTIONS[index]["lang"]


def _benchmark_folder(root: Path) -> Path:
    (root / "mgsm").mkdir(parents=True)
    (root / "mgsm" / "mgsm_sw.tsv").write_text(f"{QUESTION_SW}\t9\nSwali la pili?\t12\n", encoding="utf-8")
    (root / "mgsm" / "mgsm_en.tsv").write_text(f"{TRANSLATION}\t9\nSecond question?\t12\n", encoding="utf-8")
    (root / "msvamp").mkdir()
    row = {"query": "how many kids ?", "m_query": "Watoto wangapi?", "response": "8.0"}
    (root / "msvamp" / "test_Swahili.json").write_text(json.dumps(row) + "\n", encoding="utf-8")
    (root / "msvamp" / "test_English.json").write_text(json.dumps({"m_query": "How many kids?", "response": "8.0"}))
    return root


@pytest.mark.parametrize(
    "benchmark,first",
    [
        ("mgsm", PasmrLabel("sw", gold="9", pivot_question=TRANSLATION, split="eval", answer_format="number")),
        ("msvamp", PasmrLabel("sw", gold="8", pivot_question="How many kids?", split="eval", answer_format="number")),
    ],
)
@pytest.mark.parametrize("given", ["data folder", "benchmark's own folder"])
def test_rl_prompts_from_benchmark_folders_carry_gold_and_the_pivot_files_question(tmp_path, benchmark, first, given):
    folder = _benchmark_folder(tmp_path / "data")
    if given == "benchmark's own folder":  # ../shared/data/mgsm instead of ../shared/data
        folder = folder / benchmark
    out = tmp_path / f"{benchmark}.jsonl"
    command = ["data", "rl", str(folder), str(out), "--benchmark", benchmark, "--langs", "sw", "--split", "eval"]
    assert pasmr(command) == 0
    rows = read_jsonl(out)
    assert parse_label(rows[0]["label"]) == first
    assert rows[0]["id"].endswith("-sw")
    assert rows[0]["datasource"] == f"{benchmark}_sw"


def test_eval_rows_need_a_gold_answer():
    with pytest.raises(RecordError, match="an eval row needs a gold answer"):
        list(build_rl(records(QUESTIONS[:1]), split="eval"))


def test_benchmark_records_reject_a_language_the_benchmark_lacks(tmp_path):
    with pytest.raises(ValueError, match="msvamp has no language 'te'"):
        list(benchmark_records(_benchmark_folder(tmp_path), "msvamp", ["te"]))


@pytest.mark.shared_data
@pytest.mark.skipif(not (SHARED_DATA / "mgsm").is_dir(), reason="../shared/data is absent")
def test_rl_eval_set_from_the_real_mgsm_files(tmp_path):
    out = tmp_path / "mgsm_eval.jsonl"
    assert pasmr(["data", "rl", str(SHARED_DATA), str(out), "--benchmark", "mgsm", "--langs", "sw,bn,te"]) == 0
    labels = [parse_label(row["label"]) for row in read_jsonl(out)]
    assert len(labels) == 750
    assert all(label.gold is not None and label.pivot_question for label in labels)


# --- pivot-labels -----------------------------------------------------------------------------------------


class FakeGenerator:
    """Answers each pivot question with K texts; records every batch it was asked and the answer formats."""

    def __init__(self, texts):
        self.texts, self.batches, self.formats = texts, [], []

    def __call__(self, questions, answer_format):
        self.batches.append(list(questions))
        self.formats.append(answer_format)
        return [self.texts(question) for question in questions]


def rl_rows(*pivot_questions):
    return [
        {"prompt": f"p{index}", "label": json.dumps({"lang": "sw", "pivot_question": q, "source": "x"}), "id": index}
        for index, q in enumerate(pivot_questions)
    ]


def test_pivot_labels_add_the_extracted_answers_and_keep_everything_else():
    generate = FakeGenerator(lambda q: ["The answer is 9.", "So 9 eggs.", "I am not sure."])
    [row] = add_pivot_labels(records(rl_rows(TRANSLATION)), generate)
    assert json.loads(row["label"]) == {
        "lang": "sw",
        "pivot_question": TRANSLATION,
        "source": "x",
        "pivot_answers": ["9", "9", None],
    }
    assert (row["prompt"], row["id"]) == ("p0", 0)


@pytest.mark.parametrize(
    "label_format, prompt, setting, asked",
    [
        ("boxed", "p0", "auto", "boxed"),  # the label's form
        (None, target_prompt("Tafuta $x$.", "sw", boxed=True), "auto", "boxed"),  # else the prompt's
        (None, target_prompt("Mayai mangapi?", "sw"), "auto", "number"),
        ("boxed", "p0", "number", "number"),  # --pivot-answer-format wins
    ],
)
def test_pivot_labels_ask_for_the_answer_in_the_form_of_the_target_prompt(label_format, prompt, setting, asked):
    generate = FakeGenerator(lambda q: ["So $\\boxed{\\frac{\\pi}{3}}$, about 1.05. The answer is 1.05."])
    label = {"lang": "sw", "pivot_question": TRANSLATION, **({"answer_format": label_format} if label_format else {})}
    row = {"prompt": prompt, "label": json.dumps(label)}
    [labeled] = add_pivot_labels(records([row]), generate, answer_format=setting)
    assert generate.formats == [asked]
    expected = "\\frac{\\pi}{3}" if asked == "boxed" else "1.05"  # a boxed answer is read as the boxed one
    assert json.loads(labeled["label"])["pivot_answers"] == [expected]


def test_identical_pivot_questions_are_generated_for_once_across_batches():
    generate = FakeGenerator(lambda q: ["The answer is 1."] * 2)
    rows = list(add_pivot_labels(records(rl_rows("A?", "B?", "A?", "A ?", "B?", "C?")), generate, batch_size=2))
    assert generate.batches == [["A?", "B?"], ["A ?"], ["C?"]]  # spacing differs: "A ?" is its own question
    assert len(rows) == 6


def test_pivot_labels_need_a_reference_translation_in_every_label():
    generate = FakeGenerator(lambda q: ["9"])
    bad = {"prompt": "p", "label": '{"lang": "sw"}'}
    with pytest.raises(RecordError, match="in.jsonl:2: the label has no pivot_question"):
        list(add_pivot_labels(records([*rl_rows("A?"), bad]), generate))
    assert generate.batches == []  # validated before anything is generated


def test_a_generator_returning_too_few_results_is_an_error():
    with pytest.raises(RuntimeError, match="returned 0 results for 1 questions"):
        list(add_pivot_labels(records(rl_rows("A?")), lambda questions, answer_format: []))


def test_pivot_labels_command_without_vllm_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    from pasmr_plugin.demo.openrlhf_runtime import is_installed

    if is_installed("vllm"):
        pytest.skip("vLLM is installed here")
    source = write_jsonl(tmp_path / "rl.jsonl", rl_rows("A?"))
    assert pasmr(["data", "pivot-labels", str(source), str(tmp_path / "out.jsonl"), "--model", "m"]) == 2
    assert "pip install 'pasmr-plugin[vllm]'" in capsys.readouterr().err


def test_pivot_labels_command_with_a_pluggable_generator(tmp_path, monkeypatch):
    seen = {}

    def fake_vllm_generator(model, **options):
        seen.update(model=model, **options)
        return FakeGenerator(lambda q: ["The answer is 9."] * options["samples"])

    monkeypatch.setattr(data_module, "vllm_pivot_generator", fake_vllm_generator)
    source = write_jsonl(tmp_path / "rl.jsonl", rl_rows(TRANSLATION, "B?"))
    out = tmp_path / "labeled.jsonl"
    assert pasmr(["data", "pivot-labels", str(source), str(out), "--model", "sft-7b", "--samples", "3"]) == 0
    assert seen["model"] == "sft-7b" and seen["samples"] == 3
    assert [parse_label(row["label"]).pivot_answers for row in read_jsonl(out)] == [("9", "9", "9")] * 2


def test_pivot_labels_command_reports_a_bad_label_before_loading_a_model(tmp_path, capsys):
    source = write_jsonl(tmp_path / "rl.jsonl", [*rl_rows("A?"), {"prompt": "p", "label": "sw"}])
    assert pasmr(["data", "pivot-labels", str(source), str(tmp_path / "out.jsonl"), "--model", "m"]) == 2
    assert f"{source}:2: label is not JSON" in capsys.readouterr().err
