"""The signal figures as pure functions: items scored as the agent scores them, figures, pooled rows."""

from __future__ import annotations

import pytest

from pasmr_plugin.self_feedback import FIGURES, SignalItem, signal_figures, signal_item, signal_rows, signal_table

RIGHT_REWARDED, WRONG_REWARDED = SignalItem(True, True, True), SignalItem(True, True, False)
RIGHT_REJECTED, WRONG_REJECTED = SignalItem(True, False, True), SignalItem(True, False, False)
RIGHT_SILENT, WRONG_SILENT = SignalItem(False, False, True), SignalItem(False, False, False)


@pytest.mark.parametrize(
    "target, correct, pivot_answers, threshold, expected",
    [
        ("18", True, ["18", "18", "20"], 0.5, RIGHT_REWARDED),
        ("১৮", True, ["18.0"], 0.5, RIGHT_REWARDED),  # Bengali digits, K = 1
        ("20", False, ["18", "18", "20"], 0.5, WRONG_REJECTED),
        # no signal: a tie, no answers at all, a majority below the threshold
        ("18", True, ["18", "20"], 0.5, RIGHT_SILENT),
        ("18", True, [], 0.5, RIGHT_SILENT),
        ("18", True, [None, "keine Zahl"], 0.5, RIGHT_SILENT),
        ("18", True, ["18", "18", "20", None], 0.75, RIGHT_SILENT),
        (None, False, ["18"], 0.5, WRONG_REJECTED),  # no answer never agrees
    ],
)
def test_items_are_scored_as_the_agent_scores_consistency(target, correct, pivot_answers, threshold, expected):
    assert signal_item(target, correct, pivot_answers, threshold) == expected


@pytest.mark.parametrize(
    "items, expected",
    [
        # n, coverage, reward rate, accuracy, agreement with gold, P(correct | reward 1), P(correct | reward 0)
        ([RIGHT_REWARDED, WRONG_REJECTED], (2, 1.0, 0.5, 0.5, 1.0, 1.0, 0.0)),
        ([RIGHT_REWARDED, WRONG_REWARDED, RIGHT_SILENT, WRONG_SILENT], (4, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5)),
        # no signal counts as reward 0: right answers without one lower the agreement and raise P(correct | 0)
        ([RIGHT_SILENT, RIGHT_SILENT, WRONG_REJECTED], (3, 1 / 3, 0.0, 2 / 3, 1 / 3, None, 2 / 3)),
        ([RIGHT_REWARDED], (1, 1.0, 1.0, 1.0, 1.0, 1.0, None)),
        ([], (0, None, None, None, None, None, None)),  # a figure with nothing behind it is None
    ],
)
def test_figures_and_the_ones_with_nothing_behind_them(items, expected):
    figures = signal_figures(items, k=4)
    assert figures.k == 4
    assert (figures.n, *(getattr(figures, name) for name in FIGURES[2:])) == pytest.approx(expected)


def test_rows_pool_all_target_languages_and_the_low_resource_ones():
    items = {"de": [RIGHT_REWARDED, WRONG_REWARDED], "sw": [WRONG_REJECTED], "te": [RIGHT_SILENT],
             "en": [RIGHT_REWARDED]}  # fmt: skip
    rows = signal_rows("m", "pasmr_mgsm", "en", 4, items)
    assert [(row["lang"], row["n"]) for row in rows] == [
        ("de", 2), ("sw", 1), ("te", 1), ("en", 1), ("all", 4), ("low_resource", 2)
    ]  # the pivot language has its row but joins no pool
    pooled = {row["lang"]: row for row in rows}
    assert pooled["all"]["p_correct_given_reward_1"] == 0.5 and pooled["low_resource"]["reward_rate"] == 0.0
    assert all(row["k"] == 4 and row["pivot"] == "en" and row["suite"] == "pasmr_mgsm" for row in rows)


def test_rows_without_low_resource_languages_have_no_low_resource_pool():
    assert [row["lang"] for row in signal_rows("m", "s", "en", 1, {"de": [RIGHT_REWARDED]})] == ["de", "all"]


def test_the_table_shows_percentages_and_a_dash_for_missing_figures():
    table = signal_table(signal_rows("m", "s", "en", 1, {"de": [WRONG_REJECTED]}))
    assert "| m | de | 1 | 1 | 100.0 | 0.0 | 0.0 | 100.0 | – | 0.0 |" in table
