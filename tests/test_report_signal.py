"""The self-feedback signal of ``pasmr report``, on scripted lm-eval samples with figures computed by hand.

The English run is a pivot variant with ``repeats`` (K = 3) and the answers of a scripted model:

    question  gold  English responses     vote                sw answer   de answer
    mgsm-0     8    8, 8, 7               8 (2 of 3)          8  right    7  wrong
    mgsm-1    12    12, 11, 10            a tie: no signal    12 right    12 right
    mgsm-2     5    5, (missing), 5       5 (2 of 2)          6  wrong    (not asked)
    mgsm-3    20    (not asked)           -                   20 right    (not asked)

mgsm-3 has no pivot answers to compare with and stays out of the signal (n counts the questions asked
in both languages). A plain English run (one response per doc) is in the folder too: it feeds the
accuracy tables, and the signal only when no variant is there.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from lmeval_fixtures import NATIVE_REASONING

from pasmr_plugin.cli import main as pasmr_main
from pasmr_plugin.evaluation.report import build_report, report_signal_rows, write_report
from pasmr_plugin.languages import get_language
from pasmr_plugin.self_feedback import FIGURES, ROW_KEYS

DATE = "2026-01-02T03-04-05.000006"
GOLD = {"mgsm-0": "8", "mgsm-1": "12", "mgsm-2": "5", "mgsm-3": "20"}
PIVOT_K3 = {"mgsm-0": ["8", "8", "7"], "mgsm-1": ["12", "11", "10"], "mgsm-2": ["5", None, "5"]}
PIVOT_PLAIN = {"mgsm-0": ["7"], "mgsm-1": ["12"], "mgsm-2": ["5"], "mgsm-3": ["20"]}
TARGETS = {"sw": {"mgsm-0": "8", "mgsm-1": "12", "mgsm-2": "6", "mgsm-3": "20"}, "de": {"mgsm-0": "7", "mgsm-1": "12"}}


def _text(lang: str, answer: str) -> str:
    return f"{NATIVE_REASONING[lang]} {get_language(lang).answer_sentence(answer)}"


def _record(lang: str, question: str, responses: list[str | None]) -> dict:
    """A samples line as lm-eval writes it: ``resps`` is requests x repeats, ``filtered_resps`` takes the first."""
    doc = {"id": question, "lang": lang, "question": "…", "answer": GOLD[question]}
    texts = [None if answer is None else _text(lang, answer) for answer in responses]
    return {"doc_id": int(question[-1]), "doc": doc, "target": GOLD[question], "resps": [texts],
            "filtered_resps": [texts[0]]}  # fmt: skip


def write_samples(folder: Path, task: str, answers: dict[str, list[str | None]], lang: str) -> None:
    lines = [json.dumps(_record(lang, question, texts), ensure_ascii=False) for question, texts in answers.items()]
    (folder / f"samples_{task}_{DATE}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_run(folder: Path, *, variant: bool = True, plain: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"results_{DATE}.json").write_text(json.dumps({"model_name": "model-a"}), encoding="utf-8")
    for lang, answers in TARGETS.items():
        write_samples(folder, f"pasmr_mgsm_cot_{lang}", {q: [a] for q, a in answers.items()}, lang)
    if variant:
        write_samples(folder, "pasmr_mgsm_cot_en_k3", PIVOT_K3, "en")
    if plain:
        write_samples(folder, "pasmr_mgsm_cot_en", PIVOT_PLAIN, "en")
    return folder


def _rounded(values) -> tuple:
    return tuple(None if value is None else round(value, 9) for value in values)


def _figures(rows: list[dict]) -> dict[str, tuple]:
    """The figures of each row by language, rounded (compare with :func:`expect`)."""
    return {row["lang"]: _rounded(row[name] for name in FIGURES) for row in rows}


def expect(**figures: tuple) -> dict[str, tuple]:
    return {lang: _rounded(values) for lang, values in figures.items()}


#                 n  k  coverage reward  accuracy agreement p(c|r=1) p(c|r=0)
SW_K3 = (3, 3, 2 / 3, 1 / 3, 2 / 3, 2 / 3, 1.0, 1 / 2)
DE_K3 = (2, 3, 1 / 2, 0.0, 1 / 2, 1 / 2, None, 1 / 2)  # nothing rewarded: no P(correct | reward 1)
ALL_K3 = (5, 3, 3 / 5, 1 / 5, 3 / 5, 3 / 5, 1.0, 2 / 4)


def test_figures_with_repeats_missing_responses_ties_and_questions_missing_in_a_language(tmp_path):
    rows = report_signal_rows(build_report(write_run(tmp_path / "run")))
    assert [row["lang"] for row in rows] == ["de", "sw", "all", "low_resource"]
    assert _figures(rows) == expect(de=DE_K3, sw=SW_K3, all=ALL_K3, low_resource=SW_K3)
    assert all(set(row) == {*ROW_KEYS, *FIGURES} for row in rows)
    assert {(row["model"], row["suite"], row["pivot"]) for row in rows} == {("model-a", "pasmr_mgsm_cot", "en")}


def test_a_plain_pivot_run_gives_k_one(tmp_path):
    # the plain run votes 7 on mgsm-0 (sw 8: reward 0; de 7: reward 1) and answers mgsm-3 (sw 20: reward 1)
    rows = report_signal_rows(build_report(write_run(tmp_path / "run", variant=False)))
    sw = (4, 1, 1.0, 2 / 4, 3 / 4, 3 / 4, 1.0, 1 / 2)
    assert _figures(rows) == expect(
        de=(2, 1, 1.0, 1.0, 1 / 2, 1 / 2, 1 / 2, None), sw=sw, all=(6, 1, 1.0, 4 / 6, 4 / 6, 4 / 6, 3 / 4, 1 / 2),
        low_resource=sw,
    )  # fmt: skip


def test_the_agreement_threshold_is_the_agents_and_can_be_raised(tmp_path):
    run = write_run(tmp_path / "run")
    # 2 of 3 votes for 8 on mgsm-0 fall below 0.7: only mgsm-2 (2 of 2) keeps a signal, and sw's 6 disagrees
    rows = report_signal_rows(build_report(run, agreement_threshold=0.7))
    assert _figures(rows)["sw"] == expect(sw=(3, 3, 1 / 3, 0.0, 2 / 3, 1 / 3, None, 2 / 3))["sw"]
    assert pasmr_main(["report", str(run), "--output", str(tmp_path / "out"), "--no-plots", "--agreement", "0.7"]) == 0
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["agreement_threshold"] == 0.7 and data["signal"] == rows


def test_report_json_holds_every_table_and_the_signal_rows_flat(tmp_path):
    report = write_report(write_run(tmp_path / "run"), tmp_path / "out", plots=False)
    assert [path.name for path in report.files] == ["report.md", "report.json"]
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    names = [(table["section"], table["table"]) for table in data["tables"]]
    assert names == [("pasmr_mgsm_cot", name) for name in
                     ("accuracy", "answer_found", "lang_fidelity", "gap_to_en", "consistent", "lost")]  # fmt: skip
    accuracy = data["tables"][0]["rows"]
    # the plain English run feeds the tables; the variant only the signal
    assert accuracy == [{"model": "model-a", "mean": pytest.approx((1 / 2 + 3 / 4 + 3 / 4) / 3), "low_resource": 0.75,
                         "de": 0.5, "en": 0.75, "sw": 0.75}]  # fmt: skip
    assert _figures(data["signal"]) == expect(de=DE_K3, sw=SW_K3, all=ALL_K3, low_resource=SW_K3)
    assert data["signal"][0]["p_correct_given_reward_1"] is None  # JSON null
    assert "| model-a | sw | 3 | 3 | 66.7 | 33.3 | 66.7 | 66.7 | 100.0 | 50.0 |" in report.markdown
    assert "| model-a | de | 2 | 3 | 50.0 | 0.0 | 50.0 | 50.0 | – | 50.0 |" in report.markdown


def test_a_suite_without_its_pivot_run_has_no_signal(tmp_path):
    report = write_report(write_run(tmp_path / "run", variant=False, plain=False), tmp_path / "out", plots=False)
    assert report_signal_rows(report) == [] and "Self-feedback signal" not in report.markdown


def test_the_signal_plot_is_written_and_skipped_cleanly_without_matplotlib(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    import matplotlib.image

    run = write_run(tmp_path / "run")
    report = write_report(run, tmp_path / "out")
    plot = tmp_path / "out" / "signal_pasmr_mgsm_cot.png"
    assert plot in report.files and matplotlib.image.imread(plot).shape[0] > 100
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else find_spec(name))
    report = write_report(run, tmp_path / "bare")
    assert [path.name for path in report.files] == ["report.md", "report.json"]
    assert report.notes == ["plots skipped: matplotlib is not installed (pip install 'pasmr-plugin[report]')"]


def test_polymath_pivot_answers_are_read_in_the_boxed_form_their_prompt_asks_for(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    gold = "\\frac{\\pi}{3}"
    pivot = "So $\\boxed{\\frac{\\pi}{3}}$, about 1.05. The answer is 1.05."  # the box, not the rounding, votes
    target = "Also ist der Winkel $\\boxed{\\frac{\\pi}{3}}$."
    for task, lang, responses in [("pasmr_polymath_cot_top_en_k2", "en", [pivot, pivot]),
                                  ("pasmr_polymath_cot_top_de", "de", [target])]:  # fmt: skip
        doc = {"id": "polymath-top-0", "lang": lang, "level": "top", "answer": gold}
        line = {"doc_id": 0, "doc": doc, "resps": [responses], "filtered_resps": responses[:1]}
        (folder / f"samples_{task}_{DATE}.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    [de, *_] = report_signal_rows(build_report(folder))
    assert (de["lang"], de["k"], de["reward_rate"], de["p_correct_given_reward_1"]) == ("de", 2, 1.0, 1.0)
