"""Batch evaluation on the built-in engine: scores, failures apart, resume, budget, cancel."""

from __future__ import annotations

import asyncio
import json

import pytest

from core.evaluation import EvalError, EvalOptions, Evaluator, RewardSpec, make_plan, summarize
from core.store.evaluations import EvalStore
from tests.core.evaluation.helpers import (
    OPTIONS,
    CountingClient,
    answers,
    engine,
    evaluate,
    graph,
    write_jsonl,
)


@pytest.fixture
def store(tmp_path):
    s = EvalStore(tmp_path / "runs.sqlite")
    yield s
    s.close()


def _dataset(tmp_path, n=12):
    g, registry = graph()
    queries = [{"query": f"question {i}"} for i in range(n)]
    outs = answers(g, queries)
    rows = []
    for i, (q, out) in enumerate(zip(queries, outs, strict=True)):
        answer = out["answer"] if i % 2 == 0 else "something else"
        rows.append({**q, "answer": answer})
    return g, registry, write_jsonl(tmp_path / "d.jsonl", rows)


def test_scores_equal_exact_match_on_the_expected_fields(tmp_path, store):
    g, registry, data = _dataset(tmp_path)
    seen = []
    plan, outcome = evaluate(g, registry, data, store, progress=seen.append)
    assert outcome.status == "finished"
    assert plan.rewards[0].config == {"in_mask": ["answer"]}
    summary = summarize(store, plan.id)
    assert summary.counts == {"scored": 12, "failed": 0, "invalid": 0}
    assert summary.rewards["exact_match"].mean == pytest.approx(0.5)
    assert summary.rewards["exact_match"].std == pytest.approx(0.5222, abs=1e-4)
    assert summary.score.mean == pytest.approx(0.5)
    assert summary.tokens_out > 0
    rows = list(store.rows(plan.id))
    assert [r.score for r in rows] == [1.0, 0.0] * 6
    assert rows[0].predicted["answer"].startswith("Offline answer to")
    assert seen[-1].done == 12 and seen[-1].total == 12 and seen[-1].status == "finished"
    trace = store.row(plan.id, 0).trace
    assert trace["branch_1"]["state"] == "finished" and trace["branch_1"]["result"]["answer"]


def test_failed_rows_are_counted_apart_with_the_provider_message(tmp_path, store):
    g, registry, data = _dataset(tmp_path, 6)
    lines = data.read_text().splitlines()
    lines[2] = json.dumps({"query": "please FAIL here", "answer": "x"})
    lines.append('{"answer": "no query"}')
    lines.append("not json")
    data.write_text("\n".join(lines) + "\n")
    plan, outcome = evaluate(g, registry, data, store)
    summary = summarize(store, plan.id)
    assert summary.counts == {"scored": 5, "failed": 1, "invalid": 2}
    assert summary.rewards["exact_match"].n == 5  # the failed row is not a 0
    failed = next(store.rows(plan.id, status="failed"))
    assert failed.index == 2 and "400 this prompt is refused" in failed.error
    assert failed.score is None and failed.rewards == {}
    invalid = {r.index: r.error for r in store.rows(plan.id, status="invalid")}
    assert "query" in invalid[6] and invalid[7].startswith("not valid JSON")


def test_resume_runs_only_unfinished_rows(tmp_path, store):
    g, registry, data = _dataset(tmp_path, 10)
    plan, outcome = evaluate(g, registry, data, store, limit=4)
    assert outcome.status == "finished" and store.counts(plan.id)["scored"] == 4
    client = CountingClient()
    plan2, outcome2 = evaluate(g, registry, data, store, client=client)
    assert plan2.id == plan.id  # the limit does not change what the rows mean
    assert len(client.queries) == 6 * 2  # 6 rows left, 2 model nodes each
    assert store.counts(plan.id)["scored"] == 10
    client = CountingClient()
    evaluate(g, registry, data, store, client=client)
    assert client.queries == []
    evaluate(g, registry, data, store, client=client, fresh=True)
    assert len(client.queries) == 20


def test_cancel_keeps_finished_rows_and_resume_completes(tmp_path, store):
    g, registry, data = _dataset(tmp_path, 16)
    plan = make_plan(g, registry, data, EvalOptions(concurrency=2))

    async def go():
        client = CountingClient(latency=0.02)
        evaluator = Evaluator(engine(client), store, run_options=OPTIONS)
        finished = []

        def progress(p):
            finished.append(p.done)
            if p.done == 5:
                handle.cancel()

        handle = evaluator.start(plan, progress)
        return await handle.wait()

    assert asyncio.run(go()) is None
    assert store.find(plan.id).status == "cancelled"
    kept = store.counts(plan.id)["scored"]
    assert 5 <= kept <= 6  # the row finishing alongside the fifth may be kept too
    client = CountingClient()
    evaluate(g, registry, data, store, client=client, concurrency=2)
    assert len(client.queries) == (16 - kept) * 2
    assert summarize(store, plan.id).counts["scored"] == 16


def test_token_budget_stops_cleanly_and_resume_goes_on(tmp_path, store):
    g, registry, data = _dataset(tmp_path, 20)
    plan, outcome = evaluate(g, registry, data, store, concurrency=1, budget_tokens=1)
    assert outcome.status == "budget"
    assert store.counts(plan.id)["scored"] == 1
    assert store.find(plan.id).status == "budget"
    _, outcome = evaluate(g, registry, data, store, concurrency=4)
    assert outcome.status == "finished" and store.counts(plan.id)["scored"] == 20


def test_concurrency_bounds_rows_in_flight(tmp_path, store):
    g, registry, data = _dataset(tmp_path, 24)
    client = CountingClient(latency=0.01)
    evaluate(g, registry, data, store, client=client, concurrency=3)
    assert 2 < client.most <= 3 * 2  # 3 rows, 2 parallel branches each


def test_model_calls_in_flight_stay_under_the_cap_across_rows(tmp_path, store, monkeypatch):
    from core.evaluation import runner

    monkeypatch.setattr(runner, "CALLS_IN_FLIGHT", 4)  # 4 rows at once: one call each
    g, registry, data = _dataset(tmp_path, 16)
    client = CountingClient(latency=0.01)
    evaluate(g, registry, data, store, client=client, concurrency=4)
    assert client.most == 4  # without the cap, 4 rows x 2 branches = 8
    assert runner.row_options(OPTIONS, 64).max_concurrency == 1
    assert runner.row_options(OPTIONS, 1).max_concurrency == 4


def test_a_synalinks_reward_without_the_runtime_is_refused(tmp_path, store):
    g, registry, data = _dataset(tmp_path, 2)
    with pytest.raises(EvalError, match="lm_as_judge is computed by Synalinks itself"):
        evaluate(g, registry, data, store, rewards=(RewardSpec("lm_as_judge"),))


def test_several_rewards_with_weights(tmp_path, store):
    g, registry, data = _dataset(tmp_path, 4)
    rewards = (
        RewardSpec("exact_match", 3.0, {"in_mask": ["answer"], "name": "answer_em"}),
        RewardSpec("exact_match", 1.0, {"name": "whole_em", "in_mask_pattern": ".*"}),
    )
    plan, _ = evaluate(g, registry, data, store, rewards=rewards)
    rows = list(store.rows(plan.id))
    assert rows[0].rewards == {"answer_em": 1.0, "whole_em": 0.0}
    assert rows[0].score == pytest.approx(0.75)
    summary = summarize(store, plan.id)
    assert list(summary.rewards) == ["answer_em", "whole_em"]
