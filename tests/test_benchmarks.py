"""Readers of MGSM and MSVAMP files in their published layouts."""

from __future__ import annotations

import json

import pytest

from pasmr_plugin.benchmarks import msvamp_record, read_mgsm, read_mgsm_exemplars, read_msvamp
from pasmr_plugin.languages import MGSM_LANGUAGES, MSVAMP_LANGUAGES

EXEMPLARS_PY = '''
EXEMPLAR_NUMBER_ANSWERS = [11, 29]
MGSM_EXEMPLARS = {
    "de": {
        "2": {"q": "Frage: Es gab neun Computer. Wie viele sind es jetzt?", "a": "Schritt-für-Schritt-Antwort: 9 + 20 = 29. Die Antwort lautet 29."},
        "1": {"q": "Frage: Roger hat 5 Bälle.", "a": "Schritt-für-Schritt-Antwort: 5 + 6 = 11. Die Antwort lautet 11."},
    }
}
raise SystemExit("exemplars.py must be read as data, never executed")
'''


@pytest.fixture
def data_dir(tmp_path):
    (tmp_path / "mgsm").mkdir()
    (tmp_path / "mgsm" / "mgsm_de.tsv").write_text("Wie viel ist 2 + 2?\t4\nUnd 1.000 + 1?\t1001\n", encoding="utf-8")
    (tmp_path / "mgsm" / "exemplars.py").write_text(EXEMPLARS_PY, encoding="utf-8")
    (tmp_path / "msvamp").mkdir()
    rows = [
        {"query": "how many ?", "m_query": "জুলিয়া ১৮ জন।", "response": "8.0"},
        {"question": "কত?", "answer": "2.50"},
    ]
    (tmp_path / "msvamp" / "test_Bengali.json").write_text(
        "\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n\n", encoding="utf-8"
    )
    return tmp_path


def test_mgsm_rows_become_records_with_canonical_answers(data_dir):
    assert read_mgsm(data_dir, "de") == [
        {"id": "mgsm-0", "lang": "de", "question": "Wie viel ist 2 + 2?", "answer": "4"},
        {"id": "mgsm-1", "lang": "de", "question": "Und 1.000 + 1?", "answer": "1001"},
    ]


def test_exemplars_are_read_as_data_in_order_with_labels_removed(data_dir):
    exemplars = read_mgsm_exemplars(data_dir, "de")
    assert [e["answer"] for e in exemplars] == ["11", "29"]
    assert exemplars[0]["question"] == "Roger hat 5 Bälle."
    assert exemplars[0]["solution"] == "5 + 6 = 11. Die Antwort lautet 11."


def test_msvamp_accepts_both_schemas_and_keeps_the_english_original(data_dir):
    first, second = read_msvamp(data_dir, "bn")
    assert first == {"id": "msvamp-0", "lang": "bn", "question": "জুলিয়া ১৮ জন।", "answer": "8", "pivot_question": "how many ?"}
    assert second == {"id": "msvamp-1", "lang": "bn", "question": "কত?", "answer": "2.5"}


def test_missing_files_are_named_in_the_error(data_dir):
    with pytest.raises(FileNotFoundError, match="mgsm_sw.tsv"):
        read_mgsm(data_dir, "sw")
    with pytest.raises(FileNotFoundError, match="test_German.json"):
        read_msvamp(data_dir, "de")


def test_a_benchmarks_own_folder_is_read_as_its_data_folder(data_dir):
    assert read_mgsm(data_dir / "mgsm", "de") == read_mgsm(data_dir, "de")  # ../shared/data/mgsm as ../shared/data
    assert read_msvamp(data_dir / "msvamp", "bn") == read_msvamp(data_dir, "bn")


def test_rows_without_question_or_answer_are_a_clear_error():
    with pytest.raises(ValueError, match="no question or answer"):
        msvamp_record({"equation": "x"}, "en", 3)


@pytest.mark.shared_data
def test_the_real_benchmarks_load_completely(shared_data_dir):
    for lang in MGSM_LANGUAGES:
        assert len(read_mgsm(shared_data_dir, lang)) == 250
        assert [e["answer"] for e in read_mgsm_exemplars(shared_data_dir, lang)] == ["11", "29", "39", "9", "33", "8", "8", "5"]
    for lang in MSVAMP_LANGUAGES:
        assert len(read_msvamp(shared_data_dir, lang)) == 1000
    english = [r["answer"] for r in read_mgsm(shared_data_dir, "en")]
    assert all(r["answer"] == a for r, a in zip(read_mgsm(shared_data_dir, "sw"), english))
