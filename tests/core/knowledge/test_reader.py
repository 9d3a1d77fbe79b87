"""The editor reads a knowledge base's DuckDB file read-only: tables with row
counts, pages of rows, and one clear sentence for a file it cannot read."""

from __future__ import annotations

import duckdb
import pytest

from core.knowledge.reader import KnowledgeFileError, list_tables, read_rows


@pytest.fixture
def kb_file(tmp_path):
    path = tmp_path / "notes.db"
    connection = duckdb.connect(str(path))
    connection.execute(
        "CREATE TABLE Document (id VARCHAR PRIMARY KEY, text VARCHAR, embedding FLOAT[3])"
    )
    connection.executemany(
        "INSERT INTO Document VALUES (?, ?, ?)",
        [(f"d{i}", f"note number {i}", [float(i), 0.0, 1.0]) for i in range(7)],
    )
    connection.execute("CREATE TABLE Person (name VARCHAR PRIMARY KEY, age INTEGER)")
    connection.execute("INSERT INTO Person VALUES ('Ada', 36)")
    connection.close()
    return path


def test_tables_come_with_their_row_counts_and_columns(kb_file):
    tables = list_tables(kb_file)
    assert [(t.name, t.rows) for t in tables] == [("Document", 7), ("Person", 1)]
    document = tables[0]
    assert [(c.name, c.type) for c in document.columns] == [
        ("id", "VARCHAR"),
        ("text", "VARCHAR"),
        ("embedding", "FLOAT[3]"),
    ]
    assert document.has_embeddings and not tables[1].has_embeddings


def test_rows_are_read_a_page_at_a_time_with_vectors_shown_by_size(kb_file):
    names, rows = read_rows(kb_file, "Document", limit=3, offset=2)
    assert names == ["id", "text", "embedding"]
    assert rows == [
        ("d2", "note number 2", "[3 numbers]"),
        ("d3", "note number 3", "[3 numbers]"),
        ("d4", "note number 4", "[3 numbers]"),
    ]
    with pytest.raises(
        KnowledgeFileError, match="has no table 'Nope'; its tables are Document, Person"
    ):
        read_rows(kb_file, "Nope")


def test_reading_never_changes_the_file(kb_file):
    before = kb_file.read_bytes()
    list_tables(kb_file)
    read_rows(kb_file, "Person")
    assert kb_file.read_bytes() == before
    assert not (kb_file.parent / "notes.db.wal").exists()


def test_a_missing_file_says_a_program_creates_it(tmp_path):
    with pytest.raises(KnowledgeFileError, match="does not exist yet: a program that updates"):
        list_tables(tmp_path / "absent.db")


def test_a_file_that_is_not_duckdb_says_to_choose_another(tmp_path):
    path = tmp_path / "fake.db"
    path.write_text("not a database")
    with pytest.raises(KnowledgeFileError) as raised:
        list_tables(path)
    message = str(raised.value)
    assert str(path) in message and "choose another file" in message
    assert "Traceback" not in message


def test_a_file_another_process_writes_says_who_to_close(kb_file, tmp_path):
    import subprocess
    import sys
    import textwrap

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import duckdb, sys, time
                connection = duckdb.connect({str(kb_file)!r})
                print("holding", flush=True)
                sys.stdin.readline()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(KnowledgeFileError) as raised:
            list_tables(kb_file)
        assert "another process has this DuckDB file open for writing" in str(raised.value)
    finally:
        holder.communicate("done\n", timeout=30)
