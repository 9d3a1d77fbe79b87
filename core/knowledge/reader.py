"""Reading a knowledge base's DuckDB file in the editor's process, read-only.

Reading a data file runs none of the user's code, so the Knowledge panel
opens the file here with the ``duckdb`` package: its tables with their row
counts and columns, and pages of rows. Every call opens the file read-only
and closes it again, so the Synalinks worker (which writes the file during a
run) is never kept out for longer than one read. Searches are Synalinks'
own, in the worker (:mod:`core.knowledge.search`). Errors are one
:class:`KnowledgeFileError` sentence saying what to do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.knowledge.errors import knowledge_hint

EMBEDDING_COLUMN = "embedding"
"""Where Synalinks keeps each row's vector (``vss_key``)."""
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class KnowledgeFileError(Exception):
    """The file cannot be read (missing, not DuckDB, locked...): ``str()`` says what to do."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str


@dataclass(frozen=True)
class Table:
    name: str
    rows: int
    columns: tuple[Column, ...]

    @property
    def has_embeddings(self) -> bool:
        return any(c.name == EMBEDDING_COLUMN for c in self.columns)


@contextmanager
def open_read_only(path: str | Path) -> Iterator[Any]:
    """A read-only DuckDB connection to ``path``, closed on leaving."""
    import duckdb

    path = Path(path)
    if not path.is_file():
        raise KnowledgeFileError(
            f"{path} does not exist yet: a program that updates the knowledge base creates it "
            "(or choose another file in Graph settings → Knowledge bases)"
        )
    try:
        connection = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise KnowledgeFileError(knowledge_hint(f"cannot open {path}: {exc}")) from None
    try:
        connection.execute("SET enable_external_access=false")  # reads this file only
        yield connection
    except duckdb.Error as exc:
        raise KnowledgeFileError(knowledge_hint(f"cannot read {path}: {exc}")) from None
    finally:
        connection.close()


def list_tables(path: str | Path) -> list[Table]:
    """The user tables of the file (DuckDB's own full-text index tables left out)."""
    with open_read_only(path) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
            ).fetchall()
        ]
        tables = []
        for name in names:
            columns = tuple(
                Column(row[0], str(row[1]))
                for row in connection.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                    [name],
                ).fetchall()
            )
            count = connection.execute(f"SELECT COUNT(*) FROM {_quoted(name)}").fetchone()[0]
            tables.append(Table(name, int(count), columns))
        return tables


def read_rows(
    path: str | Path, table: str, limit: int = 100, offset: int = 0
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and up to ``limit`` rows of ``table`` from ``offset`` (in the
    table's order). A vector is shown as its size, not its hundreds of numbers."""
    with open_read_only(path) as connection:
        known = {
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        }
        if table not in known:
            raise KnowledgeFileError(
                f"{path} has no table {table!r}; its tables are {', '.join(sorted(known)) or 'none'}"
            )
        cursor = connection.execute(
            f"SELECT * FROM {_quoted(table)} LIMIT ? OFFSET ?", [int(limit), int(offset)]
        )
        names = [d[0] for d in cursor.description]
        rows = [
            tuple(_shown(names[i], value) for i, value in enumerate(row))
            for row in cursor.fetchall()
        ]
        return names, rows


def _shown(column: str, value: Any) -> Any:
    if column == EMBEDDING_COLUMN and isinstance(value, (list, tuple)):
        return f"[{len(value)} numbers]"
    return value


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
