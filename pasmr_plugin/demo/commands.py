"""The ``pasmr demo`` subcommand."""

from __future__ import annotations

import argparse


def _run_demo(args: argparse.Namespace) -> int:
    from .story import run_demo

    return run_demo(args.output, quick=args.quick)


def register(subparsers) -> None:
    """Add ``demo`` to ``pasmr``."""
    demo = subparsers.add_parser("demo", help="run the offline demo (no GPU, no network)")
    demo.add_argument("--output", default="demo_output", help="folder for the demo's files (default: %(default)s)")
    demo.add_argument("--quick", action="store_true", help="only the reward table (no model needed)")
    demo.set_defaults(run=_run_demo)
