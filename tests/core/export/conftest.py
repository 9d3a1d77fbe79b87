"""One batch of exported scripts run under the real synalinks, shared by the tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from core.export import export_python
from core.model.graph import Graph
from core.registry import default_registry
from tests.core.export import cases
from tests.core.export.synalinks_env import run_batch


@dataclass
class Case:
    name: str
    graph: Graph
    script: str
    path: Path
    report: dict | None = None


@pytest.fixture(scope="session")
def sentinel(tmp_path_factory) -> Path:
    """The file hostile strings try to create if any of them were ever executed."""
    return tmp_path_factory.mktemp("sentinel") / "executed.txt"


@pytest.fixture(scope="session")
def synalinks_cases(tmp_path_factory, sentinel) -> dict[str, Case]:
    """Every export case, exported, then built and run once under real synalinks."""
    registry = default_registry()
    workdir = tmp_path_factory.mktemp("synalinks")
    graphs: dict[str, Graph] = {name: cases.saved_graph(name, registry) for name in cases.SAVED}
    for seed in cases.GENERATED_SEEDS:
        graphs[f"generated_{seed}"] = cases.generated_graph(seed)
    graphs["hostile"] = cases.hostile_graph(sentinel)
    graphs["two_inputs"] = cases.two_input_graph()
    graphs["nested"] = cases.nested_graph()
    found: dict[str, Case] = {}
    for name, graph in graphs.items():
        script = export_python(graph, registry)
        path = workdir / f"{name}.py"
        path.write_text(script, encoding="utf-8")
        found[name] = Case(name, graph, script, path)
    reports = run_batch(
        [
            {"path": str(c.path), "run": True, "build_default": True, "as_main": True}
            for c in found.values()
        ],
        workdir,
    )
    for case, report in zip(found.values(), reports, strict=True):
        case.report = report
    return found
