"""How `pasmr data` reads large inputs: time per megabyte of a JSON array and of JSON Lines, at growing sizes.

Linear reading shows as a flat seconds-per-MB column (the quadratic reader took 18 s for 3.6 MB).
Each size is timed as the median of three runs of ``read_records`` over a file written here
(``tmp`` folder, removed afterwards), then one full ``pasmr data rl`` run on the largest array.

    python bench/data_bench.py
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pasmr_plugin.cli import main as pasmr  # noqa: E402
from pasmr_plugin.openrlhf.records import read_records  # noqa: E402

RECORD = {"question": "Janet ana mayai 16. Anakula 3 na anaoka keki kwa 4. Anauza mayai mangapi?", "lang": "sw", "answer": 9}
COUNTS = (10_000, 40_000, 160_000)


def write(folder: Path, count: int, array: bool) -> Path:
    rows = [json.dumps(dict(RECORD, id=index), ensure_ascii=False) for index in range(count)]
    path = folder / f"q{count}.{'json' if array else 'jsonl'}"
    path.write_text("[\n" + ",\n".join(rows) + "\n]\n" if array else "\n".join(rows) + "\n", encoding="utf-8")
    return path


def median_seconds(call, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    print("| input | records | MB | read (s, median of 3) | s per MB |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for array in (True, False):
            for count in COUNTS:
                path = write(folder, count, array)
                size = path.stat().st_size / 1e6
                seconds = median_seconds(lambda: sum(1 for _ in read_records(path)))
                kind = "JSON array" if array else "JSON Lines"
                print(f"| {kind} | {count:,} | {size:.1f} | {seconds:.2f} | {seconds / size:.3f} |")
        largest = folder / f"q{COUNTS[-1]}.json"
        started = time.perf_counter()
        code = pasmr(["data", "rl", str(largest), str(folder / "out.jsonl")])
        print(f"\n`pasmr data rl` on the {largest.stat().st_size / 1e6:.1f} MB array: exit {code}, {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
