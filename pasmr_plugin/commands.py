"""Core subcommands of ``pasmr``: ``extract``."""

from __future__ import annotations

import argparse
import json
import sys


def _run_extract(args: argparse.Namespace) -> int:
    from .answers import extract_answer, extract_expression, extract_final_answers

    text = sys.stdin.read() if args.text == "-" else args.text
    result = {
        "answer": extract_answer(text, args.lang),
        "final_statements": extract_final_answers(text, args.lang),
        "expression": extract_expression(text, args.lang),  # the answer as written when it is an expression
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


def register(subparsers) -> None:
    """Add ``extract`` to ``pasmr``."""
    extract = subparsers.add_parser("extract", help="print the final answer a response commits to")
    extract.add_argument("text", help="the response text, or - to read it from standard input")
    extract.add_argument("--lang", default=None, help="language code of the response (default: any)")
    extract.set_defaults(run=_run_extract)
