"""The Python behind the lm-eval tasks: scoring, data loading (local and hub schemas) and the generated YAMLs."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from lmeval_fixtures import DEMO_DATA, replay_response

from pasmr_plugin.benchmarks import read_mgsm, read_mgsm_exemplars, read_msvamp
from pasmr_plugin.cli import main as pasmr_main
from pasmr_plugin.evaluation import tasks, tasks_dir
from pasmr_plugin.evaluation.task_files import PIVOT_REPEATS, stale_files
from pasmr_plugin.evaluation.tasks import DATA_DIR_ENV, SUITES, load_mgsm, load_msvamp, grade_response
from pasmr_plugin.languages import MGSM_LANGUAGES, MSVAMP_LANGUAGES, get_language

ZERO = {"exact_match": 0.0, "answer_found": 0.0, "lang_fidelity": 0.0}


@pytest.fixture
def demo_data(monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(DEMO_DATA))
    return DEMO_DATA


# --- scoring ---


@pytest.mark.parametrize("lang", MGSM_LANGUAGES)
@pytest.mark.parametrize("translate", [True, False], ids=["pasmr", "cot"])
def test_known_responses_get_exact_scores(lang, translate):
    low_resource = get_language(lang).low_resource
    scores = [
        grade_response(replay_response(doc, translate=translate), doc["answer"], lang, pam=translate).metrics()
        for doc in read_mgsm(DEMO_DATA, lang)
    ]
    assert scores == [
        {"exact_match": 1.0, "answer_found": 1.0, "lang_fidelity": 1.0},  # answer sentence, native digits
        {"exact_match": 1.0, "answer_found": 1.0, "lang_fidelity": 1.0},  # answer label, grouped number
        {"exact_match": float(not low_resource), "answer_found": 1.0, "lang_fidelity": float(lang == "en")},  # English
        {"exact_match": 0.0, "answer_found": 0.0, "lang_fidelity": 1.0},  # no answer (translation numbers don't count)
    ]


@pytest.mark.parametrize(
    "response,gold,lang,pam,answer,exact_match",
    [
        # only the reasoning after the translation is scored
        ("<translation>\nShe has 3 + 5 = 8 mangoes.\n</translation>\nSijui.", "8", "sw", True, None, 0.0),
        ("<translation>\nHow many?\n</translation>\nAna maembe 3 + 5 = 8. Jibu ni 8.", "8", "sw", True, "8", 1.0),
        # chain-of-thought scores the whole response
        ("<translation>\nShe has 8 mangoes.\n</translation>\nSijui.", "8", "sw", False, "8", 1.0),
        # separators and native digits of the language
        ("Die Antwort lautet 1.250.", "1250", "de", False, "1250", 1.0),
        ("Réponse : 1 250", "1250", "fr", False, "1250", 1.0),
        ("উত্তর হল ১,২৫০।", "1250", "bn", False, "1250", 1.0),
        ("答えは5万2,001円です。", "52001", "ja", False, "52001", 1.0),
        # MSVAMP golds such as "8.0"
        ("Jibu ni 8.", "8.0", "sw", False, "8", 1.0),
        # a wrong answer is found but not right
        ("Ответ — 7.", "8", "ru", False, "7", 0.0),
    ],
)
def test_score_response_answer_and_accuracy(response, gold, lang, pam, answer, exact_match):
    score = grade_response(response, gold, lang, pam=pam)
    assert (score.answer, score.exact_match, score.answer_found) == (answer, exact_match, float(answer is not None))


@pytest.mark.parametrize("response", [None, 42, "", "<translation>\nHow many?\n</translation>\n"])
def test_unusable_response_scores_zero_without_raising(response):
    assert grade_response(response, "8", "bn").metrics() == ZERO


# --- data ---


def test_local_docs_share_one_schema(demo_data):
    dataset = load_mgsm("de")
    assert dataset["test"][0] == {
        "id": "mgsm-0",
        "lang": "de",
        "question": "Amina hat 3 Mangos und kauft 5 weitere. Wie viele Mangos hat sie jetzt?",
        "answer": "8",
    }
    assert dataset["train"][1] == {
        "id": "mgsm-exemplar-2",
        "lang": "de",
        "question": "Auf einem Baum sitzen 9 Vögel und 4 fliegen weg. Wie viele Vögel bleiben auf dem Baum?",
        "solution": "4 der 9 Vögel fliegen weg, also bleiben 9 - 4 = 5 Vögel. Die Antwort lautet 5.",
        "answer": "5",
        "pivot_question": "There are 9 birds on a tree and 4 fly away. How many birds are left on the tree?",
    }


@pytest.mark.parametrize("lang", MSVAMP_LANGUAGES)
def test_msvamp_uses_mgsm_exemplars_of_its_language(demo_data, lang):
    dataset = load_msvamp(lang)
    assert [doc["answer"] for doc in dataset["test"]] == ["8", "1250", "48", "12"]
    assert [doc["question"] for doc in dataset["train"]] == [
        e["question"] for e in read_mgsm_exemplars(DEMO_DATA, lang)
    ]


def test_msvamp_accepts_the_question_answer_schema(demo_data, tmp_path, monkeypatch):
    expected = load_msvamp("sw")["test"].to_list()
    data = shutil.copytree(DEMO_DATA, tmp_path / "data")
    rows = [{"question": doc["question"], "answer": f"{float(doc['answer'])}"} for doc in read_msvamp(DEMO_DATA, "sw")]
    (data / "msvamp" / "test_Swahili.json").write_text("".join(json.dumps(row) + "\n" for row in rows))
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    assert load_msvamp("sw")["test"].to_list() == expected


def _hub_rows(path: str, lang: str, split: str) -> list[dict]:
    """What ``datasets.load_dataset(juletxara/mgsm, lang, split=split)`` returns, built from the demo files."""
    if split == "test":
        return [
            {
                "question": doc["question"],
                "answer": None,
                "answer_number": int(doc["answer"]),
                "equation_solution": None,
            }
            for doc in read_mgsm(DEMO_DATA, lang)
        ]
    language = get_language(lang)
    return [
        {
            "question": f"{language.question_label} {e['question']}",
            "answer": f"{language.step_answer_label} {e['solution']}",
            "answer_number": int(e["answer"]),
            "equation_solution": None,
        }
        for e in read_mgsm_exemplars(DEMO_DATA, lang)
    ]


@pytest.mark.parametrize("lang", ["de", "ja", "te"])
def test_hub_and_local_files_give_identical_docs(demo_data, monkeypatch, lang):
    local = load_mgsm(lang)
    monkeypatch.delenv(DATA_DIR_ENV)
    monkeypatch.setattr(tasks, "_hub_split", _hub_rows)
    hub = load_mgsm(lang)
    assert hub["test"].to_list() == local["test"].to_list()
    assert hub["train"].to_list() == local["train"].to_list()


def test_missing_local_file_is_named(tmp_path, monkeypatch):
    (tmp_path / "mgsm").mkdir()
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path / "mgsm" / "mgsm_sw.tsv")) + ".*PASMR_DATA_DIR"):
        load_mgsm("sw")


# --- task folders ---


def test_committed_yamls_equal_the_generator_output():
    assert stale_files(tasks_dir()) == []  # after editing languages.py: python -m pasmr_plugin.evaluation.task_files


@pytest.mark.parametrize("suite", SUITES, ids=[suite.name for suite in SUITES])
def test_pivot_variants_are_the_english_task_repeated_with_the_agents_pivot_sampling(suite):
    from lm_eval.tasks._yaml_loader import load_yaml

    from pasmr_plugin.openrlhf.config import AgentConfig

    folder = tasks_dir() / suite.folder
    english = load_yaml(folder / f"{suite.task('en')}.yaml", resolve_func=False)
    for repeats in PIVOT_REPEATS:
        variant = load_yaml(folder / f"{suite.pivot_variant(repeats)}.yaml", resolve_func=False)
        sampling = {"do_sample": True, "temperature": AgentConfig.pivot_temperature, "top_p": AgentConfig.pivot_top_p}
        assert variant == {**english, "task": f"{suite.task('en')}_k{repeats}", "repeats": repeats,
                           "generation_kwargs": {**english["generation_kwargs"], **sampling}}  # fmt: skip


@pytest.mark.parametrize("folder", sorted({suite.folder for suite in SUITES}))
def test_readme_changelog_names_the_template_versions(folder):
    from lm_eval.tasks._yaml_loader import load_yaml

    root = tasks_dir() / folder
    versions = {load_yaml(path, resolve_func=False)["metadata"]["version"] for path in root.glob("*_yaml")}
    changelog = (root / "README.md").read_text(encoding="utf-8").split("### Changelog")[1]
    assert versions and all(f"version {version}" in changelog for version in versions)


def test_tasks_path_command_prints_the_task_folder(capsys):
    assert pasmr_main(["tasks-path"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed == str(tasks_dir())
    assert (tasks_dir() / "pasmr_mgsm" / "_pasmr_mgsm.yaml").is_file()


def test_without_a_data_folder_an_unreachable_hub_says_how_to_read_the_data_offline(monkeypatch):
    import datasets

    from pasmr_plugin.evaluation import tasks

    def offline(*args, **kwargs):
        raise ConnectionError("Couldn't reach 'juletxara/mgsm' on the Hub (LocalEntryNotFoundError)")

    monkeypatch.delenv(tasks.DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(datasets, "load_dataset", offline)
    with pytest.raises(ConnectionError, match=f"offline, set {tasks.DATA_DIR_ENV} to a folder"):
        tasks.load_mgsm("sw")
