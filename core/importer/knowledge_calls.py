"""``synalinks.EmbeddingModel(...)`` and ``synalinks.KnowledgeBase(...)`` -> the
graph's embedding models and knowledge bases.

Each becomes a named resource of the graph (its ``name=``, else a name of
its kind made unique), and the modules that receive one refer to it by that
name. Only what a graph can hold is read: literal model names, a DuckDB URI
(``duckdb://path``, relative paths kept relative, as the export writes
them), DataModel classes of the script as tables, and one of the script's
embedding models; anything else is reported with its line.
"""

from __future__ import annotations

from typing import Any

from core.importer import values as v
from core.model.resources import METRICS

SCHEME = "duckdb://"


class KnowledgeCalls:
    """Mixin for the script reader (which provides ``report`` and the lists)."""

    embedding_models: list[v.EmbeddingModel]
    knowledge_bases: list[v.KnowledgeBase]

    def _resource_name(self, kwargs: dict[str, Any], default: str, taken: set[str]) -> str:
        literal = kwargs.get("name")
        name = literal.value if isinstance(literal, v.Literal) else None
        base = name if isinstance(name, str) and name.isidentifier() else default
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        return candidate

    def make_embedding_model(self, args: list, kwargs: dict[str, Any], line: int) -> Any:
        model = kwargs.get("model", args[0] if args else None)
        literal = model.value if isinstance(model, v.Literal) else None
        if not (isinstance(literal, str) and literal):
            # Chosen at run time (main's --embedding-model): nothing for the graph to
            # keep; a knowledge base or module given it says so.
            return v.EmbeddingModel("", None, None, line)
        api_base = kwargs.get("api_base")
        base = api_base.value if isinstance(api_base, v.Literal) else None
        taken = {m.name for m in self.embedding_models}
        em = v.EmbeddingModel(
            self._resource_name(kwargs, "embedding_model", taken),
            literal,
            base if isinstance(base, str) else None,
            line,
        )
        self.embedding_models.append(em)
        return em

    def make_knowledge_base(self, args: list, kwargs: dict[str, Any], line: int) -> Any:
        uri = kwargs.get("uri")
        text = uri.value if isinstance(uri, v.Literal) else None
        if not (isinstance(text, str) and text.startswith(SCHEME) and text != SCHEME):
            self.report(
                line,
                'synalinks.KnowledgeBase needs uri= as a literal "duckdb://<file>" (the canvas '
                "keeps DuckDB knowledge bases only; a graph store or the default home path "
                "cannot be shown); write the file in the call",
            )
            return None
        path = text[len(SCHEME) :]
        if path == ":memory:":
            self.report(
                line,
                "synalinks.KnowledgeBase on :memory: keeps nothing between runs; give it a "
                'DuckDB file (uri="duckdb://notes.db")',
            )
            return None
        tables: list[str] = []
        models = kwargs.get("data_models")
        if models is not None and not (isinstance(models, v.Literal) and models.value is None):
            items = models.items if isinstance(models, v.Sequence) else None
            if items is None or not all(isinstance(i, v.DataModelClass) for i in items):
                self.report(
                    line,
                    "synalinks.KnowledgeBase data_models= must be a list of DataModel classes "
                    "defined in this script",
                )
                return None
            tables = [i.name for i in items]
        embedder = kwargs.get("embedding_model")
        embedding = ""
        if isinstance(embedder, v.EmbeddingModel) and embedder.model:
            embedding = embedder.name
        elif embedder is not None and not (
            isinstance(embedder, v.Literal) and embedder.value is None
        ):
            self.report(
                line,
                "synalinks.KnowledgeBase embedding_model= must be a synalinks.EmbeddingModel "
                'made in this script with a literal model= (model="openai/text-embedding-3-small")',
            )
            return None
        metric = kwargs.get("metric")
        chosen = metric.value if isinstance(metric, v.Literal) else "cosine"
        if chosen not in METRICS:
            self.report(
                line, f"synalinks.KnowledgeBase metric= must be one of {', '.join(METRICS)}"
            )
            return None
        for key in kwargs:
            if key not in ("uri", "data_models", "embedding_model", "metric", "name"):
                self.report(
                    line,
                    f"synalinks.KnowledgeBase argument {key}= is ignored (the graph has no place "
                    "for it)",
                    "warning",
                )
        taken = {k.name for k in self.knowledge_bases}
        kb = v.KnowledgeBase(
            self._resource_name(kwargs, "knowledge_base", taken),
            path,
            tables,
            embedding,
            chosen,
            line,
        )
        self.knowledge_bases.append(kb)
        return kb
