"""The tasks inside unmodified lm-eval: loading through TaskManager, exact metrics through simple_evaluate."""

from __future__ import annotations

from statistics import fmean

import lm_eval
import pytest
from lm_eval.tasks import TaskManager
from lmeval_fixtures import DEMO_DATA, ReplayLM, expected_scores

from pasmr_plugin.benchmarks import read_mgsm_exemplars
from pasmr_plugin.evaluation import tasks_dir
from pasmr_plugin.evaluation.tasks import (
    DATA_DIR_ENV,
    cot_doc_to_text,
    load_mgsm,
    pam_doc_to_text,
    pam_exemplar_target,
)
from pasmr_plugin.evaluation.tasks import SUITES as ALL_SUITES
from pasmr_plugin.languages import get_language
from pasmr_plugin.prompts import cot_prompt, target_prompt

METRICS = ("exact_match", "answer_found", "lang_fidelity")
SUITES = [suite for suite in ALL_SUITES if suite.family is None]  # MGSM and MSVAMP; PolyMath: test_polymath_tasks.py
GROUPS = [suite.name for suite in SUITES]
TASKS = [(suite, lang) for suite in SUITES for lang in suite.languages]
GROUPS_AND_TASKS = [name for suite in SUITES for name in (suite.name, suite.low_resource_group)] + [
    suite.task(lang) for suite, lang in TASKS
]


def _manager() -> TaskManager:
    return TaskManager(include_path=str(tasks_dir()), include_defaults=False)  # built-in tasks only slow this down


@pytest.fixture
def demo_data(monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(DEMO_DATA))


@pytest.fixture(scope="module")
def replay_results():
    """All three groups answered by the replay model, zero-shot."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_ENV, str(DEMO_DATA))
        return lm_eval.simple_evaluate(model=ReplayLM(), tasks=GROUPS, task_manager=_manager(), log_samples=True)


def _few_shot_contexts(tasks: list[str], shots: int) -> dict[str, str]:
    """The first prompt of each task with ``shots`` exemplars, as the model receives it."""
    model = ReplayLM()
    lm_eval.simple_evaluate(model=model, tasks=tasks, task_manager=_manager(), num_fewshot=shots, limit=1)
    return {task: prompts[0] for task, prompts in model.prompts.items()}


@pytest.mark.parametrize("name", GROUPS_AND_TASKS)
def test_every_task_and_group_loads_through_task_manager(demo_data, name):
    loaded = _manager().load([name])
    assert loaded["tasks"], name
    assert all(len(task.eval_docs) == 4 for task in loaded["tasks"].values())


@pytest.mark.parametrize("suite,lang", TASKS, ids=[suite.task(lang) for suite, lang in TASKS])
def test_replay_gets_the_expected_metrics_per_task(replay_results, suite, lang):
    results = replay_results["results"][suite.task(lang)]
    assert {metric: results[f"{metric},none"] for metric in METRICS} == expected_scores(lang)


@pytest.mark.parametrize("suite", SUITES, ids=GROUPS)
def test_groups_report_macro_means_and_the_low_resource_mean(replay_results, suite):
    groups = replay_results["groups"]
    for group, langs in [(suite.name, suite.languages), (suite.low_resource_group, suite.low_resource_languages)]:
        expected = {metric: fmean(expected_scores(lang)[metric] for lang in langs) for metric in METRICS}
        assert {metric: groups[group][f"{metric},none"] for metric in METRICS} == pytest.approx(expected), group


def test_low_resource_means_cover_bengali_swahili_telugu_thai():
    assert [suite.low_resource_languages for suite in SUITES] == [("bn", "sw", "te", "th")] * 2 + [("bn", "sw", "th")]


@pytest.mark.parametrize("suite,lang", TASKS, ids=[suite.task(lang) for suite, lang in TASKS])
def test_zero_shot_request_is_the_prompt_stopping_at_the_next_question(replay_results, suite, lang):
    sample = replay_results["samples"][suite.task(lang)][0]
    prompt, generation = sample["arguments"][0]
    assert prompt == (target_prompt if suite.pam else cot_prompt)(sample["doc"]["question"], lang)
    assert generation["until"] == [f"\n\n{get_language(lang).question_label}"]


def test_few_shot_exemplars_answer_in_the_pasmr_format(demo_data):
    contexts = _few_shot_contexts(["pasmr_mgsm_de", "pasmr_mgsm_cot_de", "pasmr_msvamp_sw"], shots=2)
    exemplars = load_mgsm("de")["train"]
    question = load_mgsm("de")["test"][0]
    assert contexts["pasmr_mgsm_de"] == "\n\n".join(
        [pam_doc_to_text(e) + "\n" + pam_exemplar_target(e) for e in exemplars] + [pam_doc_to_text(question)]
    )
    assert contexts["pasmr_mgsm_cot_de"] == "\n\n".join(
        [cot_doc_to_text(e) + "\n" + e["solution"] for e in exemplars] + [cot_doc_to_text(question)]
    )
    assert contexts["pasmr_mgsm_de"].count("<translation>\nThere are 9 birds on a tree") == 1
    swahili = [e["question"] for e in read_mgsm_exemplars(DEMO_DATA, "sw")]
    assert all(f"Swali: {q}" in contexts["pasmr_msvamp_sw"] for q in swahili)  # MGSM's exemplars serve MSVAMP
