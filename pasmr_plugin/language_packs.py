"""Language packs: add or replace table languages without touching the package.

A pack is a YAML or JSON file with a ``languages`` list; each entry has the fields of
:class:`~pasmr_plugin.languages.Language` (lists for tuples, a mapping for ``multipliers``).
Give it with ``--language-pack FILE`` to any ``pasmr`` or ``pasmr-eval`` command, or with the
environment variable ``PASMR_LANGUAGE_PACK`` (the option wins). An entry whose code the package
ships replaces that entry whole; pack languages join no shipped benchmark group. See
``docs/languages.md`` and the complete example ``examples/language_packs/hindi.yaml``.

>>> pack = parse_language_pack({"languages": [{
...     "code": "xx", "english_name": "Example", "native_name": "Example", "script": "Latn",
...     "number_word": "number", "answer_sentences": ["the answer is"], "answer_template": "The answer is {}.",
...     "question_label": "Question:", "step_answer_label": "Step-by-Step Answer:",
...     "cot_instruction": "Solve it and finish with \\"{answer}\\"", "english_word": "English",
...     "pam_instruction": "Translate into {pivot} between {open} and {close}, then finish with \\"{answer}\\"",
...     "langid_code": "en"}]}, source="example.yaml")
>>> pack.languages[0].decimal_separator, pack.codes
('.', ('xx',))
>>> parse_language_pack({"languages": [{"code": "xx"}]}, source="bad.yaml")
Traceback (most recent call last):
...
pasmr_plugin.language_packs.LanguagePackError: bad.yaml: languages[0] (xx): missing field 'english_name'
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from .languages import (
    NBSP,
    NNBSP,
    SHIPPED_LANGUAGES,
    THIN_SPACE,
    Language,
    known_script,
    script_parts,
)

__all__ = [
    "LanguagePack",
    "LanguagePackError",
    "language_problems",
    "load_language_pack",
    "parse_language_pack",
    "use_embedded_language_pack",
]

MAX_PACK_BYTES = 1_000_000
"""A pack is a few kilobytes; anything past 1 MB is not one (and is not read into memory)."""

CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")
"""ISO 639 codes ("hi", "yo", "fil"), optionally with a subtag ("zh-Hant")."""

REQUIRED = (
    "code", "english_name", "native_name", "script", "number_word", "answer_sentences", "answer_template",
    "question_label", "step_answer_label", "cot_instruction", "english_word", "pam_instruction",
)
_TUPLE_FIELDS = {"group_separators", "answer_sentences", "answer_labels", "answer_words", "currency_signs",
                 "not_multipliers", "counts_as"}
_STRING_FIELDS = {"code", "number_word", "english_name", "native_name", "script", "native_digits",
                  "decimal_separator", "answer_template", "question_label", "step_answer_label", "cot_instruction",
                  "english_word", "pam_instruction", "decimal_marks", "three_digit_groups", "sentence_ends",
                  "langid_code"}
FIELDS = tuple(f.name for f in fields(Language))


class LanguagePackError(ValueError):
    """A language pack that cannot be used; the message is one line naming the file and the field."""


@dataclass(frozen=True)
class LanguagePack:
    """A parsed pack: where it came from, its JSON-able content (embedded in generated files) and its entries."""

    source: str
    content: Mapping
    languages: tuple[Language, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(language.code for language in self.languages)

    def to_json(self) -> str:
        """The pack's content as one JSON string (what generated agent and reward files embed)."""
        return json.dumps(self.content, ensure_ascii=False, sort_keys=True)


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def load_language_pack(path: str | Path) -> LanguagePack:
    """Read and check a pack file (YAML or JSON); raises :class:`LanguagePackError`."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_PACK_BYTES + 1)
    except OSError as error:
        raise LanguagePackError(f"{source}: cannot read the language pack: {_one_line(error.strerror or error)}") from None
    if len(raw) > MAX_PACK_BYTES:
        raise LanguagePackError(f"{source}: larger than {MAX_PACK_BYTES} bytes; not a language pack")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LanguagePackError(f"{source}: not UTF-8 text") from None
    return parse_language_pack(_parse_text(text, source), source=source)


def _parse_text(text: str, source: str) -> object:
    if source.endswith(".json"):
        try:
            return json.loads(text)
        except ValueError as error:
            raise LanguagePackError(f"{source}: not valid JSON: {_one_line(error)}") from None
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML is a dependency
        raise LanguagePackError(f"{source}: reading YAML needs PyYAML (or write the pack as .json)") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(error, "problem", None) or error
        raise LanguagePackError(f"{source}: not valid YAML{where}: {_one_line(problem)}") from None


def parse_language_pack(content: object, *, source: str = "<language pack>") -> LanguagePack:
    """Check a pack's content (the mapping a YAML or JSON file holds) and build its entries."""
    if not isinstance(content, Mapping) or set(content) - {"languages", "description"}:
        extra = sorted(map(str, set(content) - {"languages", "description"})) if isinstance(content, Mapping) else []
        what = f"unknown top-level key {extra[0]!r}" if extra else "must be a mapping with a 'languages' list"
        raise LanguagePackError(f"{source}: {what}")
    if not isinstance(content.get("description", ""), str):
        raise LanguagePackError(f"{source}: description: must be a string")
    entries = content.get("languages")
    if not isinstance(entries, list) or not entries:
        raise LanguagePackError(f"{source}: languages: must be a non-empty list of language entries")
    languages, seen = [], set()
    for index, entry in enumerate(entries):
        language = _language(entry, f"{source}: languages[{index}]")
        if language.code in seen:
            raise LanguagePackError(f"{source}: languages[{index}].code: {language.code!r} appears twice in the pack")
        seen.add(language.code)
        languages.append(language)
    table = {**SHIPPED_LANGUAGES, **{language.code: language for language in languages}}
    for index, language in enumerate(languages):
        where = f"{source}: languages[{index}] ({language.code})"
        for field, problem in language_problems(language, table):
            raise LanguagePackError(f"{where}.{field}: {problem}")
        problem = identification_problem(language, table)
        if problem:
            raise LanguagePackError(f"{where}.langid_code: {problem}")
    try:  # the content is embedded in generated files as JSON
        plain = json.loads(json.dumps(content, ensure_ascii=False))
    except (TypeError, ValueError) as error:
        raise LanguagePackError(f"{source}: holds a value JSON cannot represent: {_one_line(error)}") from None
    return LanguagePack(source=source, content=plain, languages=tuple(languages))


def _language(entry: object, where: str) -> Language:
    if not isinstance(entry, Mapping):
        raise LanguagePackError(f"{where}: must be a mapping of field names to values")
    code = entry.get("code")
    if isinstance(code, str):
        where = f"{where} ({code})"
    for name in entry:
        if name not in FIELDS:
            raise LanguagePackError(f"{where}: unknown field {name!r} (fields: {', '.join(FIELDS)})")
    for name in REQUIRED:
        if name not in entry:
            raise LanguagePackError(f"{where}: missing field {name!r}")
    values = {}
    for name, value in entry.items():
        try:
            values[name] = _value(name, value)
        except (TypeError, ValueError) as error:
            raise LanguagePackError(f"{where}.{name}: {error}") from None
    decimal = values.setdefault("decimal_separator", ".")
    if decimal not in (".", ","):
        raise LanguagePackError(f"{where}.decimal_separator: must be \".\" or \",\", not {decimal!r}")
    default_groups = (",", NBSP, NNBSP, THIN_SPACE) if decimal == "." else (".", " ", NBSP, NNBSP, THIN_SPACE)
    values.setdefault("group_separators", default_groups)
    for name in ("native_digits", "decimal_marks", "three_digit_groups", "sentence_ends", "langid_code"):
        values.setdefault(name, "")
    for name in ("answer_labels", "answer_words", "currency_signs", "not_multipliers", "counts_as", "multipliers"):
        values.setdefault(name, ())
    values.setdefault("low_resource", False)
    return Language(**values)


def _value(name: str, value: object):
    if name == "low_resource":
        if not isinstance(value, bool):
            raise TypeError("must be true or false")
        return value
    if name == "multipliers":
        if not isinstance(value, Mapping):
            raise TypeError("must be a mapping of words to numbers, e.g. {लाख: 100000}")
        pairs = []
        for word, number in value.items():
            if not isinstance(word, str) or not word.strip() or isinstance(number, bool) or not isinstance(number, int):
                raise TypeError(f"{word!r}: must map a word to a whole number")
            pairs.append((word, number))
        return tuple(pairs)
    if name in _TUPLE_FIELDS:
        if isinstance(value, str) or not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise TypeError("must be a list of strings")
        return tuple(value)
    if name in _STRING_FIELDS:
        if not isinstance(value, str):
            raise TypeError(f"must be a string, not {type(value).__name__}")
        return value
    raise TypeError("unknown field")  # pragma: no cover - FIELDS checked first


def _formats(template: str, **values: str) -> bool:
    try:
        template.format(**values)
    except (KeyError, IndexError, ValueError):
        return False
    return True


def language_problems(language: Language, table: Mapping[str, Language]) -> list[tuple[str, str]]:
    """What is wrong with an entry, as (field, problem) pairs; [] for a usable one.

    The shipped entries pass the same checks (``tests/test_languages.py``).
    """
    problems = []

    def need(ok: bool, field: str, problem: str) -> None:
        if not ok:
            problems.append((field, problem))

    need(bool(CODE.fullmatch(language.code)), "code", f"{language.code!r} is not an ISO 639 code such as 'hi' or 'yo'")
    for name in ("number_word", "english_name", "native_name", "question_label", "step_answer_label", "english_word"):
        need(bool(getattr(language, name).strip()), name, "must not be empty")
    need(known_script(language.script), "script",
         f"unknown script {language.script!r}; known: {', '.join(_known_scripts())}")
    digits = language.native_digits
    need(digits == "" or (len(digits) == 10 and all(unicodedata.decimal(c, -1) == i for i, c in enumerate(digits))),
         "native_digits", "must be empty or the ten digits 0-9 of the script, in order")
    need(all(len(sep) == 1 and not sep.isalnum() and sep not in "\n\r\t\v\f" for sep in language.group_separators),
         "group_separators", "must be single characters that are not letters, digits or line breaks")
    need(language.decimal_separator not in language.group_separators, "group_separators",
         f"must not contain the decimal separator {language.decimal_separator!r}")
    need(all(not c.isalnum() and c not in language.group_separators for c in language.decimal_marks), "decimal_marks",
         "must be characters that are not letters, digits or group separators")
    need(set(language.three_digit_groups) <= {".", ","}, "three_digit_groups", "may only hold \".\" and \",\"")
    phrases = language.answer_sentences + language.answer_labels + language.answer_words
    need(bool(language.answer_sentences), "answer_sentences", "must list at least one phrase")
    need(all(phrase.strip() for phrase in phrases), "answer_sentences", "phrases must not be empty")
    need(language.answer_template.count("{}") == 1 and _formats(language.answer_template.replace("{}", "")),
         "answer_template", "must contain {} exactly once and no other braces")
    need("{answer}" in language.cot_instruction and _formats(language.cot_instruction, answer=""),
         "cot_instruction", "must contain {answer} and no other placeholder")
    placeholders = ("{pivot}", "{open}", "{close}", "{answer}")
    need(all(p in language.pam_instruction for p in placeholders)
         and _formats(language.pam_instruction, pivot="", open="", close="", answer=""),
         "pam_instruction", "must contain {pivot}, {open}, {close} and {answer} and no other placeholder")
    need(all(sign.strip() and not any(c.isdigit() for c in sign) for sign in language.currency_signs),
         "currency_signs", "must be non-empty signs without digits")
    need(all(word.strip() == word and word and not any(c.isdigit() or c.isspace() for c in word) and value >= 10
             for word, value in language.multipliers),
         "multipliers", "words must be single words without digits, and values 10 or more")
    need(all(not c.isalnum() and not c.isspace() for c in language.sentence_ends), "sentence_ends",
         "must be punctuation characters")
    unknown = [code for code in language.counts_as if code not in table or code == language.code]
    need(not unknown, "counts_as", f"unknown or own code(s): {', '.join(unknown)}")
    return problems


def _known_scripts() -> list[str]:
    from .languages import SCRIPT_LETTERS, WRITING_SYSTEMS

    return sorted(set(SCRIPT_LETTERS) | set(WRITING_SYSTEMS))


def identification_problem(language: Language, table: Mapping[str, Language]) -> str | None:
    """Why ``language`` could not be told apart from the table's languages of its script, or None.

    When another table language shares a script with it, py3langid decides, so it must know the
    language (``langid_code``).
    """
    shared = sorted(code for code, other in table.items()
                    if code != language.code and set(other.scripts) & set(script_parts(language.script)))
    if not shared:
        return None
    from .langid import identifiable_codes

    if language.identifier_code in identifiable_codes():
        return None
    return (f"{language.identifier_code!r} is unknown to py3langid, which tells {language.script} languages "
            f"({', '.join(shared)}) apart; set langid_code to a code it knows")


def use_embedded_language_pack(content: object, source: str) -> None:
    """Use the pack a generated agent or reward file embeds (``content`` None: the shipped table plus
    ``PASMR_LANGUAGE_PACK``, as for files written without a pack)."""
    from .languages import use_language_pack

    if content is not None:
        use_language_pack(parse_language_pack(content, source=source))
