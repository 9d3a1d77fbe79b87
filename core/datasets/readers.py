"""Reading CSV, JSON, JSONL and Parquet files one row at a time.

Every reader streams: a 2 GB file costs the rows in flight, never the file.
Rows come out as :class:`RawRow` (a dict of column -> value, or the reason
the row cannot be read); a problem with one row never stops the others, and
a problem with the file (not found, not UTF-8 at all, JSON that is not a
list of objects, a damaged Parquet file) is a :class:`DatasetError` naming
the file and what to do.

CSV and JSONL are decoded line by line, so a stray byte that is not UTF-8
costs only its own row. JSON arrays are parsed incrementally with ``ijson``,
Parquet in record batches with ``pyarrow``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.datasets.errors import DatasetError

FORMATS = {".csv": "csv", ".tsv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
FORMATS[".parquet"] = "parquet"
FORMATS[".pq"] = "parquet"

_PARQUET_BATCH = 1024
_BOMS = {b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16", b"\xff\xfe\x00\x00": "UTF-32"}


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row as read: ``values`` (column -> value) or ``problem``."""

    index: int
    line: int | None
    values: dict[str, Any] | None
    problem: str | None = None


class DatasetFile:
    """A dataset file: its format, its columns, and its rows on demand.

    ``columns`` are known on opening (the CSV header, the Parquet schema, the
    keys of the first JSON object); :meth:`rows` reads the file afresh each
    time it is called.
    """

    def __init__(self, path: str | Path, format: str | None = None) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        self.format = format or FORMATS.get(suffix, "")
        if self.format not in ("csv", "json", "jsonl", "parquet"):
            raise DatasetError(
                f"{self.path}: unknown dataset format {suffix or '(no extension)'!r}; use a "
                ".csv, .json (a list of objects), .jsonl or .parquet file"
            )
        if not self.path.is_file():
            raise DatasetError(f"{self.path}: no such file; check the path")
        self.delimiter = "\t" if suffix == ".tsv" else ","
        self.columns: list[str] = self._read_columns()

    # ------------------------------------------------------------ columns
    def _read_columns(self) -> list[str]:
        if self.format == "parquet":
            return list(self._parquet().schema_arrow.names)
        for row in self.rows():
            if self.format == "csv":
                return list(self._header)
            if row.values is not None:
                return list(row.values)
        if self.format == "csv":
            return list(self._header)
        return []

    def count(self) -> int | None:
        """How many data rows the file holds, read cheaply (a newline count, or
        Parquet's metadata); None for a JSON array (it would need a full parse)."""
        if self.format == "parquet":
            return int(self._parquet().metadata.num_rows)
        if self.format == "json":
            return None
        lines = 0
        last = b"\n"
        with self.path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
        if last != b"\n":
            lines += 1
        if self.format == "csv":
            return max(0, lines - 1)  # a quoted field with newlines makes this an upper bound
        return lines  # blank lines are counted; they are skipped when read

    # ------------------------------------------------------------ reading
    def rows(self) -> Iterator[RawRow]:
        """Every data row, in file order, read lazily."""
        if self.format == "csv":
            return self._csv_rows()
        if self.format == "jsonl":
            return self._jsonl_rows()
        if self.format == "json":
            return self._json_rows()
        return self._parquet_rows()

    def _check_bom(self, head: bytes) -> None:
        for bom, name in sorted(_BOMS.items(), key=lambda item: -len(item[0])):
            if head.startswith(bom):
                raise DatasetError(
                    f"{self.path}: the file is {name} text; save it as UTF-8 and open it again"
                )

    def _lines(self, bad: dict[int, str]) -> Iterator[str]:
        """Decoded lines; a line that is not UTF-8 is decoded with replacement
        characters and its number noted in ``bad`` with the reason."""
        with self.path.open("rb") as handle:
            self._check_bom(handle.read(4))
            handle.seek(0)
            for number, raw in enumerate(handle, start=1):
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    bad[number] = (
                        f"line {number} is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at "
                        f"column {exc.start + 1}); save the file as UTF-8"
                    )
                    yield raw.decode("utf-8", "replace")

    def _csv_rows(self) -> Iterator[RawRow]:
        bad: dict[int, str] = {}
        reader = csv.reader(self._lines(bad), delimiter=self.delimiter)
        try:
            header = next(reader)
        except StopIteration:
            self._header = []
            return
        except csv.Error as exc:
            raise DatasetError(f"{self.path}: the CSV header cannot be read ({exc})") from None
        if bad:
            raise DatasetError(f"{self.path}: the header's {next(iter(bad.values()))}")
        header = [name.strip() for name in header]
        if len(set(header)) != len(header) or any(not name for name in header):
            repeated = sorted({n for n in header if header.count(n) > 1 or not n})
            raise DatasetError(
                f"{self.path}: the CSV header has empty or repeated column names "
                f"({', '.join(map(repr, repeated))}); give every column a unique name"
            )
        self._header = header
        index = 0
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RawRow(index, start, None, f"the CSV cannot be read here ({exc})")
                index += 1
                continue
            if not cells:
                continue  # a blank line
            problems = [bad[n] for n in range(start, reader.line_num + 1) if n in bad]
            if problems:
                yield RawRow(index, start, None, problems[0])
            elif len(cells) != len(header):
                yield RawRow(
                    index,
                    start,
                    None,
                    f"{len(cells)} fields where the header has {len(header)} (a ragged row: "
                    "check its commas and quotes)",
                )
            else:
                yield RawRow(index, start, dict(zip(header, cells, strict=True)))
            index += 1

    def _jsonl_rows(self) -> Iterator[RawRow]:
        bad: dict[int, str] = {}
        index = 0
        for number, line in enumerate(self._lines(bad), start=1):
            if not line.strip():
                continue
            if number in bad:
                yield RawRow(index, number, None, bad[number])
            else:
                try:
                    value = json.loads(line)
                except ValueError as exc:
                    yield RawRow(index, number, None, f"not valid JSON ({exc})")
                else:
                    if isinstance(value, dict):
                        yield RawRow(index, number, value)
                    else:
                        yield RawRow(
                            index,
                            number,
                            None,
                            f"a JSON {_json_kind(value)} where an object is expected",
                        )
            index += 1

    def _json_rows(self) -> Iterator[RawRow]:
        import ijson

        with self.path.open("rb") as handle:
            head = handle.read(4)
            self._check_bom(head)
            handle.seek(3 if head.startswith(b"\xef\xbb\xbf") else 0)
            first = _first_significant(handle)
            if first != b"[":
                shown = {b"{": "an object", b"": "empty"}.get(first, f"starting with {first!r}")
                raise DatasetError(
                    f"{self.path}: the JSON is {shown}, not a list of objects; give a list "
                    'such as [{"query": ...}, ...] (or one object per line in a .jsonl file)'
                )
            handle.seek(0)
            if head.startswith(b"\xef\xbb\xbf"):
                handle.read(3)
            index = 0
            try:
                for value in ijson.items(handle, "item", use_float=True):
                    if isinstance(value, dict):
                        yield RawRow(index, None, value)
                    else:
                        yield RawRow(
                            index,
                            None,
                            None,
                            f"a JSON {_json_kind(value)} where an object is expected",
                        )
                    index += 1
            except ijson.JSONError as exc:
                raise DatasetError(
                    f"{self.path}: the JSON breaks after row {index} ({exc}); the rows before "
                    "it were read: fix the file and run again"
                ) from None
            except UnicodeDecodeError as exc:
                raise DatasetError(
                    f"{self.path}: the JSON is not valid UTF-8 after row {index} ({exc.reason}); "
                    "save it as UTF-8"
                ) from None

    def _parquet(self) -> Any:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            return pq.ParquetFile(self.path)
        except (pa.ArrowException, OSError) as exc:
            raise DatasetError(
                f"{self.path}: not a readable Parquet file ({exc}); check that it was fully written"
            ) from None

    def _parquet_rows(self) -> Iterator[RawRow]:
        import pyarrow as pa

        index = 0
        try:
            for batch in self._parquet().iter_batches(batch_size=_PARQUET_BATCH):
                for values in batch.to_pylist():
                    yield RawRow(index, None, values)
                    index += 1
        except (pa.ArrowException, OSError) as exc:
            raise DatasetError(
                f"{self.path}: the Parquet file breaks after row {index} ({exc}); the rows before "
                "it were read"
            ) from None


def _first_significant(handle: Any) -> bytes:
    while True:
        byte = handle.read(1)
        if not byte or not byte.isspace():
            return byte


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "null" if value is None else type(value).__name__


def open_dataset(path: str | Path) -> DatasetFile:
    """The dataset at ``path`` (its format from the extension); :class:`DatasetError`
    when it cannot be used."""
    try:
        return DatasetFile(path)
    except OSError as exc:
        raise DatasetError(f"{path}: cannot be read ({exc.strerror or exc})") from None
