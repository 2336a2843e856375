"""Core subcommands of ``pasmr``: ``demo`` and ``extract``."""

from __future__ import annotations

import argparse
import json
import sys


def _run_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(args.output, quick=args.quick)


def _run_extract(args: argparse.Namespace) -> int:
    from .answers import extract_answer, extract_final_answers

    text = sys.stdin.read() if args.text == "-" else args.text
    result = {
        "answer": extract_answer(text, args.lang),
        "final_statements": extract_final_answers(text, args.lang),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


def register(subparsers) -> None:
    demo = subparsers.add_parser("demo", help="run the offline demo (no GPU, no network)")
    demo.add_argument("--output", default="demo_output", help="folder for the demo's files (default: %(default)s)")
    demo.add_argument("--quick", action="store_true", help="only the reward table (no model needed)")
    demo.set_defaults(run=_run_demo)

    extract = subparsers.add_parser("extract", help="print the final answer a response commits to")
    extract.add_argument("text", help="the response text, or - to read it from standard input")
    extract.add_argument("--lang", default=None, help="language code of the response (default: any)")
    extract.set_defaults(run=_run_extract)
