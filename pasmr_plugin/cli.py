"""The ``pasmr`` command: one entry point, subcommands registered by each part of the package.

Each part exposes ``register(subparsers)`` that adds its subcommands with
``set_defaults(run=callable)``; the callable takes the parsed arguments and returns an exit code.
Heavy imports happen inside the callables, so ``pasmr --help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys

from . import __version__
from .evaluation import commands as evaluation_commands
from .openrlhf import commands as openrlhf_commands
from . import core_commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pasmr",
        description="PASMR (arXiv 2601.17671) for OpenRLHF and lm-evaluation-harness.",
    )
    parser.add_argument("--version", action="version", version=f"pasmr-plugin {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for part in (core_commands, openrlhf_commands, evaluation_commands):
        part.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
