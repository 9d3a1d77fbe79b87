"""The run store: one SQLite file (WAL) in the user's data folder.

Cached node results live here today; run history and evaluation rows are meant
to join them in the same file, each as tables added by a schema migration (see
:mod:`core.store.schema`), so there is one place, one version and one set of
fault rules for everything a run leaves behind.
"""

from core.store.database import StoreProblem, open_database
from core.store.node_cache import DEFAULT_MAX_BYTES, NodeCache
from core.store.paths import STORE_FILE, default_store_path
from core.store.schema import SCHEMA_VERSION

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SCHEMA_VERSION",
    "STORE_FILE",
    "NodeCache",
    "StoreProblem",
    "default_store_path",
    "open_database",
]
