"""How real multilingual math text writes a lone separator before three digits ("5.000", "5,000").

PolyMath (../shared/data/polymath, 18 languages x 500 questions, row-aligned) is real translated
text. For every number with exactly one "." or "," followed by exactly three digits, the English
question of the same row tells which reading is true: its numbers contain either the grouped value
(5000) or the decimal one (5.0). Tokens are counted in prose and inside LaTeX math apart.

Then each candidate rule is scored on those tokens, and on the model-style responses of
``tests/test_answers_more_languages.py`` (extraction accuracy):

  * own-decimal: a language's own decimal separator is decimal, the other one groups (the rule
    the MGSM languages used: German "1,430" is 1.43);
  * table: ``Language.three_digit_groups`` as shipped (id, it, pt, vi read both as grouping);
  * english: "," groups and "." is decimal in every language.

The responses were written to the chosen rule, so their column guards against regressions;
the PolyMath tokens decide. Run from the repo root:  python bench/number_formats_bench.py
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "tests"))
from pasmr_plugin.answers import extract_answer  # noqa: E402
from pasmr_plugin.language_packs import LanguagePack  # noqa: E402
from pasmr_plugin.languages import POLYMATH_LANGUAGES, SHIPPED_LANGUAGES, use_language_pack  # noqa: E402

DATA_DIR = REPO_ROOT.parent / "shared" / "data" / "polymath"
LEVELS = ("low", "medium", "high", "top")
AMBIGUOUS = re.compile(r"(?<![\d.,])(\d{1,3})([.,])(\d{3})(?![\d]|[.,]\d)")
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def rows(lang: str, level: str) -> dict[str, str]:
    with open(DATA_DIR / lang / f"{level}.jsonl", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    return {record["id"].rsplit("-", 1)[1]: record["question"] for record in records}


def english_values(text: str) -> set[float]:
    return {float(match.group().replace(",", "")) for match in NUMBER.finditer(text)}


def _math_spans(text: str) -> list[tuple[int, int]]:
    """Where LaTeX math is, as language identification sees it (a "$" span holding prose is money, not math)."""
    from pasmr_plugin.langid import _MATH, _keep_prose

    return [match.span() for match in _MATH.finditer(text) if _keep_prose(match) == " "]


def polymath_tokens() -> list[tuple[str, str, str, str, str]]:
    """(lang, where, separator, truth, example) for every ambiguous token; truth is grouping/decimal/unknown.

    A token with a leading "0" ("0.125") is not ambiguous: every rule reads it as decimal.
    """
    found = []
    for level in LEVELS:
        english = rows("en", level)
        for lang in POLYMATH_LANGUAGES:
            if lang == "en":
                continue
            for index, question in rows(lang, level).items():
                truth_values = english_values(english[index])
                spans = _math_spans(question)
                for match in AMBIGUOUS.finditer(question):
                    head, separator, tail = match.groups()
                    if head.startswith("0"):
                        continue
                    where = "math" if any(start <= match.start() < end for start, end in spans) else "prose"
                    grouped, decimal = float(head + tail) in truth_values, float(f"{head}.{tail}") in truth_values
                    truth = "grouping" if grouped and not decimal else "decimal" if decimal and not grouped else "unknown"
                    example = f"{level}-{lang}-{index}: {question[max(0, match.start() - 12) : match.end() + 8]!r}"
                    found.append((lang, where, separator, truth, example))
    return found


RULES = {
    "own-decimal": lambda lang: dataclasses.replace(lang, three_digit_groups="," if lang.decimal_separator == "." else "."),
    "table": lambda lang: lang,
    "english": lambda lang: dataclasses.replace(lang, three_digit_groups=","),
}


def rule_reading(language, separator: str) -> str:
    return "grouping" if separator in language.grouping_before_three_digits else "decimal"


def main() -> None:
    if not DATA_DIR.is_dir():
        sys.exit(f"PolyMath data not found at {DATA_DIR} (expected <repo>/../shared/data/polymath)")
    tokens = polymath_tokens()
    print("Ambiguous tokens in PolyMath questions (one separator before exactly three digits), "
          "true reading from the English row:\n")
    print("| lang | where | sep | grouping | decimal | unknown | example |")
    print("|---|---|---|---|---|---|---|")
    counts = Counter((lang, where, sep, truth) for lang, where, sep, truth, _ in tokens)
    examples = {}
    for lang, where, sep, truth, example in tokens:
        examples.setdefault((lang, where, sep), example)
    for lang, where, sep in sorted({key[:3] for key in counts}):
        c = [counts[(lang, where, sep, truth)] for truth in ("grouping", "decimal", "unknown")]
        print(f"| {lang} | {where} | {sep} | {c[0]} | {c[1]} | {c[2]} | {examples[(lang, where, sep)]} |")

    from test_answers_more_languages import TABLES

    print("\nRules scored: PolyMath tokens read right (prose | math, known truth only), "
          "and responses of tests/test_answers_more_languages.py extracted right:\n")
    langs = sorted(TABLES)
    print("| rule | " + " | ".join(langs) + " | all |")
    print("|---" * (len(langs) + 2) + "|")
    for name, rule in RULES.items():
        cells, total = [], Counter()
        use_language_pack(LanguagePack("bench", {}, tuple(rule(SHIPPED_LANGUAGES[code]) for code in SHIPPED_LANGUAGES)))
        for lang in langs:
            language = SHIPPED_LANGUAGES[lang]
            known = [(where, sep, truth) for l, where, sep, truth, _ in tokens if l == lang and truth != "unknown"]
            right = {where: sum(rule_reading(rule(language), sep) == truth for w, sep, truth in known if w == where)
                     for where in ("prose", "math")}
            seen = {where: sum(1 for w, _, _ in known if w == where) for where in ("prose", "math")}
            responses = TABLES[lang]
            extracted = sum(extract_answer(case.text, lang) == case.expected for case in responses)
            for key, value in (("prose", right["prose"]), ("prose_n", seen["prose"]), ("math", right["math"]),
                               ("math_n", seen["math"]), ("resp", extracted), ("resp_n", len(responses))):
                total[key] += value
            cells.append(f"{right['prose']}/{seen['prose']} \\| {right['math']}/{seen['math']} \\| "
                         f"{extracted}/{len(responses)}")
        use_language_pack(None)
        print(f"| {name} | " + " | ".join(cells) + f" | {total['prose']}/{total['prose_n']} \\| "
              f"{total['math']}/{total['math_n']} \\| {total['resp']}/{total['resp_n']} |")


if __name__ == "__main__":
    main()
