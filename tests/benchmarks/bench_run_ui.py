"""The editor under streaming load: does the UI thread stay free, do tokens show at once?

A real editor window (1600×1000, offscreen) runs a graph of N parallel
branches (the seed's Generator → Output, N times) whose model streams 100
tokens a second per branch, through the real engine, event buffer, canvas,
result panels and timeline, on the qasync loop exactly as in the app. Only
the model is a paced in-process client (no litellm), so what is measured is
the editor, not a provider.

- **UI stall**: a 5 ms heartbeat ``QTimer`` on the UI thread records when it
  fires; the longest gap between two beats is the longest time the UI could
  not react (goal: at most 50 ms). Measured while tokens stream; pressing Run
  (building N result panels the first time) is reported apart.
- **token → paint**: the time from a token reaching the editor (the engine's
  listener) to the first paint of the result panel showing it (goal: at most
  50 ms), for the panels on screen (the others scroll out of sight and are
  not painted, which is the point of scrolling them).

Each card shows its answer streaming over its field rows; at the window's
fitted zoom a 32-branch graph is too small for card text, so two more rows
(full mode) run 32 branches with the canvas at 1:1 (a dozen streaming cards
painting their previews), with previews on and off.

    python -m tests.benchmarks run_ui            # 2, 8, 32 branches, 4 s of streaming
    python -m tests.benchmarks run_ui --quick    # 2 and 8 branches, 1 s
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_SANDBOX = tempfile.mkdtemp(prefix="bench-run-ui-")
os.environ["XDG_CONFIG_HOME"] = str(Path(_SANDBOX) / "config")
os.environ["XDG_DATA_HOME"] = str(Path(_SANDBOX) / "data")

from core.engine.model_client import ModelCall, StreamEnd  # noqa: E402
from core.engine.offline_model import tokens  # noqa: E402
from core.model.data_models import DataModelSpec, FieldSpec  # noqa: E402
from core.model.graph import Edge, Graph, GraphMeta, Node  # noqa: E402
from tests.benchmarks.table import print_table  # noqa: E402

TOKENS_PER_SECOND = 100
HEARTBEAT_MS = 5
GOAL_MS = 50.0


class PacedClient:
    """Streams a long schema-valid answer at exactly ``rate`` tokens a second
    (each token is due at start + k/rate, so timer jitter does not slow it)."""

    def __init__(self, seconds: float, rate: int = TOKENS_PER_SECOND) -> None:
        self.rate = rate
        words = max(20, int(seconds * rate * 0.85))
        thinking = " ".join(f"step{k % 97}" for k in range(words))
        answer = " ".join(f"word{k}" for k in range(max(5, int(seconds * rate * 0.1))))
        self.pieces = tokens(json.dumps({"thinking": thinking, "answer": answer}))

    async def stream(self, call: ModelCall):
        loop = asyncio.get_running_loop()
        start = loop.time()
        for k, piece in enumerate(self.pieces):
            delay = start + (k + 1) / self.rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            yield piece
        yield StreamEnd("stop", 40, len(self.pieces), 0.0)


def branches_graph(n: int) -> Graph:
    """Input → N × (Generator → Output), laid out in rows like the seed."""
    graph = Graph(
        GraphMeta(name=f"branches_{n}", example_input={"query": "What is the meaning of life?"})
    )
    graph.set_data_model(DataModelSpec(name="Query", fields=(FieldSpec(name="query"),)))
    graph.set_data_model(
        DataModelSpec(
            name="AnswerWithThinking", fields=(FieldSpec(name="thinking"), FieldSpec(name="answer"))
        )
    )
    graph.add_node(Node("in", "Input", "inputs", {"data_model": "Query"}, (0.0, 95.0 * n)))
    for i in range(n):
        params = {
            "data_model": "AnswerWithThinking",
            "instructions": "",
            "language_model": "",
            "temperature": None,
        }
        graph.add_node(Node(f"g{i}", "Generator", f"branch_{i + 1}", params, (320.0, 190.0 * i)))
        graph.add_node(Node(f"o{i}", "Output", f"output_{i + 1}", {"order": i}, (640.0, 190.0 * i)))
        graph.add_edge(Edge(f"ei{i}", "in", "output", f"g{i}", "inputs"))
        graph.add_edge(Edge(f"eo{i}", f"g{i}", "output", f"o{i}", "inputs"))
    return graph


class PaintProbe:
    """When each result panel's text view painted, and how much raw text it showed."""

    def __init__(self, panels: dict) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.paints: dict[str, list[tuple[float, int]]] = defaultdict(list)
        probe = self

        class Filter(QObject):
            def __init__(self, key: str, panel) -> None:
                super().__init__(panel)
                self.key, self.panel = key, panel

            def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
                if event.type() == QEvent.Type.Paint:
                    probe.paints[self.key].append(
                        (time.perf_counter(), len(self.panel.content.raw))
                    )
                return False

        self.filters = []
        for key, panel in panels.items():
            watcher = Filter(key, panel)
            panel.fields_view.viewport().installEventFilter(watcher)
            self.filters.append(watcher)


def measure(
    n: int, seconds: float, actual_size: bool = False, previews: bool = True
) -> dict[str, float]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from editor.document import GraphDocument
    from editor.recovery import RecoveryStore
    from editor.settings import Settings
    from editor.workspace import Workspace

    app = QApplication.instance()
    workspace = Workspace(
        Settings.at_path(Path(_SANDBOX) / f"settings-{n}.ini"),
        RecoveryStore(Path(_SANDBOX) / "rec"),
    )
    window = workspace.new_window(GraphDocument(branches_graph(n), workspace.registry))
    window.resize(1600, 1000)
    window.show()
    for _ in range(20):
        app.processEvents()
    workspace.set_show_previews(previews)
    controller = window.run_controller
    controller.cache_toggle.action.setChecked(False)  # every run streams: nothing replayed
    controller.model_client_factory = lambda _keys: PacedClient(seconds)
    arrivals: list[tuple[str, float, int]] = []  # output key, time, raw length
    output_of = {f"g{i}": f"o{i}" for i in range(n)}

    def on_event(event) -> None:
        if event.kind == "token_delta":
            arrivals.append((output_of[event.node_id], time.perf_counter(), len(event.raw)))

    controller.event_probe = on_event
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.setTimerType(heartbeat.timerType().PreciseTimer)
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))

    async def scenario() -> tuple[float, object]:
        if actual_size:
            # A short first run opens the Results dock (and fits the graph to what
            # is left); then 1:1, where card text is readable and the streaming
            # cards paint their previews, for the measured run.
            controller.model_client_factory = lambda _keys: PacedClient(0.2)
            controller.start()
            while controller.running:
                await asyncio.sleep(0.02)
            window.canvas.reset_zoom()
            window.canvas.center_on_node("g3")
            controller.model_client_factory = lambda _keys: PacedClient(seconds)
            await asyncio.sleep(0.2)
            arrivals.clear()
        heartbeat.start()
        await asyncio.sleep(0.3)
        pressed = time.perf_counter()
        entry = controller.start()
        start_cost = time.perf_counter() - pressed
        probe = PaintProbe(window.results_area.outputs.panels)
        while controller.running:
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.1)
        heartbeat.stop()
        entry.probe = probe
        return start_cost, entry

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        start_cost, entry = loop.run_until_complete(scenario())
    assert entry.status == "succeeded", entry.errors()
    probe = entry.probe

    streaming = [a[1] for a in arrivals]
    first, last = min(streaming), max(streaming)
    window_beats = [b for b in beats if first <= b <= last + 0.05]
    gaps = [b - a for a, b in zip(window_beats, window_beats[1:], strict=False)]
    latencies = []
    for key, at, length in arrivals:
        shown = next((t for t, raw in probe.paints.get(key, ()) if t >= at and raw >= length), None)
        if shown is not None:
            latencies.append(shown - at)
    visible = sum(1 for key in probe.paints if probe.paints[key])
    result = {
        "n": n,
        "events_per_s": len(arrivals) / max(1e-9, last - first),
        "start_ms": start_cost * 1000,
        "stall_ms": max(gaps) * 1000 if gaps else 0.0,
        "p99_gap_ms": sorted(gaps)[int(len(gaps) * 0.99)] * 1000 if gaps else 0.0,
        "lat_p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "lat_p95": sorted(latencies)[int(len(latencies) * 0.95)] * 1000
        if latencies
        else float("nan"),
        "lat_max": max(latencies) * 1000 if latencies else float("nan"),
        "measured": len(latencies),
        "visible": visible,
    }
    window.close()
    window.deleteLater()
    # Destroy the window now: a deferred delete would otherwise land in the next
    # measurement's loop and show up there as a stall that is not its own.
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    import gc

    gc.collect()
    return result


def main(quick: bool = False) -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication(sys.argv[:1])
    sizes, seconds = ((2, 8), 1.0) if quick else ((2, 8, 32), 4.0)
    measure(2, 0.3)  # once, unreported: first-use imports and lazily built pages
    rows = []
    cases = [(n, False, True) for n in sizes]
    if not quick:
        cases += [(32, True, True), (32, True, False)]
    for n, actual_size, previews in cases:
        r = measure(n, seconds, actual_size, previews)
        ok = r["stall_ms"] <= GOAL_MS and r["lat_max"] <= GOAL_MS
        rows.append(
            (
                n
                if not actual_size
                else f"{n}, canvas 1:1, previews {'on' if previews else 'off'}",
                TOKENS_PER_SECOND,
                f"{r['events_per_s']:.0f}",
                f"{r['start_ms']:.0f}",
                f"{r['stall_ms']:.1f}",
                f"{r['p99_gap_ms']:.1f}",
                f"{r['lat_p50']:.1f}",
                f"{r['lat_p95']:.1f}",
                f"{r['lat_max']:.1f}",
                f"{r['measured']} ({r['visible']} panels)",
                "yes" if ok else "NO",
            )
        )
    print_table(
        f"Editor under streaming load ({seconds:g} s of tokens per branch; goal: stall and token→paint ≤ {GOAL_MS:g} ms)",
        [
            "branches",
            "tok/s each",
            "events/s",
            "Run press ms",
            "UI stall max ms",
            "gap p99 ms",
            "token→paint p50 ms",
            "p95 ms",
            "max ms",
            "tokens measured",
            "goal met",
        ],
        rows,
    )


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
