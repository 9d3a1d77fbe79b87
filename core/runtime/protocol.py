"""The messages between Synalinks Canvas and its runtime worker, checked with pydantic.

One JSON object per line on the worker's stdio (the worker's side lives in
``core/runtime/worker/``, which cannot import this module: it
runs in another environment with the standard library and synalinks only).
Every message the worker writes is validated here before anything acts on it:
a line that is not JSON, a message of an unknown type or with missing fields
is a :class:`ProtocolError` naming what was wrong, never a traceback. Extra
fields are ignored, so a newer worker that adds information still works with
this client; a different protocol version is refused at the handshake.

Secrets never travel here: keys reach the worker through its environment.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

PROTOCOL_VERSION = 1
SUPPORTED_SYNALINKS = (0, 10)
"""The synalinks minor series the exporter's code is written for."""


class ProtocolError(Exception):
    """The worker said something this client cannot act on."""


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Hello(_Message):
    type: Literal["hello"]
    protocol: int
    python: str
    pid: int


class Ready(_Message):
    type: Literal["ready"]
    protocol: int
    synalinks: str
    capabilities: list[str] = Field(default_factory=list)


class Fatal(_Message):
    type: Literal["fatal"]
    message: str


class ModuleInfo(_Message):
    name: str
    class_name: str = Field(alias="class")
    output_schema: dict[str, Any] | None = None


class Built(_Message):
    type: Literal["built"]
    id: str
    program: str
    modules: list[ModuleInfo]
    output_schemas: list[dict[str, Any]] = Field(default_factory=list)


class Modules(_Message):
    """A program was built for a run: its modules and their output schemas."""

    type: Literal["modules"]
    id: str
    modules: list[ModuleInfo]


class ModuleStarted(_Message):
    type: Literal["module_started"]
    id: str
    module: str
    t: float
    inputs: list[Any] | None = None
    call: str | None = None
    """This call of the module (its end carries the same): a module that runs
    twice at once (a subgraph used twice) has one per call."""


class _ModuleEnd(_Message):
    id: str
    module: str
    t: float
    call: str | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost: float | None = None
    warning: str | None = None


class ModuleFinished(_ModuleEnd):
    type: Literal["module_finished"]
    output: Any = None


class ModuleFailed(_ModuleEnd):
    type: Literal["module_failed"]
    message: str


class ModuleDetail(_Message):
    """Something a module computed on the way (a Branch's decision)."""

    type: Literal["module_detail"]
    id: str
    module: str
    detail: str
    value: Any = None


class CatalogueParam(_Message):
    name: str
    required: bool = False
    default: Any = None
    annotation: str = ""
    doc_type: str = ""
    description: str = ""


class CatalogueModule(_Message):
    class_name: str = Field(alias="class")
    group: str = ""
    module_path: str = ""
    alias_of: str | None = None
    summary: str = ""
    doc: str = ""
    params: list[CatalogueParam] = Field(default_factory=list)
    call: dict[str, Any] = Field(default_factory=dict)


class Catalogue(_Message):
    """The installed synalinks' modules, described by the worker (introspected)."""

    type: Literal["catalogue"]
    id: str
    synalinks: str
    modules: list[CatalogueModule]


class ToolInfo(_Message):
    name: str | None = None
    problem: str | None = None
    signature: str = ""
    doc: str = ""


class Tools(_Message):
    """What the worker found when it imported the graph's tools."""

    type: Literal["tools"]
    id: str
    tools: list[ToolInfo]


class RunResult(_Message):
    type: Literal["run_result"]
    id: str
    outputs: list[Any]
    t: float


class Saved(_Message):
    """The program was written with Synalinks' own ``program.save``."""

    type: Literal["saved"]
    id: str
    path: str


class KnowledgeRows(_Message):
    """The rows one of Synalinks' searches found in a knowledge base."""

    type: Literal["knowledge_rows"]
    id: str
    rows: list[dict[str, Any]]


class Scores(_Message):
    """Rewards computed by Synalinks' own classes: one result per pair, either
    ``{"values": [one per reward]}`` or ``{"error": "..."}``."""

    type: Literal["scores"]
    id: str
    results: list[dict[str, Any]]


class TrainBatch(_Message):
    """One training batch ended: Synalinks' logs for it and what was spent so far."""

    type: Literal["train_batch"]
    id: str
    epoch: int
    batch: int
    logs: dict[str, float] = Field(default_factory=dict)
    tokens: int = 0
    cost: float = 0.0
    t: float = 0.0


class TrainEpoch(_Message):
    """One epoch ended: its logs (reward, val_reward...) and the program's
    trainable state tree then (a checkpoint)."""

    type: Literal["train_epoch"]
    id: str
    epoch: int
    logs: dict[str, float] = Field(default_factory=dict)
    state: dict[str, Any] = Field(default_factory=dict)
    tokens: int = 0
    cost: float = 0.0
    t: float = 0.0


class TrainResult(_Message):
    """The training ended; ``stopped`` says why when a callback stopped it early."""

    type: Literal["train_result"]
    id: str
    epochs: int
    stopped: str | None = None
    t: float = 0.0


class Cancelled(_Message):
    type: Literal["cancelled"]
    id: str | None = None


class WorkerErrorMessage(_Message):
    type: Literal["error"]
    id: str | None = None
    stage: str | None = None
    message: str
    traceback: str = ""
    line: int | None = None
    """The exported program's line the error went through last, when it did."""


WorkerMessage = Annotated[
    Hello
    | Ready
    | Fatal
    | Built
    | Modules
    | ModuleStarted
    | ModuleFinished
    | ModuleFailed
    | ModuleDetail
    | Catalogue
    | Tools
    | RunResult
    | Cancelled
    | Saved
    | Scores
    | KnowledgeRows
    | TrainBatch
    | TrainEpoch
    | TrainResult
    | WorkerErrorMessage,
    Field(discriminator="type"),
]
_ADAPTER: TypeAdapter[Any] = TypeAdapter(WorkerMessage)

TERMINAL = (
    Built,
    Catalogue,
    Tools,
    RunResult,
    Saved,
    Scores,
    KnowledgeRows,
    TrainResult,
    Cancelled,
    WorkerErrorMessage,
)
"""Messages that end a request."""


def parse_worker_line(line: str) -> Any:
    """One line from the worker as a message object, or :class:`ProtocolError`."""
    shown = line.strip()
    shown = shown if len(shown) <= 200 else shown[:200] + "…"
    try:
        data = json.loads(line)
    except ValueError:
        raise ProtocolError(f"the worker wrote a line that is not JSON: {shown!r}") from None
    if not isinstance(data, dict):
        raise ProtocolError(f"the worker wrote JSON that is not a message object: {shown!r}")
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        kind = data.get("type")
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        if first.get("type") == "union_tag_invalid":
            raise ProtocolError(
                f"the worker sent a message of unknown type {kind!r}; it may be newer than "
                "this editor (update Synalinks Canvas)"
            ) from None
        raise ProtocolError(
            f"the worker sent a malformed {kind!r} message ({where}: {first.get('msg')})"
        ) from None


# --------------------------------------------------------------- requests
class CatalogueRequest(_Message):
    type: Literal["catalogue"] = "catalogue"
    id: str


class ToolsRequest(_Message):
    type: Literal["tools"] = "tools"
    id: str
    tools: list[dict[str, str]]
    paths: list[str] = Field(default_factory=list)


class BuildRequest(_Message):
    type: Literal["build"] = "build"
    id: str
    source: str
    models: dict[str, Any] = Field(default_factory=dict)
    nodes: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)
    folder: str | None = None
    """The graph's folder: knowledge-base files given relative to it are found there."""


class RunRequest(_Message):
    type: Literal["run"] = "run"
    id: str
    source: str
    models: dict[str, Any] = Field(default_factory=dict)
    inputs: list[dict[str, Any]]
    nodes: list[str]
    paths: list[str] = Field(default_factory=list)
    """Folders the user's own modules (tools) are imported from."""
    folder: str | None = None
    """The graph's folder: knowledge-base files given relative to it are found there."""


class SaveRequest(_Message):
    """Build the exported program and write it as a Synalinks saved program."""

    type: Literal["save"] = "save"
    id: str
    source: str
    path: str
    paths: list[str] = Field(default_factory=list)
    """Folders the user's own modules (tools) are imported from."""
    folder: str | None = None
    """The graph's folder: knowledge-base files given relative to it are found there."""


class KnowledgeSearchRequest(_Message):
    """Run one of Synalinks' five searches over a DuckDB knowledge base (the
    query is embedded by ``embedding``, routed to ``offline`` when it is the
    offline model). The worker opens the file only for the search."""

    type: Literal["knowledge_search"] = "knowledge_search"
    id: str
    path: str
    table: str
    query: str
    search_type: str
    k: int = 10
    pattern: str | None = None
    embedding: dict[str, Any] | None = None
    metric: str = "cosine"
    offline: dict[str, Any] | None = None


class ScoreRequest(_Message):
    """Score (expected, predicted) pairs with Synalinks rewards (snake-case class
    names with their settings); ``models`` holds the ``judge`` language model,
    the ``embedding`` model and the ``offline`` endpoint they may use."""

    type: Literal["score"] = "score"
    id: str
    rewards: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    models: dict[str, Any] = Field(default_factory=dict)


class TrainRequest(_Message):
    """Compile and fit the exported program with Synalinks' optimizer and rewards.

    ``train`` and ``validation`` hold ``{"inputs": [...], "expected": [...]}``
    (JSON rows); without ``validation``, Synalinks holds out
    ``validation_split`` of the training rows. ``optimizer`` is
    ``{"name", "config"}``; ``early_stopping`` and ``budget`` are the settings
    of Synalinks' EarlyStopping and BudgetStopping callbacks."""

    type: Literal["train"] = "train"
    id: str
    source: str
    models: dict[str, Any] = Field(default_factory=dict)
    nodes: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)
    folder: str | None = None
    train: dict[str, list[Any]]
    validation: dict[str, list[Any]] | None = None
    validation_split: float = 0.2
    output_index: int = 0
    rewards: list[dict[str, Any]]
    optimizer: dict[str, Any]
    epochs: int = 1
    batch_size: int = 1
    minibatch_size: int | None = 4
    shuffle: bool = False
    early_stopping: dict[str, Any] | None = None
    budget: dict[str, Any] | None = None


class CancelRequest(_Message):
    type: Literal["cancel"] = "cancel"
    id: str


class ShutdownRequest(_Message):
    type: Literal["shutdown"] = "shutdown"


def encode(request: _Message) -> bytes:
    """A request as one protocol line."""
    return (request.model_dump_json(by_alias=True) + "\n").encode("utf-8")


def version_problem(version: str) -> str | None:
    """Why a synalinks version cannot run exported programs, or None."""
    parts = version.split(".")
    try:
        major, minor = int(parts[0]), int("".join(ch for ch in parts[1] if ch.isdigit()) or "x")
    except (IndexError, ValueError):
        return f"the worker reports an unreadable synalinks version {version!r}"
    if (major, minor) != SUPPORTED_SYNALINKS:
        want = ".".join(map(str, SUPPORTED_SYNALINKS))
        return (
            f"synalinks {version} is installed, but Synalinks Canvas runs programs on "
            f"synalinks {want}.x: install it with `pip install 'synalinks>={want},<0.{SUPPORTED_SYNALINKS[1] + 1}'` "
            "in that environment, or choose another one in Settings"
        )
    return None
