"""``pasmr report`` on PolyMath samples: difficulty-weighted accuracy, per-level tables, consistency views."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from polymath_fixtures import response_with
from polymath_sample import sample_rows

from pasmr_plugin.evaluation.metrics import difficulty_weighted_accuracy
from pasmr_plugin.evaluation.report import build_report, write_report

DATE = "2026-01-02T03-04-05.000006"
WRONG = "$\\sqrt{7}$"  # no sample problem has this answer
# language -> level -> which of the two problems the model gets right (missing levels: not run)
RIGHT = {
    "en": {"low": (1, 1), "medium": (1, 0), "high": (0, 0), "top": (1, 0)},
    "de": {"low": (1, 1), "medium": (1, 1), "high": (1, 1), "top": (1, 1)},
    "ja": {"low": (1, 1), "medium": (1, 1)},
}


def _write_run(folder: Path, family: str) -> None:
    """What ``lm_eval --log_samples --output_path`` leaves for one model on the PolyMath tasks of ``family``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"results_{DATE}.json").write_text(json.dumps({"model_name": "model-a"}), encoding="utf-8")
    for lang, levels in RIGHT.items():
        for level, right in levels.items():
            lines = []
            for index, (row, ok) in enumerate(zip(sample_rows(lang, level), right)):
                response = response_with(row["answer"] if ok else WRONG, lang, translate=family == "pasmr_polymath")
                doc = {"id": f"polymath-{level}-{index}", "lang": lang, "level": level, "answer": row["answer"]}
                lines.append(json.dumps({"doc_id": index, "doc": doc, "resps": [[response]]}, ensure_ascii=False))
            (folder / f"samples_{family}_{level}_{lang}_{DATE}.jsonl").write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def results_dir(tmp_path) -> Path:
    _write_run(tmp_path / "run", "pasmr_polymath")
    return tmp_path


def test_difficulty_weighted_accuracy_weights_levels_1_2_4_8():
    assert difficulty_weighted_accuracy({"low": 1.0, "medium": 0.5, "high": 0.0, "top": 0.5}) == pytest.approx(6 / 15)
    assert difficulty_weighted_accuracy(dict.fromkeys(("low", "medium", "high", "top"), 1.0)) == 1.0
    assert difficulty_weighted_accuracy({"low": 1.0, "medium": 1.0}) is None


def test_report_gives_weighted_accuracy_per_language_and_each_levels_mean(results_dir):
    markdown = build_report(results_dir).markdown
    section = markdown.split("## pasmr_polymath: difficulty-weighted accuracy")[1].split("\n## ")[0]
    # en (6/15 = 40.0) and de (100.0) ran every level, ja did not (–): the mean is over en and de
    assert "| model | mean | low-resource | de | en | ja |" in section
    assert "| model-a | 70.0 | – | 100.0 | 40.0 | – |" in section
    assert "| model | low | medium | high | top | difficulty-weighted |" in section
    assert "| model-a | 100.0 | 83.3 | 50.0 | 75.0 | 70.0 |" in section


def test_each_level_has_the_tables_and_consistency_views_of_mgsm(results_dir):
    report = build_report(results_dir)
    medium = report.markdown.split("## pasmr_polymath_medium\n")[1].split("\n## ")[0]
    for title in ("Accuracy (%)", "Language fidelity", "Accuracy gap to English", "Cross-lingual consistency"):
        assert title in medium
    # English misses medium-1, German and Japanese answer it: they disagree with English on half the questions
    consistency = report.consistency["model-a", "pasmr_polymath_medium"]
    rows = {lang: (row.consistent, row.lost) for lang, row in consistency.items()}
    assert rows == {"de": (0.5, 0.0), "ja": (0.5, 0.0)}


def test_the_chain_of_thought_family_is_reported_apart(tmp_path):
    _write_run(tmp_path / "cot", "pasmr_polymath_cot")
    markdown = build_report(tmp_path).markdown
    assert "## pasmr_polymath_cot: difficulty-weighted accuracy" in markdown
    assert "## pasmr_polymath: difficulty" not in markdown


def test_plots_are_written_per_level(results_dir, tmp_path):
    pytest.importorskip("matplotlib")
    names = {path.name for path in write_report(results_dir, tmp_path / "out").files}
    assert {"accuracy_pasmr_polymath_top.png", "consistency_pasmr_polymath_low.png", "report.md"} <= names
