"""The names of Synalinks' five searches over a knowledge base, and what each does
(light: the Knowledge panel lists them without loading the worker's client)."""

from __future__ import annotations

SEARCH_TYPES = ("similarity", "fulltext", "regex", "hybrid_fts", "hybrid_regex")
NEEDS_EMBEDDINGS = frozenset({"similarity", "hybrid_fts", "hybrid_regex"})
DESCRIPTIONS = {
    "similarity": "nearest embeddings to the query's (cosine, l2sq or ip)",
    "fulltext": "BM25 keyword ranking (DuckDB's fts extension)",
    "regex": "an RE2 pattern over the text columns",
    "hybrid_fts": "similarity and BM25 fused by reciprocal rank",
    "hybrid_regex": "similarity and a regex fused by reciprocal rank",
}


class SearchError(Exception):
    """The search could not run; ``str()`` says why and what to do."""
