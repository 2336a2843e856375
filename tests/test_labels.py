"""PASMR labels: the JSON carried next to each RL prompt."""

import json

import pytest

from pasmr_plugin.openrlhf.labels import (
    MAX_LABEL_CHARS,
    LabelError,
    PasmrLabel,
    label_with_pivot_answers,
    make_label,
    parse_label,
)


@pytest.mark.parametrize(
    "text,expected",
    [
        # only the language is required
        ('{"lang": "sw"}', PasmrLabel("sw")),
        # numbers are kept as written, as strings
        ('{"lang": "de", "gold": 18}', PasmrLabel("de", gold="18")),
        ('{"lang": "fr", "gold": "3,5"}', PasmrLabel("fr", gold="3,5")),
        ('{"lang": "bn", "gold": "৭০,০০০"}', PasmrLabel("bn", gold="৭০,০০০")),
        # a pivot answer that could not be extracted is stored as null
        (
            '{"lang": "ja", "pivot_question": "How many apples?", "pivot_answers": ["12", 12.0, null]}',
            PasmrLabel("ja", pivot_question="How many apples?", pivot_answers=("12", "12.0", None)),
        ),
        # an empty list is "answered, nothing usable", not "not answered"
        ('{"lang": "th", "pivot_answers": []}', PasmrLabel("th", pivot_answers=())),
        # unknown keys are ignored
        ('{"lang": "te", "source": "mgsm", "id": 3}', PasmrLabel("te")),
    ],
)
def test_valid_labels_parse(text, expected):
    assert parse_label(text) == expected


def test_a_mapping_label_parses_like_its_json():
    assert parse_label({"lang": "zh", "gold": 5}) == parse_label('{"lang": "zh", "gold": 5}')


@pytest.mark.parametrize(
    "label,message",
    [
        ("sw", "not JSON"),
        ("[1, 2]", "JSON object"),
        ("{}", "no 'lang'"),
        ('{"lang": "xx"}', "unknown language 'xx'"),
        ('{"lang": 7}', "lang must be a string"),
        ('{"lang": "sw", "gold": "many"}', "not a number"),
        ('{"lang": "sw", "gold": true}', "string or a number"),
        ('{"lang": "sw", "pivot_question": "  "}', "pivot_question is empty"),
        ('{"lang": "sw", "pivot_question": 3}', "pivot_question must be a string"),
        ('{"lang": "sw", "pivot_answers": "18"}', "must be a list"),
        ('{"lang": "sw", "pivot_answers": [{"a": 1}]}', "string or a number"),
        (None, "JSON string"),
        ("x" * (MAX_LABEL_CHARS + 1), "characters long"),
    ],
)
def test_malformed_labels_raise_a_clear_error_when_strict(label, message):
    with pytest.raises(LabelError, match=message):
        parse_label(label)


@pytest.mark.parametrize("label", ["sw", "{}", '{"lang": "xx"}', None, 42])
def test_malformed_labels_give_none_when_not_strict(label):
    assert parse_label(label, strict=False) is None


@pytest.mark.parametrize(
    "label",
    [
        PasmrLabel("sw"),
        PasmrLabel("ru", gold="57500", pivot_question="How much does it cost?", pivot_answers=("57500", None)),
        PasmrLabel("zh", pivot_question="有多少？", pivot_answers=()),
    ],
)
def test_label_json_round_trips(label):
    assert parse_label(label.to_json()) == label


def test_label_json_keeps_non_ascii_readable():
    assert "কলম" in PasmrLabel("bn", pivot_question="কলম").to_json()


def test_make_label_validates_and_serializes():
    assert json.loads(make_label("es", gold=3.5, pivot_question="How much?")) == {
        "lang": "es",
        "gold": "3.5",
        "pivot_question": "How much?",
    }
    with pytest.raises(LabelError):
        make_label("es", gold="no number")


def test_adding_pivot_answers_keeps_the_other_keys():
    updated = label_with_pivot_answers('{"lang": "sw", "gold": "7", "source": "x"}', ["7", None])
    assert json.loads(updated) == {"lang": "sw", "gold": "7", "source": "x", "pivot_answers": ["7", None]}


def test_adding_pivot_answers_rejects_a_bad_label():
    with pytest.raises(LabelError):
        label_with_pivot_answers('{"gold": "7"}', ["7"])
