"""Every bad file gives one clear GraphFileError naming the file and the problem.

Never a traceback (the error carries no chained exception) and never a
partial graph (nothing is returned).
"""

from __future__ import annotations

import json

import pytest

from core.files import (
    FORMAT_NAME,
    FORMAT_VERSION,
    GraphFileError,
    dumps_graph,
    load_graph,
    loads_graph,
)
from core.files import load as load_module
from tests.core.graph_factory import random_graph


def _document() -> dict:
    return json.loads(dumps_graph(random_graph(11, size=24)))


def _fails(path, registry, *needles: str) -> GraphFileError:
    with pytest.raises(GraphFileError) as info:
        load_graph(path, registry)
    error = info.value
    message = str(error)
    assert message.startswith(f"{path}: "), message
    assert error.path == str(path)
    for needle in needles:
        assert needle in message, message
    # No chained exception: what reaches the user is this one line.
    assert error.__cause__ is None, "a traceback would leak"
    assert error.__context__ is None or error.__suppress_context__, "a traceback would leak"
    assert "Traceback" not in message
    return error


def _write(tmp_path, content, name="graph.json"):
    path = tmp_path / name
    if isinstance(content, dict | list):
        content = json.dumps(content)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def test_not_json(tmp_path, registry):
    _fails(_write(tmp_path, "this is not json"), registry, "is not valid JSON", "line 1 column 1")


def test_json_with_trailing_garbage(tmp_path, registry):
    _fails(_write(tmp_path, '{"format": 1} extra'), registry, "is not valid JSON", "Extra data")


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.9, 0.999])
def test_truncated_file(tmp_path, registry, fraction):
    text = dumps_graph(random_graph(4, size=30))
    cut = text[: int(len(text) * fraction)]
    _fails(_write(tmp_path, cut), registry, "ends early", "truncated")


@pytest.mark.parametrize("content", [b"", b"   \n\t\n"])
def test_empty_file(tmp_path, registry, content):
    _fails(_write(tmp_path, content), registry, "is empty")


def test_not_utf8(tmp_path, registry):
    _fails(_write(tmp_path, b'{"format": "\xff\xfe"}'), registry, "is not UTF-8 text", "offset 12")


def test_utf16_file_is_not_utf8(tmp_path, registry):
    text = dumps_graph(random_graph(4, size=24))
    _fails(_write(tmp_path, text.encode("utf-16")), registry, "is not UTF-8 text")


def test_utf8_with_bom_is_accepted(tmp_path, registry):
    text = dumps_graph(random_graph(4, size=24))
    graph = load_graph(_write(tmp_path, b"\xef\xbb\xbf" + text.encode()), registry)
    assert dumps_graph(graph) == text


@pytest.mark.parametrize(
    ("document", "needle"),
    [
        ([1, 2, 3], "top level is not an object"),
        ('"just a string"', "top level is not an object"),
        ({"version": 1}, "format is None, expected 'synalinks-canvas-graph'"),
        ({"format": "excalidraw", "version": 1}, "format is 'excalidraw'"),
    ],
)
def test_wrong_format(tmp_path, registry, document, needle):
    _fails(_write(tmp_path, document), registry, "is not a Synalinks Canvas graph", needle)


def test_newer_version(tmp_path, registry):
    document = {**_document(), "version": FORMAT_VERSION + 5}
    _fails(
        _write(tmp_path, document),
        registry,
        f"file version {FORMAT_VERSION + 5}",
        f"reads up to {FORMAT_VERSION}",
        "update Synalinks Canvas",
    )


@pytest.mark.parametrize("version", ["1", 1.0, 1.5, True, None, -1, [1]])
def test_bad_version(tmp_path, registry, version):
    document = {**_document(), "version": version}
    _fails(_write(tmp_path, document), registry, f"invalid format version {version!r}")


def test_unknown_node_type(tmp_path, registry):
    document = _document()
    document["nodes"][2]["type"] = "Teleporter"
    name = document["nodes"][2]["name"]
    _fails(
        _write(tmp_path, document),
        registry,
        f"node {name!r}",
        "unknown node type 'Teleporter'",
        "known types (",
        "Action, And, Branch",
    )


def test_a_mistyped_node_type_gets_a_suggestion(tmp_path, registry):
    document = _document()
    document["nodes"][2]["type"] = "Generater"
    _fails(_write(tmp_path, document), registry, "did you mean Generator?")


def test_dangling_edge(tmp_path, registry):
    document = _document()
    document["edges"][0]["target"] = "0" * 32
    edge_id = document["edges"][0]["id"]
    _fails(
        _write(tmp_path, document),
        registry,
        f"edge {edge_id!r}",
        "'" + "0" * 32 + "'",
        "not in the file",
    )


def test_duplicate_node_ids(tmp_path, registry):
    document = _document()
    document["nodes"][1]["id"] = document["nodes"][0]["id"]
    _fails(
        _write(tmp_path, document),
        registry,
        "node id",
        document["nodes"][0]["id"],
        "must be unique",
    )


def test_duplicate_edge_ids(tmp_path, registry):
    document = _document()
    document["edges"][1]["id"] = document["edges"][0]["id"]
    _fails(
        _write(tmp_path, document),
        registry,
        "edge id",
        document["edges"][0]["id"],
        "must be unique",
    )


def test_duplicate_data_model_names(tmp_path, registry):
    document = _document()
    document["data_models"].append(dict(document["data_models"][0]))
    name = document["data_models"][0]["name"]
    _fails(_write(tmp_path, document), registry, f"data model name {name!r}", "must be unique")


@pytest.mark.parametrize(
    ("edit", "needles"),
    [
        (lambda d: d["nodes"][0].pop("name"), ["nodes[0].name", "required entry is missing"]),
        (lambda d: d["edges"][1].pop("target_port"), ["edges[1].target_port", "missing"]),
        (lambda d: d.pop("format"), ["format is None"]),
        (lambda d: d["nodes"][0].update(colour="red"), ["nodes[0].colour", "unexpected entry"]),
        (lambda d: d.update(extra=1), ["extra", "unexpected entry"]),
        (lambda d: d["meta"].update(api_key="x"), ["meta.api_key", "unexpected entry"]),
        (lambda d: d["nodes"][0].update(position="left"), ["nodes[0].position"]),
        (lambda d: d["nodes"][0].update(position=[1, 2, 3]), ["nodes[0].position"]),
        (lambda d: d["nodes"][0].update(id="../../etc"), ["nodes[0].id", "pattern"]),
        (lambda d: d["nodes"][0].update(params=[1]), ["nodes[0].params", "dictionary"]),
        (lambda d: d.update(nodes={}), ["nodes", "list"]),
        (
            lambda d: d["data_models"][0]["fields"][0].update(type="enum", choices=[]),
            ["data_models[0]", "lists no choices"],
        ),
        (lambda d: d["data_models"][0].update(name="not valid"), ["data_models[0].name"]),
    ],
)
def test_schema_errors_name_the_place(tmp_path, registry, edit, needles):
    document = _document()
    edit(document)
    _fails(_write(tmp_path, document), registry, *needles)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_not_json(tmp_path, registry, literal):
    raw = json.dumps(_document())
    start = raw.index('"position": [') + len('"position": [')
    raw = raw[:start] + literal + raw[raw.index(",", start) :]  # first x coordinate
    _fails(
        _write(tmp_path, raw),
        registry,
        "is not valid JSON",
        f"{literal} is not a number JSON allows",
    )


@pytest.mark.parametrize("literal", ["1e999", "-1e999"])
def test_numbers_too_large_for_a_float_are_refused(tmp_path, registry, literal):
    document = _document()
    document["meta"]["example_input"] = {"n": [0.5, "PLACEHOLDER"]}
    raw = json.dumps(document).replace('"PLACEHOLDER"', literal)
    _fails(_write(tmp_path, raw), registry, "has a number too large to store")
    _fails(_write(tmp_path, literal, "bare.json"), registry, "has a number too large to store")


def test_fifty_megabyte_file_is_refused_before_parsing(tmp_path, registry, monkeypatch):
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk

    def no_parsing(*args, **kwargs):
        raise AssertionError("a file over the limit must not be read or parsed")

    monkeypatch.setattr(load_module.json, "loads", no_parsing)
    monkeypatch.setattr(type(path), "read_bytes", no_parsing)
    _fails(path, registry, "50.0 MB", f"at most {load_module.MAX_FILE_BYTES // 1024 // 1024} MB")


def test_oversized_content_is_refused_by_loads_too(registry, monkeypatch):
    monkeypatch.setattr(load_module, "MAX_FILE_BYTES", 1000)
    with pytest.raises(GraphFileError, match="larger than"):
        loads_graph(b" " * 1001, registry, source="pasted.json")


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_deep_nesting_100000_levels(tmp_path, registry, opening):
    closing = "]" if opening == "[" else "}"
    path = _write(tmp_path, opening * 100_000 + "1" + closing * 100_000)
    _fails(path, registry, "nests deeper than", "not a graph file")


def test_nesting_just_past_the_limit_is_refused_after_parsing(tmp_path, registry):
    document = _document()
    deep: object = "bottom"
    for _ in range(load_module.MAX_DEPTH):
        deep = [deep]
    document["meta"]["example_input"] = {"deep": deep}
    _fails(
        _write(tmp_path, document), registry, f"nests deeper than {load_module.MAX_DEPTH} levels"
    )


def test_a_directory(tmp_path, registry):
    folder = tmp_path / "graphs.json"
    folder.mkdir()
    _fails(folder, registry, "is a folder, not a graph file")


def test_a_missing_file(tmp_path, registry):
    _fails(tmp_path / "nowhere.json", registry, "no such file")


def test_loads_names_its_source_and_works_without_one(registry):
    with pytest.raises(GraphFileError) as info:
        loads_graph("{", registry, source="clipboard")
    assert str(info.value).startswith("clipboard: ")
    with pytest.raises(GraphFileError) as info:
        loads_graph("{", registry)
    assert info.value.path is None and str(info.value).startswith("ends early")


def test_a_good_document_in_the_current_version_loads(registry):
    document = _document()
    assert document["format"] == FORMAT_NAME and document["version"] == FORMAT_VERSION
    assert dumps_graph(loads_graph(json.dumps(document), registry)) == dumps_graph(
        random_graph(11, size=24)
    )
