"""Every line the worker writes is validated before anything acts on it."""

from __future__ import annotations

import json

import pytest

from core.runtime import protocol as p


def line(**message) -> str:
    return json.dumps(message)


def test_known_messages_parse():
    ready = p.parse_worker_line(line(type="ready", protocol=1, synalinks="0.10.14"))
    assert isinstance(ready, p.Ready) and ready.synalinks == "0.10.14"
    finished = p.parse_worker_line(
        line(type="module_finished", id="r", module="m", t=0.5, output={"a": 1}, tokens_in=3)
    )
    assert isinstance(finished, p.ModuleFinished)
    assert (finished.output, finished.tokens_in, finished.cost) == ({"a": 1}, 3, None)


def test_extra_fields_from_a_newer_worker_are_ignored():
    message = p.parse_worker_line(line(type="cancelled", id="r", something_new=[1, 2]))
    assert isinstance(message, p.Cancelled)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Traceback (most recent call last):", "not JSON"),
        ("[1, 2]", "not a message object"),
        (line(type="teleport", id="r"), "unknown type 'teleport'"),
        (line(type="module_started", id="r", t=0.1), "malformed 'module_started' message (module"),
        (line(type="run_result", id="r", outputs="x", t=1), "malformed 'run_result'"),
    ],
)
def test_bad_lines_are_protocol_errors_with_a_message(text, expected):
    with pytest.raises(p.ProtocolError, match=None) as caught:
        p.parse_worker_line(text)
    assert expected in str(caught.value)


def test_requests_encode_as_one_line_with_their_type():
    data = p.encode(p.RunRequest(id="r", source="x = 1\n", inputs=[{"q": "a\nb"}], nodes=["g"]))
    assert data.endswith(b"\n") and data.count(b"\n") == 1
    assert json.loads(data) == {
        "type": "run",
        "id": "r",
        "source": "x = 1\n",
        "models": {},
        "inputs": [{"q": "a\nb"}],
        "nodes": ["g"],
        "paths": [],
        "folder": None,
    }


def test_a_knowledge_search_is_a_request_and_its_rows_end_it():
    request = p.KnowledgeSearchRequest(
        id="s", path="/kb.db", table="Doc", query="q", search_type="regex"
    )
    assert json.loads(p.encode(request))["type"] == "knowledge_search"
    rows = p.parse_worker_line(line(type="knowledge_rows", id="s", rows=[{"id": "a"}]))
    assert isinstance(rows, p.KnowledgeRows) and isinstance(rows, p.TERMINAL)
    assert rows.rows == [{"id": "a"}]


@pytest.mark.parametrize(
    ("version", "problem"),
    [
        ("0.10.14", None),
        ("0.10.014", None),
        ("0.10.0rc1", None),
        ("0.9.3", "synalinks 0.9.3 is installed"),
        ("1.0.0", "synalinks 1.0.0 is installed"),
        ("banana", "unreadable synalinks version"),
    ],
)
def test_supported_synalinks_versions(version, problem):
    found = p.version_problem(version)
    if problem is None:
        assert found is None
    else:
        assert problem in found
