"""``pasmr-eval``: lm-eval's command line, unchanged, with the PASMR tasks added.

Every argument and subcommand of ``lm_eval`` works (``run``, ``ls``, ``validate``, or none for
``run``); the PASMR task folder is added to the task search path, before a ``--include_path`` of
yours, so your own tasks still override ours::

    pasmr-eval --model vllm --model_args pretrained=Qwen/Qwen2.5-7B-Instruct --tasks pasmr_mgsm,pasmr_msvamp
    pasmr-eval ls tasks --include_path ./my_tasks
    pasmr-eval --language-pack hindi.yaml --include_path ./my_tasks --tasks pasmr_questions_hi ...
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from . import tasks_dir


class _OwnDataNotice(logging.Filter):
    """Drops lm-eval's per-task "Custom kwargs can be passed ..." notice for the PASMR tasks.

    lm-eval logs it for every task whose data comes from a ``custom_dataset`` function, as ours
    do (to read ``PASMR_DATA_DIR`` offline); it asks nothing of the user, and a run over
    ``pasmr_mgsm`` would print it 11 times. Other tasks' notices pass through.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("pasmr_") and "Custom kwargs can be passed" in message)


def quiet_own_data_notices() -> None:
    """Install :class:`_OwnDataNotice` on lm-eval's task logger (once)."""
    task_logger = logging.getLogger("lm_eval.api.task")
    if not any(isinstance(existing, _OwnDataNotice) for existing in task_logger.filters):
        task_logger.addFilter(_OwnDataNotice())


def include_paths(user_path: str | None) -> list[str]:
    """The task search path: our folder, then the user's ``--include_path`` (later folders win on a name clash)."""
    return [str(tasks_dir())] + ([user_path] if user_path else [])


@contextmanager
def _command_line(argv: list[str] | None) -> Iterator[None]:
    """lm-eval's parser reads ``sys.argv``; give it ``argv`` for the duration when one is passed."""
    if argv is None:
        yield
        return
    saved = sys.argv
    sys.argv = ["pasmr-eval", *argv]
    try:
        yield
    finally:
        sys.argv = saved


def without_language_pack(argv: list[str]) -> list[str]:
    """``argv`` without ``--language-pack FILE`` (ours, not lm-eval's)."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--language-pack":
            skip = True
        elif not arg.startswith("--language-pack="):
            kept.append(arg)
    return kept


def main(argv: list[str] | None = None) -> int:
    """Run lm-eval's command line (``argv``, default ``sys.argv[1:]``) with the PASMR tasks available.

    ``--language-pack FILE`` (or ``$PASMR_LANGUAGE_PACK``) adds a language pack's languages first.
    """
    from lm_eval._cli import HarnessCLI
    from lm_eval.utils import setup_logging

    from ..cli import use_language_pack_from

    given = sys.argv[1:] if argv is None else list(argv)
    if not use_language_pack_from(given, "pasmr-eval"):
        return 2
    argv = without_language_pack(given)
    setup_logging()
    quiet_own_data_notices()
    cli = HarnessCLI()
    with _command_line(argv):
        args = cli.parse_args()
    if hasattr(args, "include_path"):  # run, ls and validate; TaskManager takes a list of folders
        args.include_path = include_paths(args.include_path)
    cli.execute(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
