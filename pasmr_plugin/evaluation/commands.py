"""Subcommands of ``pasmr`` for evaluation: ``tasks-path`` and ``report``."""

from __future__ import annotations

import argparse
import sys

from ..reward import DEFAULT_CONFIG


def _run_tasks_path(args: argparse.Namespace) -> int:
    from . import tasks_dir

    print(tasks_dir())
    return 0


def _run_report(args: argparse.Namespace) -> int:
    from .report import ReportError, write_report

    try:
        report = write_report(
            args.results_dir, args.output, plots=not args.no_plots, agreement_threshold=args.agreement
        )
    except ReportError as error:
        print(f"pasmr report: {error}", file=sys.stderr)
        return 2
    print(report.markdown)
    for note in report.notes:
        print(f"pasmr report: {note}", file=sys.stderr)
    print("wrote " + ", ".join(str(path) for path in report.files), file=sys.stderr)
    return 0


def register(subparsers) -> None:
    """Add ``tasks-path`` and ``report`` to ``pasmr``."""
    tasks_path = subparsers.add_parser(
        "tasks-path", help="print the lm-eval task folder (for --include_path and TaskManager(include_path=...))"
    )
    tasks_path.set_defaults(run=_run_tasks_path)

    report = subparsers.add_parser(
        "report",
        help="tables, gaps to English, cross-lingual consistency, the self-feedback signal and plots from lm-eval "
        "--log_samples output",
    )
    report.add_argument("results_dir", help="the --output_path of one or more lm_eval / pasmr-eval runs")
    report.add_argument(
        "--output",
        default=None,
        help="folder for report.md, report.json and the plots (default: RESULTS_DIR/pasmr_report)",
    )
    report.add_argument(
        "--no-plots", action="store_true", help="write report.md and report.json only (no matplotlib needed)"
    )
    report.add_argument(
        "--agreement",
        type=float,
        default=DEFAULT_CONFIG.agreement_threshold,
        help="self-feedback signal: share of the pivot answers a majority needs, as the agent's --agreement "
        "(default: the agent's, %(default)s)",
    )
    report.set_defaults(run=_run_report)
