"""Evaluation: run a graph over a dataset, score every row, compare versions.

Public API
==========

::

    from core.evaluation import EvalOptions, Evaluator, make_plan, parse_reward, summarize
    from core.store.evaluations import EvalStore

    store = EvalStore(default_store_path())            # runs.sqlite (WAL); StoreProblem
    plan = make_plan(graph, registry, "data.csv",      # DatasetError: one sentence
                     EvalOptions(rewards=(parse_reward("exact_match"),), concurrency=8),
                     graph_path="g.json", backend="builtin", model=None)
    plan.id, plan.mapping, plan.rewards, plan.total_rows

    evaluator = Evaluator(Engine(registry, run_options), store, run_options=run_options,
                          scorer=None)                 # a RewardScorer for Synalinks' rewards
    outcome = await evaluator.run(plan, progress=callback)   # EvalOutcome(status=finished|budget)
    handle = evaluator.start(plan, callback); handle.cancel(); await handle.wait()  # None if cancelled

    summary = summarize(store, plan.id)                # mean ± std per reward, counts, usage
    store.rows(plan.id, status="scored", order_by="score", descending=True, offset=0, limit=100)
    store.row(plan.id, 7).trace                        # per node: state, result, time, tokens
    histogram(store, plan.id, reward=None, bins=10)    # [(low, high, count)]
    export_rows(store, plan.id, "results.csv")         # or .jsonl
    compare(store, id_a, id_b, reward=None)            # wins/losses/ties, mean diff, 95% CI

- ``progress(EvalProgress)`` is called on the loop's thread after each
  finished row (done, scored, failed, invalid, total, rate, ETA, tokens, cost).
- Row statuses: ``scored``; ``failed`` (the program failed: the provider's
  message, never scored); ``invalid`` (the dataset row does not fit).
- The same plan id again resumes: only rows without a result run
  (``EvalOptions(fresh=True)`` starts over). A cancel or crash loses only the
  rows in flight.
- Rewards: :data:`~core.evaluation.rewards.NATIVE` here (``exact_match`` with
  Synalinks' masks); any other Synalinks reward through a
  :class:`~core.evaluation.runner.RewardScorer` (the runtime worker).
"""

from core.evaluation.compare import CompareError, Comparison, RowDiff, compare
from core.evaluation.plan import DEFAULT_CONCURRENCY, EvalOptions, EvalPlan, make_plan
from core.evaluation.progress import EvalProgress
from core.evaluation.results import (
    EvalSummary,
    Stat,
    export_rows,
    histogram,
    progress_line,
    summarize,
)
from core.evaluation.rewards import NATIVE, RewardError, RewardSpec, combine, parse_reward
from core.evaluation.runner import EvalError, EvalHandle, EvalOutcome, Evaluator, RewardScorer

__all__ = [
    "DEFAULT_CONCURRENCY",
    "NATIVE",
    "CompareError",
    "Comparison",
    "EvalError",
    "EvalHandle",
    "EvalOptions",
    "EvalOutcome",
    "EvalPlan",
    "EvalProgress",
    "EvalSummary",
    "Evaluator",
    "RewardError",
    "RewardScorer",
    "RewardSpec",
    "RowDiff",
    "Stat",
    "combine",
    "compare",
    "export_rows",
    "histogram",
    "make_plan",
    "parse_reward",
    "progress_line",
    "summarize",
]
