"""Benchmark: extraction plus grading of expression answers in several languages, side by side with math-verify.

Corpus: PolyMath's gold answers (``../shared/data/polymath``, levels medium, high and top: fractions,
radicals, π, powers, sets, tuples, intervals, inequalities, expressions in n) wrapped in responses in
each benchmark language: the PolyMath question in that language (as the response's restatement, with
its own numbers and LaTeX as distractors), then the language's answer sentence around the answer.
Four responses per gold and language:

  boxed       the answer sentence around ``$\\boxed{gold}$``                     -> correct
  sentence    the answer sentence around ``$gold$`` (numbers in the language's     -> correct
              own writing: grouping, decimal comma, native digits)
  equivalent  the answer sentence around a rewriting of the gold (sets reordered,  -> correct
              \\dfrac, a/b, decimals, expanded polynomials, intervals as inequalities,
              numbers with trailing zeros)
  wrong       the answer sentence around a near miss (an integer changed, an       -> incorrect
              element dropped, a bracket flipped)

Graders, each timed per response (extraction + comparison; the gold is parsed once, outside the
timing, for math-verify, which favours it), each in its own pass over the whole corpus (ours first, with
its caches cold: interleaving the two per response would let math-verify's large working set evict ours
from the CPU caches and triple our times):

  ours         pasmr_plugin.answers: extract_expression(text, lang) + answers_equivalent(pred, gold, lang)
  math-verify  math_verify.verify(parse(gold), parse(text)), its defaults ("verify(gold, target)" order)

Accuracy is the share of responses judged as expected. Times are medians over responses (µs); the
garbage collector runs every 50 responses, not inside timed calls. math-verify uses signal-based
timeouts, so everything runs in the main thread.

Then the loaded run (``--skip-load`` leaves it out): both graders judge the whole corpus again with a
busy process on every core and four busy threads in this process (``tests/busy_machine.py``: the agent
scores inside the vLLM engine's process, beside tokenization and Ray threads), our caches cleared first.
It reports the share of verdicts that differ from the idle run (0 for a grader whose verdicts depend on
the inputs only) and the time per response, idle and loaded: wall time (median, 99th percentile,
slowest), which under load includes waiting for the interpreter lock the busy threads hold, and the
calling thread's CPU time (median, slowest), which is the work itself.

Run from the repository root (a few minutes on a busy machine):
    PYTHONPATH=. python bench/bench_expressions.py [--langs en,de,ja,ru,sw,bn] [--levels medium,high,top]
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "tests"))  # the load generator lives with the tests

from busy_machine import busy_machine  # noqa: E402

from pasmr_plugin import expressions, values  # noqa: E402
from pasmr_plugin.answers import answers_equivalent, extract_expression  # noqa: E402
from pasmr_plugin.languages import get_language  # noqa: E402

DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data" / "polymath"
QUESTION_CHARS = 400  # the restated question in front of the answer sentence

# Hand-written equivalent rewritings of PolyMath golds (canonical spelling of the gold -> rewriting).
REWRITES = {
    "2n^2 - 2n + 1": "1 + 2n(n - 1)",
    "n^2 - n + 1": "1 - n + n^2",
    "n(n-1)": "n^2 - n",
    "2n(n-1)": "2n^2-2n",
    "\\frac{1}{4}n(n+1)": "\\frac{n^2+n}{4}",
    "2^{2024} - 1": "-1 + 2^{2024}",
    "\\frac{\\pi}{3}": "\\frac{1}{3}\\pi",
    "2\\sqrt{2}": "\\sqrt{8}",
    "4\\sqrt{2}": "\\sqrt{32}",
    "\\frac{\\sqrt{3}}{2}": "\\frac{3}{2\\sqrt{3}}",
    "\\frac{3\\sqrt{2}}{2}": "\\frac{3}{\\sqrt{2}}",
    "e-1": "-1+e",
    "2n-1": "-1+2n",
    "n^3": "n \\cdot n^2",
    "2^{99} - 1": "2 \\cdot 2^{98} - 1",
    "(3,6]": "3 < x \\leq 6",
    "[e,7]": "e \\leq x \\leq 7",
    "0 < \\lambda < 1": "(0, 1)",
    "k \\geq 2": "[2, +\\infty)",
    "p \\leq \\frac{1}{4}": "(-\\infty, \\frac{1}{4}]",
    "2 + \\sqrt{5}": "\\sqrt{5}+2",
    "\\sqrt{2022} - 1": "-1+\\sqrt{2022}",
    "12+10\\sqrt{3}": "2(6+5\\sqrt{3})",
    "\\frac{r}{2(r+1)}": "\\frac{r}{2r+2}",
    "2^{2n} - 2^{n}(n+1)": "4^n - (n+1)2^n",
    "1 + 3^n": "3^n + 1",
    "2^n + 2\\cdot(-1)^n": "2(-1)^n + 2^n",
    "\\frac{(n-1)^3(n+2)}{4}": "\\frac{(n+2)(n-1)^3}{4}",
    "(1,4,4), (2,4,4), (4,5,6), (4,6,5)": "(4,6,5), (4,5,6), (2,4,4), (1,4,4)",
    "\\frac{x^{2}}{2} - \\frac{y^{2}}{4}=1": "2x^2 - y^2 = 4",
    "5n+1": "1+5n",
    "3n-3": "3(n-1)",
    "\\frac{2}{\\sqrt{3}}": "\\frac{2\\sqrt{3}}{3}",
    "\\sqrt{\\frac{2}{\\pi}}": "\\frac{\\sqrt{2}}{\\sqrt{\\pi}}",
    "1+3\\sqrt{2}": "3\\sqrt{2}+1",
    "\\frac{-1+\\sqrt{5}}{4}": "\\frac{\\sqrt{5}-1}{4}",
    "\\frac{3\\sqrt{5}}{5}": "\\frac{3}{\\sqrt{5}}",
    "-\\frac{\\sqrt{5}}{5}": "-\\frac{1}{\\sqrt{5}}",
    "\\frac{1+\\sqrt{2}}{2}": "\\frac{1}{2}+\\frac{\\sqrt{2}}{2}",
    "9\\sqrt{3}": "\\sqrt{243}",
    "\\frac{\\pi^2}{6}": "\\frac{1}{6}\\pi^2",
    "2-\\sqrt{2}": "-\\sqrt{2}+2",
    "8\\sqrt{5} - 16": "8(\\sqrt{5}-2)",
    "2 \\sqrt{2} + 1": "1+2\\sqrt{2}",
    "n+1": "1+n",
    "n-1": "-1+n",
    "2d+4": "2(d+2)",
    "10+2\\sqrt{5}": "2(5+\\sqrt{5})",
    "2^{n-1} - n": "\\frac{2^n}{2} - n",
    "\\frac{3(n-1)}{2}": "\\frac{3n-3}{2}",
    "2 \\cdot (1012)^2": "2048288",
    "\\frac{1}{4}(n+1)^2 + 1": "\\frac{n^2+2n+5}{4}",
    "(\\frac{n+1}{2})^2": "\\frac{(n+1)^2}{4}",
    "\\frac{1}{1-x}": "-\\frac{1}{x-1}",
    "\\frac{1}{e-1}": "\\frac{1}{-1+e}",
    "\\frac{2(b-a)}{\\pi}": "\\frac{2b-2a}{\\pi}",
    "\\frac{11n}{12}": "\\frac{11}{12}n",
    "2n-2": "2(n-1)",
    "2n - 1": "2n-1",
    "2^{2^l}": "2^{2^{l}}",
    "\\{-2,0,2\\}": "\\{2,0,-2\\}",
    "[2,3)": "2 \\leq x < 3",
    "(-1,1)": "-1 < x < 1",
    "(0, \\frac{\\sqrt{2}}{4}]": "0 < x \\leq \\frac{\\sqrt{2}}{4}",
    "(0, \\frac{\\sqrt{2}}{2}]": "(0, \\frac{1}{\\sqrt{2}}]",
    "k + 4": "4 + k",
}

_INTEGER = re.compile(r"(?<![\d.])\d+(?![\d.])")
_SIMPLE_FRACTION = re.compile(r"^(-?)\\frac\{(\d+)\}\{(\d+)\}$")


def strip_dollars(answer: str) -> str:
    answer = answer.strip().rstrip(".").strip()
    if answer.startswith("$") and answer.endswith("$") and len(answer) > 1:
        answer = answer.strip("$").strip()
    return answer


def is_number(answer: str) -> bool:
    return re.fullmatch(r"-?\d+(?:\.\d+)?", answer) is not None


def localized_number(answer: str, lang: str) -> str:
    """A plain number written as the language writes it: grouping, decimal comma, native digits."""
    language = get_language(lang)
    integer, _, decimals = answer.lstrip("-").partition(".")
    group = "." if language.decimal_separator == "," else ","
    if lang in ("fr", "ru"):
        group = "\u202f"
    if len(integer) >= 5:
        integer = f"{int(integer):,}".replace(",", group)
    text = ("-" if answer.startswith("-") else "") + integer + (language.decimal_separator + decimals if decimals else "")
    if language.native_digits:
        text = text.translate(str.maketrans("0123456789", language.native_digits))
    return text


def split_top(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for position, char in enumerate(text):
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth == 0:
            parts.append(text[start:position].strip())
            start = position + 1
    parts.append(text[start:].strip())
    return parts


def equivalent_rewrite(gold: str) -> str | None:
    """An answer equivalent to ``gold`` written differently, or None when no rewriting applies."""
    if is_number(gold):
        return gold + (".00" if "." not in gold else "0")
    if gold in REWRITES:
        return REWRITES[gold]
    fraction = _SIMPLE_FRACTION.match(gold)
    if fraction:
        sign, p, q = fraction.groups()
        q_int = int(q)
        while q_int % 2 == 0:
            q_int //= 2
        while q_int % 5 == 0:
            q_int //= 5
        if q_int == 1 and len(p) < 8:
            return sign + str(int(p) / int(q))
        return f"{sign}{p}/{q}"
    if gold.startswith("\\{") and gold.endswith("\\}"):
        parts = split_top(gold[2:-2])
        if len(parts) > 1:
            return "\\{" + ", ".join(reversed(parts)) + "\\}"
    if "\\frac" in gold:
        return gold.replace("\\frac", "\\dfrac").replace("(", "\\left(").replace(")", "\\right)")
    return None


def wrong_variant(gold: str) -> str:
    """A near miss of ``gold``: the last integer changed, a set element dropped, a bracket flipped."""
    if gold.startswith("\\{") and gold.endswith("\\}"):
        parts = split_top(gold[2:-2])
        if len(parts) > 1:
            return "\\{" + ", ".join(parts[:-1]) + "\\}"
    if re.fullmatch(r"[\[(].*,.*[\])]", gold) and "," in gold and gold.count(",") == 1:
        return gold[:-1] + (")" if gold[-1] == "]" else "]")
    matches = list(_INTEGER.finditer(gold))
    if matches:
        last = matches[-1]
        return gold[: last.start()] + str(int(last.group()) + 1) + gold[last.end() :]
    return gold + "+1"


def load(data_dir: Path, langs: list[str], levels: list[str]) -> list[dict]:
    items = []
    for level in levels:
        english = [json.loads(line) for line in (data_dir / "en" / f"{level}.jsonl").open(encoding="utf-8")]
        for lang in langs:
            rows = [json.loads(line) for line in (data_dir / lang / f"{level}.jsonl").open(encoding="utf-8")]
            for row, en_row in zip(rows, english):
                items.append({"lang": lang, "level": level, "question": row["question"], "gold_raw": en_row["answer"]})
    return items


def responses(item: dict) -> list[tuple[str, str, bool]]:
    """(variant, response text, expected judgment) for one gold in one language."""
    language = get_language(item["lang"])
    gold = strip_dollars(item["gold_raw"])
    lead = item["question"][:QUESTION_CHARS] + "\n\n"
    numeric = is_number(gold)
    out = [("boxed", lead + language.answer_sentence(f"$\\boxed{{{gold}}}$"), True)]
    sentence = localized_number(gold, item["lang"]) if numeric else f"${gold}$"
    out.append(("sentence", lead + language.answer_sentence(sentence), True))
    rewrite = equivalent_rewrite(gold)
    if rewrite is not None:
        written = localized_number(rewrite, item["lang"]) if numeric else f"${rewrite}$"
        out.append(("equivalent", lead + language.answer_sentence(written), True))
    out.append(("wrong", lead + language.answer_sentence(f"${wrong_variant(gold)}$"), False))
    return out


def judge(corpus: list, grade) -> list[tuple[bool, int]]:
    """(verdict, wall ns, thread CPU ns) of ``grade(item, text)`` on every response; the collector runs
    between calls only."""
    judged = []
    gc.collect()
    gc.disable()
    for number, (item, _kind, _variant, text, _expected) in enumerate(corpus):
        if number % 50 == 0:
            gc.enable()
            gc.collect()
            gc.disable()
        judged.append(grade(item, text))
    gc.enable()
    return judged


def accuracy_table(corpus: list, judged: dict, show_misses: bool) -> None:
    results: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for (item, kind, variant, text, expected), (ours_ok, ours_ns, _), (mv_ok, mv_ns, _) in zip(corpus, judged["ours"], judged["mv"]):
        if show_misses and ours_ok != expected:
            tail = text[-160:].replace("\n", " ")
            print(f"MISS {item['lang']} {variant}: gold {item['gold_raw']!r} read {extract_expression(text, item['lang'])!r} in ...{tail}")
        for key in ((kind, variant), (kind, "all"), ("all", "all")):
            cell = results[key]
            cell["ours_ok"].append(ours_ok == expected)
            cell["mv_ok"].append(mv_ok == expected)
            cell["ours_us"].append(ours_ns / 1000)
            cell["mv_us"].append(mv_ns / 1000)
    print("| answers | variant | responses | ours accuracy | math-verify accuracy | ours median µs | math-verify median µs | speed-up |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    order = [(k, v) for k in ("number", "expression") for v in ("boxed", "sentence", "equivalent", "wrong", "all")]
    for key in order + [("all", "all")]:
        cell = results.get(key)
        if not cell:
            continue
        n = len(cell["ours_ok"])
        ours_acc, mv_acc = sum(cell["ours_ok"]) / n, sum(cell["mv_ok"]) / n
        ours_t, mv_t = statistics.median(cell["ours_us"]), statistics.median(cell["mv_us"])
        print(f"| {key[0]} | {key[1]} | {n} | {ours_acc:.1%} | {mv_acc:.1%} | {ours_t:.0f} | {mv_t:.0f} | {mv_t / ours_t:.1f}x |")


def load_table(corpus: list, idle: dict, loaded: dict) -> None:
    print(
        "| grader | run | verdicts differing from idle | accuracy | wall median µs | wall p99 µs "
        "| wall slowest ms | CPU median µs | CPU slowest ms |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    expected = [row[-1] for row in corpus]
    for name, label in (("ours", "ours (pasmr-plugin)"), ("mv", "math-verify")):
        for run_name, run in (("idle", idle), ("loaded", loaded)):
            judged = run[name]
            differing = sum(a[0] != b[0] for a, b in zip(idle[name], judged))
            accuracy = sum(verdict == e for (verdict, *_), e in zip(judged, expected)) / len(expected)
            wall = sorted(ns / 1000 for _, ns, _ in judged)
            cpu = sorted(ns / 1000 for *_, ns in judged)
            print(
                f"| {label} | {run_name} | {differing} ({differing / len(expected):.2%}) | {accuracy:.1%} | "
                f"{statistics.median(wall):.0f} | {wall[int(0.99 * (len(wall) - 1))]:.0f} | {wall[-1] / 1000:.1f} | "
                f"{statistics.median(cpu):.0f} | {cpu[-1] / 1000:.1f} |"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--langs", default="en,de,ja,ru,sw,bn")
    parser.add_argument("--levels", default="medium,high,top")
    parser.add_argument("--show-misses", action="store_true", help="print every response ours judges wrongly")
    parser.add_argument("--skip-load", action="store_true", help="leave out the run on a loaded machine")
    args = parser.parse_args(argv)
    if not args.data_dir.is_dir():
        print(f"PolyMath not found at {args.data_dir}; nothing to benchmark", file=sys.stderr)
        return 1
    from math_verify import parse, verify

    items = load(args.data_dir, args.langs.split(","), args.levels.split(","))
    expressions.symbolic_available()  # import mpmath once, outside the timings (math-verify's import is too)
    parse("$x$"), verify(parse("$1$"), parse("$1$"))
    corpus = [  # (item, kind, variant, text, expected)
        (item, "number" if is_number(strip_dollars(item["gold_raw"])) else "expression", *response)
        for item in items
        for response in responses(item)
    ]

    def ours(item, text):
        start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        verdict = answers_equivalent(extract_expression(text, item["lang"]), item["gold_raw"], item["lang"])
        return verdict, time.perf_counter_ns() - start, time.thread_time_ns() - start_cpu

    gold_parsed = {}

    def theirs(item, text):
        gold = item["gold_raw"]
        if gold not in gold_parsed:  # parsed once per gold, outside the timing: favours math-verify
            gold_parsed[gold] = parse(gold if "$" in gold else f"${gold}$")
        start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        verdict = verify(gold_parsed[gold], parse(text))
        return verdict, time.perf_counter_ns() - start, time.thread_time_ns() - start_cpu

    def both() -> dict:
        values._evaluate.cache_clear()  # ours first, with its caches cold
        expressions._tree.cache_clear()
        return {"ours": judge(corpus, ours), "mv": judge(corpus, theirs)}

    idle = both()
    print(f"PolyMath levels {args.levels}, languages {args.langs}: {len(items)} gold/language pairs\n")
    accuracy_table(corpus, idle, args.show_misses)
    if not args.skip_load:
        with busy_machine():
            loaded = both()
        print("\nOn a loaded machine: a busy process on every core and 4 busy threads in the process\n")
        load_table(corpus, idle, loaded)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
