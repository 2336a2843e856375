"""PolyMath tasks end to end through lm-eval: an oracle must score 100%, other problems' gold about 0.

    python bench/bench_polymath_oracle.py                  # the real benchmark, ../shared/data/polymath
    python bench/bench_polymath_oracle.py --data DIR       # any folder with polymath/{lang}/{level}.jsonl
    python bench/bench_polymath_oracle.py --sample         # the embedded sample of tests/polymath_sample.py

Both models are the test suite's (``tests/polymath_fixtures.py``): the oracle answers every question
with its own gold in ``$\\boxed{}$`` inside the language's answer sentence (after a translation block in
``pasmr_polymath``), the shifted model with the gold of the next question of the same task. Every one of
the 144 tasks (2 prompts x 4 levels x 18 languages) runs through ``lm_eval.simple_evaluate`` with the
tasks' own loading, prompts and grading; nothing is mocked but the model.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import lm_eval  # noqa: E402
from lm_eval.tasks import TaskManager  # noqa: E402
from polymath_fixtures import OracleLM, ShiftedLM  # noqa: E402
from polymath_sample import write_polymath_sample  # noqa: E402

from pasmr_plugin.evaluation import tasks_dir  # noqa: E402
from pasmr_plugin.evaluation.tasks import DATA_DIR_ENV, FAMILIES  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def run(model, data_dir: Path) -> tuple[dict, float]:
    os.environ[DATA_DIR_ENV] = str(data_dir)
    manager = TaskManager(include_path=str(tasks_dir()), include_defaults=False)
    start = time.perf_counter()
    results = lm_eval.simple_evaluate(model=model, tasks=list(FAMILIES), task_manager=manager)
    return results, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED, help="folder holding polymath/ (default: %(default)s)")
    parser.add_argument("--sample", action="store_true", help="use the embedded sample instead")
    args = parser.parse_args()
    data_dir = write_polymath_sample(Path(tempfile.mkdtemp())) if args.sample else args.data
    if not (data_dir / "polymath").is_dir():
        print(f"no PolyMath data under {data_dir}", file=sys.stderr)
        return 2
    runs = {name: run(model, data_dir) for name, model in (("oracle", OracleLM()), ("shifted", ShiftedLM()))}
    print(f"data: {data_dir / 'polymath'}; exact_match (%) through lm-eval, per group (min / max over its tasks)\n")
    print("| group | oracle | oracle min task | shifted gold | shifted max task |")
    print("|---|---|---|---|---|")
    for family, levels in FAMILIES.items():
        for name in [*(suite.name for suite in levels), family]:
            members = [s for s in levels if name in (s.name, family)]
            tasks = [suite.task(lang) for suite in members for lang in suite.languages]
            oracle, shifted = runs["oracle"][0], runs["shifted"][0]
            cells = [
                oracle["groups"][name]["exact_match,none"],
                min(oracle["results"][task]["exact_match,none"] for task in tasks),
                shifted["groups"][name]["exact_match,none"],
                max(shifted["results"][task]["exact_match,none"] for task in tasks),
            ]
            print(f"| {name} | " + " | ".join(f"{100 * cell:.1f}" for cell in cells) + " |")
    tasks = sum(len(suite.languages) for levels in FAMILIES.values() for suite in levels)
    timings = ", ".join(f"{name} {seconds:.0f} s" for name, (_, seconds) in runs.items())
    print(f"\n{tasks} tasks; wall time {timings}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
