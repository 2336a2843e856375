"""Language packs: languages added or replaced from a YAML/JSON file, end to end.

The example pack ``examples/language_packs/hindi.yaml`` (a language the package does not ship)
goes through everything a shipped language does: the table checks of ``tests/test_languages.py``,
``pasmr data rl``, the reward file OpenRLHF loads (which embeds the pack, so it works where the
pack file is absent), and an lm-eval task on a few Hindi questions written for this test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pasmr_plugin.cli import build_parser, main
from pasmr_plugin.language_packs import LanguagePackError, load_language_pack, parse_language_pack
from pasmr_plugin.langid import detect_language
from pasmr_plugin.languages import (
    LANGUAGES,
    LOW_RESOURCE_LANGUAGES,
    MGSM_LANGUAGES,
    PACK_ENV,
    SCRIPT_LETTERS,
    SHIPPED_LANGUAGES,
    WRITING_SYSTEMS,
    get_language,
    use_language_pack,
)
from pasmr_plugin.reward import RewardConfig
from test_languages import check_entry_is_usable

REPO_ROOT = Path(__file__).resolve().parents[1]
# the checkout's task folders (an editable install elsewhere may point tasks_dir() at another checkout)
SOURCE_TASKS = REPO_ROOT / "lm_eval_tasks"
HINDI_PACK = REPO_ROOT / "examples" / "language_packs" / "hindi.yaml"
HINDI_REASONING = "जेनेट की बत्तखें रोज़ 16 अंडे देती हैं। वह 3 अंडे खाती है, इसलिए 16 - 3 = 13 अंडे बचते हैं। उत्तर है 13।"

# Four Hindi questions written for this test, and the responses a model might give to each.
HINDI_QUESTIONS = [
    {"id": "hi-0", "question": "सीता के पास 12 आम हैं। वह 5 आम खा लेती है। कितने आम बचे?", "answer": "7"},
    {"id": "hi-1", "question": "एक किताब 250 रुपये की है। 4 किताबों की कीमत कितनी होगी?", "answer": "1000"},
    {"id": "hi-2", "question": "एक शहर में 3 लाख लोग रहते हैं और 50 हज़ार नए लोग आते हैं। अब कितने लोग हैं?", "answer": "350000"},
    {"id": "hi-3", "question": "राम 8 किलोमीटर चलता है और फिर 7 किलोमीटर। वह कुल कितना चला?", "answer": "15"},
]
TRANSLATION = "<translation>\nSita has 12 mangoes and eats 5. How many are left?\n</translation>\n"
HINDI_RESPONSES = {
    "hi-0": TRANSLATION + "सीता के पास 12 आम थे और उसने 5 खाए, इसलिए 12 - 5 = 7 आम बचे। उत्तर है ७।",  # Devanagari digits
    "hi-1": TRANSLATION + "चार किताबों की कीमत 4 × 250 = 1,000 रुपये है।\nउत्तर: ₹1,000",  # label and currency
    "hi-2": TRANSLATION + "Three lakh plus fifty thousand is 350000 people. The answer is 350000.",  # English reasoning
    "hi-3": TRANSLATION + "राम पहले 8 किलोमीटर और फिर 7 किलोमीटर चला, अतः उत्तर 16 है।",  # wrong answer
}
EXPECTED_METRICS = {"exact_match": 0.75, "answer_found": 1.0, "lang_fidelity": 0.75}


@pytest.fixture
def hindi():
    """The example pack in use for one test; the shipped table again afterwards."""
    use_language_pack(HINDI_PACK)
    yield get_language("hi")
    use_language_pack(None)


def _write(path: Path, content) -> Path:
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# The example pack
# --------------------------------------------------------------------------------------------
def test_example_pack_adds_hindi_and_passes_the_table_checks(hindi):
    assert set(LANGUAGES) == set(SHIPPED_LANGUAGES) | {"hi"}
    check_entry_is_usable(hindi, HINDI_REASONING)
    assert detect_language(HINDI_REASONING) == "hi"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("उत्तर है 18।", "18"),
        ("अतः उत्तर 18 है।", "18"),
        ("उत्तर है १८।", "18"),
        ("कुल आबादी 5 लाख है। उत्तर है 5 लाख।", "500000"),
        ("उत्तर है 2 करोड़ 50 लाख।", "25000000"),
        ("कुल राशि ₹1,00,000 है। उत्तर: ₹1,00,000", "100000"),
        ("उत्तर है 1.5 लाख।", "150000"),
    ],
)
def test_hindi_answers_are_extracted_with_the_pack(hindi, text, expected):
    from pasmr_plugin.answers import extract_answer

    assert extract_answer(text, "hi") == expected


def test_pack_languages_join_no_shipped_benchmark_group(hindi, tmp_path):
    from pasmr_plugin.evaluation.task_files import generated_files

    assert "hi" not in MGSM_LANGUAGES and "hi" not in LOW_RESOURCE_LANGUAGES
    with_pack = generated_files()
    use_language_pack(None)
    assert generated_files() == with_pack


def test_a_pack_entry_with_a_shipped_code_replaces_that_entry_whole(tmp_path):
    english = {key: value for key, value in json.loads(_example_json())["languages"][0].items()}
    english.update(code="en", english_name="English", native_name="English", script="Latn",
                   answer_sentences=["final result is"], answer_template="Final result is {}.", langid_code="en")
    del english["multipliers"]
    use_language_pack(parse_language_pack({"languages": [english]}, source="en.yaml"))
    try:
        assert get_language("en").answer_template == "Final result is {}."
        assert get_language("en").answer_labels == tuple(english["answer_labels"])  # nothing kept from the shipped entry
        assert get_language("en").multipliers == ()
    finally:
        use_language_pack(None)
    assert get_language("en") == SHIPPED_LANGUAGES["en"]


def _example_json() -> str:
    return load_language_pack(HINDI_PACK).to_json()


# --------------------------------------------------------------------------------------------
# Bad packs: one line naming the file and the field
# --------------------------------------------------------------------------------------------
def _hindi_with(**changes) -> dict:
    entry = dict(json.loads(_example_json())["languages"][0])
    for key, value in changes.items():
        if value is None:
            del entry[key]
        else:
            entry[key] = value
    return {"languages": [entry]}


@pytest.mark.parametrize(
    "content, field",
    [
        (_hindi_with(answer_template="उत्तर है।"), "languages[0] (hi).answer_template"),
        (_hindi_with(pam_instruction="{pivot} {open} {close}"), "languages[0] (hi).pam_instruction"),
        (_hindi_with(script="Dev"), "languages[0] (hi).script"),
        (_hindi_with(decimal_separator=";"), "languages[0] (hi).decimal_separator"),
        (_hindi_with(native_digits="0123"), "languages[0] (hi).native_digits"),
        (_hindi_with(answer_sentences="उत्तर है"), "languages[0] (hi).answer_sentences"),
        (_hindi_with(multipliers={"लाख": "100000"}), "languages[0] (hi).multipliers"),
        (_hindi_with(counts_as=["xx"]), "languages[0] (hi).counts_as"),
        (_hindi_with(english_name=None), "missing field 'english_name'"),
        (_hindi_with(answer_sentance=["x"]), "unknown field 'answer_sentance'"),
        (_hindi_with(code="Hindi"), "languages[0] (Hindi).code"),
        ({"language": []}, "unknown top-level key 'language'"),
        ({"languages": []}, "languages: must be a non-empty list"),
        ("languages: [code: hi", "not valid YAML (line 1)"),
    ],
)
def test_a_bad_pack_is_one_line_naming_the_file_and_the_field(tmp_path, content, field):
    path = _write(tmp_path / "bad.yaml", content)
    with pytest.raises(LanguagePackError) as caught:
        load_language_pack(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and field in message and "\n" not in message, message


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)
FIELD_VALUES = st.fixed_dictionaries({}, optional={name: JSON_VALUES for name in ("code", "script", "answer_template",
                                                                                      "multipliers", "group_separators")})


@settings(max_examples=200, deadline=None)
@given(st.one_of(JSON_VALUES, st.builds(lambda extra: _hindi_with(**extra), FIELD_VALUES)))
def test_any_content_gives_a_pack_or_a_one_line_pack_error(content):
    try:
        pack = parse_language_pack(content, source="fuzz.yaml")
    except LanguagePackError as error:
        assert str(error).startswith("fuzz.yaml: ") and "\n" not in str(error)
    else:
        assert pack.languages


def test_a_latin_pack_language_py3langid_does_not_know_is_refused(tmp_path):
    content = _hindi_with(code="xq", script="Latn", native_digits="")
    with pytest.raises(LanguagePackError, match=r"xq\)\.langid_code: 'xq' is unknown to py3langid"):
        parse_language_pack(content, source="xq.yaml")


def test_the_table_is_unchanged_after_a_bad_pack(tmp_path):
    with pytest.raises(LanguagePackError):
        use_language_pack(_write(tmp_path / "bad.json", {"languages": [{"code": "hi"}]}))
    assert set(LANGUAGES) == set(SHIPPED_LANGUAGES)


# --------------------------------------------------------------------------------------------
# Command line: --language-pack everywhere, PASMR_LANGUAGE_PACK, pasmr languages
# --------------------------------------------------------------------------------------------
def _subcommand_parsers(parser):
    for action in parser._actions:
        for name, sub in getattr(action, "choices", None) and isinstance(action.choices, dict) and action.choices.items() or ():
            yield name, sub
            yield from _subcommand_parsers(sub)


def test_every_pasmr_subcommand_takes_language_pack():
    parsers = dict(_subcommand_parsers(build_parser()))
    assert {"languages", "extract", "agent-file", "reward-file", "data", "rl", "report"} <= set(parsers)
    missing = [name for name, sub in parsers.items()
               if not any("--language-pack" in action.option_strings for action in sub._actions)]
    assert missing == []


def test_pasmr_languages_prints_the_table_and_checks_a_pack(capsys):
    assert main(["languages"]) == 0
    printed = capsys.readouterr().out
    assert all(f"\n{code} " in printed or printed.startswith(f"{code} ") for code in SHIPPED_LANGUAGES)
    assert main(["languages", "--check", str(HINDI_PACK)]) == 0
    assert "hi" in capsys.readouterr().out


def test_pasmr_languages_check_reports_a_bad_pack_in_one_line(tmp_path, capsys):
    path = _write(tmp_path / "bad.json", _hindi_with(answer_template="no placeholder"))
    assert main(["languages", "--check", str(path)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and str(path) in error and "answer_template" in error


def test_the_option_wins_over_the_environment(tmp_path, monkeypatch, capsys):
    other = _write(tmp_path / "other.json", _hindi_with(code="mr", english_name="Marathi", native_name="मराठी"))
    monkeypatch.setenv(PACK_ENV, str(other))
    try:
        assert main(["languages"]) == 0
        assert "\nmr " in capsys.readouterr().out
        assert main(["languages", "--language-pack", str(HINDI_PACK)]) == 0
        printed = capsys.readouterr().out
        assert "\nhi " in printed and "\nmr " not in printed
    finally:
        use_language_pack(None)


def test_data_rl_builds_prompts_in_a_pack_language(tmp_path):
    questions = tmp_path / "hindi.jsonl"
    questions.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in HINDI_QUESTIONS), encoding="utf-8")
    out = tmp_path / "rl.jsonl"
    try:
        assert main(["data", "rl", str(questions), str(out), "--lang", "hi", "--language-pack", str(HINDI_PACK)]) == 0
    finally:
        use_language_pack(None)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 4 and {row["lang"] for row in rows} == {"hi"}
    assert rows[0]["prompt"].startswith("प्रश्न: सीता के पास 12 आम हैं।")
    assert "अंग्रेज़ी में अनुवाद करें" in rows[0]["prompt"] and "उत्तर है [संख्या]।" in rows[0]["prompt"]


def test_reward_file_embeds_the_pack_and_scores_hindi_without_the_pack_file(tmp_path):
    pack = tmp_path / "hindi.yaml"
    pack.write_text(HINDI_PACK.read_text(encoding="utf-8"), encoding="utf-8")
    reward_file = tmp_path / "pasmr_reward.py"
    try:
        assert main(["reward-file", str(reward_file), "--language-pack", str(pack)]) == 0
    finally:
        use_language_pack(None)
    text = reward_file.read_text(encoding="utf-8")
    assert str(pack) not in text and "लाख" in text
    pack.unlink()  # a Ray worker on another node has no pack file
    prompt = "प्रश्न: सीता के पास 12 आम हैं। वह 5 आम खा लेती है। कितने आम बचे?\n"
    script = f"""
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("pasmr_reward", {str(reward_file)!r})
module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
prompt = {prompt!r}
label = json.dumps({{"lang": "hi", "pivot_answers": ["7", "7", "7"]}})
right = module.reward_func([prompt + {HINDI_RESPONSES["hi-0"] + "<|im_end|>"!r}], [prompt], [label])
wrong = module.reward_func([prompt + {HINDI_RESPONSES["hi-3"] + "<|im_end|>"!r}], [prompt], [label])
print(json.dumps([right["rewards"].tolist(), wrong["rewards"].tolist(), right["extra_logs"]["lang_fidelity"].tolist()]))
"""
    env = {key: value for key, value in os.environ.items() if key != PACK_ENV}
    env["PYTHONPATH"] = str(REPO_ROOT)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    right, wrong, fidelity = json.loads(done.stdout.strip().splitlines()[-1])
    assert right[0] > wrong[0] and fidelity == [1.0]


def test_agent_file_embeds_the_pack(tmp_path):
    agent_file = tmp_path / "pasmr_agent.py"
    try:
        assert main(["agent-file", str(agent_file), "--language-pack", str(HINDI_PACK), "--pivot", "en"]) == 0
    finally:
        use_language_pack(None)
    script = f"""
import importlib.util
spec = importlib.util.spec_from_file_location("pasmr_agent", {str(agent_file)!r})
module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
from pasmr_plugin.languages import get_language
print(get_language("hi").native_name)
"""
    env = {key: value for key, value in os.environ.items() if key != PACK_ENV}
    env["PYTHONPATH"] = str(REPO_ROOT)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "हिन्दी"


def test_entry_files_written_without_a_pack_still_load(tmp_path):
    """Files of this version without a pack, and 0.1.0's files (no pack lines at all), run."""
    from pasmr_plugin.openrlhf.config import AgentConfig
    from pasmr_plugin.openrlhf.entry_files import agent_file_text, write_reward_file

    files = [write_reward_file(tmp_path / "pasmr_reward.py", language_pack=None)]
    assert "LANGUAGE_PACK = json.loads(r\"\"\"null\"\"\")" in files[0].read_text(encoding="utf-8")
    assert "LANGUAGE_PACK = json.loads(r\"\"\"null\"\"\")" in agent_file_text(AgentConfig(), language_pack=None)
    files.append(REPO_ROOT / "tests" / "data" / "v0_1_0" / "pasmr_reward.py")
    env = {key: value for key, value in os.environ.items() if key != PACK_ENV}
    env["PYTHONPATH"] = str(REPO_ROOT)
    for file in files:
        done = subprocess.run([sys.executable, str(file)], capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, (file, done.stderr)


def test_an_entry_file_executed_without_file_name_still_uses_its_pack(tmp_path):
    """Loaders that exec the source in a bare namespace (no __file__) get the pack too."""
    from pasmr_plugin.openrlhf.entry_files import reward_file_text

    source = reward_file_text(RewardConfig(), language_pack=load_language_pack(HINDI_PACK))
    try:
        exec(compile(source, "pasmr_reward.py", "exec"), {})
        assert get_language("hi").english_name == "Hindi"
    finally:
        use_language_pack(None)


# --------------------------------------------------------------------------------------------
# lm-eval: a task on Hindi questions, through TaskManager(include_path=...)
# --------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_lm_eval_task_on_hindi_questions(hindi, tmp_path):
    import lm_eval
    import lm_eval.models  # noqa: F401
    from lm_eval.api.model import LM
    from lm_eval.tasks import TaskManager

    from pasmr_plugin.evaluation import tasks_dir

    tasks = SOURCE_TASKS if SOURCE_TASKS.is_dir() else tasks_dir()
    questions = tmp_path / "hindi.jsonl"
    questions.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in HINDI_QUESTIONS), encoding="utf-8")
    task_folder = tmp_path / "my_tasks"
    task_folder.mkdir()
    (task_folder / "pasmr_questions_hi.yaml").write_text(
        f"include: {tasks / 'pasmr_questions' / 'pasmr_questions_yaml'}\n"
        "task: pasmr_questions_hi\n"
        f"dataset_kwargs:\n  lang: hi\n  path: {questions}\n"
        'generation_kwargs:\n  until: ["\\n\\nप्रश्न:"]\n  do_sample: false\n',
        encoding="utf-8",
    )

    class HindiReplay(LM):
        prompts: list[str] = []

        def generate_until(self, requests):
            self.prompts.extend(request.args[0] for request in requests)
            return [HINDI_RESPONSES[request.doc["id"]] for request in requests]

        def loglikelihood(self, requests):
            raise NotImplementedError

        def loglikelihood_rolling(self, requests):
            raise NotImplementedError

    model = HindiReplay()
    manager = TaskManager(include_path=[str(tasks), str(task_folder)], include_defaults=False)
    results = lm_eval.simple_evaluate(model=model, tasks=["pasmr_questions_hi"], task_manager=manager)
    metrics = results["results"]["pasmr_questions_hi"]
    assert {name: metrics[f"{name},none"] for name in EXPECTED_METRICS} == EXPECTED_METRICS
    assert model.prompts[0].startswith("प्रश्न: सीता के पास 12 आम हैं।")


def test_pasmr_eval_takes_the_pack_and_keeps_the_option_from_lm_eval(tmp_path, capsys):
    from pasmr_plugin.evaluation.cli import main as pasmr_eval, without_language_pack

    assert without_language_pack(["--tasks", "x", "--language-pack", "p.yaml", "--language-pack=q.yaml"]) == ["--tasks", "x"]
    bad = _write(tmp_path / "bad.json", _hindi_with(script="Dev"))
    assert pasmr_eval(["--language-pack", str(bad), "--tasks", "pasmr_mgsm_en"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"pasmr-eval: error: {bad}: languages[0] (hi).script: unknown script 'Dev'; known: "
        + ", ".join(sorted(set(SCRIPT_LETTERS) | set(WRITING_SYSTEMS)))
    )
    try:
        with pytest.raises(SystemExit):
            pasmr_eval(["--language-pack", str(HINDI_PACK), "--help"])
        assert "hi" in LANGUAGES
    finally:
        use_language_pack(None)


@pytest.mark.parametrize("task, lang", [("pasmr_mgsm_hi", "hi"), ("pasmr_mgsm_cot_yo", "yo"), ("pasmr_msvamp_fil", "fil")])
def test_pasmr_report_reads_task_names_of_any_table_code(task, lang):
    from pasmr_plugin.evaluation.metrics import TASK_NAME

    assert TASK_NAME.match(task).group("lang") == lang
