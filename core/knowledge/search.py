"""Synalinks' five searches over a knowledge base, run by the Synalinks worker.

Synalinks searches a DuckDB knowledge base five ways (``KnowledgeBase``
methods): ``similarity`` (the query's embedding against each row's, by the
base's metric), ``fulltext`` (BM25 over the text columns; needs DuckDB's
``fts`` extension), ``regex`` (RE2 patterns over the text columns),
``hybrid_fts`` (similarity and BM25 fused by reciprocal rank; vectors only
when ``fts`` is missing) and ``hybrid_regex`` (similarity and regex fused).
Three of them embed the query with the base's embedding model, which is a
model call: so every search runs in the worker with Synalinks' own methods
(never re-implemented here), and the offline embedding model is answered by
the loopback endpoint as in a run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.engine.options import is_offline
from core.knowledge.errors import knowledge_hint
from core.knowledge.search_types import NEEDS_EMBEDDINGS, SEARCH_TYPES, SearchError
from core.model.graph import GraphMeta
from core.model.resources import KnowledgeBaseSpec
from core.runtime import protocol as p
from core.runtime.client import WorkerError, new_request_id


def search_request(
    meta: GraphMeta,
    kb: KnowledgeBaseSpec,
    graph_folder: str | Path | None,
    table: str,
    query: str,
    search_type: str,
    k: int = 10,
    offline_api_base: str | None = None,
) -> p.KnowledgeSearchRequest:
    """The worker request for one search; :class:`SearchError` when it cannot run."""
    if search_type not in SEARCH_TYPES:
        raise SearchError(
            f"unknown search type {search_type!r}; use one of {', '.join(SEARCH_TYPES)}"
        )
    if not query.strip():
        raise SearchError("type what to search for")
    embedding = None
    if kb.embedding_model:
        spec = next((m for m in meta.embedding_models if m.name == kb.embedding_model), None)
        if spec is None:
            raise SearchError(
                f"knowledge base {kb.name} names the embedding model {kb.embedding_model!r}, "
                "which this graph does not have; fix it in Graph settings"
            )
        embedding = {"model": spec.model, "api_base": spec.api_base}
    elif search_type in NEEDS_EMBEDDINGS:
        raise SearchError(
            f"a {search_type} search embeds the query, and knowledge base {kb.name} has no "
            "embedding model; choose one in Graph settings → Knowledge bases, or search by "
            "fulltext or regex"
        )
    offline = None
    if embedding and is_offline(embedding["model"]):
        if not offline_api_base:
            raise SearchError("the offline embedding model needs the offline endpoint running")
        offline = {"api_base": offline_api_base}
    return p.KnowledgeSearchRequest(
        id=new_request_id(),
        path=str(kb.file(graph_folder)),
        table=table,
        query=query,
        search_type=search_type,
        k=k,
        embedding=embedding,
        metric=kb.metric,
        offline=offline,
    )


async def run_search(worker: Any, request: p.KnowledgeSearchRequest) -> list[dict[str, Any]]:
    """The rows the worker found (best first); :class:`SearchError` otherwise."""
    try:
        async for message in worker.request(request):
            if isinstance(message, p.KnowledgeRows):
                return list(message.rows)
            if isinstance(message, p.WorkerErrorMessage):
                text = " ".join(worker.redact(message.message).split())
                if "match_bm25" in text or "fts" in text.lower():
                    text += (
                        "; full-text search needs DuckDB's fts extension, which Synalinks "
                        "installs on its first use (it downloads it once): search by "
                        "similarity or regex meanwhile"
                    )
                raise SearchError(f"Synalinks could not search: {knowledge_hint(text)}")
    except WorkerError as exc:
        raise SearchError(str(exc)) from None
    raise SearchError("the Synalinks worker ended the search without an answer")
