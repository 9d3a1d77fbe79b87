"""Reading dataset files row by row, with one message per bad file or row."""

from __future__ import annotations

import json

import pytest

from core.datasets import DatasetError, open_dataset


def _values(data):
    return [(r.index, r.values, r.problem) for r in data.rows()]


def test_csv_rows_columns_and_count(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text('query,answer\n"Why, then?",yes\nplain,"two\nlines"\n', encoding="utf-8")
    data = open_dataset(path)
    assert data.columns == ["query", "answer"]
    rows = list(data.rows())
    assert [r.values for r in rows] == [
        {"query": "Why, then?", "answer": "yes"},
        {"query": "plain", "answer": "two\nlines"},
    ]
    assert [r.line for r in rows] == [2, 3]
    assert data.count() >= 2


def test_ragged_csv_row_is_a_row_problem_and_others_survive(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("query,answer\na,1\nb,2,extra\nc\nd,4\n", encoding="utf-8")
    rows = _values(open_dataset(path))
    assert rows[0] == (0, {"query": "a", "answer": "1"}, None)
    assert rows[1][1] is None and "3 fields where the header has 2" in rows[1][2]
    assert rows[2][1] is None and "1 fields where the header has 2" in rows[2][2]
    assert rows[3] == (3, {"query": "d", "answer": "4"}, None)


def test_bad_utf8_line_costs_only_its_row(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(b"query\nfine\nbad \xff byte\nalso fine\n")
    rows = list(open_dataset(path).rows())
    assert [r.values for r in rows] == [{"query": "fine"}, None, {"query": "also fine"}]
    assert "line 3 is not valid UTF-8 (byte 0xff" in rows[1].problem


def test_utf16_file_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes("query\nhello\n".encode("utf-16"))
    with pytest.raises(DatasetError, match="UTF-16 text; save it as UTF-8"):
        open_dataset(path)


def test_duplicate_csv_header(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("query,query\na,b\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="repeated column names"):
        open_dataset(path)


def test_json_must_be_a_list_of_objects(tmp_path):
    path = tmp_path / "d.json"
    path.write_text('{"query": "x"}', encoding="utf-8")
    with pytest.raises(DatasetError, match="is an object, not a list of objects"):
        open_dataset(path)
    path.write_text('[{"query": "a"}, 3, ["x"], {"query": "b", "n": 1.5}]', encoding="utf-8")
    data = open_dataset(path)
    assert data.columns == ["query"]
    rows = _values(data)
    assert rows[0] == (0, {"query": "a"}, None)
    assert rows[1][2] == "a JSON number where an object is expected"
    assert rows[2][2] == "a JSON list where an object is expected"
    assert rows[3] == (3, {"query": "b", "n": 1.5}, None)
    assert data.count() is None


def test_truncated_json_names_the_row_reached(tmp_path):
    path = tmp_path / "d.json"
    path.write_text('[{"query": "a"}, {"query": "b"}, {"que', encoding="utf-8")
    data = open_dataset(path)
    seen = []
    with pytest.raises(DatasetError, match="breaks after row 2"):
        for row in data.rows():
            seen.append(row.values)
    assert seen == [{"query": "a"}, {"query": "b"}]


def test_jsonl_rows_and_bad_lines(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"query": "a"}\n\nnot json\n[1]\n{"query": "b"}\n', encoding="utf-8")
    data = open_dataset(path)
    rows = list(data.rows())
    assert [r.values for r in rows] == [{"query": "a"}, None, None, {"query": "b"}]
    assert rows[1].line == 3 and rows[1].problem.startswith("not valid JSON")
    assert rows[2].problem == "a JSON list where an object is expected"


def test_parquet_rows_in_batches(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "d.parquet"
    table = pa.table({"query": [f"q{i}" for i in range(3000)], "n": list(range(3000))})
    pq.write_table(table, path, row_group_size=700)
    data = open_dataset(path)
    assert data.columns == ["query", "n"]
    assert data.count() == 3000
    rows = list(data.rows())
    assert len(rows) == 3000 and rows[2999].values == {"query": "q2999", "n": 2999}


def test_damaged_parquet_and_unknown_format(tmp_path):
    path = tmp_path / "d.parquet"
    path.write_bytes(b"PAR1 not really")
    with pytest.raises(DatasetError, match="not a readable Parquet file"):
        open_dataset(path)
    with pytest.raises(DatasetError, match="unknown dataset format '.xlsx'"):
        open_dataset(tmp_path / "d.xlsx")
    with pytest.raises(DatasetError, match="no such file"):
        open_dataset(tmp_path / "missing.csv")


def test_large_jsonl_is_read_lazily(tmp_path):
    """Reading the first rows of a big file touches only its beginning."""
    import tracemalloc

    path = tmp_path / "big.jsonl"
    line = json.dumps({"query": "x" * 1000}) + "\n"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(40_000):  # about 40 MB
            handle.write(line)
    tracemalloc.start()
    rows = open_dataset(path).rows()
    first = [next(rows) for _ in range(10)]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(first) == 10
    assert peak < 2_000_000
