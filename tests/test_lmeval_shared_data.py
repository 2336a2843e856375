"""The full MGSM (11 x 250) and MSVAMP (10 x 1000) files through the tasks (skips without ../shared/data)."""

from __future__ import annotations

import pytest
from lm_eval.tasks import TaskManager

from pasmr_plugin.evaluation import tasks_dir
from pasmr_plugin.evaluation.tasks import DATA_DIR_ENV, SUITES, load_mgsm, grade_response
from pasmr_plugin.languages import MGSM_LANGUAGES

pytestmark = pytest.mark.shared_data
SIZES = {"pasmr_mgsm": 250, "pasmr_msvamp": 1000}
FULL_MARKS = {"exact_match": 1.0, "answer_found": 1.0, "lang_fidelity": 1.0}


@pytest.fixture(scope="module")
def loaded(shared_data_dir):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_ENV, str(shared_data_dir))
        manager = TaskManager(include_path=str(tasks_dir()), include_defaults=False)
        yield manager.load(list(SIZES))["tasks"]


def test_every_language_loads_in_full(loaded):
    expected = {
        suite.task(lang): SIZES[suite.name] for suite in SUITES if suite.name in SIZES for lang in suite.languages
    }
    assert {name: len(task.eval_docs) for name, task in loaded.items()} == expected


def test_parallel_questions_share_ids_and_answers_across_languages(loaded):
    for suite in ("pasmr_mgsm", "pasmr_msvamp"):
        english = loaded[f"{suite}_en"].eval_docs
        for name, task in loaded.items():
            if name.startswith(suite + "_"):
                assert task.eval_docs["id"] == english["id"] and task.eval_docs["answer"] == english["answer"], name


def test_eight_shot_prompt_holds_all_exemplars_in_pasmr_format(loaded):
    task = loaded["pasmr_mgsm_sw"]
    prompt = task.fewshot_context(doc=task.eval_docs[0], num_fewshot=8)
    assert prompt.count("Swali:") == 9
    assert prompt.count("\n</translation>\n") == 8
    assert prompt.endswith(task.doc_to_text(task.eval_docs[0]))


@pytest.mark.parametrize("lang", MGSM_LANGUAGES)
def test_human_exemplar_solutions_score_full_marks(shared_data_dir, monkeypatch, lang):
    monkeypatch.setenv(DATA_DIR_ENV, str(shared_data_dir))
    exemplars = load_mgsm(lang)["train"]
    scores = [grade_response(e["solution"], e["answer"], lang, pam=False).metrics() for e in exemplars]
    assert scores == [FULL_MARKS] * 8
