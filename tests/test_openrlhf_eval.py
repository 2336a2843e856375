"""Evaluation inside training, through OpenRLHF 0.11.2's own evaluation code.

``--eval.dataset`` rows go through OpenRLHF's ``PromptDataset`` (which reads each row's
``datasource``) and its ``compute_eval_metrics`` (pass1 = mean reward per datasource). Rows
written by ``pasmr data rl --split eval`` are rewarded by their gold answer, so pass1 is gold
accuracy per benchmark and language; ``train`` rows never get a gold reward. Stand-ins only for
what cannot install here: DeepSpeed, flash-attn, peft and torchdata (imported by the trainer module).
"""

import importlib.abc
import json
import importlib.machinery
import sys
from types import SimpleNamespace
from unittest import mock

import pytest

pytest.importorskip("openrlhf")
torch = pytest.importorskip("torch")

from openrlhf_fixtures import tiny_model_dir, tiny_tokenizer  # noqa: E402,F401

from pasmr_plugin.cli import main as pasmr  # noqa: E402
from pasmr_plugin.demo.openrlhf_runtime import prompt_dataset  # noqa: E402
from pasmr_plugin.openrlhf.labels import parse_label  # noqa: E402
from pasmr_plugin.openrlhf.reward_func import PasmrRewardFunc  # noqa: E402
from pasmr_plugin.prompts import pam_response  # noqa: E402
from pathlib import Path  # noqa: E402

import pasmr_plugin  # noqa: E402

DEMO_DATA = Path(pasmr_plugin.__file__).parent / "resources" / "demo_eval"  # MGSM rows bundled for the demo
GPU_ONLY = ("deepspeed", "flash_attn", "peft", "torchdata")


class _StandIns(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in GPU_ONLY:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        module = mock.MagicMock(name=spec.name)
        module.__path__, module.__spec__, module.__name__ = [], spec, spec.name
        return module

    def exec_module(self, module):
        pass


@pytest.fixture(scope="module")
def compute_eval_metrics():
    """OpenRLHF's ``compute_eval_metrics``, its module imported with stand-ins for the GPU-only packages."""
    finder = _StandIns()
    sys.meta_path.insert(0, finder)
    try:
        from openrlhf.trainer.ppo_trainer import compute_eval_metrics
    finally:
        sys.meta_path.remove(finder)
    return compute_eval_metrics


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _answer(lang, gold):
    reasoning = {
        "sw": f"Tunahesabu vitu vyote pamoja na kupata jumla ya {gold}, kwa hiyo hiyo ndiyo idadi yote. Jibu ni {gold}.",
        "de": f"Wir zählen alle Dinge zusammen und erhalten insgesamt {gold}, also ist das die ganze Zahl. "
        f"Die Antwort lautet {gold}.",
    }
    return pam_response("How many things are there in total after counting all of them together?", reasoning[lang])


def test_eval_rows_report_gold_accuracy_per_benchmark_and_language(tmp_path, tiny_tokenizer, compute_eval_metrics):
    rows_path = tmp_path / "mgsm_eval.jsonl"
    command = ["data", "rl", str(DEMO_DATA), str(rows_path), "--benchmark", "mgsm", "--langs", "sw,de",
               "--split", "eval"]
    assert pasmr(command) == 0
    rows = read_jsonl(rows_path)
    assert {row["datasource"] for row in rows} == {"mgsm_sw", "mgsm_de"}

    dataset = prompt_dataset(rows_path, tiny_tokenizer)
    dataloader = [dataset.collate_fn([dataset[index]]) for index in range(len(dataset))]
    reward = PasmrRewardFunc()
    samples = []
    for datasources, prompts, labels, _ in dataloader:
        label = parse_label(labels[0])
        # Swahili rows answered right, German rows wrong; no pivot answers: only gold can decide
        gold = label.gold if label.lang == "sw" else "123456"
        query = prompts[0] + _answer(label.lang, gold) + "<|im_end|>"
        batch = reward([query], prompts, labels)
        samples.append(SimpleNamespace(prompts=prompts, rewards=batch.rewards[0], response_length=torch.tensor(20),
                                       truncated=torch.tensor(False)))
    logs = compute_eval_metrics(dataloader, samples, 1)
    assert logs["eval_mgsm_sw_pass1"] == 1.0
    assert logs["eval_mgsm_de_pass1"] == 0.0


def test_train_rows_never_get_a_gold_reward(tmp_path, tiny_tokenizer):
    rows_path = tmp_path / "mgsm_train.jsonl"
    command = ["data", "rl", str(DEMO_DATA), str(rows_path), "--benchmark", "mgsm", "--langs", "sw"]
    assert pasmr(command) == 0
    row = read_jsonl(rows_path)[0]
    label = parse_label(row["label"])
    assert label.split == "train" and label.gold is not None
    query = row["prompt"] + _answer("sw", label.gold) + "<|im_end|>"
    for use_gold in (False, True):  # not even with --use-gold
        batch = PasmrRewardFunc({"use_gold": use_gold})([query], [row["prompt"]], [row["label"]])
        assert batch.rewards.tolist() == [0.0]
        assert batch.extra_logs["gold_correct"].tolist() == [1.0] and batch.extra_logs["no_signal"].tolist() == [1.0]
