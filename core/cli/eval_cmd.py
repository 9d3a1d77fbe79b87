"""``synalinks-canvas eval GRAPH --data FILE``: run a graph over a dataset and score it.

Each row of FILE (CSV, JSON list, JSONL or Parquet) feeds the graph's Input;
the columns named after the scored Output's fields (or ``expected_<field>``)
are what it should answer. Rows run ``--concurrency`` at a time, a progress
line on stderr says how far it got (rows, rate, ETA, tokens, cost), and each
finished row is stored in the run store at once: the same command again
resumes, running only the rows without a result (``--fresh`` starts over).
``--compare A B`` compares two stored evaluations of the same dataset.

Exit 0 when every row was scored, 1 when rows failed or a budget stopped the
run (resume to go on), 2 for a bad graph, file or option, 130 when
interrupted (finished rows are kept).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from core.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK

DEFAULT_OFFLINE_DELAY = 0.0


def register(sub: argparse._SubParsersAction, name: str) -> None:
    parser = sub.add_parser(
        name,
        help="run a graph over a dataset and score it (or compare two evaluations)",
        description="Run GRAPH on every row of a dataset, score each answer against the row's "
        "expected output, and store the results (the same command resumes).",
    )
    parser.add_argument("graph", metavar="GRAPH", nargs="?", help="a graph file (.json)")
    parser.add_argument(
        "--data",
        metavar="FILE",
        help="the dataset: .csv, .json (a list of objects), .jsonl or .parquet",
    )
    parser.add_argument(
        "--reward",
        action="append",
        metavar="NAME",
        help="a reward, repeatable: exact_match (default), or any Synalinks reward "
        "(lm_as_judge, cosine_similarity...; computed by synalinks in a worker); "
        'NAME:WEIGHT and NAME:WEIGHT:{"in_mask": ["answer"]} set its weight and settings',
    )
    parser.add_argument(
        "--map",
        action="append",
        metavar="FIELD=COLUMN",
        default=[],
        help="read FIELD from COLUMN (input fields by name, expected fields as expected.FIELD); "
        "repeatable; unnamed fields map to the column of the same name",
    )
    parser.add_argument(
        "--output", metavar="NAME", help="the Output node scored (default: the first)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=8, metavar="N", help="rows in flight at once (default 8)"
    )
    parser.add_argument("--limit", type=int, metavar="N", help="evaluate only the first N rows")
    parser.add_argument(
        "--budget-tokens",
        type=int,
        metavar="N",
        help="stop starting rows once this run used N tokens (resume later to go on)",
    )
    parser.add_argument(
        "--budget-cost", type=float, metavar="USD", help="stop starting rows past this cost"
    )
    parser.add_argument(
        "--backend",
        choices=("builtin", "synalinks"),
        default=None,
        help="builtin: the streaming engine (default); synalinks: the real library in a worker",
    )
    parser.add_argument("--python", metavar="PATH", help="the interpreter with synalinks 0.10")
    parser.add_argument("--model", help="run every node on this model (e.g. offline)")
    parser.add_argument("--api-base", metavar="URL", help="server for OpenAI-compatible models")
    parser.add_argument(
        "--judge-model",
        metavar="MODEL",
        help="the language model of Synalinks rewards that need one (default: --model, else "
        "the graph's default model)",
    )
    parser.add_argument(
        "--embedding-model",
        metavar="MODEL",
        help="the embedding model of cosine_similarity (e.g. openai/text-embedding-3-small)",
    )
    parser.add_argument("--json", action="store_true", help="NDJSON progress, then the summary")
    parser.add_argument("--fresh", action="store_true", help="forget stored rows and start over")
    parser.add_argument(
        "--remember",
        action="store_true",
        help="save --data (with --map and --output) in the graph file as its first dataset, so "
        "the next eval of the graph needs no --data",
    )
    parser.add_argument("--export", metavar="FILE", help="write the per-row table (.csv or .jsonl)")
    parser.add_argument(
        "--compare",
        nargs=2,
        metavar=("A", "B"),
        help="compare stored evaluations A and B (ids or their first characters)",
    )
    parser.add_argument("--show", metavar="ID", help="print a stored evaluation's summary")
    parser.add_argument("--list", action="store_true", help="list the stored evaluations")
    parser.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS")
    parser.add_argument("--retries", type=int, default=3, metavar="N")
    parser.add_argument(
        "--offline-delay", type=float, default=DEFAULT_OFFLINE_DELAY, metavar="SECONDS"
    )
    parser.add_argument("--no-cache", action="store_true", help="call the model for every node")
    parser.add_argument(
        "--cache-dir", metavar="DIR", help="the folder of the run store (default: the data folder)"
    )
    parser.set_defaults(handler=run)


def _refuse(args: argparse.Namespace, message: str) -> int:
    print(message, file=sys.stderr)
    if args.json:
        print(json.dumps({"kind": "error", "exit_code": EXIT_BAD_INPUT, "message": message}))
    return EXIT_BAD_INPUT


def _store_path(cache_dir: str | None) -> Path:
    from core.store import STORE_FILE, default_store_path

    return Path(cache_dir).expanduser() / STORE_FILE if cache_dir else default_store_path()


def run(args: argparse.Namespace) -> int:
    from core.store import StoreProblem
    from core.store.evaluations import EvalStore

    try:
        store = EvalStore(_store_path(args.cache_dir))
    except StoreProblem as exc:
        return _refuse(args, f"cannot evaluate: {exc}")
    try:
        if args.compare:
            return _compare(args, store)
        if args.list:
            return _list(args, store)
        if args.show:
            return _show(args, store, args.show)
        return _evaluate(args, store)
    finally:
        store.close()


# ---------------------------------------------------------------- evaluate
def _evaluate(args: argparse.Namespace, store: Any) -> int:
    from core.cli.run_cmd import _load_dotenv, choose_backend
    from core.datasets import DatasetError
    from core.engine import RunOptions
    from core.evaluation import EvalError, EvalOptions, RewardError, make_plan, parse_reward
    from core.files import GraphFileError, load_graph
    from core.registry import default_registry

    if not args.graph:
        return _refuse(args, "give a graph and a dataset: synalinks-canvas eval GRAPH --data FILE")
    _load_dotenv(Path(args.graph))
    registry = default_registry()
    try:
        graph = load_graph(args.graph, registry)
    except GraphFileError as exc:
        return _refuse(args, str(exc))
    remembered = None
    if not args.data:
        if not graph.meta.datasets:
            return _refuse(
                args,
                f"{args.graph} names no dataset: give one with --data FILE (.csv, .json, "
                ".jsonl or .parquet)",
            )
        from core.model.dataset_refs import resolve_dataset_path

        remembered = graph.meta.datasets[0]
        args.data = str(resolve_dataset_path(args.graph, remembered))
    try:
        rewards = tuple(parse_reward(text) for text in (args.reward or ["exact_match"]))
        mapping = dict(remembered.mapping) if remembered else {}
        mapping.update(_pair(text) for text in args.map)
        options = EvalOptions(
            rewards=rewards,
            concurrency=args.concurrency,
            limit=args.limit,
            budget_tokens=args.budget_tokens,
            budget_cost=args.budget_cost,
            output=args.output or (remembered.output if remembered else None) or None,
            mapping=mapping,
            fresh=args.fresh,
        )
        run_options = RunOptions(
            model_override=args.model or None,
            api_base=args.api_base or None,
            node_timeout=args.timeout if args.timeout and args.timeout > 0 else None,
            transient_retries=args.retries,
            offline_delay=args.offline_delay,
            project_dir=str(Path(args.graph).resolve().parent),
        )
    except (ValueError, RewardError) as exc:
        return _refuse(args, str(exc))
    backend, why = choose_backend(args.backend, graph, registry)
    if why and not args.json:
        print(why, file=sys.stderr)
    scoring = {}
    if any(not r.native for r in rewards):
        scoring = {
            "judge_model": args.judge_model
            or run_options.model_override
            or graph.meta.default_model
            or "offline",
            "embedding_model": args.embedding_model,
        }
    try:
        plan = make_plan(
            graph,
            registry,
            args.data,
            options,
            graph_path=args.graph,
            backend=backend,
            model=run_options.model_override,
            api_base=run_options.api_base,
            scoring=scoring,
        )
    except DatasetError as exc:
        return _refuse(args, str(exc))
    if args.remember and remembered is None:
        problem = _remember(args, graph, mapping)
        if problem:
            return _refuse(args, problem)
    needs_worker = backend == "synalinks" or any(not r.native for r in plan.rewards)
    python = None
    if needs_worker:
        from core.cli.run_cmd import synalinks_python

        try:
            python = synalinks_python(args.python)
        except ValueError as exc:
            return _refuse(args, str(exc))
    cache = None
    if backend == "builtin" and not args.no_cache:
        from core.cli.run_cmd import _open_cache

        cache = _open_cache(args.cache_dir)
        run_options = replace(run_options, cache=cache)
    if not args.json:
        _describe_plan(plan, sys.stderr)
    bar = JsonProgress(sys.stdout) if args.json else ProgressBar(sys.stderr)
    try:
        outcome = asyncio.run(_run_plan(registry, plan, run_options, bar, backend, python, args))
    except EvalError as exc:
        bar.close()
        return _refuse(args, str(exc))
    except KeyboardInterrupt:
        bar.close()
        counts = store.counts(plan.id)
        print(
            f"interrupted: {sum(counts.values())} rows are stored; run the same command again to "
            "resume",
            file=sys.stderr,
        )
        return 130
    finally:
        if cache is not None:
            warning = cache.take_warning()
            if warning:
                print(f"warning: {warning}", file=sys.stderr)
            cache.close()
    bar.close()
    code = _report(args, store, plan.id, outcome.status)
    if args.export:
        from core.evaluation import export_rows

        try:
            written = export_rows(store, plan.id, args.export)
        except (OSError, ValueError) as exc:
            return _refuse(args, f"cannot export the results: {exc}")
        if not args.json:
            print(f"Wrote {written} rows to {args.export}", file=sys.stderr)
    return code


async def _run_plan(registry, plan, run_options, bar, backend, python, args):
    from core.engine import Engine
    from core.evaluation import Evaluator
    from core.store.evaluations import EvalStore

    pool = offline = scorer = None
    store = EvalStore(_store_path(args.cache_dir))
    try:
        if python is not None:
            from core.runtime.backend import OfflineAccess
            from core.runtime.client import WorkerPool

            pool, offline = WorkerPool(python), OfflineAccess()
            if not args.json:
                print(f"Starting the Synalinks worker ({python}; seconds, once)…", file=sys.stderr)
        if backend == "synalinks":
            from core.evaluation.synalinks_backend import EvalSynalinksBackend

            runner = EvalSynalinksBackend(registry, run_options, pool=pool, offline=offline)
        else:
            runner = Engine(registry, run_options)
        if any(not r.native for r in plan.rewards):
            from core.evaluation.runtime_rewards import RuntimeScorer

            scorer = RuntimeScorer(
                pool,
                offline,
                judge_model=plan.scoring.get("judge_model"),
                embedding_model=plan.scoring.get("embedding_model"),
                api_base=run_options.api_base,
                offline_delay=run_options.offline_delay,
            )
        evaluator = Evaluator(runner, store, run_options=run_options, scorer=scorer)
        return await evaluator.run(plan, bar)
    finally:
        store.close()
        if pool is not None:
            await pool.close()
        if offline is not None:
            await offline.close()


def _remember(args: argparse.Namespace, graph: Any, mapping: dict[str, str]) -> str | None:
    """Put the dataset first in the graph's datasets and save the graph file;
    a sentence when it cannot be done."""
    from core.files import GraphFileError, save_graph
    from core.model.dataset_refs import DatasetRef, dataset_path_for

    try:
        document = json.loads(Path(args.graph).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"cannot remember the dataset in {args.graph}: {exc}"
    if not isinstance(document, dict) or document.get("format") != "synalinks-canvas-graph":
        return (
            f"{args.graph} is not a Synalinks Canvas graph file (a Synalinks saved program?): "
            "its datasets cannot be remembered; open it in the editor and save it as a graph first"
        )
    ref = DatasetRef(
        path=dataset_path_for(args.graph, args.data), mapping=mapping, output=args.output or ""
    )
    others = tuple(d for d in graph.meta.datasets if d.path != ref.path)
    graph.meta = graph.meta.model_copy(update={"datasets": (ref, *others)})
    try:
        save_graph(graph, args.graph)
    except (GraphFileError, OSError) as exc:
        return f"cannot remember the dataset in {args.graph}: {exc}"
    if not args.json:
        print(f"Remembered {ref.path} as {graph.meta.name}'s dataset", file=sys.stderr)
    return None


def _pair(text: str) -> tuple[str, str]:
    field, sep, column = text.partition("=")
    if not sep or not field.strip() or not column.strip():
        raise ValueError(f"--map {text!r}: write FIELD=COLUMN, e.g. --map query=question")
    return field.strip(), column.strip()


def _describe_plan(plan: Any, out: TextIO) -> None:
    mapping = ", ".join(f"{f} ← {c}" for f, c in plan.mapping.inputs.items())
    expected = ", ".join(f"{f} ← {c}" for f, c in plan.mapping.expected.items())
    rewards = ", ".join(
        r.label
        + (f" ×{r.weight:g}" if r.weight != 1 else "")
        + (f" {r.config}" if r.config else "")
        for r in plan.rewards
    )
    total = f"{plan.total_rows} rows" if plan.total_rows is not None else "rows"
    print(
        f"Evaluating {plan.graph.meta.name} on {plan.dataset.path.name} ({total}), "
        f"evaluation {plan.id}\n  input: {mapping}\n  expected ({plan.targets.output.name}): "
        f"{expected}\n  rewards: {rewards}",
        file=out,
    )
    if plan.mapping.unused:
        print(f"  ignored columns: {', '.join(plan.mapping.unused)}", file=out)


class ProgressBar:
    """One line on stderr, redrawn at most ten times a second on a terminal;
    elsewhere a line every few seconds."""

    WIDTH = 24

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = out.isatty()
        self.last = 0.0
        self.latest = None
        self.drawn = False

    def __call__(self, progress: Any) -> None:
        self.latest = progress
        now = time.monotonic()
        if now - self.last < (0.1 if self.tty else 5.0) and progress.status == "running":
            return
        self.last = now
        self._draw(progress)

    def _draw(self, progress: Any) -> None:
        from core.evaluation import progress_line

        text = progress_line(progress)
        if progress.total:
            filled = int(self.WIDTH * min(1.0, progress.done / progress.total))
            text = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {text}"
        if self.tty:
            self.out.write("\r\x1b[2K" + text)
            self.drawn = True
        else:
            self.out.write(text + "\n")
        self.out.flush()

    def close(self) -> None:
        if self.latest is not None and self.latest.status == "running":
            self._draw(self.latest)
        if self.drawn:
            self.out.write("\n")
            self.out.flush()
            self.drawn = False


class JsonProgress:
    """NDJSON: an ``eval_progress`` object at most five times a second, and the last."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.last = 0.0

    def __call__(self, progress: Any) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and progress.status == "running":
            return
        self.last = now
        self.out.write(json.dumps(progress.to_json()) + "\n")
        self.out.flush()

    def close(self) -> None:
        pass


# ---------------------------------------------------------------- reports
def _report(args: argparse.Namespace, store: Any, eval_id: str, status: str) -> int:
    from core.evaluation import summarize

    summary = summarize(store, eval_id)
    if args.json:
        print(json.dumps({"kind": "eval_summary", **summary.to_json()}, ensure_ascii=False))
    else:
        _print_summary(summary, sys.stdout)
        if status == "budget":
            print("Stopped by the budget: run the same command again to go on.", file=sys.stderr)
    if status != "finished" or summary.counts["failed"]:
        return EXIT_FAILED
    return EXIT_OK


def _print_summary(summary: Any, out: TextIO) -> None:
    meta = summary.meta
    counts = summary.counts
    print(
        f"Evaluation {meta.id} of {meta.graph_name} on {Path(meta.dataset_path).name}: {meta.status}",
        file=out,
    )
    width = max([len(k) for k in summary.rewards] + [5])
    for label, stat in summary.rewards.items():
        print(f"  {label:<{width}}  {stat.mean:.3f} ± {stat.std:.3f}  (n={stat.n})", file=out)
    if len(summary.rewards) > 1:
        s = summary.score
        print(f"  {'score':<{width}}  {s.mean:.3f} ± {s.std:.3f}  (weighted)", file=out)
    cost = f" · ${summary.cost:.4f}" if summary.cost else ""
    print(
        f"  scored {counts['scored']} · failed {counts['failed']} · invalid {counts['invalid']} · "
        f"{summary.tokens_in + summary.tokens_out:,} tokens{cost}",
        file=out,
    )
    for index, reason in summary.failures:
        print(f"  row {index + 1}: {reason}", file=out)


def _show(args: argparse.Namespace, store: Any, eval_id: str) -> int:
    try:
        meta = store.find(eval_id)
    except ValueError as exc:
        return _refuse(args, str(exc))
    if meta is None:
        return _refuse(args, f"no evaluation {eval_id!r} in the run store {store.path}")
    code = _report(args, store, meta.id, meta.status)
    if args.export:
        from core.evaluation import export_rows

        written = export_rows(store, meta.id, args.export)
        print(f"Wrote {written} rows to {args.export}", file=sys.stderr)
    return code


def _list(args: argparse.Namespace, store: Any) -> int:
    for meta in store.evaluations():
        counts = store.counts(meta.id)
        if args.json:
            print(
                json.dumps(
                    {
                        "id": meta.id,
                        "graph": meta.graph_name,
                        "dataset": meta.dataset_path,
                        "status": meta.status,
                        "counts": counts,
                        "updated_at": meta.updated_at,
                    }
                )
            )
        else:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(meta.updated_at))
            print(
                f"{meta.id}  {when}  {meta.status:<9}  {meta.graph_name} on "
                f"{Path(meta.dataset_path).name}  ({counts['scored']} scored, {counts['failed']} "
                f"failed, {counts['invalid']} invalid)"
            )
    return EXIT_OK


def _compare(args: argparse.Namespace, store: Any) -> int:
    from core.evaluation import CompareError, compare

    reward = None
    if args.reward and len(args.reward) == 1:
        reward = args.reward[0].partition(":")[0]
    try:
        result = compare(store, args.compare[0], args.compare[1], reward=reward)
    except (CompareError, ValueError) as exc:
        return _refuse(args, str(exc))
    if args.json:
        print(json.dumps({"kind": "eval_compare", **result.to_json()}, ensure_ascii=False))
        return EXIT_OK
    what = reward or "score"
    ci = (
        f" ({int(result.confidence * 100)}% CI {result.ci_low:+.3f} to {result.ci_high:+.3f})"
        if result.ci_low is not None
        else ""
    )
    print(
        f"B {result.b.id} ({result.b.graph_name}) vs A {result.a.id} ({result.a.graph_name}), {what}, "
        f"{result.pairs} rows scored in both"
    )
    print(f"  wins {result.wins} · losses {result.losses} · ties {result.ties}")
    print(
        f"  mean A {result.mean_a:.3f} · mean B {result.mean_b:.3f} · difference "
        f"{result.mean_diff:+.3f}{ci}"
    )
    if result.only_a or result.only_b:
        print(f"  scored only in A: {result.only_a} · only in B: {result.only_b}")
    for row in result.rows[:20]:
        print(f"  row {row.index + 1}: {row.a:.3f} → {row.b:.3f} ({row.diff:+.3f})")
    if len(result.rows) > 20:
        print(f"  … {len(result.rows) - 20} more rows differ (--json lists them all)")
    return EXIT_OK
