"""``pasmr signal``: does the self-feedback reward track correctness for this model, measured before training.

On benchmark questions with gold answers (:func:`~pasmr_plugin.openrlhf.data.benchmark_records`), through a
vLLM engine with OpenRLHF's rollout-actor semantics (:class:`~pasmr_plugin.openrlhf.engine.LocalEngine`):

- **PAM** (the default): PASMR episodes exactly as in training. The prompts are the ones ``pasmr data rl
  --benchmark`` writes, through the chat template as ``--data.apply_chat_template`` applies it; each question's
  S samples run through OpenRLHF's ``generate_responses`` on :class:`PasmrAgentExecutor` with the agent file's
  settings (the model's own translation answered K times in the pivot language, the agent's reward).
- **Base** (``base=True``): no PAM format, for a model before PAM SFT. The question is answered in its language
  with the plain chain-of-thought prompt (PolyMath: its own prompt), the reference pivot question (the
  benchmark's English row) K times with the agent's pivot request, and each answer is scored for
  consistency only (:func:`~pasmr_plugin.reward.pivot_consistency`; a cut answer earns nothing, as in the agent).

Each episode is compared with its gold answer (``correct``: the answer is equivalent to the gold); the figures
are :mod:`pasmr_plugin.self_feedback`'s, per suite (``mgsm``, ``msvamp``, ``polymath_{level}``) and language.
"""

from __future__ import annotations

import asyncio
import copy
import importlib.util
import json
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..answers import answers_equivalent, extract_expression
from ..prompts import cot_prompt, parse_response, polymath_prompt
from ..reward import pivot_consistency
from ..self_feedback import SIGNAL_PLOT_HELP, SignalItem, plot_signal, signal_rows, signal_table
from .agent import EpisodeOutcome, PasmrAgentExecutor
from .chat import strip_end_markers, token_ids, user_prompt_text
from .config import AgentConfig
from .data import DATASOURCE_KEY, rl_row
from .engine import DEFAULT_MAX_MODEL_LEN, LocalEngine
from .records import SourceRecord, write_jsonl, write_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignalQuestion:
    """A benchmark question with its gold answer, the suite it belongs to and its reference pivot question."""

    suite: str  # mgsm, msvamp, polymath_medium
    record: SourceRecord

    @property
    def lang(self) -> str:
        return self.record.data["lang"]

    @property
    def gold(self) -> str:
        return str(self.record.data["answer"])

    @property
    def answer_format(self) -> str:
        """How its prompts ask for the final answer: PolyMath's in ``$\\boxed{...}$``, the others as a number."""
        return "boxed" if self.suite.startswith("polymath") else "number"


def signal_questions(records: Sequence[SourceRecord], questions: int) -> list[SignalQuestion]:
    """The first ``questions`` records of each datasource (``mgsm_sw``, ``polymath_high_te``), with their suite."""
    taken: dict[str, int] = defaultdict(int)
    chosen = []
    for record in records:
        source, lang = record.data[DATASOURCE_KEY], record.data["lang"]
        if taken[source] < questions:
            taken[source] += 1
            chosen.append(SignalQuestion(source.removesuffix(f"_{lang}"), record))
    return chosen


def _episode(question: SignalQuestion, prompt: str, response: str, translation: str | None,
             pivot_answers: Sequence[str | None], reward: float, reason: str, signal: bool | None,
             correct: bool | None) -> dict:  # fmt: skip
    """One line of ``episodes.jsonl``; ``signal`` and ``correct`` are None for a failed episode (in no figure)."""
    return {
        "suite": question.suite,
        "lang": question.lang,
        "id": question.record.data.get("id"),
        "prompt": prompt,
        "response": response,
        "translation": translation,
        "pivot_answers": list(pivot_answers),
        "reward": reward,
        "reason": reason,  # "consistent" is reward 1
        "signal": signal,
        "gold": question.gold,
        "correct": correct,
    }


def _pam_episode(question: SignalQuestion, prompt: str, result: dict, outcome: EpisodeOutcome | None, config) -> dict:
    if outcome is None:  # the agent logged the failure (errors 1)
        return _episode(question, prompt, "", None, (), result["reward"], "error", None, None)
    scored = outcome.result
    translation = parse_response(outcome.response, question.lang, fmt=config.reward.fmt).translation
    return _episode(question, prompt, outcome.response, translation, outcome.pivot_answers, result["reward"],
                    scored.reason, scored.signal, scored.gold_correct is True)  # fmt: skip


async def pam_episodes(engine, config: AgentConfig, questions: Sequence[SignalQuestion], params, max_length: int,
                       samples: int) -> list[dict]:  # fmt: skip
    """``samples`` PASMR episodes per question on the agent executor, all questions at once (run it on the
    engine's loop: ``engine.run``)."""
    executor = PasmrAgentExecutor(config)
    outcomes: dict[int, EpisodeOutcome] = {}
    executor.episode_observer = lambda result, outcome: outcomes.__setitem__(id(result), outcome)
    rows = [rl_row(q.record, pivot=config.pivot, boxed=q.answer_format == "boxed") for q in questions]
    prompts = [user_prompt_text(engine.tokenizer, row["prompt"]) for row in rows]
    groups = await asyncio.gather(*(
        engine.generate_responses(executor, prompt, row["label"], params, max_length, engine.tokenizer, samples)
        for prompt, row in zip(prompts, rows)
    ))  # fmt: skip
    return [
        _pam_episode(question, prompt, result, outcomes.pop(id(result), None), config)
        for question, prompt, group in zip(questions, prompts, groups)
        for result in group
    ]


def base_prompt(question: SignalQuestion) -> str:
    """The plain prompt of ``--base``: chain-of-thought (PolyMath: the benchmark's own prompt)."""
    data = question.record.data
    make = polymath_prompt if question.answer_format == "boxed" else cot_prompt
    return make(data["question"], question.lang)


def _base_reward(vote, consistent: bool, truncated: bool, config: AgentConfig) -> tuple[float, str]:
    """The consistency reward and its reason, as the agent gives them (a cut answer earns nothing)."""
    if truncated and not config.reward.reward_truncated:
        return config.reward.inconsistent_reward, "truncated"
    if consistent:
        return config.reward.consistent_reward, "consistent"
    return config.reward.inconsistent_reward, vote.failure or "inconsistent"


async def _base_question(engine, executor: PasmrAgentExecutor, question: SignalQuestion, params, max_length: int,
                         samples: int) -> list[dict]:  # fmt: skip
    config, tokenizer, data = executor.config, engine.tokenizer, question.record.data
    prompt = user_prompt_text(tokenizer, base_prompt(question))
    pivot_question = data["question"] if question.lang == config.pivot else data.get("pivot_question")
    try:
        prompt_ids = await asyncio.to_thread(token_ids, tokenizer, prompt)
        outputs, pivot_answers = await asyncio.gather(
            asyncio.gather(*(engine.generate(prompt_ids, params) for _ in range(samples))),
            executor.answer_in_pivot(engine, tokenizer, pivot_question, params, max_length, question.answer_format),
        )
    except Exception as error:  # one failed question leaves the others
        logger.warning("pasmr signal: %s failed: %s: %s", data.get("id"), type(error).__name__, error)
        return [_episode(question, prompt, "", pivot_question, (), 0.0, "error", None, None)] * samples
    episodes = []
    for output in (result.outputs[0] for result in outputs):
        response = strip_end_markers(output.text)
        answer = extract_expression(response, question.lang)
        vote, consistent = pivot_consistency(answer, pivot_answers, config.reward.agreement_threshold)
        reward, reason = _base_reward(vote, consistent, output.finish_reason == "length", config)
        correct = answers_equivalent(answer, question.gold)  # as the agent grades: gold as benchmarks write it
        episodes.append(_episode(question, prompt, response, pivot_question, pivot_answers, reward, reason,
                                 vote.signal, correct))  # fmt: skip
    return episodes


async def base_episodes(engine, config: AgentConfig, questions: Sequence[SignalQuestion], params, max_length: int,
                        samples: int) -> list[dict]:  # fmt: skip
    """``samples`` plain answers per question and K pivot answers to its reference pivot question, all questions
    at once (run it on the engine's loop: ``engine.run``)."""
    executor = PasmrAgentExecutor(config)
    target = copy.deepcopy(params)
    target.n = 1
    groups = await asyncio.gather(
        *(_base_question(engine, executor, question, target, max_length, samples) for question in questions)
    )
    return [episode for group in groups for episode in group]


def episode_signal_rows(model: str, pivot: str, k: int, episodes: Sequence[dict]) -> list[dict]:
    """The signal rows of the scored episodes, per suite (in order of appearance) and language."""
    items: dict[str, dict[str, list[SignalItem]]] = defaultdict(lambda: defaultdict(list))
    for episode in episodes:
        if episode["signal"] is not None:
            item = SignalItem(episode["signal"], episode["reason"] == "consistent", episode["correct"])
            items[episode["suite"]][episode["lang"]].append(item)
    return [row for suite, by_lang in items.items() for row in signal_rows(model, suite, pivot, k, by_lang)]


def write_signal(out: Path, rows: list[dict], episodes: list[dict], settings: dict) -> list[Path]:
    """``report.md``, ``report.json``, ``episodes.jsonl`` and a plot per suite (when matplotlib is installed)."""
    out.mkdir(parents=True, exist_ok=True)
    suites = list(dict.fromkeys(row["suite"] for row in rows))
    plots = importlib.util.find_spec("matplotlib") is not None
    sections = [f"## {suite}\n\n" + signal_table([row for row in rows if row["suite"] == suite]) for suite in suites]
    mode = "PASMR episodes" if settings["mode"] == "pam" else "plain answers against the reference pivot question"
    plot = f"Plots `signal_<suite>.png`: {SIGNAL_PLOT_HELP}" if plots else "Plots skipped: no matplotlib."
    intro = (f"# PASMR self-feedback signal\n\nModel `{settings['model']}`, {mode}: {settings['samples']} samples per "
             f"question, K = {settings['pivot_samples']} pivot answers, majority threshold {settings['agreement']:g}. "
             f"Figures in %; reward 1: the answer agrees with the pivot majority. {plot}")  # fmt: skip
    files = [
        write_text(out / "report.md", "\n\n".join([intro, *sections]) + "\n"),
        write_text(out / "report.json", json.dumps({**settings, "signal": rows}, ensure_ascii=False, indent=1) + "\n"),
    ]
    write_jsonl(out / "episodes.jsonl", episodes)
    files.append(out / "episodes.jsonl")
    if plots:
        for suite in suites:
            suite_rows = [row for row in rows if row["suite"] == suite]
            files.append(plot_signal(suite_rows, out / f"signal_{suite}.png", title=f"{suite}: share of right answers"))
    return files


def _require_pivot_questions(questions: Sequence[SignalQuestion], pivot: str) -> None:
    """``--base`` answers each question's reference pivot question: fail before the engine starts without one."""
    missing = [q.record.where for q in questions if q.lang != pivot and not q.record.data.get("pivot_question")]
    if missing:
        raise ValueError(f"--base needs the reference pivot question of every question; none for {missing[0]} "
                         f"(the data folder lacks the {pivot} file of the benchmark)")  # fmt: skip


def run_signal(model: str, config: AgentConfig, questions: Sequence[SignalQuestion], *, samples: int, base: bool,
               temperature: float, max_tokens: int, **engine_args) -> tuple[list[dict], list[dict]]:  # fmt: skip
    """Start a :class:`LocalEngine` for ``model`` (``engine_args`` as vLLM's), run the episodes of every question
    (target responses sampled at ``temperature``, at most ``max_tokens`` long, as OpenRLHF's rollout samples
    them) and return the signal rows and the episodes."""
    from vllm import SamplingParams

    params = SamplingParams(temperature=temperature, top_p=1.0, top_k=-1, max_tokens=max_tokens, min_tokens=1,
                            skip_special_tokens=False)  # fmt: skip
    if base:
        _require_pivot_questions(questions, config.pivot)
    episodes = base_episodes if base else pam_episodes
    with LocalEngine(model, **engine_args) as engine:
        max_length = engine_args.get("max_model_len", DEFAULT_MAX_MODEL_LEN)
        done = engine.run(episodes(engine, config, questions, params, max_length, samples))
    return episode_signal_rows(model, config.pivot, config.pivot_samples, done), done
