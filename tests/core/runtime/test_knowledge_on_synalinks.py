"""Knowledge bases on the real synalinks, offline: the ingest example embeds and
stores records in a DuckDB file beside the graph, the retrieval example finds
the notes that share the question's words, and a damaged file is one message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.engine import RunOptions
from core.files import load_graph
from core.knowledge.seed import SeedError, read_records, seed
from core.registry import default_registry
from core.runtime.backend import SynalinksBackend

pytestmark = pytest.mark.synalinks
ROOT = Path(__file__).resolve().parents[3]
REGISTRY = default_registry()


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the two examples and the records, without any database yet."""
    folder = tmp_path_factory.mktemp("knowledge_project")
    for name in ("knowledge_ingest.json", "knowledge_retrieval.json"):
        shutil.copy(ROOT / "saved_graphs" / name, folder / name)
    (folder / "knowledge").mkdir()
    shutil.copy(ROOT / "saved_graphs" / "knowledge" / "notes.json", folder / "knowledge")
    return folder


@pytest.fixture(scope="module")
def backend(loop, pool, project):
    options = RunOptions(offline_delay=0, project_dir=str(project))
    backend = SynalinksBackend(REGISTRY, options, pool=pool)
    yield backend
    loop.run_until_complete(backend.offline.close())


@pytest.fixture(scope="module")
def seeded(loop, backend, project):
    graph = load_graph(project / "knowledge_ingest.json", REGISTRY)
    records = read_records(project / "knowledge" / "notes.json")
    runs = loop.run_until_complete(seed(graph, records, backend))
    return records, runs


def test_seeding_embeds_and_stores_every_record_in_the_graphs_folder(seeded, project):
    records, runs = seeded
    assert len(runs) == len(records) == 8
    assert all(run.status == "succeeded" for run in runs)
    (stored,) = runs[0].outputs
    # UpdateKnowledge passes its input on: the record, with its embedding.
    assert stored["id"] == records[0]["id"] and len(stored["embedding"]) == 256
    assert (project / "knowledge" / "notes.db").is_file()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How does a knowledge base search by similarity?", "similarity-search"),
        ("Which module calls tools?", "agent"),
        ("How do I train a program with a reward on a dataset?", "training"),
        ("What does a Branch do with its labels?", "branch"),
    ],
)
def test_the_retrieval_example_finds_the_note_sharing_the_question_words(
    loop, backend, project, seeded, question, expected
):
    graph = load_graph(project / "knowledge_retrieval.json", REGISTRY)
    record = loop.run_until_complete(backend.run(graph, {"question": question}))
    assert record.status == "succeeded", [r.error for r in record.nodes.values() if r.error]
    retrieved = record.nodes[graph.node_by_name("retriever").id].result
    assert retrieved["question"] == question  # return_inputs=True
    ids = [row["id"] for row in retrieved["result"]]
    assert ids[0] == expected, ids
    assert len(ids) == 3  # k=3
    scores = [row["score"] for row in retrieved["result"]]
    assert scores == sorted(scores)  # cosine distance, nearest first
    (answer,) = record.outputs
    assert question in answer["answer"]  # the offline model answered from its input


def test_seeding_stops_at_a_record_that_does_not_fit(loop, backend, project):
    graph = load_graph(project / "knowledge_ingest.json", REGISTRY)
    with pytest.raises(SeedError, match=r"record 1 \(broken\) was not stored: .*text"):
        loop.run_until_complete(seed(graph, [{"id": "broken", "title": "no text"}], backend))


def test_a_knowledge_base_file_that_is_not_duckdb_fails_the_run_with_one_message(
    loop, pool, tmp_path
):
    for name in ("knowledge_retrieval.json",):
        shutil.copy(ROOT / "saved_graphs" / name, tmp_path / name)
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "notes.db").write_text("these are not the bytes of a database\n")
    graph = load_graph(tmp_path / "knowledge_retrieval.json", REGISTRY)
    before = graph.meta
    backend = SynalinksBackend(
        REGISTRY, RunOptions(offline_delay=0, project_dir=str(tmp_path)), pool=pool
    )
    record = loop.run_until_complete(backend.run(graph, {"question": "anything"}))
    loop.run_until_complete(backend.offline.close())
    assert record.status != "succeeded"
    messages = [r.error for r in record.nodes.values() if r.error]
    assert any(
        "notes.db" in m and "choose another file (or a new one) in Graph settings" in m
        for m in messages
    ), messages
    assert not any("Traceback" in m for m in messages)
    assert graph.meta == before


# ------------------------------------------------------ the five searches
def _search(loop, pool, backend, project, search_type, query, k=3):
    from core.knowledge.search import run_search, search_request

    graph = load_graph(project / "knowledge_retrieval.json", REGISTRY)

    async def go():
        worker = await pool.get()
        base = await backend.offline.api_base(0)
        request = search_request(
            graph.meta,
            graph.meta.knowledge_bases[0],
            project,
            "Document",
            query,
            search_type,
            k,
            base,
        )
        return await run_search(worker, request)

    return loop.run_until_complete(go())


def test_similarity_and_the_hybrids_rank_with_synalinks_own_search(
    loop, pool, backend, project, seeded
):
    rows = _search(loop, pool, backend, project, "similarity", "Which module calls tools?")
    assert rows[0]["id"] == "agent" and "embedding" not in rows[0]
    assert [r["score"] for r in rows] == sorted(r["score"] for r in rows)
    hybrid = _search(loop, pool, backend, project, "hybrid_fts", "Which module calls tools?")
    assert hybrid[0]["id"] == "agent"  # vectors only: fts is not installed offline
    fused = _search(loop, pool, backend, project, "hybrid_regex", "Branch")
    assert fused[0]["id"] == "branch"


def test_regex_finds_exact_text(loop, pool, backend, project, seeded):
    rows = _search(loop, pool, backend, project, "regex", "optimi[sz]es", k=10)
    assert [r["id"] for r in rows] == ["training"]


def test_fulltext_without_the_fts_extension_says_what_to_do(loop, pool, backend, project, seeded):
    from core.knowledge.search import SearchError

    with pytest.raises(SearchError) as raised:
        _search(loop, pool, backend, project, "fulltext", "tools")
    assert "fts extension" in str(raised.value) and "similarity or regex" in str(raised.value)


def test_the_worker_holds_the_file_only_while_it_runs(loop, backend, project, seeded):
    """Between runs the editor can open the knowledge base (DuckDB lets one
    process write a file): the worker closed it after seeding and retrieval."""
    from core.knowledge.reader import list_tables

    graph = load_graph(project / "knowledge_retrieval.json", REGISTRY)
    record = loop.run_until_complete(backend.run(graph, {"question": "What is a program?"}))
    assert record.status == "succeeded"
    (table,) = list_tables(project / "knowledge" / "notes.db")
    assert (table.name, table.rows, table.has_embeddings) == ("Document", 8, True)


def test_a_retrieval_program_saves_as_synalinks_own_file(loop, pool, project, seeded, tmp_path):
    """``export -f synalinks``: the worker builds the program in the graph's folder
    and ``program.save`` keeps the knowledge base's configuration."""
    import json

    from core.runtime.saved_programs import save_synalinks_program

    graph = load_graph(project / "knowledge_retrieval.json", REGISTRY)
    target = tmp_path / "retrieval_program.json"
    loop.run_until_complete(save_synalinks_program(graph, REGISTRY, target, pool, [str(project)]))
    saved = json.loads(target.read_text())
    text = json.dumps(saved)
    assert "RetrieveKnowledge" in text and "duckdb://knowledge/notes.db" in text
    # Built in the graph's folder: nothing appeared where the worker was started.
    assert not (Path.cwd() / "knowledge" / "notes.db").exists()


def test_overlapping_runs_share_the_open_file_and_close_it_after_the_last(
    loop, backend, project, seeded
):
    import asyncio

    from core.knowledge.reader import list_tables

    graph = load_graph(project / "knowledge_retrieval.json", REGISTRY)
    questions = [
        "Which module calls tools?",
        "What does training optimise?",
        "What does a Branch do with its labels?",
    ]

    async def together():
        return await asyncio.gather(*(backend.run(graph, {"question": q}) for q in questions))

    records = loop.run_until_complete(together())
    assert [r.status for r in records] == ["succeeded"] * 3, [
        e.error for r in records for e in r.nodes.values() if e.error
    ]
    firsts = [
        r.nodes[graph.node_by_name("retriever").id].result["result"][0]["id"] for r in records
    ]
    assert firsts == ["agent", "training", "branch"]
    (table,) = list_tables(project / "knowledge" / "notes.db")
    assert table.rows == 8
