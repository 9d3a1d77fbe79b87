"""What a running node may ask of the engine: the ``RunContext`` of one node.

Model calls go through :func:`core.engine.generation.generate` with this
node's resolved model; schema questions go to the run's
:class:`~core.schemas.flow.FlowAnalysis` (the same answers validation used).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.engine import events as ev
from core.engine.errors import ErrorKind
from core.engine.generation import Usage, generate
from core.engine.options import resolve_model
from core.engine.redact import redact_messages, secret_values
from core.model.graph import Node
from core.registry.node_type import GenerationRequest, JsonSchema

if TYPE_CHECKING:
    from core.engine.scheduler import Scheduler


class NodeContext:
    """The :class:`~core.registry.node_type.RunContext` handed to ``NodeType.run``."""

    def __init__(self, run: Scheduler, node: Node, deadline: float | None) -> None:
        self.run = run
        self.node = node
        self.deadline = deadline
        self.usage = Usage()
        self.last_raw = ""

    # ------------------------------------------------------------ RunContext
    async def generate(self, request: GenerationRequest) -> dict[str, Any]:
        run = self.run
        model = resolve_model(
            request.model, run.graph.meta.default_model, run.options.model_override
        )
        return await generate(
            request,
            model=model,
            api_base=run.api_base,
            client=run.client,
            options=run.options,
            reporter=self,
            usage=self.usage,
            deadline=self.deadline,
        )

    def branch_decision(self, node_id: str) -> dict[str, Any] | None:
        fed = self.run.flow.feeding_branch(node_id)
        if fed is None or not fed[1].return_decision:
            return None
        return self.run.results.get(fed[0].id)

    def data_model_schema(self, name: str) -> JsonSchema | None:
        return self.run.flow.data_model_schema(name)

    async def run_subgraph(
        self, node: Node, definition_id: str, inputs: dict[str, list[Any]]
    ) -> dict[str, Any]:
        """Run a subgraph's nodes as part of this run (see :mod:`core.engine.subgraph_run`)."""
        from core.engine.subgraph_run import run_subgraph

        return await run_subgraph(self, node, definition_id, inputs)

    def branch_decision_schema(self, node_id: str) -> JsonSchema | None:
        return self.run.flow.branch_decision_schema(node_id)

    # -------------------------------------------------------------- Reporter
    def prompt(
        self, model: str, messages: list[dict[str, Any]], response_format: Any, attempt: int
    ) -> None:
        run, node = self.run, self.node
        # The environment's secrets, read once per run (a thousand nodes would
        # otherwise read the whole environment a thousand times).
        secrets = getattr(run, "_prompt_secrets", None)
        if secrets is None:
            secrets = run._prompt_secrets = secret_values()
        run.emit(
            ev.NodePrompt(
                run_id=run.run_id,
                elapsed=run.elapsed(),
                node_id=node.id,
                node_name=node.name,
                model=model,
                messages=redact_messages(messages, secrets),
                response_format=response_format,
                attempt=attempt,
            )
        )

    def delta(self, text: str, raw: str, partial: dict[str, Any] | None, attempt: int) -> None:
        self.last_raw = raw
        run, node = self.run, self.node
        run.emit(
            ev.TokenDelta(
                run_id=run.run_id,
                elapsed=run.elapsed(),
                node_id=node.id,
                node_name=node.name,
                text=text,
                raw=raw,
                partial=partial,
                attempt=attempt,
            )
        )

    def retrying(self, reason: ErrorKind, message: str, attempt: int, delay: float) -> None:
        run, node = self.run, self.node
        run.emit(
            ev.NodeRetrying(
                run_id=run.run_id,
                elapsed=run.elapsed(),
                node_id=node.id,
                node_name=node.name,
                reason=reason,
                message=message,
                attempt=attempt,
                delay=delay,
            )
        )
