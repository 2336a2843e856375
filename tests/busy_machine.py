"""A loaded machine on demand: busy processes on every core and busy threads in this process.

The agent scores inside the vLLM engine's process, beside tokenization and Ray threads, on a node whose
cores are busy: the tests of verdicts under load (``test_expressions_under_load.py``) and the loaded
run of ``bench/bench_expressions.py`` recreate that.

>>> with busy_machine(processes=1, threads=1):  # doctest: +SKIP
...     verdicts = [answers_equivalent(a, b) for a, b in pairs]
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BUSY_THREADS = 4
"""Threads spinning in this process: they hold the interpreter lock in turn with the measured code."""

MAX_LOAD_SECONDS = 900
"""A busy process stops by itself after this long, should its parent die before stopping it."""

_SPIN = "import time\nend = time.monotonic() + {limit}\nwhile time.monotonic() < end:\n    sum(range(1000))\n"


def _spin(stop: threading.Event) -> None:
    while not stop.is_set():
        sum(range(1000))


@contextmanager
def busy_machine(processes: int | None = None, threads: int = BUSY_THREADS) -> Iterator[None]:
    """Keep ``processes`` processes (default: one per core) and ``threads`` threads of this process busy."""
    count = processes if processes is not None else os.cpu_count() or 1
    spinners = [
        subprocess.Popen([sys.executable, "-c", _SPIN.format(limit=MAX_LOAD_SECONDS)], stdin=subprocess.DEVNULL)
        for _ in range(count)
    ]
    stop = threading.Event()
    workers = [threading.Thread(target=_spin, args=(stop,), daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    try:
        yield
    finally:
        stop.set()
        for worker in workers:
            worker.join()
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
