"""The small datasets beside the saved examples, and how they were made.

Each example in ``saved_graphs/`` has a dataset of a few dozen rows in
``saved_graphs/datasets/`` whose expected outputs are meaningful under the
offline model: for most rows they are what the program answers, for the
others a plausible wrong answer (another row's answer, another label), so
each example's score is neither 0 nor 1 and a change to the graph moves it.
One file per format (CSV, JSON, JSONL, Parquet).

Regenerate with ``python -m tests.support.example_datasets [NAME...]`` (only
needed when the offline model or an example changes its answers; examples
that only Synalinks runs need the synalinks environment).
"""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "saved_graphs" / "datasets"

TOPICS = [
    "Why is the sky blue?",
    "What is 12 times 7?",
    "Who wrote Hamlet?",
    "How do vaccines train the immune system?",
    "What is the capital of Australia?",
    "Why do cats purr?",
    "What is a prime number?",
    "How does a transistor switch current?",
    "When did the Berlin Wall fall?",
    "What causes tides on Earth?",
    "Is zero an even number?",
    "How do bees make honey?",
    "What is the speed of light in vacuum?",
    "Why does ice float on water?",
    "What is photosynthesis?",
    "Who painted the Mona Lisa?",
    "How many sides does a hexagon have?",
    "What is inflation in economics?",
    "Why do we have leap years?",
    "What is the boiling point of water at sea level?",
    "How does GPS find a position?",
    "What is the Pythagorean theorem?",
    "Why do leaves change colour in autumn?",
    "What language has the most native speakers?",
]

EXAMPLES = {
    # example -> (file, expected fields, output index)
    "parallel_branches": ("parallel_branches.csv", ["answer"], 0),
    "chain_of_thought": ("chain_of_thought.jsonl", ["answer"], 0),
    "conditional_branches": ("conditional_branches.json", ["choice", "answer"], 0),
    "fork_merge": ("fork_merge.parquet", ["overlap"], 0),
    "agent_with_tools": ("agent_with_tools.csv", ["answer"], 0),
    "subgraph_reuse": ("subgraph_reuse.jsonl", ["summary"], 0),
}

SYNALINKS_ONLY = {"agent_with_tools"}
"""Examples only the Synalinks backend runs: their answers come from the worker."""


def input_field(graph) -> str:
    from core.nodes.program_io import program_inputs

    spec = graph.data_models[program_inputs(graph)[0].params["data_model"]]
    return spec.fields[0].name


async def _answers(name: str) -> tuple[str, list[Any]]:
    from core.engine import Engine, OfflineModelClient, RunOptions
    from core.files import load_graph
    from core.registry import default_registry

    registry = default_registry()
    graph = load_graph(ROOT / "saved_graphs" / f"{name}.json", registry)
    engine = Engine(
        registry,
        RunOptions(model_override="offline", offline_delay=0),
        model_client=OfflineModelClient(),
    )
    field = input_field(graph)
    index = EXAMPLES[name][2]
    outputs = []
    for topic in TOPICS:
        record = await engine.run(graph, {field: topic})
        outputs.append(record.outputs[index])
    return field, outputs


def _synalinks_answers(name: str) -> tuple[str, list[Any]]:
    """What the example answers on the Synalinks backend (an evaluation whose
    expected values are placeholders, read back from a scratch run store)."""
    import os
    import tempfile

    from core.cli import main
    from core.files import load_graph
    from core.registry import default_registry
    from core.store.evaluations import EvalStore

    graph_file = ROOT / "saved_graphs" / f"{name}.json"
    field = input_field(load_graph(graph_file, default_registry()))
    expected = EXAMPLES[name][1]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "placeholders.jsonl"
        data.write_text(
            "".join(json.dumps({field: t, **dict.fromkeys(expected, "?")}) + "\n" for t in TOPICS)
        )
        os.environ["SYNALINKS_CANVAS_DATA_DIR"] = tmp
        code = main(["eval", str(graph_file), "--data", str(data), "--model", "offline", "--json"])
        if code not in (0, 1):
            raise RuntimeError(f"the evaluation of {name} on Synalinks failed (exit {code})")
        store = EvalStore(Path(tmp) / "runs.sqlite")
        rows = list(store.rows(store.evaluations()[0].id))
        store.close()
    return field, [r.predicted for r in rows]


def rows_for(name: str) -> list[dict[str, Any]]:
    if name in SYNALINKS_ONLY:
        field, outputs = _synalinks_answers(name)
    else:
        field, outputs = asyncio.run(_answers(name))
    expected_fields = EXAMPLES[name][1]
    rows = []
    for i, (topic, out) in enumerate(zip(TOPICS, outputs, strict=True)):
        row: dict[str, Any] = {field: topic}
        wrong = i % 3 == 2  # one row in three expects something else
        for f in expected_fields:
            value = out[f]
            if wrong and f == expected_fields[-1]:
                if f in ("choice", "overlap"):
                    options = ["low", "medium", "high"] if f == "overlap" else ["easy", "difficult"]
                    value = options[(options.index(value) + 1) % len(options)]
                else:
                    value = outputs[(i + 1) % len(outputs)][f]
            row[f] = value
        rows.append(row)
    return rows


def write(name: str) -> Path:
    FOLDER.mkdir(parents=True, exist_ok=True)
    path = FOLDER / EXAMPLES[name][0]
    rows = rows_for(name)
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    elif path.suffix == ".jsonl":
        path.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
    elif path.suffix == ".json":
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def main(names: list[str] | None = None) -> None:
    for name in names or EXAMPLES:
        print(write(name))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
