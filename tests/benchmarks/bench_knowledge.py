"""Benchmark: knowledge bases, offline.

(a) The offline embedder: texts per second (what /v1/embeddings costs).
(b) The Knowledge panel's reads in the editor's process: listing the tables
    with their row counts and reading a page of 200 rows, read-only, as the
    table grows (goal: a page stays interactive, under 100 ms).
(c) Synalinks' searches through the worker (similarity, regex, hybrid_regex)
    over offline embeddings as the table grows: the panel's search latency,
    warm worker (median of 5).
(d) Seeding: ingest-graph runs per second on a warm worker (each run embeds
    one record through the loopback endpoint and upserts it with Synalinks).
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from tests.benchmarks.table import print_table

ROOT = Path(__file__).resolve().parents[2]
WORDS = (
    "agent tool knowledge base search vector embedding program module generator branch "
    "decision training reward dataset optimizer instructions example table query answer "
    "similarity regex fulltext hybrid rank cosine distance record note synalinks duckdb"
).split()


def _text(rng: random.Random, n: int = 20) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def bench_embedder(count: int) -> list[tuple]:
    from core.engine.offline_embeddings import embed

    rng = random.Random(1)
    texts = [_text(rng) for _ in range(count)]
    start = time.perf_counter()
    for text in texts:
        embed(text)
    elapsed = time.perf_counter() - start
    return [
        (f"{count} texts of 20 words", f"{elapsed * 1000 / count:.3f}", f"{count / elapsed:,.0f}")
    ]


def make_table(path: Path, rows: int) -> None:
    """The table the ingest example writes, filled through Arrow (fast at 100,000 rows)."""
    import duckdb
    import pyarrow as pa

    from core.engine.offline_embeddings import DIMENSIONS, embed

    rng = random.Random(rows)
    texts = [_text(rng) for _ in range(rows)]
    flat = [x for text in texts for x in embed(text)]
    notes = pa.table(
        {
            "id": [f"d{i}" for i in range(rows)],
            "title": [f"note {i}" for i in range(rows)],
            "text": texts,
            "embedding": pa.FixedSizeListArray.from_arrays(
                pa.array(flat, pa.float32()), DIMENSIONS
            ),
        }
    )
    connection = duckdb.connect(str(path))
    connection.execute(
        "CREATE TABLE Document (id VARCHAR PRIMARY KEY, title VARCHAR, text VARCHAR, "
        f"embedding FLOAT[{DIMENSIONS}])"
    )
    connection.register("notes", notes)
    connection.execute("INSERT INTO Document SELECT * FROM notes")
    connection.close()


def bench_reader(folder: Path, sizes: list[int]) -> list[tuple]:
    from core.knowledge.reader import list_tables, read_rows

    rows = []
    for size in sizes:
        path = folder / f"reader_{size}.db"
        make_table(path, size)
        timings_list, timings_page = [], []
        for _ in range(5):
            start = time.perf_counter()
            list_tables(path)
            timings_list.append(time.perf_counter() - start)
            start = time.perf_counter()
            read_rows(path, "Document", limit=200, offset=size // 2)
            timings_page.append(time.perf_counter() - start)
        rows.append(
            (
                f"{size:,} rows",
                f"{statistics.median(timings_list) * 1000:.1f}",
                f"{statistics.median(timings_page) * 1000:.1f}",
            )
        )
    return rows


async def bench_worker(
    folder: Path, sizes: list[int], seeds: int, repeats: int
) -> tuple[list, list]:
    from core.engine import RunOptions
    from core.files import load_graph
    from core.knowledge.search import run_search, search_request
    from core.knowledge.seed import read_records, seed
    from core.registry import default_registry
    from core.runtime.backend import SynalinksBackend
    from core.runtime.client import WorkerPool, new_request_id
    from tests.support.synalinks_runner import synalinks_python

    registry = default_registry()
    pool = WorkerPool(str(synalinks_python()))
    project = folder / "project"
    (project / "knowledge").mkdir(parents=True)
    for name in ("knowledge_ingest.json", "knowledge_retrieval.json"):
        shutil.copy(ROOT / "saved_graphs" / name, project / name)
    backend = SynalinksBackend(
        registry, RunOptions(offline_delay=0, project_dir=str(project)), pool=pool
    )
    search_rows, seed_rows = [], []
    try:
        start = time.perf_counter()
        worker = await pool.get()
        started = time.perf_counter() - start
        base = await backend.offline.api_base(0)
        graph = load_graph(project / "knowledge_retrieval.json", registry)
        kb = graph.meta.knowledge_bases[0]
        for size in sizes:
            make_table(project / "knowledge" / "notes.db", size)
            for kind, query in (
                ("similarity", "Which agent calls a tool?"),
                ("regex", "optimi[sz]er"),
                ("hybrid_regex", "vector embedding"),
            ):
                request = search_request(graph.meta, kb, project, "Document", query, kind, 5, base)
                await run_search(worker, request)  # warm (extensions, dimension)
                timings = []
                for _ in range(repeats):
                    again = request.model_copy(update={"id": new_request_id()})  # one id each
                    start = time.perf_counter()
                    found = await run_search(worker, again)
                    timings.append(time.perf_counter() - start)
                search_rows.append(
                    (f"{size:,} rows", kind, len(found), f"{statistics.median(timings) * 1000:.0f}")
                )
            (project / "knowledge" / "notes.db").unlink()
        ingest = load_graph(project / "knowledge_ingest.json", registry)
        records = read_records(ROOT / "saved_graphs" / "knowledge" / "notes.json")
        records = [{**records[i % len(records)], "id": f"r{i}"} for i in range(seeds)]
        await seed(ingest, records[:2], backend)  # warm: the program is built once
        start = time.perf_counter()
        await seed(ingest, records, backend)
        elapsed = time.perf_counter() - start
        seed_rows.append(
            (f"{seeds} records", f"{elapsed * 1000 / seeds:.0f}", f"{seeds / elapsed:.1f}")
        )
        seed_rows.append(("worker start (spawn to ready)", f"{started * 1000:,.0f}", "-"))
    finally:
        await backend.offline.close()
        await pool.close()
    return search_rows, seed_rows


def main(quick: bool = False) -> None:
    os.environ["SYNALINKS_CANVAS_DUCKDB_DOWNLOADS"] = "0"  # never download DuckDB extensions
    sizes = [1_000] if quick else [1_000, 10_000, 100_000]
    worker_sizes = [1_000] if quick else [1_000, 10_000]
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        print_table(
            "(a) offline embedder",
            ["texts", "ms per text", "texts per second"],
            bench_embedder(200 if quick else 5_000),
        )
        print_table(
            "(b) Knowledge panel reads (read-only, in the editor's process; median of 5)",
            ["table", "list tables + counts (ms)", "a page of 200 rows (ms)"],
            bench_reader(folder, sizes),
        )
        search_rows, seed_rows = asyncio.run(
            bench_worker(folder, worker_sizes, 10 if quick else 100, 3 if quick else 5)
        )
        print_table(
            "(c) Synalinks' searches through the warm worker (k = 5, median of 5; 3 in --quick)",
            ["table", "search", "rows found", "ms"],
            search_rows,
        )
        print_table(
            "(d) seeding with the ingest graph on the warm worker",
            ["what", "ms per record", "records per second"],
            seed_rows,
        )


if __name__ == "__main__":
    main()
