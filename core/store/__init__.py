"""The run store: one SQLite file (WAL) in the user's data folder.

Cached node results, evaluation rows and the runs kept across sessions live
here, each as tables added by a schema migration (see :mod:`core.store.schema`),
so there is one place, one version and one set of fault rules for everything a
run leaves behind.
"""

from core.store.database import StoreProblem, open_database
from core.store.node_cache import DEFAULT_MAX_BYTES, NodeCache
from core.store.paths import STORE_FILE, default_store_path
from core.store.run_store import RunStore, RunSummary, StoredRun, graph_key_for
from core.store.schema import SCHEMA_VERSION

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SCHEMA_VERSION",
    "STORE_FILE",
    "NodeCache",
    "RunStore",
    "RunSummary",
    "StoredRun",
    "StoreProblem",
    "default_store_path",
    "graph_key_for",
    "open_database",
]
