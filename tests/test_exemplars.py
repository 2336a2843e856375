"""The 88 human-written MGSM exemplar solutions (8 per language) all give their numeric answer.

They come from ``../shared/data/mgsm/exemplars.py`` (google-research/url-nlp); the tests skip
when that folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pasmr_plugin.answers import answers_match, extract_answer
from pasmr_plugin.benchmarks import read_mgsm_exemplars
from pasmr_plugin.languages import MGSM_LANGUAGES

pytestmark = pytest.mark.shared_data

DATA_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data"
EXEMPLARS = DATA_DIR / "mgsm" / "exemplars.py"


@pytest.fixture(scope="module")
def exemplars() -> dict[str, list[dict]]:
    if not EXEMPLARS.is_file():
        pytest.skip(f"MGSM exemplars not found at {EXEMPLARS}")
    return {lang: read_mgsm_exemplars(DATA_DIR, lang) for lang in MGSM_LANGUAGES}


def test_there_are_8_exemplars_per_language(exemplars):
    assert {lang: len(rows) for lang, rows in exemplars.items()} == {lang: 8 for lang in MGSM_LANGUAGES}


@pytest.mark.parametrize("lang", MGSM_LANGUAGES)
@pytest.mark.parametrize("index", range(8))
def test_exemplar_solution_gives_its_answer_with_the_language(exemplars, lang, index):
    exemplar = exemplars[lang][index]
    found = extract_answer(exemplar["solution"], lang)
    assert found == exemplar["answer"], exemplar["solution"]
    assert answers_match(found, exemplar["answer"])


@pytest.mark.parametrize("lang", MGSM_LANGUAGES)
@pytest.mark.parametrize("index", range(8))
def test_exemplar_solution_gives_its_answer_without_the_language(exemplars, lang, index):
    exemplar = exemplars[lang][index]
    assert extract_answer(exemplar["solution"]) == exemplar["answer"], exemplar["solution"]
