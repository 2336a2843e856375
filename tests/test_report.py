"""``pasmr report`` on lm-eval samples files written for the test: exact tables, consistency, robustness, plots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lmeval_fixtures import NATIVE_REASONING, NO_ANSWER

from pasmr_plugin.cli import main as pasmr_main
from pasmr_plugin.evaluation.metrics import Consistency, LanguageResult, ReportError
from pasmr_plugin.evaluation.report import build_report, write_report
from pasmr_plugin.languages import get_language

DATE = "2026-01-02T03-04-05.000006"
GOLD = ["8", "12"]
# model -> language -> its answers to the two parallel questions (None: no answer)
ANSWERS = {
    "model-a": {"en": ["8", "12"], "de": ["8", "11"], "sw": ["8", "12"]},
    "model-b": {"en": ["7", "12"], "de": ["7", None]},
}


def _response(lang: str, answer: str | None) -> str:
    if answer is None:
        return NO_ANSWER[lang]
    return f"{NATIVE_REASONING[lang]} {get_language(lang).answer_sentence(answer)}"


def _record(lang: str, index: int, response: object) -> dict:
    """One line of an lm-eval samples file, as written with --log_samples."""
    doc = {"id": f"mgsm-{index}", "lang": lang, "question": "…", "answer": GOLD[index]}
    return {"doc_id": index, "doc": doc, "target": GOLD[index], "resps": [[response]], "filtered_resps": [response]}


def _write_samples(folder: Path, task: str, lines: list, date: str = DATE) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = "".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n" for line in lines)
    (folder / f"samples_{task}_{date}.jsonl").write_text(text, encoding="utf-8")


def _write_run(folder: Path, model: str, answers: dict[str, list[str | None]]) -> None:
    """What ``lm_eval --output_path ... --log_samples`` leaves for one model on pasmr_mgsm_cot."""
    (folder).mkdir(parents=True, exist_ok=True)
    (folder / f"results_{DATE}.json").write_text(json.dumps({"model_name": model}), encoding="utf-8")
    for lang, values in answers.items():
        _write_samples(
            folder, f"pasmr_mgsm_cot_{lang}", [_record(lang, i, _response(lang, a)) for i, a in enumerate(values)]
        )


@pytest.fixture
def results_dir(tmp_path) -> Path:
    for model, answers in ANSWERS.items():
        _write_run(tmp_path / model.replace("-", "__"), model, answers)
    return tmp_path


def test_per_language_results_are_exact(results_dir):
    results = build_report(results_dir).results
    assert results["model-a", "pasmr_mgsm_cot"] == {
        "en": LanguageResult(n=2, accuracy=1.0, answer_found=1.0, lang_fidelity=1.0),
        "de": LanguageResult(n=2, accuracy=0.5, answer_found=1.0, lang_fidelity=1.0),
        "sw": LanguageResult(n=2, accuracy=1.0, answer_found=1.0, lang_fidelity=1.0),
    }
    assert results["model-b", "pasmr_mgsm_cot"]["de"] == LanguageResult(
        n=2, accuracy=0.0, answer_found=0.5, lang_fidelity=1.0
    )


def test_consistency_compares_each_language_with_the_models_english_answers(results_dir):
    consistency = build_report(results_dir).consistency
    assert consistency["model-a", "pasmr_mgsm_cot"] == {
        "de": Consistency(n=2, consistent=0.5, lost=0.5),  # 11 against 12: right in English, wrong in German
        "sw": Consistency(n=2, consistent=1.0, lost=0.0),
    }
    # a shared wrong answer is consistent; no answer never is
    assert consistency["model-b", "pasmr_mgsm_cot"] == {"de": Consistency(n=2, consistent=0.5, lost=0.5)}


def test_markdown_tables_show_means_gaps_and_missing_languages(results_dir):
    markdown = build_report(results_dir).markdown
    accuracy = markdown.split("### Accuracy (%)")[1]
    assert "| model | mean | low-resource | de | en | sw |" in accuracy
    assert "| model-a | 83.3 | 100.0 | 50.0 | 100.0 | 100.0 |" in accuracy
    assert "| model-b | 25.0 | – | 0.0 | 50.0 | – |" in accuracy
    gaps = markdown.split("### Accuracy gap to English (points)")[1]
    assert "| model-a | -25.0 | +0.0 | -50.0 | +0.0 |" in gaps  # mean, low-resource (sw), de, sw
    assert "| model-b | -50.0 | – | -50.0 | – |" in gaps


def test_unreadable_lines_are_skipped_and_counted(tmp_path):
    good = _record("sw", 0, _response("sw", "8"))
    broken = ["not json", "[]", {"doc": "not a dict"}, {**good, "resps": 5, "filtered_resps": None}, {"doc": {}}]
    _write_samples(tmp_path / "m", "pasmr_mgsm_sw", broken + [good])
    report = build_report(tmp_path)
    assert report.skipped == 5
    assert report.results["m", "pasmr_mgsm"]["sw"].accuracy == 1.0
    assert "5 unreadable sample lines skipped" in report.markdown


def test_newest_samples_file_of_a_task_wins(tmp_path):
    _write_samples(
        tmp_path / "m", "pasmr_msvamp_de", [_record("de", 0, _response("de", "8"))], date="2026-01-01T00-00-00.0"
    )
    _write_samples(
        tmp_path / "m", "pasmr_msvamp_de", [_record("de", 0, _response("de", "9"))], date="2026-02-01T00-00-00.0"
    )
    assert build_report(tmp_path).results["m", "pasmr_msvamp"]["de"].accuracy == 0.0


def test_runs_of_one_model_in_two_folders_are_told_apart(tmp_path):
    for setting in ("zero_shot", "few_shot"):
        _write_run(tmp_path / setting / "org__model", "org/model", {"en": ["8", "12"]})
    assert {model for model, _ in build_report(tmp_path).results} == {"zero_shot/org__model", "few_shot/org__model"}


@pytest.mark.parametrize("content", [None, "samples_gsm8k_2026-01-01T00-00-00.0.jsonl"], ids=["empty", "other-tasks"])
def test_folder_without_pasmr_samples_is_a_clear_error(tmp_path, content):
    if content:
        (tmp_path / content).write_text(json.dumps(_record("en", 0, "The answer is 8.")) + "\n", encoding="utf-8")
    with pytest.raises(ReportError, match="--log_samples"):
        build_report(tmp_path)


def test_writes_markdown_json_and_valid_png_plots(results_dir, tmp_path):
    import matplotlib.image

    report = write_report(results_dir, tmp_path / "out")
    assert [path.name for path in report.files] == [
        "report.md",
        "report.json",
        "accuracy_pasmr_mgsm_cot.png",
        "consistency_pasmr_mgsm_cot.png",
        "signal_pasmr_mgsm_cot.png",
    ]
    for plot in report.files[2:]:
        height, width, channels = matplotlib.image.imread(plot).shape
        assert height > 100 and width > 100 and channels in (3, 4)


def test_report_command_prints_tables_or_a_clear_error(results_dir, tmp_path, capsys):
    assert pasmr_main(["report", str(results_dir), "--output", str(tmp_path / "out"), "--no-plots"]) == 0
    assert "## pasmr_mgsm_cot" in capsys.readouterr().out
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["report.json", "report.md"]
    assert pasmr_main(["report", str(tmp_path / "out")]) == 2
    assert "no samples of PASMR tasks" in capsys.readouterr().err
