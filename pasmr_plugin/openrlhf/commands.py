"""Subcommands of ``pasmr`` for OpenRLHF: ``agent-file``, ``reward-file``, ``signal`` and ``data sft|rl|pivot-labels``.

Bad input is reported as one ``pasmr: error: FILE:LINE: ...`` line and exit code 2: bytes that
are not UTF-8, JSON that does not parse or nests too deeply, integers past Python's digit limit,
lone surrogates, data after a JSON array, an input without records. OUT is checked before
anything is read: a folder, or the input itself (through any path), is refused. Output files
are written atomically, so an error, Ctrl-C or SIGTERM never leaves half of one, nor a
temporary file.
"""

from __future__ import annotations

import argparse
import functools
import sys

from ..languages import LANGUAGES
from ..prompts import DEFAULT_FORMAT, PamFormat
from ..reward import DEFAULT_CONFIG, TRUNCATED_PIVOT_VOTES, RewardConfig
from .chat import END_MARKERS
from .config import PIVOT_ANSWER_FORMATS, AgentConfig

DEFAULT_AGENT = AgentConfig()

USAGE_ERROR = 2
DEFAULT_HELP = "(default: %(default)s)"


def _reporting(run):
    """Turn the expected errors of a command into one line on standard error and exit code 2."""

    @functools.wraps(run)
    def wrapper(args: argparse.Namespace) -> int:
        from ..dependencies import MissingDependencyError
        from .data import MissingDependency
        from .labels import LabelError
        from .records import RecordError

        try:
            return run(args)
        except (RecordError, LabelError, MissingDependency, MissingDependencyError, OSError, ValueError) as error:
            message = " ".join(str(error).split())  # one line, whatever the error holds
            print(f"pasmr: error: {message}", file=sys.stderr)
            return USAGE_ERROR

    return wrapper


def _add_reward_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("reward")
    group.add_argument("--pivot", default=DEFAULT_CONFIG.pivot, choices=sorted(LANGUAGES), help="pivot language")
    group.add_argument(
        "--agreement",
        type=float,
        default=DEFAULT_CONFIG.agreement_threshold,
        help="share of pivot answers the majority needs to give a signal (default: %(default)s)",
    )
    group.add_argument(
        "--use-gold",
        action="store_true",
        help="reward by the gold answer in labels without a split (eval rows always are, train rows never)",
    )
    group.add_argument(
        "--reward-truncated",
        action="store_true",
        help="let a response cut at max_tokens earn the consistency reward (default: it earns none)",
    )
    group.add_argument(
        "--truncated-pivot-votes",
        choices=TRUNCATED_PIVOT_VOTES,
        default=DEFAULT_CONFIG.truncated_pivot_votes,
        help="when a pivot completion cut at max_tokens votes (default: %(default)s: with an explicit final answer)",
    )
    group.add_argument("--consistent-reward", type=float, default=DEFAULT_CONFIG.consistent_reward)
    group.add_argument("--inconsistent-reward", type=float, default=DEFAULT_CONFIG.inconsistent_reward)
    group.add_argument("--format-reward", type=float, default=DEFAULT_CONFIG.format_reward)
    group.add_argument("--open-marker", default=DEFAULT_FORMAT.open_marker, help="marker before the translation")
    group.add_argument("--close-marker", default=DEFAULT_FORMAT.close_marker, help="marker after the translation")


def _reward_config(args: argparse.Namespace) -> RewardConfig:
    return RewardConfig(
        pivot=args.pivot,
        agreement_threshold=args.agreement,
        consistent_reward=args.consistent_reward,
        inconsistent_reward=args.inconsistent_reward,
        format_reward=args.format_reward,
        use_gold=args.use_gold,
        fmt=PamFormat(args.open_marker, args.close_marker),
        reward_truncated=args.reward_truncated,
        truncated_pivot_votes=args.truncated_pivot_votes,
    )


def _add_agent_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``pasmr agent-file``: the pivot answers and the reward."""
    pivots = parser.add_argument_group("pivot answers")
    pivots.add_argument("--pivot-samples", type=int, default=DEFAULT_AGENT.pivot_samples, help="K " + DEFAULT_HELP)
    pivots.add_argument("--pivot-temperature", type=float, default=DEFAULT_AGENT.pivot_temperature, help=DEFAULT_HELP)
    pivots.add_argument("--pivot-top-p", type=float, default=DEFAULT_AGENT.pivot_top_p, help=DEFAULT_HELP)
    pivots.add_argument("--pivot-max-tokens", type=int, help="(default: the target response's budget)")
    _add_pivot_answer_format(pivots)
    _add_reward_options(parser)


def _agent_config(args: argparse.Namespace) -> AgentConfig:
    return AgentConfig(
        pivot_samples=args.pivot_samples,
        pivot_temperature=args.pivot_temperature,
        pivot_top_p=args.pivot_top_p,
        pivot_max_tokens=args.pivot_max_tokens,
        pivot_answer_format=args.pivot_answer_format,
        reward=_reward_config(args),
    )


@_reporting
def _run_agent_file(args: argparse.Namespace) -> int:
    from .entry_files import write_agent_file

    path = write_agent_file(args.output, _agent_config(args)).resolve()
    print(f"wrote {path}: train with --train.agent_func_path {path}")
    return 0


@_reporting
def _run_runtime_env(args: argparse.Namespace) -> int:
    import json

    from .runtime_env import runtime_env

    if args.cpu_kv_cache_gib is not None and args.cpu_kv_cache_gib < 1:
        raise ValueError(f"--cpu-kv-cache-gib must be a whole number of GiB from 1, got {args.cpu_kv_cache_gib}")
    print(json.dumps(runtime_env(ship_dependencies=args.ship_dependencies, cpu_kv_cache_gib=args.cpu_kv_cache_gib)))
    return 0


@_reporting
def _run_reward_file(args: argparse.Namespace) -> int:
    from .entry_files import write_reward_file

    path = write_reward_file(args.output, _reward_config(args), eos_texts=args.eos_text).resolve()
    print(f"wrote {path}: train with --reward.remote_url {path} (labels need pivot_answers: pasmr data pivot-labels)")
    return 0


def _fields(args: argparse.Namespace):
    from .data import FieldNames

    return FieldNames(
        question=args.question_key,
        pivot_question=args.pivot_question_key,
        solution=getattr(args, "solution_key", FieldNames.solution),
        answer=args.answer_key,
        lang=args.lang_key,
    )


def _check_paths(args: argparse.Namespace) -> None:
    """OUT must not be a folder or the input itself: refused before anything is read or written."""
    from .records import check_output

    check_output(args.output, [args.input])


def _write(path: str, rows, source: str) -> int:
    from .records import write_jsonl

    count = write_jsonl(path, rows, source=source)
    print(f"wrote {count} record{'' if count == 1 else 's'} to {path}")
    return 0


def _overlap_counter(question_key: str):
    """With ``PASMR_DATA_DIR`` set: a counter of training questions that the shipped tasks evaluate."""
    import os

    from ..benchmarks import DATA_DIR_ENV
    from .data import OverlapCounter, shipped_questions

    data_dir = os.environ.get(DATA_DIR_ENV)
    return OverlapCounter(shipped_questions(data_dir), question_key) if data_dir else None


def _warn_overlap(notes: list[str]) -> None:
    for note in notes:
        print(f"pasmr: warning: this training set overlaps a shipped evaluation set: {note}", file=sys.stderr)


@_reporting
def _run_data_sft(args: argparse.Namespace) -> int:
    from .data import build_sft
    from .records import progress, read_records

    _check_paths(args)
    records = progress(read_records(args.input, fmt=args.format), desc="sft records")
    counter = _overlap_counter(args.question_key)
    records = counter.watch(records) if counter else records
    rows = build_sft(records, fields=_fields(args), pivot=args.pivot, lang=args.lang)
    written = _write(args.output, rows, args.input)
    _warn_overlap(counter.notes() if counter else [])
    return written


@_reporting
def _run_data_rl(args: argparse.Namespace) -> int:
    from .data import DEFAULT_DATASOURCE, benchmark_records, build_rl, evaluation_overlap
    from .records import progress, read_records

    _check_paths(args)
    if args.levels and args.benchmark != "polymath":
        raise ValueError("--levels needs --benchmark polymath")
    if args.benchmark:
        levels = _list(args.levels)
        records = benchmark_records(args.input, args.benchmark, _list(args.langs), pivot=args.pivot, levels=levels)
        if args.split == "train":
            _warn_overlap(evaluation_overlap(args.benchmark, levels))
        counter = None
    else:
        records = read_records(args.input, fmt=args.format)
        counter = _overlap_counter(args.question_key) if args.split == "train" else None
        records = counter.watch(records) if counter else records
    rows = build_rl(
        progress(records, desc="rl prompts"),
        fields=_fields(args),
        pivot=args.pivot,
        lang=args.lang,
        boxed=args.benchmark == "polymath",
        split=args.split,
        datasource=args.datasource or args.benchmark or DEFAULT_DATASOURCE,
    )
    written = _write(args.output, rows, args.input)
    _warn_overlap(counter.notes() if counter else [])
    return written


def _list(value: str | None) -> list[str] | None:
    return [item.strip() for item in value.split(",") if item.strip()] if value else None


@_reporting
def _run_data_pivot_labels(args: argparse.Namespace) -> int:
    from .data import add_pivot_labels, pivot_questions, vllm_pivot_generator
    from .records import RecordError, read_records

    _check_paths(args)
    records = list(read_records(args.input, fmt=args.format))
    if not records:
        raise RecordError(f"{args.input}: no records")
    pivot_questions(records)  # every label is checked before the model loads
    generate = vllm_pivot_generator(
        args.model,
        pivot=args.pivot,
        samples=args.samples,
        temperature=args.temperature,
        top_p=args.top_p,
        max_tokens=args.max_tokens,
        seed=args.seed,
        tensor_parallel_size=args.tensor_parallel_size,
    )
    rows = add_pivot_labels(
        records, generate, pivot=args.pivot, batch_size=args.batch_size, answer_format=args.pivot_answer_format
    )
    return _write(args.output, rows, args.input)


@_reporting
def _run_signal(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from ..benchmarks import DATA_DIR_ENV
    from ..self_feedback import signal_table
    from .data import benchmark_records
    from .live_signal import run_signal, signal_questions, write_signal

    data_dir = args.data or os.environ.get(DATA_DIR_ENV)
    if not data_dir:
        raise ValueError(f"no benchmark data: pass --data DIR or set {DATA_DIR_ENV}")
    if args.levels and args.benchmark != "polymath":
        raise ValueError("--levels needs --benchmark polymath")
    if min(args.questions, args.samples, args.max_tokens) < 1:
        raise ValueError("--questions, --samples and --max-tokens must be at least 1")
    config = _agent_config(args)
    langs, levels = _list(args.langs), _list(args.levels)
    records = benchmark_records(data_dir, args.benchmark, langs, pivot=config.pivot, levels=levels)
    questions = signal_questions(list(records), args.questions)
    rows, episodes = run_signal(
        args.model, config, questions, samples=args.samples, base=args.base, temperature=args.temperature,
        max_tokens=args.max_tokens, seed=args.seed, dtype=args.dtype, max_model_len=args.max_model_len,
        tensor_parallel_size=args.tensor_parallel_size, enforce_eager=args.enforce_eager,
    )  # fmt: skip
    settings = {
        "command": "pasmr signal",
        "mode": "base" if args.base else "pam",
        "model": args.model,
        "benchmark": args.benchmark,
        "questions": args.questions,
        "samples": args.samples,
        "pivot_samples": config.pivot_samples,
        "agreement": config.reward.agreement_threshold,
        "temperature": args.temperature,
        "max_tokens": args.max_tokens,
        "agent": config.to_dict(),
    }
    files = write_signal(Path(args.output), rows, episodes, settings)
    failed = sum(episode["signal"] is None for episode in episodes)
    if failed:
        print(f"pasmr: warning: {failed} episodes failed and count in no figure (reason 'error' in episodes.jsonl)",
              file=sys.stderr)  # fmt: skip
    print(signal_table(rows))
    print("wrote " + ", ".join(str(path) for path in files), file=sys.stderr)
    return 0


def _register_signal(subparsers) -> None:
    signal = subparsers.add_parser(
        "signal",
        help="measure whether the self-feedback reward tracks correctness: PASMR episodes on benchmark questions "
        "with gold answers (needs vLLM)",
    )
    signal.add_argument("--model", required=True, help="the model to measure (path or hub name)")
    signal.add_argument("--benchmark", required=True, choices=["mgsm", "msvamp", "polymath"])
    signal.add_argument("--levels", help="with --benchmark polymath: comma-separated levels (default: all)")
    signal.add_argument("--langs", help="comma-separated languages (default: all of the benchmark)")
    signal.add_argument("--questions", type=int, default=100, help="N questions per language " + DEFAULT_HELP)
    signal.add_argument("--samples", type=int, default=4, help="S episodes per question " + DEFAULT_HELP)
    signal.add_argument("--output", required=True, help="folder for report.md, report.json, episodes.jsonl, plots")
    signal.add_argument("--data", help="benchmark folder, the layout of ../shared/data (default: $PASMR_DATA_DIR)")
    signal.add_argument(
        "--base",
        action="store_true",
        help="no PAM format (a model before PAM SFT): the question answered with the plain chain-of-thought "
        "prompt, the reference pivot question answered K times",
    )
    rollout = signal.add_argument_group("target responses and engine")
    rollout.add_argument(
        "--temperature", type=float, default=1.0, help="as OpenRLHF's --rollout.temperature " + DEFAULT_HELP
    )
    rollout.add_argument("--max-tokens", type=int, default=1024, help="response budget " + DEFAULT_HELP)
    rollout.add_argument("--max-model-len", type=int, default=4096, help=DEFAULT_HELP)
    rollout.add_argument("--dtype", default="auto", help="vLLM dtype (float32 on a CPU) " + DEFAULT_HELP)
    rollout.add_argument("--enforce-eager", action="store_true", help="no CUDA graphs (for vLLM's CPU build)")
    rollout.add_argument("--tensor-parallel-size", type=int, default=1)
    rollout.add_argument("--seed", type=int, default=0)
    _add_agent_options(signal)
    signal.set_defaults(run=_run_signal)


def _add_input_options(parser: argparse.ArgumentParser, *, solution: bool) -> None:
    parser.add_argument("input", metavar="IN", help="input records: .jsonl, .json, .csv, .tsv or .parquet")
    parser.add_argument("output", metavar="OUT", help="output JSONL (written atomically)")
    parser.add_argument(
        "--format", choices=["jsonl", "json", "csv", "tsv", "parquet"], help="input format (default: from the ending)"
    )
    parser.add_argument("--lang", choices=sorted(LANGUAGES), help="language of records without a language field")
    parser.add_argument("--pivot", default=DEFAULT_CONFIG.pivot, choices=sorted(LANGUAGES), help="pivot language")
    names = parser.add_argument_group("input field names")
    names.add_argument("--question-key", default="question", help="target-language question (default: %(default)s)")
    names.add_argument("--pivot-question-key", default="pivot_question", help="pivot-language question")
    if solution:
        names.add_argument("--solution-key", default="solution", help="target-language solution")
    names.add_argument("--answer-key", default="answer", help="numeric answer, optional (default: %(default)s)")
    names.add_argument("--lang-key", default="lang", help="language code (default: %(default)s)")


def _add_pivot_answer_format(parser) -> None:
    parser.add_argument(
        "--pivot-answer-format",
        choices=PIVOT_ANSWER_FORMATS,
        default=DEFAULT_AGENT.pivot_answer_format,
        help="the form the pivot prompt asks the answer in: number (\"The answer is [number].\"), boxed "
        "($\\boxed{...}$) or auto: the label's answer_format, else the form the target prompt asks for "
        "(default: %(default)s)",
    )


def _register_data(subparsers) -> None:
    data = subparsers.add_parser("data", help="build OpenRLHF datasets for PASMR (SFT, RL prompts, pivot labels)")
    commands = data.add_subparsers(dest="data_command", metavar="KIND", required=True)

    sft = commands.add_parser("sft", help="parallel records to PAM SFT JSONL for openrlhf.cli.train_sft")
    _add_input_options(sft, solution=True)
    sft.set_defaults(run=_run_data_sft)

    rl = commands.add_parser("rl", help="target-language questions to prompt JSONL for train_ppo_ray")
    _add_input_options(rl, solution=False)
    rl.add_argument(
        "--benchmark",
        choices=["mgsm", "msvamp", "polymath"],
        help="IN is a data folder holding the benchmark (mgsm/, msvamp/ or polymath/, as ../shared/data), or that folder itself",
    )
    rl.add_argument("--langs", help="with --benchmark: comma-separated languages (default: all of the benchmark)")
    rl.add_argument(
        "--levels", help="with --benchmark polymath: comma-separated levels of low,medium,high,top (default: all)"
    )
    rl.add_argument(
        "--split",
        choices=["train", "eval"],
        default="train",
        help="train: rewarded by self-feedback, never by gold; eval: rewarded by the gold answer, so OpenRLHF's "
        "eval pass1 is gold accuracy (rows need an answer; labels say \"split\": \"eval\") (default: %(default)s)",
    )
    rl.add_argument(
        "--datasource",
        help="name of the rows' datasource field, NAME_LANG (default: the benchmark, else pasmr); OpenRLHF "
        "reports eval pass1 per datasource",
    )
    rl.set_defaults(run=_run_data_rl)

    pivot = commands.add_parser("pivot-labels", help="add K offline pivot answers to each RL label (needs vLLM)")
    pivot.add_argument("input", metavar="IN", help="RL prompt JSONL from `pasmr data rl` (labels with pivot_question)")
    pivot.add_argument("output", metavar="OUT", help="output JSONL (written atomically)")
    pivot.add_argument("--model", required=True, help="model that answers the pivot questions (path or hub name)")
    pivot.add_argument("--format", choices=["jsonl", "json"], help="input format (default: from the ending)")
    pivot.add_argument("--pivot", default=DEFAULT_CONFIG.pivot, choices=sorted(LANGUAGES), help="pivot language")
    pivot.add_argument("--samples", type=int, default=DEFAULT_AGENT.pivot_samples, help="K (default: %(default)s)")
    pivot.add_argument("--temperature", type=float, default=DEFAULT_AGENT.pivot_temperature, help=DEFAULT_HELP)
    pivot.add_argument("--top-p", type=float, default=DEFAULT_AGENT.pivot_top_p, help=DEFAULT_HELP)
    pivot.add_argument("--max-tokens", type=int, default=1024, help="length budget per answer (default: %(default)s)")
    pivot.add_argument("--batch-size", type=int, default=256, help="questions per vLLM call (default: %(default)s)")
    pivot.add_argument("--tensor-parallel-size", type=int, default=1)
    pivot.add_argument("--seed", type=int, default=0)
    _add_pivot_answer_format(pivot)
    pivot.set_defaults(run=_run_data_pivot_labels)


def register(subparsers) -> None:
    """Add ``agent-file``, ``signal``, ``reward-file``, ``runtime-env`` and ``data`` to ``pasmr``."""
    agent = subparsers.add_parser("agent-file", help="write the PASMR agent file for --train.agent_func_path")
    agent.add_argument("output", metavar="OUT.py", help="path of the agent file to write")
    _add_agent_options(agent)
    agent.set_defaults(run=_run_agent_file)
    _register_signal(subparsers)

    reward = subparsers.add_parser("reward-file", help="write the single-turn reward file for --reward.remote_url")
    reward.add_argument("output", metavar="OUT.py", help="path of the reward file to write")
    reward.add_argument(
        "--eos-text",
        action="append",
        help="the tokenizer's end-of-sequence text; a response not ending with it was cut at max_tokens "
        "(repeatable; default: any of " + ", ".join(END_MARKERS) + ")",
    )
    _add_reward_options(reward)
    reward.set_defaults(run=_run_reward_file)

    env = subparsers.add_parser(
        "runtime-env", help="print the Ray runtime environment that ships the plugin and its dependencies"
    )
    env.add_argument(
        "--ship-dependencies",
        action="store_true",
        help="ship the installed dependency packages too, for nodes without a package index (default: nodes pip "
        "install them)",
    )
    env.add_argument(
        "--cpu-kv-cache-gib",
        type=int,
        metavar="GIB",
        help="KV cache of vLLM engines on CPU nodes (sets VLLM_CPU_KVCACHE_SPACE; unset, vLLM takes "
        "gpu_memory_utilization of the node's memory, about 20 s to set up per engine start)",
    )
    env.set_defaults(run=_run_runtime_env)

    _register_data(subparsers)
