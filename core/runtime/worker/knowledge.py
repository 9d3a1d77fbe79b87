"""Knowledge bases in the worker: relative DuckDB paths, the offline embedder,
and DuckDB extension downloads.

* A graph gives a knowledge base's DuckDB file relative to its own folder;
  the exported script says ``duckdb://<relative path>``, which DuckDB opens
  from the current folder, so programs are built in the graph's folder.
* Embedding models named ``offline`` (like language models) are routed to the
  editor's loopback endpoint, wherever they sit: on a module
  (``EmbedKnowledge``) or inside a knowledge base and its adapters.
* Synalinks installs DuckDB's ``fts`` and ``vss`` extensions on first use,
  which downloads them. With ``SYNALINKS_CANVAS_DUCKDB_DOWNLOADS=0`` (the
  tests, machines without network) nothing is downloaded: extensions already
  installed still load, and without ``fts`` full-text search fails and hybrid
  search falls back to vectors, as Synalinks itself does.

Part of the synalinks runtime worker (standard library and synalinks only).
"""

from __future__ import annotations

import contextlib
import json
import os

DOWNLOADS = "SYNALINKS_CANVAS_DUCKDB_DOWNLOADS"
OFFLINE = "offline"


def is_offline(model) -> bool:
    return isinstance(model, str) and (model == OFFLINE or model.startswith(OFFLINE + "/"))


def guard_extension_downloads() -> None:
    """Keep Synalinks from downloading DuckDB extensions when told not to."""
    if os.environ.get(DOWNLOADS, "1") != "0":
        return
    try:
        from synalinks.src.knowledge_bases.database_adapters import duckdb_adapter
    except ImportError:  # a synalinks without DuckDB knowledge bases: nothing to keep off
        return

    def installed_only(self) -> None:
        return None  # LOAD still finds extensions installed earlier

    duckdb_adapter.DuckDBAdapter._install_extensions = installed_only


@contextlib.contextmanager
def in_folder(folder: str | None):
    """Run the block with ``folder`` as the current folder (relative DuckDB paths)."""
    if not folder:
        yield
        return
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def route_offline_embeddings(synalinks, modules, endpoint: dict | None) -> list:
    """Point every offline embedding model reachable from ``modules`` (directly,
    or through a knowledge base and its adapters) at the loopback endpoint.
    Returns the embedding models made for it."""
    if not endpoint:
        return []
    EmbeddingModel = synalinks.EmbeddingModel
    KnowledgeBase = synalinks.KnowledgeBase
    made: dict[int, object] = {}

    def routed(model):
        if id(model) not in made:
            made[id(model)] = EmbeddingModel(
                model=f"openai/{OFFLINE}",
                api_base=endpoint["api_base"],
                api_key="offline",  # the endpoint takes any key
                retry=2,
                name=model.name,
            )
        return made[id(model)]

    def fix(owner) -> None:
        for attr, value in list(vars(owner).items()):
            if isinstance(value, EmbeddingModel) and is_offline(value.model):
                object.__setattr__(owner, attr, routed(value))

    seen: set[int] = set()
    for module in modules:
        fix(module)
        for value in list(vars(module).values()):
            if isinstance(value, KnowledgeBase) and id(value) not in seen:
                seen.add(id(value))
                fix(value)
                for adapter in (value.sql_adapter, value.graph_adapter):
                    if adapter is not None:
                        fix(adapter)
    return list(made.values())


# ------------------------------------------------------------ holding files
def knowledge_bases_of(modules) -> list:
    """The knowledge bases the modules hold (each once)."""
    import synalinks

    found: dict[int, object] = {}
    for module in modules:
        for value in list(vars(module).values()):
            if isinstance(value, synalinks.KnowledgeBase):
                found.setdefault(id(value), value)
    return list(found.values())


def _duckdb_adapters(bases) -> list:
    from synalinks.src.knowledge_bases.database_adapters.duckdb_adapter import DuckDBAdapter

    return [kb.sql_adapter for kb in bases if isinstance(kb.sql_adapter, DuckDBAdapter)]


def pin_paths(bases) -> None:
    """Make the adapters' file paths absolute (call it in the graph's folder), so
    reopening a file later does not depend on the current folder."""
    for adapter in _duckdb_adapters(bases):
        if adapter.uri != ":memory:":
            adapter.uri = os.path.abspath(adapter.uri)


def release(bases) -> None:
    """Close the knowledge bases' DuckDB files, so other processes (the editor's
    Knowledge panel, another program) can open them between runs: DuckDB lets
    one process write a file, and Synalinks keeps its connection open."""
    for adapter in _duckdb_adapters(bases):
        adapter.close()


def reopen(bases) -> None:
    """Open the files again before a run, as Synalinks' adapter opens them."""
    for adapter in _duckdb_adapters(bases):
        if adapter._con is None:
            adapter._con = adapter._open_main_connection()
            adapter._sandbox(adapter._con)


# ------------------------------------------------------------- searching
SEARCH_TYPES = ("similarity", "fulltext", "regex", "hybrid_fts", "hybrid_regex")


def embedding_model_for(synalinks, spec: dict | None, offline: dict | None):
    if not spec or not spec.get("model"):
        return None
    if is_offline(spec["model"]):
        if not offline:
            raise ValueError("the offline embedding model needs the editor's offline endpoint")
        return synalinks.EmbeddingModel(
            model=f"openai/{OFFLINE}", api_base=offline["api_base"], api_key="offline", retry=2
        )
    return synalinks.EmbeddingModel(model=spec["model"], api_base=spec.get("api_base") or None)


async def search(synalinks, message: dict) -> list:
    """One of Synalinks' five searches over a DuckDB knowledge base, with its own
    ``KnowledgeBase`` methods; the embedding column is left out of the rows."""
    kind = message["search_type"]
    if kind not in SEARCH_TYPES:
        raise ValueError(f"search_type must be one of {', '.join(SEARCH_TYPES)}, not {kind!r}")
    kb = synalinks.KnowledgeBase(
        uri=f"duckdb://{message['path']}",
        embedding_model=embedding_model_for(
            synalinks, message.get("embedding"), message.get("offline")
        ),
        metric=message.get("metric") or "cosine",
    )
    table, query, k = message["table"], message["query"], int(message.get("k") or 10)
    try:
        if kind == "similarity":
            rows = await kb.similarity_search(query, table_name=table, k=k)
        elif kind == "fulltext":
            rows = await kb.fulltext_search(query, table_name=table, k=k)
        elif kind == "regex":
            rows = await kb.regex_search(query, table_name=table, k=k)
        elif kind == "hybrid_fts":
            rows = await kb.hybrid_fts_search(query, table_name=table, k=k)
        else:
            rows = await kb.hybrid_regex_search(
                query,
                pattern_or_patterns=message.get("pattern") or query,
                table_name=table,
                k=k,
            )
    finally:
        release([kb])
    rows = [{k: v for k, v in dict(row).items() if k != "embedding"} for row in rows or []]
    return json.loads(json.dumps(rows, default=str))  # dates, decimals... as text
