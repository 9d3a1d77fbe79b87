"""The execution engine: runs a graph as true dataflow on asyncio and reports every step.

Plain asyncio, no Qt: the editor drives it from the Qt loop through qasync,
the CLI through ``asyncio.run``. Importing this package is cheap; litellm is
imported, with litellm's first call primed, in a worker thread before the
first run that needs it starts its clock (``LiteLLMClient.ready``), or ahead
of time with ``await asyncio.to_thread(warm_up)``.

Public API
==========

::

    from core.engine import Engine, RunOptions

    engine = Engine(registry, RunOptions(model_override="offline"))
    record = await engine.run(graph, {"query": "..."}, listener)   # -> RunRecord

    handle = engine.start(graph, inputs, listener)   # returns at once (a task on the loop)
    handle.cancel()                                  # stops every model call promptly
    record = await handle.wait()                     # record.status == "cancelled"

- ``Engine(registry, options=None, *, model_client=None)``. ``engine.prepare(graph,
  inputs)`` checks without running: it raises :class:`RunRefused` (validation
  errors, ``.diagnostics``) or :class:`InputError` (input does not fit the
  Input data model; the message says which field and shows the expected
  shape). ``run``/``start`` call it first, so they raise the same. The graph is
  snapshotted: editing it during a run changes nothing, and results are
  never written onto it.
- Inputs: with one Input node, that data model as a dict; with several, a dict
  keyed by Input node name; ``None`` uses ``graph.meta.example_input``.
- ``listener(event)`` is called synchronously, in order, on the loop's thread,
  for every event (exceptions it raises are logged and ignored). Cancelling the
  task awaiting ``engine.run`` cancels the run too (``CancelledError`` then
  propagates after the final events).
- :class:`RunOptions` (frozen): ``model_override``, ``api_base``,
  ``max_concurrency`` (model calls in flight, default 128), ``node_timeout``
  (seconds, default 120, retries included), ``transient_retries`` (3),
  ``format_retries`` (2), ``backoff_base``/``backoff_max``/``retry_after_max``,
  ``offline_delay`` (seconds between offline tokens, default 0.015).

Events (:mod:`core.engine.events`)
----------------------------------
Frozen dataclasses; every one has ``run_id``, ``elapsed`` (seconds since the
run started, monotonic), ``kind`` and ``to_json()`` (one NDJSON line); node
events add ``node_id`` and ``node_name``.

==================  ==========================================================
``RunStarted``      graph_name, nodes ((id, name) of every node), inputs
``NodeQueued``      inputs ready; node_type
``NodeStarted``     running (model slot acquired); node_type, model or None
``NodePrompt``      what one attempt sent: model, messages, response_format
                    (keys redacted), attempt, exact, response (Synalinks)
``TokenDelta``      text (new), raw (this attempt so far), partial (parsed
                    object so far, unfinished strings included), attempt
``NodeRetrying``    reason (error kind), message, attempt (next), delay
``NodeFinished``    outputs {port: value}, result, duration, tokens_in,
                    tokens_out, cost (None when unknown), attempts
``NodeFailed``      error_kind, message (what to do), raw_text, duration
``NodeSkipped``     reason, cause_id/cause_name (the node that failed)
``NodeCancelled``   was_running
``RunFinished``     status (succeeded/failed/cancelled), outputs (program
                    order), duration, tokens_in/out, cost, counts per state
==================  ==========================================================

Per node: Queued < Started < NodePrompt/TokenDelta/NodeRetrying... < one end event
(Finished, Failed or Cancelled); a node whose inputs never come gets one
``NodeSkipped`` instead. ``RunStarted`` is first, ``RunFinished`` last.
Error kinds: see :data:`core.engine.errors.ErrorKind`.

Run record (:mod:`core.engine.record`)
--------------------------------------
:class:`RunRecord` (``status``, ``outputs``, ``nodes``: id -> :class:`NodeRecord`
with ``state``, ``result``, ``outputs``, ``raw_text``, ``partial``, ``error``...)
is built by applying events; ``record.apply(event)`` lets a listener keep its
own copy identical to the engine's.

Models
------
Every language-model call goes through ``litellm.acompletion(stream=True)``
with a JSON-schema ``response_format`` shaped for the provider; ``offline``
(the default of new graphs) is a litellm custom provider answering with
deterministic, schema-valid JSON derived from the input. API keys come from
the environment (the CLI also loads ``.env``), or from
``LiteLLMClient(credentials={"OPENAI_API_KEY": ...})`` passed as
``model_client`` (the editor's provider settings); they never appear in events
or messages. A node that calls no model (Input, Output, merges) runs inline in
the task of the node that made it ready: no task, no timer of its own. The ``model_client`` seam (:class:`ModelClient`) lets tests and
benchmarks answer calls without litellm (:class:`OfflineModelClient`).
"""

from core.engine.engine import Engine, PreparedRun, RunHandle
from core.engine.errors import ErrorKind, InputError, NodeRunError, ProviderError, RunRefused
from core.engine.events import (
    EVENT_TYPES,
    Event,
    NodeCancelled,
    NodeEvent,
    NodeFailed,
    NodeFinished,
    NodeProgress,
    NodePrompt,
    NodeQueued,
    NodeRetrying,
    NodeSkipped,
    NodeStarted,
    RunFinished,
    RunStarted,
    TokenDelta,
)
from core.engine.litellm_loader import warm_up
from core.engine.model_client import ModelCall, ModelClient, StreamEnd
from core.engine.offline_model import OfflineModelClient
from core.engine.options import OFFLINE_MODEL, RunOptions
from core.engine.record import NodeRecord, NodeState, RunRecord

__all__ = [
    "EVENT_TYPES",
    "OFFLINE_MODEL",
    "Engine",
    "ErrorKind",
    "Event",
    "InputError",
    "ModelCall",
    "ModelClient",
    "NodeCancelled",
    "NodeEvent",
    "NodeFailed",
    "NodeFinished",
    "NodeProgress",
    "NodePrompt",
    "NodeQueued",
    "NodeRecord",
    "NodeRetrying",
    "NodeRunError",
    "NodeSkipped",
    "NodeStarted",
    "NodeState",
    "OfflineModelClient",
    "PreparedRun",
    "ProviderError",
    "RunFinished",
    "RunHandle",
    "RunOptions",
    "RunRecord",
    "RunRefused",
    "RunStarted",
    "StreamEnd",
    "TokenDelta",
    "warm_up",
]
