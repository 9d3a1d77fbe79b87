"""Summaries, export, histogram and comparing two evaluations of one dataset."""

from __future__ import annotations

import csv
import json
import sqlite3

import pytest

from core.evaluation import CompareError, compare, export_rows, histogram
from core.evaluation.stats import t_quantile
from core.store import NodeCache
from core.store.evaluations import EvalMeta, EvalRow, EvalStore


@pytest.fixture
def store(tmp_path):
    s = EvalStore(tmp_path / "runs.sqlite")
    yield s
    s.close()


def _eval(store, eval_id, scores, dataset="d1", failed=()):
    meta = EvalMeta(
        id=eval_id,
        graph_name="g",
        graph_hash="h",
        dataset_path="/data.csv",
        dataset_hash=dataset,
        config={"rewards": [{"name": "exact_match", "weight": 1.0, "config": {}}]},
    )
    store.begin(meta)
    for i, s in enumerate(scores):
        if i in failed:
            store.write_row(eval_id, EvalRow(i, "failed", error="boom"))
        else:
            store.write_row(
                eval_id,
                EvalRow(
                    i,
                    "scored",
                    inputs={"q": i},
                    predicted={"a": "x, y"},
                    rewards={"exact_match": s},
                    score=s,
                    tokens_out=3,
                ),
            )
    store.set_status(eval_id, "finished")


def test_t_quantiles_match_tables():
    assert t_quantile(0.975, 9) == pytest.approx(2.262157, abs=1e-5)
    assert t_quantile(0.975, 1) == pytest.approx(12.7062, abs=1e-3)
    assert t_quantile(0.95, 30) == pytest.approx(1.697261, abs=1e-5)
    assert t_quantile(0.025, 9) == pytest.approx(-2.262157, abs=1e-5)


def test_compare_counts_wins_losses_ties_and_a_paired_interval(store):
    a = [0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.5, 1.0]
    b = [1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.5, 1.0]
    _eval(store, "aaaa1111", a)
    _eval(store, "bbbb2222", b + [1.0], failed={10})
    result = compare(store, "aaaa", "bbbb")
    assert (result.wins, result.losses, result.ties) == (4, 1, 5)
    diffs = [y - x for x, y in zip(a, b, strict=True)]
    mean = sum(diffs) / 10
    sd = (sum((d - mean) ** 2 for d in diffs) / 9) ** 0.5
    half = 2.262157 * sd / 10**0.5
    assert result.mean_diff == pytest.approx(mean)
    assert result.ci_low == pytest.approx(mean - half, abs=1e-5)
    assert result.ci_high == pytest.approx(mean + half, abs=1e-5)
    assert [r.index for r in result.rows] == [0, 2, 3, 5, 7]
    assert result.only_a == 0 and result.only_b == 0
    assert json.loads(json.dumps(result.to_json()))["pairs"] == 10


def test_compare_refuses_different_datasets(store):
    _eval(store, "a1", [1.0])
    _eval(store, "b1", [1.0], dataset="other")
    with pytest.raises(CompareError, match="different datasets"):
        compare(store, "a1", "b1")
    with pytest.raises(CompareError, match="no evaluation 'zz'"):
        compare(store, "a1", "zz")


def test_export_csv_and_jsonl_stream_every_row(store, tmp_path):
    _eval(store, "e1", [1.0, 0.0, 1.0], failed={1})
    out = tmp_path / "r.csv"
    assert export_rows(store, "e1", out) == 3
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["status"] for r in rows] == ["scored", "failed", "scored"]
    assert rows[0]["exact_match"] == "1.0" and json.loads(rows[0]["predicted"]) == {"a": "x, y"}
    assert rows[1]["error"] == "boom" and rows[1]["exact_match"] == ""
    out = tmp_path / "r.jsonl"
    assert export_rows(store, "e1", out) == 3
    first = json.loads(out.read_text().splitlines()[0])
    assert first["rewards"] == {"exact_match": 1.0} and first["row"] == 0
    with pytest.raises(ValueError, match="use a .csv or .jsonl"):
        export_rows(store, "e1", tmp_path / "r.xlsx")


def test_histogram_bins(store):
    _eval(store, "h1", [0.0, 0.05, 0.5, 1.0, 1.0])
    bins = histogram(store, "h1", bins=10)
    assert len(bins) == 10 and bins[0][2] == 2 and bins[5][2] == 1 and bins[9][2] == 2


def test_rows_sort_and_page(store):
    _eval(store, "s1", [0.2, 0.9, 0.5])
    ordered = [r.index for r in store.rows("s1", order_by="score", descending=True)]
    assert ordered == [1, 2, 0]
    assert [r.index for r in store.rows("s1", offset=1, limit=1)] == [1]
    with pytest.raises(ValueError, match="cannot sort"):
        list(store.rows("s1", order_by="inputs; DROP TABLE x"))
    by_reward = store.rows("s1", order_by="reward:exact_match", descending=True)
    assert [r.index for r in by_reward] == [1, 2, 0]
    odd = store.rows("s1", order_by='reward:x" ) ; DROP TABLE eval_rows; --')
    assert [r.index for r in odd] == [0, 1, 2]  # an unknown label sorts nothing away
    assert store.counts("s1")["scored"] == 3


def test_a_version_1_store_gains_the_evaluation_tables(tmp_path):
    path = tmp_path / "runs.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    from core.store import schema

    for statement in schema.MIGRATIONS[1]:
        conn.execute(statement)
    conn.execute("UPDATE schema_version SET version = 1")
    conn.execute("INSERT INTO node_cache VALUES ('k', '{\"outputs\": {}}', 0, 0, 15)")
    conn.close()
    store = EvalStore(path)
    _eval(store, "m1", [1.0])
    assert store.counts("m1")["scored"] == 1
    store.close()
    assert NodeCache(path).get("k") == {"outputs": {}}


def test_sorting_by_score_uses_the_index(store):
    _eval(store, "i1", [0.5, 0.1, 0.9])
    plan = store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT row_index FROM eval_rows WHERE eval_id = ? "
        "ORDER BY score DESC, row_index DESC LIMIT 2",
        ("i1",),
    ).fetchall()
    assert any("eval_rows_by_score" in str(step) for step in plan)
    assert "TEMP B-TREE" not in str(plan)
