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
import os
import sys

from . import __version__

COMMAND_MODULES = (
    "pasmr_plugin.commands",  # extract, languages
    "pasmr_plugin.openrlhf.commands",  # agent-file, reward-file, data sft|rl|pivot-labels
    "pasmr_plugin.evaluation.commands",  # tasks-path, report
    "pasmr_plugin.demo.commands",  # demo
)


LANGUAGE_PACK_HELP = (
    "YAML or JSON language pack adding or replacing table languages "
    "(default: $PASMR_LANGUAGE_PACK; see docs/languages.md)"
)


def add_language_pack_option(parser: argparse.ArgumentParser) -> None:
    """``--language-pack FILE`` on ``parser`` and, recursively, on each of its subcommands."""
    if not any("--language-pack" in action.option_strings for action in parser._actions):
        # SUPPRESS: a subcommand without the option leaves the value given before it alone
        parser.add_argument("--language-pack", metavar="FILE", default=argparse.SUPPRESS, help=LANGUAGE_PACK_HELP)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                add_language_pack_option(subparser)


def language_pack_argument(argv: list[str]) -> str | None:
    """The ``--language-pack`` value anywhere in ``argv`` (the last one wins), or None."""
    found = None
    for index, arg in enumerate(argv):
        if arg == "--language-pack" and index + 1 < len(argv):
            found = argv[index + 1]
        elif arg.startswith("--language-pack="):
            found = arg.split("=", 1)[1]
    return found


def use_language_pack_from(argv: list[str], prog: str) -> bool:
    """Use the pack of ``--language-pack`` in ``argv``, else of ``$PASMR_LANGUAGE_PACK``; False (and one
    line on standard error) when it cannot be used."""
    from .language_packs import LanguagePackError
    from .languages import PACK_ENV, use_language_pack

    path = language_pack_argument(argv) or os.environ.get(PACK_ENV) or None
    try:
        use_language_pack(path)
    except LanguagePackError as error:
        print(f"{prog}: error: {error}", file=sys.stderr)
        return False
    return True


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pasmr",
        description="PASMR (arXiv 2601.17671) for OpenRLHF and lm-evaluation-harness.",
    )
    parser.add_argument("--version", action="version", version=f"pasmr-plugin {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(subparsers)
    add_language_pack_option(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # the language pack comes first: --lang, --langs and --pivot accept its codes
    if not use_language_pack_from(argv, "pasmr"):
        return 2
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
