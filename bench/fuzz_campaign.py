"""The long fuzz campaign of every public text entry point (``make fuzz``): random adversarial inputs.

Inputs come from ``tests/fuzz_inputs.py`` (the fixed corpus first, then random texts built from
the same atoms as the hypothesis strategies: digit runs, exponents, fractions, CJK multipliers,
separators, every script of the language table, PAM markers, ``\\boxed{``, answer phrases,
control and surrogate characters, now and then a 1 MB repetition). Each call is timed; a call
that raises, breaks an invariant (a canonical answer that does not match itself, a PAM target
that does not parse back) or takes longer than its bound is counted, and the first few are
printed. The table at the end has one row per entry point; the exit code is 1 when any row has
a failure.

    python bench/fuzz_campaign.py                  # the default campaign (a few minutes)
    python bench/fuzz_campaign.py --scale 0.1      # a tenth of it
    python bench/fuzz_campaign.py --seed 7 --only extract_answer

The bound is 50 ms a call on inputs up to 1 MB (the README's promise), measured as the fastest
of three runs of a slow call, so that a pause of the machine (other processes) is not counted
as the function's time. The language-identification model is loaded before timing starts.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from fuzz_inputs import number_corpus, random_answer, random_number_text, random_text, text_corpus  # noqa: E402

from pasmr_plugin.answers import (  # noqa: E402
    answer_key,
    answers_equivalent,
    answers_match,
    extract_answer,
    extract_expression,
    extract_final_answers,
    extract_final_expressions,
    parse_number,
)
from pasmr_plugin.evaluation.tasks import grade_response, process_cot_results, process_pam_results  # noqa: E402
from pasmr_plugin.extraction import is_plain_number  # noqa: E402
from pasmr_plugin.langid import detect_language  # noqa: E402
from pasmr_plugin.languages import LANGUAGES  # noqa: E402
from pasmr_plugin.openrlhf.labels import parse_label  # noqa: E402
from pasmr_plugin.openrlhf.reward_func import PasmrRewardFunc  # noqa: E402
from pasmr_plugin.prompts import pam_response, parse_response  # noqa: E402
from pasmr_plugin.reward import pivot_majority, score_response  # noqa: E402

BOUND_MS = 50.0
LANGS = sorted(LANGUAGES) + [None, "xx"]
EXAMPLES_SHOWN = 3


@dataclass
class Row:
    name: str
    runs: int
    calls: int = 0
    exceptions: int = 0
    violations: int = 0
    slow: int = 0
    slowest_ms: float = 0.0
    slowest_input: str = ""
    examples: list = field(default_factory=list)


def _short(value: object) -> str:
    try:
        text = repr(value)
    except Exception:  # an int over the digit limit
        text = f"<{type(value).__name__}>"
    return text[:100] + (f"... ({len(text)} chars)" if len(text) > 100 else "")


def _timed(call) -> tuple[object, float]:
    started = time.perf_counter()
    result = call()
    return result, (time.perf_counter() - started) * 1000


def check_extract(text, lang):
    answer = extract_answer(text, lang)
    if answer is not None and not (is_plain_number(answer, None) and answers_match(answer, answer)):
        return f"canonical answer {answer!r} does not read back as itself"
    return None


def build_pam(question, solution, lang, answer):
    """The PAM target, or None when refused (a marker inside the texts: documented)."""
    try:
        return pam_response(question, solution, lang=lang, answer=answer)
    except ValueError:
        return None


def check_pam(question, solution, lang, answer):
    try:
        target = pam_response(question, solution, lang=lang, answer=answer)
    except ValueError:  # refused: a marker inside the texts (documented)
        return None
    parts = parse_response(target, lang)
    if parts.translation != question.strip() or not parts.reasoning.startswith(solution.strip()):
        return "the PAM target does not parse back"
    return None


REWARD = PasmrRewardFunc({"pivot": "en"})


def check_reward_func(query, prompt, label):
    """The OpenRLHF reward swallows failures into ``errors`` 1: with a valid label that is a hidden exception."""
    reward, _, logs = REWARD.reward_of_sample(query, prompt, label)
    if logs["errors"] and parse_label(label, strict=False) is not None:
        return "an exception inside the reward (errors 1 with a valid label)"
    return None


def _label(rng) -> object:
    roll = rng.random()
    if roll < 0.4:
        fields = {"lang": rng.choice(LANGS), "gold": random_answer(rng), "pivot_answers": [random_answer(rng) for _ in range(rng.randrange(6))]}
        try:
            return json.dumps(fields, ensure_ascii=rng.random() < 0.5, default=_short)
        except ValueError:  # an integer over the digit limit
            return fields
    if roll < 0.7:
        return random_text(rng, 20)
    return {"lang": rng.choice(LANGS), "gold": random_answer(rng), "pivot_question": random_text(rng, 5)}


def entry_points(rng):
    """(name, inputs, a function drawing one call's arguments, the call, an invariant check).

    Everything random is drawn by the first function, so that a slow call can be timed again on the same input.
    """
    text, lang, answer = (lambda: random_text(rng)), (lambda: rng.choice(LANGS)), (lambda: random_answer(rng))
    return [
        ("extract_answer", 100_000, lambda: (text(), lang()), extract_answer, check_extract),
        ("extract_final_answers", 10_000, lambda: (text(), lang()), extract_final_answers, None),
        ("extract_expression", 20_000, lambda: (text(), lang()), extract_expression, None),
        ("extract_final_expressions", 5_000, lambda: (text(), lang()), extract_final_expressions, None),
        ("answer_key", 10_000, lambda: (answer(),), answer_key, None),
        ("answers_equivalent", 10_000, lambda: (answer(), answer(), lang()), answers_equivalent, None),
        ("parse_number", 20_000, lambda: (answer(), lang()), parse_number, None),
        ("answers_match", 20_000, lambda: (answer(), answer(), lang()), answers_match, None),
        ("parse_response", 20_000, lambda: (text(), lang()), parse_response, None),
        ("pam_response", 5_000, lambda: (text() or "Q", text() or "S", rng.choice(sorted(LANGUAGES)), answer()), build_pam, check_pam),
        ("score_response", 20_000, lambda: (text(), rng.choice(sorted(LANGUAGES)), [answer() for _ in range(rng.randrange(17))], answer(), text()),
         lambda r, l, p, g, q: score_response(r, l, p, gold=g, question=q), None),
        ("reward_func", 20_000, lambda: (random_text(rng), random_text(rng, 5), _label(rng)), check_reward_func, None),
        ("pivot_majority", 5_000, lambda: ([answer() for _ in range(rng.choice([0, 1, 4, 8, 16, 64, 200]))],), pivot_majority, None),
        ("grade_response", 10_000, lambda: (text(), answer(), rng.choice(sorted(LANGUAGES)), rng.random() < 0.5),
         lambda r, g, l, p: grade_response(r, g, l, pam=p), None),
        ("process_results", 5_000, lambda: ({"answer": answer(), "lang": rng.choice(sorted(LANGUAGES))}, [text()]),
         lambda d, r: (process_pam_results(d, r), process_cot_results(d, r)), None),
        ("parse_label", 10_000, lambda: (_label(rng),), lambda label: parse_label(label, strict=False), None),
        ("detect_language", 5_000, lambda: (text(),), detect_language, None),
    ]


def corpus_calls(name: str):
    """The fixed corpus for an entry point (run before the random inputs)."""
    texts, numbers = text_corpus(), number_corpus()
    if name in ("extract_answer", "extract_final_answers", "parse_response", "extract_expression", "extract_final_expressions"):
        return [(t, lang) for t in texts for lang in (None, "de", "ja")]
    if name in ("parse_number", "answers_match", "answers_equivalent"):
        values = numbers + texts
        return [(v,) + ((v,) if name != "parse_number" else ()) + (None,) for v in values]
    if name == "answer_key":
        return [(v,) for v in numbers + texts]
    if name == "score_response":
        return [(t, "sw", numbers, t, t) for t in texts] + [("x", "sw", n, n, n) for n in numbers]
    if name == "pivot_majority":
        return [(numbers,), ([str(i) for i in range(10_000)],), (None,), (iter(["1", "1"]),), ((str(i % 7) for i in range(100_000)),)]
    if name == "grade_response":
        return [(t, n, "sw", True) for t in texts for n in numbers[:20]]
    if name == "reward_func":
        return [(t, "Swali?", '{"lang": "sw", "pivot_answers": ["5", "5"]}') for t in texts] + [(n, n, n) for n in numbers]
    if name == "parse_label":
        return [(t,) for t in texts] + [({"lang": "sw", "gold": n, "pivot_answers": [n]},) for n in numbers]
    if name == "detect_language":
        return [(t,) for t in texts]
    return []


def run_entry_point(name, count, draw, call, check, corpus) -> Row:
    row = Row(name, 0)
    call = call or (lambda *args: None)

    def one(args):
        row.calls += 1
        try:
            _, ms = _timed(lambda: call(*args))
            problem = check(*args) if check else None
        except Exception as error:  # noqa: BLE001 - counting every failure is the point
            row.exceptions += 1
            if len(row.examples) < EXAMPLES_SHOWN:
                row.examples.append(f"raises {type(error).__name__}: {str(error)[:80]} on {_short(args)}")
            return
        if problem:
            row.violations += 1
            if len(row.examples) < EXAMPLES_SHOWN:
                row.examples.append(f"{problem} on {_short(args)}")
        if ms > BOUND_MS / 5:  # retime a slow call: the fastest of three is the function's own time
            ms = min([ms] + [_timed(lambda: call(*args))[1] for _ in range(2)])
        if ms > row.slowest_ms:
            row.slowest_ms, row.slowest_input = ms, _short(args)
        if ms > BOUND_MS:
            row.slow += 1
            if len(row.examples) < EXAMPLES_SHOWN:
                row.examples.append(f"{ms:.0f} ms on {_short(args)}")

    for args in corpus:
        one(args)
    for _ in range(count):
        one(draw())
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every entry point's input count")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", action="append", help="run only these entry points")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    logging.disable(logging.WARNING)  # the reward logs one warning per bad sample: thousands here
    detect_language("Janet's ducks lay sixteen eggs per day.")  # load the model before timing
    rows = []
    started = time.perf_counter()
    for name, count, draw, call, check in entry_points(rng):
        if args.only and name not in args.only:
            continue
        row = run_entry_point(name, int(count * args.scale), draw, call, check, corpus_calls(name))
        rows.append(row)
        print(f"{name}: {row.calls} inputs, {row.exceptions} exceptions, {row.violations} broken invariants, "
              f"{row.slow} over {BOUND_MS:.0f} ms, slowest {row.slowest_ms:.1f} ms on {row.slowest_input}", file=sys.stderr, flush=True)
        for example in row.examples:
            print(f"    {example}", file=sys.stderr)
    print(f"\nseed {args.seed}, {sum(r.calls for r in rows):,} inputs in {time.perf_counter() - started:.0f} s\n")
    print("| entry point | inputs tried | exceptions | broken invariants | over 50 ms | slowest call (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row.name} | {row.calls:,} | {row.exceptions} | {row.violations} | {row.slow} | {row.slowest_ms:.1f} |")
    return 1 if any(row.exceptions or row.violations or row.slow for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
