"""``synalinks-canvas train GRAPH --data FILE``: fit a graph with Synalinks' optimizers.

The rows of FILE are mapped as ``eval`` maps them; the last
``--validation-split`` of them (or ``--validation FILE``) are held out and
scored after each epoch. Before starting, the estimate of model calls,
tokens and cost is printed (``--estimate`` prints it and stops). The worker
compiles and fits the exported program with the chosen optimizer and
rewards; progress goes to stderr (``--json``: NDJSON on stdout), each
epoch's trainable variables are kept in the run store as a checkpoint,
and ``--adopt best|last -o OUT.json`` writes the graph with that checkpoint's
variables (the input graph file is never changed).

Exit 0 when the training finished (or Synalinks' early or budget stopping
ended it), 1 when it failed (the checkpoints so far are kept), 2 for a bad
graph, file or option, 130 when interrupted (checkpoints kept).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from core.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK


def register(sub: argparse._SubParsersAction, name: str) -> None:
    parser = sub.add_parser(
        name,
        help="train a graph with Synalinks' optimizers and keep a checkpoint per epoch",
        description="Fit GRAPH on a dataset with a Synalinks optimizer (RandomFewShot, Greedy, "
        "Evolutionary, OMEGA) in the Synalinks worker; each epoch's learnt instructions and "
        "examples are kept in the run store.",
    )
    parser.add_argument("graph", metavar="GRAPH", help="a graph file (.json)")
    parser.add_argument(
        "--data", metavar="FILE", help="the training rows (.csv/.json/.jsonl/.parquet)"
    )
    parser.add_argument("--validation", metavar="FILE", help="validation rows (default: held out)")
    parser.add_argument(
        "--validation-split",
        type=float,
        default=0.2,
        metavar="F",
        help="fraction of --data held out for validation when there is no --validation (0.2)",
    )
    parser.add_argument(
        "--reward",
        action="append",
        metavar="NAME",
        help="a reward, repeatable, as for eval: exact_match (default), lm_as_judge, "
        'cosine_similarity...; NAME:WEIGHT:{"in_mask": ["answer"]}',
    )
    parser.add_argument(
        "--optimizer",
        default="random_few_shot",
        choices=("random_few_shot", "greedy", "evolutionary", "omega"),
        help="Synalinks' optimizer (default random_few_shot)",
    )
    parser.add_argument(
        "--optimizer-config",
        metavar="JSON",
        default="{}",
        help='the optimizer\'s settings, e.g. {"nb_max_examples": 2}',
    )
    parser.add_argument("--epochs", type=int, default=1, metavar="N")
    parser.add_argument("--batch-size", type=int, default=1, metavar="N")
    parser.add_argument(
        "--minibatch-size", type=int, default=4, metavar="N", help="validation rows per step (4)"
    )
    parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN")
    parser.add_argument("--output", metavar="NAME", help="the Output trained on (default: first)")
    parser.add_argument("--limit", type=int, metavar="N", help="use only the first N rows")
    parser.add_argument(
        "--patience",
        type=int,
        metavar="N",
        help="stop after N epochs without val_reward improving (Synalinks' EarlyStopping)",
    )
    parser.add_argument("--budget-tokens", type=int, metavar="N", help="stop past N tokens")
    parser.add_argument("--budget-cost", type=float, metavar="USD", help="stop past this cost")
    parser.add_argument("--model", help="train with every node on this model (e.g. offline)")
    parser.add_argument("--api-base", metavar="URL")
    parser.add_argument("--judge-model", metavar="MODEL", help="for rewards and optimizers")
    parser.add_argument("--embedding-model", metavar="MODEL", help="for cosine_similarity, OMEGA")
    parser.add_argument("--python", metavar="PATH", help="the interpreter with synalinks 0.10")
    parser.add_argument("--estimate", action="store_true", help="print the estimate and stop")
    parser.add_argument("--adopt", choices=("best", "last"), help="adopt this checkpoint...")
    parser.add_argument("-o", "--out", metavar="OUT.json", help="...and write the graph here")
    parser.add_argument("--json", action="store_true", help="NDJSON progress, then the summary")
    parser.add_argument("--offline-delay", type=float, default=0.0, metavar="SECONDS")
    parser.add_argument("--cache-dir", metavar="DIR", help="the folder of the run store")
    parser.set_defaults(handler=run)


def _refuse(args: argparse.Namespace, message: str) -> int:
    print(message, file=sys.stderr)
    if args.json:
        print(json.dumps({"kind": "error", "exit_code": EXIT_BAD_INPUT, "message": message}))
    return EXIT_BAD_INPUT


def run(args: argparse.Namespace) -> int:
    from core.cli.eval_cmd import _pair, _store_path
    from core.cli.run_cmd import _load_dotenv, synalinks_python
    from core.datasets import DatasetError
    from core.engine import RunOptions
    from core.evaluation import RewardError, parse_reward
    from core.files import GraphFileError, load_graph
    from core.registry import default_registry
    from core.store import StoreProblem
    from core.training import TrainError, TrainOptions, make_train_plan

    if bool(args.adopt) != bool(args.out):
        return _refuse(args, "--adopt and -o go together: --adopt best -o trained.json")
    _load_dotenv(Path(args.graph))
    registry = default_registry()
    try:
        graph = load_graph(args.graph, registry)
    except GraphFileError as exc:
        return _refuse(args, str(exc))
    remembered = None
    if not args.data:
        if not graph.meta.datasets:
            return _refuse(args, f"{args.graph} names no dataset: give one with --data FILE")
        from core.model.dataset_refs import resolve_dataset_path

        remembered = graph.meta.datasets[0]
        args.data = str(resolve_dataset_path(args.graph, remembered))
    try:
        config = json.loads(args.optimizer_config)
        if not isinstance(config, dict):
            raise ValueError("--optimizer-config must be a JSON object")
        mapping = dict(remembered.mapping) if remembered else {}
        mapping.update(_pair(text) for text in args.map)
        options = TrainOptions(
            rewards=tuple(parse_reward(t) for t in (args.reward or ["exact_match"])),
            optimizer=args.optimizer,
            optimizer_config=config,
            epochs=args.epochs,
            batch_size=args.batch_size,
            minibatch_size=args.minibatch_size or None,
            validation_split=args.validation_split,
            output=args.output or (remembered.output if remembered else None) or None,
            mapping=mapping,
            early_stopping={"patience": args.patience, "monitor": "val_reward", "stop_at": 1.0}
            if args.patience is not None
            else None,
            budget_tokens=args.budget_tokens,
            budget_cost=args.budget_cost,
            limit=args.limit,
        )
        plan = make_train_plan(
            graph,
            registry,
            args.data,
            options,
            validation_path=args.validation,
            graph_path=args.graph,
            model=args.model or None,
        )
    except (ValueError, RewardError, DatasetError, TrainError) as exc:
        return _refuse(args, str(exc))
    err = sys.stderr
    if not args.json or args.estimate:
        _describe(plan, err)
    if args.estimate:
        if args.json:
            print(json.dumps({"kind": "estimate", **plan.estimate.to_json()}))
        return EXIT_OK
    try:
        python = synalinks_python(args.python)
    except ValueError as exc:
        return _refuse(args, str(exc))
    run_options = RunOptions(
        model_override=args.model or None,
        api_base=args.api_base or None,
        offline_delay=args.offline_delay,
        project_dir=str(Path(args.graph).resolve().parent),
    )
    progress = JsonProgress(sys.stdout) if args.json else TrainBar(err)
    from core.store.trainings import TrainingStore

    try:
        store = TrainingStore(_store_path(args.cache_dir))
    except StoreProblem as exc:
        return _refuse(args, f"cannot train: {exc}")
    try:
        try:
            outcome = asyncio.run(
                _train(registry, store, plan, run_options, python, args, progress)
            )
        except KeyboardInterrupt:
            progress.close()
            kept = len(store.checkpoints(plan.id, with_state=False))
            print(f"interrupted: {kept} checkpoints are kept (training {plan.id})", file=err)
            return 130
        progress.close()
        return _report(args, store, plan, outcome, graph)
    finally:
        store.close()


async def _train(registry, store, plan, run_options, python, args, progress):
    from core.runtime.backend import OfflineAccess
    from core.runtime.client import WorkerPool
    from core.training import Trainer

    pool, offline = WorkerPool(python), OfflineAccess()
    if not args.json:
        print(f"Starting the Synalinks worker ({python}; seconds, once)…", file=sys.stderr)
    try:
        trainer = Trainer(
            registry,
            store,
            pool,
            offline,
            run_options,
            judge_model=args.judge_model or args.model or plan.graph.meta.default_model,
            embedding_model=args.embedding_model,
        )
        return await trainer.run(plan, progress)
    finally:
        await pool.close()
        await offline.close()


def _describe(plan: Any, out: TextIO) -> None:
    rewards = ", ".join(r.label + (f" {r.config}" if r.config else "") for r in plan.rewards)
    o = plan.options
    print(
        f"Training {plan.graph.meta.name} with {o.optimizer} on {plan.dataset_path.name}: "
        f"{len(plan.train)} rows to learn from, {len(plan.validation)} to validate on"
        + (f", {len(plan.skipped)} skipped" if plan.skipped else "")
        + f"; {o.epochs} epoch(s) of batch {o.batch_size}; output {plan.output_name}; "
        f"rewards: {rewards}\n  estimate: {plan.estimate.describe()}",
        file=out,
    )
    for problem in plan.skipped[:5]:
        print(f"  skipped: {problem.describe()}", file=out)


def _report(args, store, plan, outcome, graph) -> int:
    from core.commands.training_commands import AdoptCheckpoint

    checkpoints = store.checkpoints(plan.id, with_state=False)
    best = store.checkpoint(plan.id, "best") if checkpoints else None
    summary = {
        "kind": "summary",
        "id": plan.id,
        "status": outcome.status,
        "message": outcome.message,
        "estimate": plan.estimate.to_json(),
        "checkpoints": [
            {"epoch": c.epoch, "logs": c.logs, "tokens": c.tokens} for c in checkpoints
        ],
        "best_epoch": best.epoch if best else None,
        "final": outcome.final_logs,
        "validation_rows": [e.index for e in plan.validation],
        "adopted": None,
    }
    err = sys.stderr
    if not args.json:
        print(f"Training {plan.id}: {outcome.status}", file=err)
        if outcome.message:
            print(f"  {outcome.message}", file=err)
        for c in checkpoints:
            logs = ", ".join(f"{k} {v:.4f}" for k, v in c.logs.items())
            mark = "  (best)" if best and c.epoch == best.epoch else ""
            print(f"  epoch {c.epoch + 1}: {logs}{mark}", file=err)
    code = EXIT_OK if outcome.status in ("finished", "stopped") else EXIT_FAILED
    if args.adopt:
        chosen = store.checkpoint(plan.id, args.adopt)
        if chosen is None:
            print("no checkpoint to adopt: no epoch ended", file=err)
            code = EXIT_FAILED
        else:
            from core.files import GraphFileError, save_graph

            AdoptCheckpoint(chosen.state, f"epoch {chosen.epoch + 1}").redo(graph)
            try:
                save_graph(graph, args.out)
            except (GraphFileError, OSError) as exc:
                print(f"cannot write {args.out}: {exc}", file=err)
                return EXIT_FAILED
            summary["adopted"] = {"epoch": chosen.epoch, "file": str(Path(args.out).resolve())}
            if not args.json:
                print(f"Wrote {args.out} with epoch {chosen.epoch + 1}'s variables", file=err)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    return code


class TrainBar:
    """One progress line on stderr: epoch, batch, reward, tokens, cost, ETA."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = out.isatty()
        self.last = 0.0

    def __call__(self, state: Any) -> None:
        now = time.monotonic()
        if state.kind == "batch" and now - self.last < (0.1 if self.tty else 5.0):
            return
        self.last = now
        logs = ", ".join(f"{k} {v:.3f}" for k, v in state.logs.items())
        eta = f", ETA {state.eta:.0f} s" if state.eta is not None and state.kind != "end" else ""
        where = f"epoch {state.epoch + 1}/{state.epochs}"
        if state.kind == "batch":
            where += f" batch {(state.batch or 0) + 1}/{state.batches_per_epoch}"
        line = (
            f"{where}: {logs}; {state.tokens:,} tokens, ${state.cost:.4f}, "
            f"{state.elapsed:.1f} s{eta}"
        )
        if self.tty and state.kind == "batch":
            self.out.write("\r\x1b[K" + line)
        else:
            self.out.write(("\r\x1b[K" if self.tty else "") + line + "\n")
        self.out.flush()

    def close(self) -> None:
        if self.tty:
            self.out.write("\r\x1b[K")
            self.out.flush()


class JsonProgress:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def __call__(self, state: Any) -> None:
        if state.kind == "end":
            return
        self.out.write(
            json.dumps(
                {
                    "kind": state.kind,
                    "epoch": state.epoch,
                    "batch": state.batch,
                    "logs": state.logs,
                    "tokens": state.tokens,
                    "cost": state.cost,
                    "elapsed": round(state.elapsed, 3),
                    "eta": None if state.eta is None else round(state.eta, 1),
                }
            )
            + "\n"
        )
        self.out.flush()

    def close(self) -> None:
        pass
