"""The PolyMath tasks inside unmodified lm-eval: an oracle scores 100% on every task, other problems' gold about 0.

The embedded sample (``polymath_sample.py``: 2 problems per level, 18 languages) always runs; the real
benchmark (``../shared/data/polymath``, 18 x 4 x 125) runs when it is there.
"""

from __future__ import annotations

import pytest
from lm_eval.tasks import TaskManager
from polymath_fixtures import OracleLM, ShiftedLM, boxed, response_with
from polymath_sample import sample_rows, write_polymath_sample

import lm_eval
from pasmr_plugin.answers import answers_equivalent
from pasmr_plugin.benchmarks import POLYMATH_LEVELS, polymath_record, read_polymath
from pasmr_plugin.evaluation import tasks_dir
from pasmr_plugin.evaluation.task_files import generated_files
from pasmr_plugin.evaluation.tasks import DATA_DIR_ENV, FAMILIES, grade_response, load_polymath
from pasmr_plugin.languages import POLYMATH_LANGUAGES
from pasmr_plugin.languages import POLYMATH_NOTES
from pasmr_plugin.prompts import polymath_prompt, target_prompt

METRICS = ("exact_match", "answer_found", "lang_fidelity")
GROUPS = list(FAMILIES)  # pasmr_polymath, pasmr_polymath_cot
TASKS = [suite.task(lang) for levels in FAMILIES.values() for suite in levels for lang in suite.languages]


def _evaluate(model, data_dir):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_ENV, str(data_dir))
        manager = TaskManager(include_path=str(tasks_dir()), include_defaults=False)
        return lm_eval.simple_evaluate(model=model, tasks=GROUPS, task_manager=manager, log_samples=True)


def _scores(results: dict, name: str) -> dict[str, float]:
    return {metric: results[name][f"{metric},none"] for metric in METRICS}


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    return write_polymath_sample(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def oracle_run(sample_dir):
    return _evaluate(OracleLM(), sample_dir)


@pytest.fixture(scope="module")
def shifted_run(sample_dir):
    return _evaluate(ShiftedLM(), sample_dir)


# --- the task files ---


def test_every_level_group_holds_the_18_languages_and_each_family_its_4_levels():
    files = generated_files()
    for family, levels in FAMILIES.items():
        assert f"- {family}_low\n- {family}_medium\n- {family}_high\n- {family}_top\n" in files[
            f"pasmr_polymath/_{family}.yaml"
        ]
        for suite in levels:
            group = files[f"pasmr_polymath/_{suite.name}.yaml"]
            assert [line[2:] for line in group.splitlines() if line.startswith("- pasmr")] == [
                suite.task(lang) for lang in POLYMATH_LANGUAGES
            ]
    assert len(TASKS) == 2 * 4 * 18
    assert not any("low_resource" in name for name in files if name.startswith("pasmr_polymath/"))


def test_generation_settings_fit_reasoning_models_and_live_in_one_line_per_template():
    for template in ("pasmr_yaml", "cot_yaml"):
        text = (tasks_dir() / "pasmr_polymath" / template).read_text(encoding="utf-8")
        assert text.count("max_gen_toks: 16384") == 1
    files = {name: content for name, content in generated_files().items() if name.startswith("pasmr_polymath/")}
    assert all("generation_kwargs" not in content for name, content in files.items() if "_en_k" not in name)
    # the pivot variants sample (their own settings), with the budget read from the template when generated
    assert all("max_gen_toks: 16384" in content for name, content in files.items() if "_en_k" in name)


# --- the embedded sample through lm-eval ---


@pytest.mark.parametrize("task", TASKS)
def test_oracle_scores_full_marks_on_every_task(oracle_run, task):
    assert _scores(oracle_run["results"], task) == {"exact_match": 1.0, "answer_found": 1.0, "lang_fidelity": 1.0}


@pytest.mark.parametrize("task", TASKS)
def test_other_problems_gold_scores_nothing(shifted_run, task):
    assert _scores(shifted_run["results"], task)["exact_match"] == 0.0


def test_groups_report_macro_means_of_levels_and_languages(oracle_run, shifted_run):
    groups = [name for levels in FAMILIES.values() for name in [levels[0].family, *(s.name for s in levels)]]
    assert {name: oracle_run["groups"][name]["exact_match,none"] for name in groups} == dict.fromkeys(groups, 1.0)
    assert {name: shifted_run["groups"][name]["exact_match,none"] for name in groups} == dict.fromkeys(groups, 0.0)


def test_requests_are_the_prompts_with_no_stop_string_and_a_reasoning_budget(oracle_run):
    cases = [("pasmr_polymath_top_ko", target_prompt), ("pasmr_polymath_cot_medium_ar", polymath_prompt)]
    for task, prompt_of in cases:
        sample = oracle_run["samples"][task][0]
        prompt, generation = sample["arguments"][0]
        doc = sample["doc"]
        if prompt_of is target_prompt:
            assert prompt == target_prompt(doc["question"], doc["lang"], boxed=True)
            assert "$\\boxed{...}$" in prompt and "<translation>" in prompt
        else:
            assert prompt == f"{doc['question']}\n{POLYMATH_NOTES['ar']}"
        assert generation["until"] == [] and generation["max_gen_toks"] == 16384


def test_docs_share_ids_and_answers_across_languages(sample_dir, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(sample_dir))
    english = load_polymath("en", "top")["test"]
    for lang in POLYMATH_LANGUAGES:
        docs = load_polymath(lang, "top")["test"]
        assert docs["id"] == english["id"] == ["polymath-top-0", "polymath-top-1"]
        assert docs["answer"] == english["answer"] and set(docs["level"]) == {"top"}


def test_a_missing_file_names_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    with pytest.raises(FileNotFoundError, match=r"polymath/sw/high\.jsonl .*PASMR_DATA_DIR="):
        load_polymath("sw", "high")
    with pytest.raises(ValueError, match="unknown PolyMath level 'middle'"):
        load_polymath("sw", "middle")


# --- grading ---


@pytest.mark.parametrize(
    "response,gold,expected",
    [
        # the boxed answer, read as mathematics
        ("Die Antwort lautet $\\boxed{\\dfrac{\\pi}{3}}$.", "$\\frac{\\pi}{3}$", 1.0),
        ("答えは $\\boxed{\\{2, -2\\}}$ です。", "$\\{-2, 2\\}$", 1.0),
        ("Jibu ni $\\boxed{[2, 3)}$.", "$[2,3)$", 1.0),
        ("La respuesta es $\\boxed{2n^2-2n+1}$.", "$2n^2 - 2n + 1$", 1.0),
        # a huge number and an expression in n are different answers
        ("The answer is $\\boxed{2^{2024} - 1}$.", "$2n^2 - 2n + 1$", 0.0),
        ("The answer is $\\boxed{2n^2 - 2n + 1}$.", "$2^{2024} - 1$", 0.0),
        # the gold written verbatim counts even where reading cannot take it apart ("-1,1": two answers)
        ("The answer is $\\boxed{P(x) = -1, 1}$.", "$P(x)=-1,1$", 1.0),
        ("The answer is $\\boxed{P(x) = -1.1}$.", "$P(x)=-1,1$", 0.0),
    ],
)
def test_grading_reads_expression_answers(response, gold, expected):
    assert grade_response(response, gold, "en", pam=False).exact_match == expected


def test_the_gold_missing_a_brace_is_closed_so_a_well_formed_answer_can_match():
    row = {"question": "q", "answer": "$\\frac{1}{2\\sqrt{2} \\ln\\frac{\\sqrt{2}+2}{2-\\sqrt{2}}$"}
    gold = polymath_record(row, "en", "medium", 111)["answer"]
    assert gold == "$\\frac{1}{2\\sqrt{2} \\ln\\frac{\\sqrt{2}+2}{2-\\sqrt{2}}}$"
    assert answers_equivalent("\\frac{1}{2\\sqrt{2}\\ln\\frac{\\sqrt{2}+2}{2-\\sqrt{2}}}", gold)


def test_pasmr_responses_are_scored_on_the_reasoning_not_the_translation():
    gold = sample_rows("de", "medium")[0]["answer"]
    translated_only = "<translation>\nThe answer is $\\boxed{\\frac{\\pi}{3}}$.\n</translation>\nIch weiß es nicht."
    assert grade_response(translated_only, gold, "de").exact_match == 0.0
    full_marks = dict.fromkeys(METRICS, 1.0)
    assert grade_response(response_with(gold, "de", translate=True), gold, "de").metrics() == full_marks
    assert boxed(gold) == "$\\boxed{\\frac{\\pi}{3}}$"


# --- the real benchmark (skips without ../shared/data/polymath) ---


@pytest.fixture(scope="module")
def polymath_data(shared_data_dir):
    if not (shared_data_dir / "polymath").is_dir():
        pytest.skip("PolyMath not found under ../shared/data")
    return shared_data_dir


@pytest.mark.shared_data
def test_real_benchmark_loads_125_aligned_problems_per_level_and_language(polymath_data):
    for level in POLYMATH_LEVELS:
        english = read_polymath(polymath_data, "en", level)
        for lang in POLYMATH_LANGUAGES:
            rows = read_polymath(polymath_data, lang, level)
            assert [(r["id"], r["answer"]) for r in rows] == [(r["id"], r["answer"]) for r in english]
            assert len(rows) == 125


@pytest.mark.shared_data
def test_real_benchmark_oracle_scores_100_and_shifted_gold_about_0(polymath_data):
    oracle, shifted = _evaluate(OracleLM(), polymath_data), _evaluate(ShiftedLM(), polymath_data)
    assert {task: oracle["results"][task]["exact_match,none"] for task in TASKS} == dict.fromkeys(TASKS, 1.0)
    assert all(shifted["results"][task]["exact_match,none"] <= 0.016 for task in TASKS)  # 2 of 125 at most
    assert all(shifted["groups"][group]["exact_match,none"] < 0.01 for group in GROUPS)
