"""Embedding models and knowledge bases in the graph: kept in files, validated,
referred to by the knowledge modules, exported as synalinks code and read back."""

from __future__ import annotations

import ast
import json

import pytest
from pydantic import ValidationError

from core.commands.data_model_commands import RenameDataModel
from core.export.errors import ExportError
from core.export.python_script import export_python
from core.files import dumps_graph, load_graph, loads_graph
from core.importer import import_python
from core.importer.errors import ScriptImportError
from core.model.data_models import DataModelSpec, FieldSpec
from core.model.graph import GraphMeta
from core.model.resources import EmbeddingModelSpec, KnowledgeBaseSpec, path_for_graph
from core.registry import default_registry
from core.validation import validate
from tests.core.builders import ANSWER, QUERY, GraphBuilder

REGISTRY = default_registry()
DOC = DataModelSpec(
    name="Doc",
    fields=(FieldSpec(name="id"), FieldSpec(name="text")),
)
EMBEDDER = EmbeddingModelSpec(name="embedder", model="openai/text-embedding-3-small")
KB = KnowledgeBaseSpec(
    name="kb", path="data/kb.db", data_models=("Doc",), embedding_model="embedder"
)


def retrieval_graph(**params):
    b = GraphBuilder(REGISTRY, QUERY, ANSWER, DOC)
    b.add("Input", "query", data_model="Query")
    b.add(
        "RetrieveKnowledge",
        "retriever",
        **{"knowledge_base": "kb", "data_models": ["Doc"], "search_type": "similarity", **params},
    )
    b.add("Output", "out", order=0)
    b.chain("query", "retriever", "out")
    b.graph.meta = GraphMeta(embedding_models=(EMBEDDER,), knowledge_bases=(KB,))
    return b.graph


def errors(graph):
    return [d for d in validate(graph, REGISTRY) if d.is_error]


# ------------------------------------------------------------------ the specs
def test_specs_refuse_what_would_not_export_or_travel():
    with pytest.raises(ValidationError, match="not a Python identifier"):
        KnowledgeBaseSpec(name="my kb", path="kb.db")
    with pytest.raises(ValidationError, match="starts with ~"):
        KnowledgeBaseSpec(name="kb", path="~/kb.db")
    with pytest.raises(ValidationError, match="is a URI"):
        KnowledgeBaseSpec(name="kb", path="duckdb://kb.db")
    with pytest.raises(ValidationError, match="metric 'dot' is not one of cosine, l2sq, ip"):
        KnowledgeBaseSpec(name="kb", path="kb.db", metric="dot")
    with pytest.raises(ValidationError, match="needs a model name"):
        EmbeddingModelSpec(name="e", model="  ")


def test_a_file_beside_the_graph_is_kept_relative_and_elsewhere_absolute(tmp_path):
    graph_folder = tmp_path / "project"
    (graph_folder / "data").mkdir(parents=True)
    assert path_for_graph(graph_folder / "data" / "kb.db", graph_folder) == "data/kb.db"
    outside = tmp_path / "elsewhere" / "kb.db"
    assert path_for_graph(outside, graph_folder) == str(outside.resolve())
    assert path_for_graph(outside, None) == str(outside.resolve())
    spec = KnowledgeBaseSpec(name="kb", path="data/kb.db")
    assert spec.file(graph_folder) == (graph_folder / "data" / "kb.db").resolve()
    assert KnowledgeBaseSpec(name="kb", path=str(outside)).file(graph_folder) == outside


def test_resources_are_saved_and_loaded_back_identically(tmp_path):
    graph = retrieval_graph()
    text = dumps_graph(graph)
    document = json.loads(text)
    assert document["meta"]["knowledge_bases"] == [
        {
            "data_models": ["Doc"],
            "embedding_model": "embedder",
            "metric": "cosine",
            "name": "kb",
            "path": "data/kb.db",
        }
    ]
    again = loads_graph(text, REGISTRY)
    assert again.meta.knowledge_bases == (KB,) and again.meta.embedding_models == (EMBEDDER,)
    assert dumps_graph(again) == text


# ----------------------------------------------------------------- validation
def test_a_well_referenced_retriever_is_valid():
    assert errors(retrieval_graph()) == []


def test_unknown_references_are_reported_on_the_node():
    graph = retrieval_graph(knowledge_base="nope", data_models=["Doc", "Ghost"])
    retriever = graph.node_by_name("retriever").id
    messages = [d.message for d in errors(graph) if d.node_id == retriever]
    assert len(messages) == 2
    assert any(
        "no knowledge base named 'nope'" in m
        and "Graph settings → Knowledge bases" in m
        and "or use one of kb" in m
        for m in messages
    ), messages
    assert any("'Ghost', which is not a data model of this graph" in m for m in messages)


def test_a_missing_knowledge_base_or_embedding_model_says_where_to_add_one():
    graph = retrieval_graph(knowledge_base="")
    messages = [d.message for d in errors(graph)]
    assert any(
        "set knowledge base" in m and "add one in Graph settings → Knowledge bases" in m
        for m in messages
    ), messages
    b = GraphBuilder(REGISTRY, QUERY, ANSWER, DOC)
    b.add("Input", "doc", data_model="Doc")
    b.add("EmbedKnowledge", "embed")
    b.add("Output", "out", order=0)
    b.chain("doc", "embed", "out")
    messages = [d.message for d in errors(b.graph)]
    assert any(
        "set embedding model" in m and "Graph settings → Embedding models" in m for m in messages
    ), messages


def test_a_knowledge_base_naming_what_the_graph_lacks_is_an_error():
    graph = retrieval_graph()
    graph.meta = GraphMeta(
        embedding_models=(EMBEDDER, EMBEDDER),
        knowledge_bases=(
            KB.model_copy(update={"embedding_model": "other", "data_models": ("X",)}),
        ),
    )
    messages = sorted(d.message for d in errors(graph) if d.node_id is None)
    assert "2 embedding models are named 'embedder'" in messages[0]
    assert any("no embedding model named 'other'" in m for m in messages)
    assert any("its table 'X' is not a data model of this graph" in m for m in messages)


def test_graph_store_retrievers_say_the_canvas_has_duckdb_tables_only():
    b = GraphBuilder(REGISTRY, QUERY, ANSWER, DOC)
    b.add("Input", "query", data_model="Query")
    b.add("EntitySimilaritySearch", "entities", knowledge_base="kb", entity_model="Doc")
    b.add("Output", "out", order=0)
    b.chain("query", "entities", "out")
    b.graph.meta = GraphMeta(embedding_models=(EMBEDDER,), knowledge_bases=(KB,))
    (problem,) = [d for d in errors(b.graph) if d.code == "needs-graph-store"]
    assert "LadybugDB graph store" in problem.message


def test_renaming_a_data_model_renames_it_in_tables_and_retrievers():
    graph = retrieval_graph()
    command = RenameDataModel(REGISTRY, "Doc", "Note")
    command.redo(graph)
    assert graph.meta.knowledge_bases[0].data_models == ("Note",)
    assert graph.node_by_name("retriever").params["data_models"] == ["Note"]
    assert errors(graph) == []
    command.undo(graph)
    assert graph.meta.knowledge_bases[0].data_models == ("Doc",)
    assert graph.node_by_name("retriever").params["data_models"] == ["Doc"]


# --------------------------------------------------------------------- export
def test_the_export_builds_the_resources_the_modules_use():
    graph = retrieval_graph(k=3)
    graph.meta = graph.meta.model_copy(
        update={
            "knowledge_bases": (
                KB.model_copy(update={"metric": "l2sq"}),
                KnowledgeBaseSpec(name="unused", path="unused.db"),
            )
        }
    )
    source = export_python(graph, REGISTRY)
    ast.parse(source)
    assert "async def build_program(language_model=None, embedding_model=None):" in source
    assert (
        "    embedder = embedding_override or synalinks.EmbeddingModel(\n"
        '        model="openai/text-embedding-3-small",\n'
        '        name="embedder",\n'
        "    )\n"
    ) in source
    assert (
        "    kb = synalinks.KnowledgeBase(\n"
        '        uri="duckdb://data/kb.db",\n'
        "        data_models=[\n"
        "            Doc,\n"
        "        ],\n"
        "        embedding_model=embedder,\n"
        '        metric="l2sq",\n'
        '        name="kb",\n'
        "    )\n"
    ) in source
    assert "        knowledge_base=kb,\n" in source
    assert "        data_models=[\n            Doc,\n        ],\n" in source
    assert "unused" not in source  # a knowledge base no module uses is left out
    assert (
        '"--embedding-model",' in source
        and "required=True" not in source.split('"--embedding-model",')[1].split(")")[0]
    )


def test_an_offline_embedder_needs_a_real_one_when_the_script_runs_alone():
    graph = retrieval_graph()
    graph.meta = graph.meta.model_copy(
        update={"embedding_models": (EMBEDDER.model_copy(update={"model": "offline"}),)}
    )
    source = export_python(graph, REGISTRY)
    after = source.split('"--embedding-model",')[1].split(")")[0]
    assert "required=True" in after
    assert "pass a real one (main's --embedding-model)" in source


def test_resource_names_that_clash_with_the_script_are_renamed_in_code_only():
    graph = retrieval_graph()
    graph.meta = GraphMeta(
        embedding_models=(EMBEDDER.model_copy(update={"name": "embedding_model"}),),
        knowledge_bases=(
            KB.model_copy(update={"name": "program", "embedding_model": "embedding_model"}),
        ),
    )
    graph.set_params(graph.node_by_name("retriever").id, {"knowledge_base": "program"})
    source = export_python(graph, REGISTRY)
    assert "embedding_model_ = embedding_override or synalinks.EmbeddingModel(" in source
    assert "program_ = synalinks.KnowledgeBase(" in source and 'name="program",' in source
    assert "knowledge_base=program_," in source
    again = import_python(source, REGISTRY).graph
    assert again.meta.knowledge_bases[0].name == "program"
    assert export_python(again, REGISTRY) == source


def test_an_invalid_reference_refuses_the_export():
    with pytest.raises(ExportError, match="no knowledge base named 'nope'"):
        export_python(retrieval_graph(knowledge_base="nope"), REGISTRY)


# --------------------------------------------------------------------- import
@pytest.mark.parametrize("name", ["knowledge_ingest", "knowledge_retrieval"])
def test_the_examples_export_and_import_back_to_the_same_script(name, repo_root):
    graph = load_graph(repo_root / "saved_graphs" / f"{name}.json", REGISTRY)
    source = export_python(graph, REGISTRY)
    result = import_python(source, REGISTRY)
    assert result.warnings == []
    assert result.graph.meta.knowledge_bases == graph.meta.knowledge_bases
    assert result.graph.meta.embedding_models == graph.meta.embedding_models
    assert export_python(result.graph, REGISTRY) == source


HEADER = """
import synalinks

class Doc(synalinks.DataModel):
    id: str
    text: str

async def build():
    x0 = synalinks.Input(data_model=Doc)
{body}
    return synalinks.Program(inputs=x0, outputs=x1)
"""


def script(body: str) -> str:
    return HEADER.format(body="\n".join("    " + line for line in body.strip().splitlines()))


def test_a_users_script_with_a_knowledge_base_imports():
    source = script(
        """
em = synalinks.EmbeddingModel(model="ollama/mxbai-embed-large")
kb = synalinks.KnowledgeBase(uri="duckdb://./docs.db", data_models=[Doc], embedding_model=em)
x1 = await synalinks.EmbedKnowledge(embedding_model=em, in_mask=["text"])(x0)
"""
    )
    graph = import_python(source, REGISTRY).graph
    assert graph.meta.embedding_models == (
        EmbeddingModelSpec(name="embedding_model", model="ollama/mxbai-embed-large"),
    )
    assert graph.meta.knowledge_bases == (
        KnowledgeBaseSpec(
            name="knowledge_base",
            path="./docs.db",
            data_models=("Doc",),
            embedding_model="embedding_model",
        ),
    )
    assert graph.node_by_name("embed_knowledge").params["embedding_model"] == "embedding_model"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("kb = synalinks.KnowledgeBase()", 'needs uri= as a literal "duckdb://<file>"'),
        ('kb = synalinks.KnowledgeBase(uri="ladybug://g.lb")', "DuckDB knowledge bases only"),
        ('kb = synalinks.KnowledgeBase(uri="duckdb://:memory:")', "keeps nothing between runs"),
        (
            'kb = synalinks.KnowledgeBase(uri="duckdb://k.db", data_models=["Doc"])',
            "data_models= must be a list of DataModel classes",
        ),
        (
            'kb = synalinks.KnowledgeBase(uri="duckdb://k.db", metric="dot")',
            "metric= must be one of cosine, l2sq, ip",
        ),
    ],
)
def test_a_knowledge_base_the_graph_cannot_hold_is_refused_on_its_line(line, message):
    source = script(line + "\nx1 = await synalinks.UpdateKnowledge(knowledge_base=kb)(x0)")
    with pytest.raises(ScriptImportError) as raised:
        import_python(source, REGISTRY, "user.py")
    problem = next(p for p in raised.value.problems if message in p.message)
    assert problem.line == next(
        i for i, text in enumerate(source.splitlines(), 1) if "KnowledgeBase(" in text
    )
