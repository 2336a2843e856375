"""Record readers (with file:line errors), atomic writers and the progress bar."""

import json

import pytest

from pasmr_plugin.openrlhf.records import RecordError, progress, read_records, write_jsonl, write_text

ROWS = [
    {"question": "Mayai mangapi yamebaki?", "lang": "sw", "answer": "13"},
    {"question": "কতগুলি কলম রইল?", "lang": "bn", "answer": "১৪"},
]


def _write_parquet(path, rows):
    pyarrow = pytest.importorskip("pyarrow")
    import pyarrow.parquet as parquet

    parquet.write_table(pyarrow.Table.from_pylist(rows), path)


WRITERS = {
    "rows.jsonl": lambda path, rows: path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)),
    "rows.json": lambda path, rows: path.write_text(json.dumps(rows, ensure_ascii=False, indent=2)),
    "lines.json": lambda path, rows: path.write_text("\n".join(json.dumps(r) for r in rows)),  # MSVAMP's layout
    "rows.csv": lambda path, rows: path.write_text(
        "question,lang,answer\n" + "".join(f"{r['question']},{r['lang']},{r['answer']}\n" for r in rows)
    ),
    "rows.tsv": lambda path, rows: path.write_text(
        "question\tlang\tanswer\n" + "".join(f"{r['question']}\t{r['lang']}\t{r['answer']}\n" for r in rows)
    ),
    "rows.parquet": _write_parquet,
}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_every_format_reads_the_same_records(tmp_path, name):
    path = tmp_path / name
    WRITERS[name](path, ROWS)
    assert [record.data for record in read_records(path)] == ROWS


@pytest.mark.parametrize(
    "name,expected",
    [
        ("rows.jsonl", ["rows.jsonl:1", "rows.jsonl:2"]),
        ("rows.json", ["rows.json:2", "rows.json:7"]),  # the line each array element starts on
        ("rows.csv", ["rows.csv:2", "rows.csv:3"]),  # line 1 is the header
        ("rows.parquet", ["rows.parquet: row 1", "rows.parquet: row 2"]),
    ],
)
def test_each_record_says_where_it_came_from(tmp_path, name, expected):
    path = tmp_path / name
    WRITERS[name](path, ROWS)
    assert [record.where for record in read_records(path)] == [str(tmp_path / place) for place in expected]


@pytest.mark.parametrize(
    "name,content,location",
    [
        ("bad.jsonl", '{"a": 1}\n\n{"a": 2,}\n', "bad.jsonl:3"),  # blank lines count
        ("bad.jsonl", '{"a": 1}\n[1, 2]\n', "bad.jsonl:2"),  # not an object
        ("bad.json", '[\n  {"a": 1},\n  {"a": }\n]', "bad.json:3"),
        ("bad.json", '[\n  {"a": 1},\n  "text"\n]', "bad.json:3"),
        ("bad.json", '[\n  {"a": 1},\n', "bad.json:3"),  # never closed
        ("bad.csv", "a,b\n1,2\n3,4,5\n", "bad.csv:3"),  # more cells than columns
    ],
)
def test_a_bad_record_is_reported_with_file_and_line(tmp_path, name, content, location):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(RecordError, match=f"^{tmp_path / location}:? "):
        list(read_records(path))


def test_an_unknown_format_and_a_missing_file_are_clear_errors(tmp_path):
    (tmp_path / "rows.xml").write_text("<rows/>")
    with pytest.raises(RecordError, match="unknown format"):
        read_records(tmp_path / "rows.xml")
    with pytest.raises(FileNotFoundError, match="missing.jsonl"):
        read_records(tmp_path / "missing.jsonl")


def test_fmt_overrides_the_file_ending(tmp_path):
    path = tmp_path / "rows.txt"
    WRITERS["rows.jsonl"](path, ROWS)
    assert len(list(read_records(path, fmt="jsonl"))) == 2


def test_write_jsonl_writes_utf8_lines_and_counts_them(tmp_path):
    path = tmp_path / "out" / "rows.jsonl"
    assert write_jsonl(path, iter(ROWS)) == 2
    assert path.read_text(encoding="utf-8").splitlines()[1] == json.dumps(ROWS[1], ensure_ascii=False)


@pytest.mark.parametrize("error", [ValueError("bad record"), KeyboardInterrupt()])
def test_an_interrupted_write_leaves_the_old_output_and_no_temporary_file(tmp_path, error):
    path = tmp_path / "rows.jsonl"
    path.write_text("old\n")

    def rows():
        yield ROWS[0]
        raise error

    with pytest.raises(type(error)):
        write_jsonl(path, rows())
    assert path.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.jsonl"]


def test_an_interrupted_first_write_leaves_no_output(tmp_path):
    def rows():
        raise RecordError("x.jsonl:1: bad")
        yield

    with pytest.raises(RecordError):
        write_jsonl(tmp_path / "rows.jsonl", rows())
    assert list(tmp_path.iterdir()) == []


def test_written_files_get_the_usual_permissions(tmp_path):
    path = write_text(tmp_path / "agent.py", "x = 1\n")
    assert path.stat().st_mode & 0o644 == 0o644


def test_progress_yields_every_item():
    assert list(progress(iter(range(5)), desc="items", total=5)) == [0, 1, 2, 3, 4]
