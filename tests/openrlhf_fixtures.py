"""Shared fixtures and helpers of the OpenRLHF adapter tests (imported by them; not a conftest).

The tiny model is built once per test session however many modules import the fixture.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import functools
import importlib.util
import os
import sys
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest

from pasmr_plugin.prompts import pam_response, target_prompt

OPENRLHF_CLI = ("openrlhf.cli.train_sft", "openrlhf.cli.train_ppo_ray")

QUESTION_SW = "Janet ana mayai 16. Anakula 3 na anaoka keki kwa 4. Anauza mayai yaliyobaki. Anauza mayai mangapi?"
TRANSLATION = "Janet has 16 eggs. She eats 3 and bakes with 4. She sells the rest. How many eggs does she sell?"
SOLUTION_SW = "Janet anabaki na mayai 16 - 3 - 4 = 9, na anayauza yote. Jibu ni 9."
PIVOT_9 = "Janet has 16 - 3 - 4 = 9 eggs left to sell. The answer is 9."
PIVOT_8 = "She uses 3 + 5 = 8 eggs, so she sells 8. The answer is 8."
CONSISTENT_SW = pam_response(TRANSLATION, SOLUTION_SW)
INCONSISTENT_SW = pam_response(TRANSLATION, "Janet anabaki na mayai 16 - 3 - 2 = 11, na anayauza yote. Jibu ni 11.")
NO_TRANSLATION_SW = SOLUTION_SW
LABEL_SW = '{"lang": "sw", "gold": "9"}'


@functools.lru_cache(maxsize=None)
def _tiny_model(base: Path) -> Path:
    from pasmr_plugin.demo.tiny_model import build_tiny_model

    return build_tiny_model(base / "tiny-model")


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    return _tiny_model(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def tiny_tokenizer(tiny_model_dir):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model_dir)


def chat_prompt(tokenizer, question: str = QUESTION_SW, lang: str = "sw") -> str:
    """The prompt string OpenRLHF's PromptDataset makes from a `pasmr data rl` prompt (chat template applied)."""
    messages = [{"role": "user", "content": target_prompt(question, lang)}]
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)


def is_target_prompt(prompt_text: str) -> bool:
    """Target prompts ask for the translation markers; pivot prompts do not."""
    return "<translation>" in prompt_text


def scripted_reply(targets, pivots):
    """A ScriptedEngine reply: the next of ``targets`` for target prompts, the next of ``pivots`` for pivot prompts."""
    targets, pivots = iter(targets), iter(pivots)
    return lambda prompt: next(targets) if is_target_prompt(prompt) else next(pivots)


def _is_main_guard(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)


def _is_train_call(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and ast.unparse(node.value.func) == "train"


@functools.lru_cache(maxsize=None)
def _parser_code(module: str):
    """The ``if __name__ == "__main__":`` block of an OpenRLHF CLI module, without its final ``train(args)``."""
    origin = importlib.util.find_spec(module).origin
    tree = ast.parse(Path(origin).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if _is_main_guard(node))
    body = [node for node in block.body if not _is_train_call(node)]
    return compile(ast.Module(body=body, type_ignores=[]), origin, "exec")


def parse_openrlhf_flags(module: str, flags: list[str]) -> SimpleNamespace:
    """Parse ``flags`` with the real argument parser of ``module`` and run its validation (not the training).

    An unknown flag or a failed check raises SystemExit / AssertionError as the real command would.
    """
    namespace = {"argparse": argparse, "datetime": datetime.datetime, "os": os, "__name__": "__main__"}
    with mock.patch.object(sys, "argv", [module, *flags]):
        exec(_parser_code(module), namespace)
    return namespace["args"]
