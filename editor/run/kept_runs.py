"""The runs kept across sessions, as one window's run feature uses them.

Every run the window makes is saved to the run store when it ends (the same
store the command line writes, keyed by the graph file's resolved path), the
History page lists the graph's earlier runs from there, and a run from a node
finds the values of the nodes feeding it there (after this session's runs).
One :class:`~core.store.run_store.RunStore` per store file and process, like
the node cache, so windows share one connection.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.store import RunStore, default_store_path, graph_key_for
from core.store.run_store import RunSummary

if TYPE_CHECKING:
    from core.engine.scope import Seed
    from editor.document import GraphDocument
    from editor.run.history import RunEntry, RunHistory

_STORES: dict[Path, RunStore] = {}
HISTORY_LIMIT = 500
"""The newest kept runs of a graph the History page lists."""


def shared_runs(path: Path | None = None) -> RunStore:
    """The process's kept runs in ``path`` (default: the user's run store)."""
    path = Path(path or default_store_path())
    if path not in _STORES:
        _STORES[path] = RunStore(path)
    return _STORES[path]


class KeptRuns:
    """Save, list, reopen and delete one window's runs in the run store."""

    def __init__(self, registry: Any) -> None:
        self.registry = registry
        self.path: Path | None = None  # None: the user's store (read when used)
        self._warnings: list[str] = []

    @property
    def store(self) -> RunStore:
        return shared_runs(self.path)

    @staticmethod
    def key(document: GraphDocument) -> str:
        """The runs of a saved graph are its file's; an unsaved one's are its own."""
        if document.path is not None:
            return graph_key_for(document.path)
        unsaved = getattr(document, "unsaved_run_key", None)
        if unsaved is None:
            unsaved = uuid.uuid4().hex
            document.unsaved_run_key = unsaved
        return graph_key_for(None, unsaved)

    def follow_first_save(self, document: GraphDocument, history: RunHistory) -> None:
        """A graph never saved got a file: its runs so far (kept, and those of this
        session still to be kept) are filed under the file from now on."""
        unsaved = getattr(document, "unsaved_run_key", None)
        if unsaved is None or document.path is None:
            return
        old, new = graph_key_for(None, unsaved), graph_key_for(document.path)
        self.store.rekey(old, new)
        self._collect()
        for entry in history.entries:
            if entry.kept_key == old:
                entry.kept_key = new
        document.unsaved_run_key = None

    # ---------------------------------------------------------------- writing
    def save(self, key: str, entry: RunEntry) -> bool:
        """Keep a finished run under the graph ``key`` (see :meth:`key`); a run
        that never started has nothing to keep."""
        if entry.record is None or entry.record.status == "running":
            return False
        saved = self.store.save(
            graph_key=key,
            graph=entry.graph,
            record=entry.record,
            inputs=entry.inputs,
            started_at=entry.started_wall,
            backend=entry.backend,
            model=entry.model_label,
            scope=entry.scope_text,
            origin="editor",
        )
        self._collect()
        return saved

    def delete(self, run_ids: Sequence[str]) -> int:
        deleted = self.store.delete(run_ids)
        self._collect()
        return deleted

    # ---------------------------------------------------------------- reading
    def summaries(self, document: GraphDocument) -> list[RunSummary]:
        listed = self.store.list(self.key(document), HISTORY_LIMIT)
        self._collect()
        return listed

    def open(self, document: GraphDocument, run_id: str) -> RunEntry | None:
        """A kept run as a history entry of ``document`` (None: it is gone)."""
        from core.engine.runnable import copy_graph
        from core.files import graph_from_document
        from core.files.serialize import DocumentError
        from core.store.run_codec import record_from_json
        from editor.run.history import RunEntry

        stored = self.store.load(run_id)
        self._collect()
        if stored is None:
            return None
        try:
            graph = graph_from_document(stored.graph, self.registry)
        except (DocumentError, ValueError):  # a node type this editor no longer has
            graph = copy_graph(document.graph)
        summary = stored.summary
        stamp = time.strftime("%b %d %H:%M", time.localtime(summary.started_at))
        inputs = stored.inputs if isinstance(stored.inputs, dict) else {"input": stored.inputs}
        entry = RunEntry(
            number=0,
            graph=graph,
            inputs=inputs,
            model_label=summary.model or "the graph's models",
            model_override=None,
            document_name=document.display_name(),
            backend=summary.backend or "builtin",
            started_wall=summary.started_at,
            record=record_from_json(stored.record),
            scope_text=summary.scope,
            label=f"Run {summary.run_id[:6]} ({stamp})",
        )
        entry.bind_document(document)
        return entry

    def seeds(self, document: GraphDocument, history: RunHistory):
        """Where a run from a node finds the values of the nodes feeding it: this
        session's runs of the graph (newest first), then the kept ones."""
        from core.engine.scope import Seed

        def lookup(node_ids: Sequence[str]) -> dict[str, Seed]:
            found: dict[str, Seed] = {}
            for entry in reversed(history.entries):
                if not entry.belongs_to(document) or entry.record is None:
                    continue
                for nid in node_ids:
                    rec = entry.record.nodes.get(nid)
                    if nid not in found and rec is not None and rec.state == "finished":
                        found[nid] = Seed(rec.outputs, rec.result, entry.record.run_id)
            missing = [n for n in node_ids if n not in found]
            if missing:
                found.update(self.store.latest_values(self.key(document), missing))
                self._collect()
            return found

        return lookup

    # ----------------------------------------------------------------- faults
    def take_warning(self) -> str | None:
        """Why runs could not be kept or read since the last call, once."""
        self._collect()
        if not self._warnings:
            return None
        message = " ".join(dict.fromkeys(self._warnings))
        self._warnings.clear()
        return message

    def _collect(self) -> None:
        warning = self.store.take_warning()
        if warning:
            self._warnings.append(warning)


class HistorySource:
    """What the History page asks of the kept runs of the window's graph."""

    def __init__(self, kept: KeptRuns, document: GraphDocument) -> None:
        self.kept = kept
        self.document = document

    def open(self, run_id: str) -> RunEntry | None:
        return self.kept.open(self.document, run_id)

    def delete(self, run_ids: Sequence[str]) -> int:
        return self.kept.delete(run_ids)


def latest_inputs(store_runs: KeptRuns, document: GraphDocument) -> Any | None:
    """The inputs of the graph's newest kept run (None when none is kept)."""
    listed = store_runs.store.list(store_runs.key(document), 1)
    if not listed:
        return None
    stored = store_runs.store.load(listed[0].run_id)
    return stored.inputs if stored is not None else None
