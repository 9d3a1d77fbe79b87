"""The editor's evaluator writes rows in a thread: in order, all of them by the
time the evaluation is closed, and a store that fails says so on the next write."""

from __future__ import annotations

import asyncio

import pytest

from core.store.database import StoreProblem
from core.store.evaluations import EvalMeta, EvalRow, EvalStore
from editor.evaluation.store_writer import BackgroundWrites


def _meta() -> EvalMeta:
    return EvalMeta("e1", "g", "gh", "/d.csv", "dh", {"rewards": [{"name": "exact_match"}]})


def test_rows_and_the_final_status_are_written_in_order(tmp_path):
    store = EvalStore(tmp_path / "runs.sqlite")
    store.begin(_meta())
    writes = BackgroundWrites(store)
    for i in range(1200):
        writes.write_row(
            "e1", EvalRow(i, "scored", score=float(i % 2), rewards={"exact_match": 1.0})
        )
    writes.set_status("e1", "finished", 1200)
    assert writes.counts("e1")  # reads go to the caller's connection meanwhile
    asyncio.run(writes.aclose())
    assert writes.written == 1200
    assert store.counts("e1")["scored"] == 1200
    assert store.find("e1").status == "finished" and store.find("e1").total_rows == 1200
    store.close()


def test_a_store_that_cannot_be_written_stops_the_next_write(tmp_path):
    store = EvalStore(tmp_path / "runs.sqlite")
    store.begin(_meta())
    writes = BackgroundWrites(store)
    store.conn.execute("DROP TABLE eval_rows")  # what a damaged store looks like to a writer
    writes.write_row("e1", EvalRow(0, "scored"))
    with pytest.raises(StoreProblem):
        asyncio.run(writes.aclose())
    with pytest.raises(StoreProblem):
        writes.write_row("e1", EvalRow(1, "scored"))
    store.close()
