"""Migrations: each older version is upgraded one step at a time, gaps say so."""

from __future__ import annotations

import json

import pytest

from core.files import FORMAT_VERSION, GraphFileError, dumps_graph, load_graph, loads_graph
from core.files.migrations import MIGRATIONS, MigrationFailed, MigrationGap, migrate
from tests.core.graph_factory import random_graph


def _version_zero_document() -> dict:
    """A made-up version-0 file: nodes kept positions as {"x":..,"y":..} and the
    graph settings sat at the top level."""
    document = json.loads(dumps_graph(random_graph(6, size=24)))
    document["version"] = 0
    for node in document["nodes"]:
        x, y = node.pop("position")
        node["pos"] = {"x": x, "y": y}
    document["title"] = document["meta"].pop("name")
    return document


def _step_0_to_1(document: dict) -> dict:
    for node in document["nodes"]:
        pos = node.pop("pos")
        node["position"] = [pos["x"], pos["y"]]
    document["meta"]["name"] = document.pop("title")
    return document


def test_the_shipped_format_needs_a_step_for_every_older_version():
    assert set(MIGRATIONS) == set(range(1, FORMAT_VERSION))


def test_an_injected_step_upgrades_a_version_zero_file(tmp_path, registry):
    expected = dumps_graph(random_graph(6, size=24))
    path = tmp_path / "old.json"
    path.write_text(json.dumps(_version_zero_document()))
    graph = load_graph(path, registry, migrations={**MIGRATIONS, 0: _step_0_to_1})
    assert dumps_graph(graph) == expected


def test_steps_run_in_order_and_stamp_each_version(registry):
    seen = []

    def step(version):
        def run(document):
            seen.append((version, document["version"]))
            return document

        return run

    document = json.loads(dumps_graph(random_graph(6, size=24)))
    document["version"] = 1
    migrated = migrate(document, 1, 4, {1: step(1), 2: step(2), 3: step(3)})
    assert seen == [(1, 1), (2, 2), (3, 3)]
    assert migrated["version"] == 4
    # And through loading, with a pretend current version 4.
    graph = loads_graph(
        json.dumps(document | {"version": 1}),
        registry,
        migrations={1: step(1), 2: step(2), 3: step(3)},
        current_version=4,
    )
    assert graph.meta.name == "random_6"


def test_a_gap_gives_a_clear_error(tmp_path, registry):
    path = tmp_path / "old.json"
    path.write_text(json.dumps(_version_zero_document()))
    with pytest.raises(GraphFileError) as info:
        load_graph(path, registry)  # the real table has no step from 0
    assert str(info.value) == (
        f"{path}: is in file version 0, and this Synalinks Canvas has no upgrade from version 0 "
        "to 1; open it with the release that wrote it and save it again"
    )


def test_a_gap_in_the_middle_names_the_missing_step(registry):
    document = {**json.loads(dumps_graph(random_graph(6, size=24))), "version": 1}
    with pytest.raises(MigrationGap) as info:
        migrate(document, 1, 4, {1: lambda d: d, 3: lambda d: d})
    assert (info.value.version, info.value.target) == (2, 4)
    with pytest.raises(GraphFileError, match="no upgrade from version 2 to 3"):
        loads_graph(
            json.dumps(document),
            registry,
            migrations={1: lambda d: d, 3: lambda d: d},
            current_version=4,
        )


def test_a_failing_step_is_not_reported_as_a_gap(tmp_path, registry):
    def broken(document):
        return document["no such key"]

    path = tmp_path / "old.json"
    path.write_text(json.dumps(_version_zero_document()))
    with pytest.raises(GraphFileError) as info:
        load_graph(path, registry, migrations={**MIGRATIONS, 0: broken})
    message = str(info.value)
    assert message.startswith(f"{path}: could not upgrade it from file version 0")
    assert "the upgrade from version 0 failed" in message and "no such key" in message
    assert info.value.__cause__ is None


def test_a_step_that_returns_nonsense_is_caught():
    with pytest.raises(MigrationFailed, match="did not give a document"):
        migrate({"version": 0}, 0, 1, {0: lambda d: None})


def test_a_migrated_document_is_still_checked_like_any_file(tmp_path, registry):
    path = tmp_path / "old.json"
    path.write_text(json.dumps(_version_zero_document()))
    with pytest.raises(GraphFileError, match="pos.*unexpected entry|nodes\\[0\\]"):
        load_graph(path, registry, migrations={**MIGRATIONS, 0: lambda d: d})


def test_a_version_1_file_opens_with_no_tools_and_saves_as_version_2(registry, repo_root):
    """Version 2 added the graph's tools; a version-1 file (kept as written by the
    release before) opens unchanged otherwise."""
    old = repo_root / "tests" / "core" / "files" / "data" / "version_1.json"
    assert json.loads(old.read_text())["version"] == 1
    graph = load_graph(old, registry)
    assert graph.meta.tools == ()
    saved = json.loads(dumps_graph(graph))
    assert saved["version"] == FORMAT_VERSION
    assert saved == _current_without_datasets(repo_root)


def _current_without_datasets(repo_root) -> dict:
    """The shipped example as an older release had it: its dataset reference
    (version 6) is the one thing added since."""
    current = json.loads((repo_root / "saved_graphs" / "parallel_branches.json").read_text())
    current["meta"].pop("datasets")
    return current


def test_a_version_4_file_opens_with_no_knowledge_and_saves_as_the_current_version(
    registry, repo_root
):
    """Version 5 added embedding models and knowledge bases; a version-4 file
    (as the release before wrote it) opens with none of either."""
    old = repo_root / "tests" / "core" / "files" / "data" / "version_4.json"
    assert json.loads(old.read_text())["version"] == 4
    assert "knowledge_bases" not in json.loads(old.read_text())["meta"]
    graph = load_graph(old, registry)
    assert graph.meta.embedding_models == () and graph.meta.knowledge_bases == ()
    saved = json.loads(dumps_graph(graph))
    assert saved["version"] == FORMAT_VERSION
    assert saved["meta"]["knowledge_bases"] == [] and saved["meta"]["embedding_models"] == []
    assert saved == _current_without_datasets(repo_root)


def test_a_version_5_file_opens_with_no_datasets_and_keeps_them_once_given(
    registry, repo_root, tmp_path
):
    """Version 6 added the graph's datasets; a version-5 file opens with none, saves
    without the key, and a dataset given later is saved relative to the graph."""
    from core.files import save_graph
    from core.model.dataset_refs import DatasetRef, dataset_path_for, resolve_dataset_path

    old = repo_root / "tests" / "core" / "files" / "data" / "version_5.json"
    assert json.loads(old.read_text())["version"] == 5
    graph = load_graph(old, registry)
    assert graph.meta.datasets == ()
    saved = json.loads(dumps_graph(graph))
    assert saved["version"] == FORMAT_VERSION and "datasets" not in saved["meta"]
    assert saved == _current_without_datasets(repo_root)

    (tmp_path / "data").mkdir()
    data = tmp_path / "data" / "rows.csv"
    data.write_text("query,answer\n")
    target = tmp_path / "g.json"
    ref = DatasetRef(path=dataset_path_for(target, data), mapping={"query": "q"}, output="output_2")
    assert ref.path == "data/rows.csv"
    graph.meta = graph.meta.model_copy(update={"datasets": (ref,)})
    save_graph(graph, target)
    again = load_graph(target, registry)
    assert again.meta.datasets == (ref,)
    assert resolve_dataset_path(target, again.meta.datasets[0]) == data
    elsewhere = dataset_path_for(tmp_path / "sub" / "g.json", data)
    assert elsewhere == str(data.resolve())


def test_a_version_7_file_opens_and_fields_gain_nothing_they_did_not_have(registry, repo_root):
    """Version 8 lets fields hold data models and defaults: a version-7 file opens
    with neither and saves as the current version, its fields written as before."""
    old = repo_root / "tests" / "core" / "files" / "data" / "version_7.json"
    before = json.loads(old.read_text())
    assert before["version"] == 7
    graph = load_graph(old, registry)
    assert all(
        f.default is None and f.data_model == ""
        for spec in graph.data_models.values()
        for f in spec.fields
    )
    saved = json.loads(dumps_graph(graph))
    assert saved["version"] == FORMAT_VERSION
    assert saved["data_models"] == before["data_models"]
