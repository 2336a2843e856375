"""The ``pasmr`` command: one entry point, subcommands registered by each layer of the package.

Every layer keeps its subcommands in a ``commands`` module with ``register(subparsers)``, which
adds them with ``set_defaults(run=callable)``; the callable takes the parsed arguments and
returns an exit code. Heavy imports happen inside the callables, so ``pasmr --help`` stays
instant. This entry point is the one place that knows every layer, the demo included: it names
their ``commands`` modules in :data:`COMMAND_MODULES` instead of importing them statically, so
the import graph (checked by ``tests/test_layering.py``) keeps the demo out of the package.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__

COMMAND_MODULES = (
    "pasmr_plugin.commands",  # extract
    "pasmr_plugin.openrlhf.commands",  # agent-file, reward-file, data sft|rl|pivot-labels
    "pasmr_plugin.evaluation.commands",  # tasks-path, report
    "pasmr_plugin.demo.commands",  # demo
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pasmr",
        description="PASMR (arXiv 2601.17671) for OpenRLHF and lm-evaluation-harness.",
    )
    parser.add_argument("--version", action="version", version=f"pasmr-plugin {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(subparsers)
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
