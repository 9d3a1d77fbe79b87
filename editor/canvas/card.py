"""What a node card shows (:class:`CardContent`) and where (:class:`CardLayout`).

Content is read from the core only: the node, its type in the registry and
the :class:`~core.schemas.flow.FlowAnalysis` (the same schema flow validation
and the engine use), so a card can never disagree with what runs. Layout turns
content into positions once per change (port anchors, row positions); the
text is measured and elided once, on the card's first detailed paint, so
building a 1,000-card scene measures no text at all and painting is a loop
over prepared runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt

from core.model.graph import Graph, Node
from core.model.subgraphs import SUBGRAPH_TYPE
from core.registry import Registry
from core.registry.node_type import NodeType, PortSpec
from core.registry.registry import UnknownNodeType
from core.schemas.flow import FlowAnalysis, describe_schema
from editor.canvas.paint_kit import CARD_WIDTH, HEADER_HEIGHT, Fonts
from editor.canvas.subgraph_mark import subgraph_caption

MAX_ROWS = 6
PORT_ROW = 22.0
SLOT = 18.0
PORTS_TOP = HEADER_HEIGHT + 5.0
ROW = 18.0
PAD = 12.0
UNKNOWN_COLOR = "#7b8394"
_ELIDE_RIGHT = Qt.TextElideMode.ElideRight


@dataclass(frozen=True, slots=True)
class PortView:
    """One port as the card shows it. ``edges`` counts its connections (a
    ``multiple`` input gets one slot per edge, in merge order)."""

    name: str
    label: str
    role: str
    multiple: bool
    is_output: bool
    description: str = ""
    edges: int = 0
    sources: tuple[str, ...] = ()  # a list input's feeders, in merge order


@dataclass(frozen=True, slots=True)
class CardContent:
    name: str
    kind: str
    color: str
    inputs: tuple[PortView, ...]
    outputs: tuple[PortView, ...]
    note: str = ""
    section: str = ""
    rows: tuple[tuple[str, str], ...] = ()
    bullets: bool = False
    empty: str = ""
    hidden_rows: int = 0
    subgraph: bool = False  # a Subgraph node: drawn as a stack, ``note`` names its definition
    pinned: bool = False  # its output is pinned by hand: runs hand it on


@dataclass(slots=True)
class PortGeom:
    """Where a port sits on its card (item coordinates)."""

    view: PortView
    anchor: QPointF
    hit: QRectF
    slots: list[QPointF] = field(default_factory=list)
    label_center: float = 0.0
    labelled: bool = True

    def slot(self, index: int) -> QPointF:
        """Endpoint of the ``index``-th edge into a multiple port (the anchor otherwise)."""
        if 0 <= index < len(self.slots):
            return self.slots[index]
        return self.anchor


@dataclass(slots=True)
class TextRun:
    font: str  # attribute name in Fonts
    pen: str  # "text", "muted", "header", "header_kind"
    x: float
    y: float  # top of the line
    text: str


@dataclass(slots=True)
class CardLayout:
    height: float
    ports: dict[tuple[str, bool], PortGeom]
    divider_y: float | None
    bullets: list[QPointF]
    badge: bool
    note_lines: list[tuple[float, str]]
    section_y: float | None
    rows_y: list[float]
    tail_y: float | None

    def port(self, name: str, is_output: bool) -> PortGeom | None:
        return self.ports.get((name, is_output))


# --------------------------------------------------------------------- content
def _port_views(
    graph: Graph, node: Node, specs: tuple[PortSpec, ...], is_output: bool
) -> tuple[PortView, ...]:
    views = []
    for spec in specs:
        edges = (
            graph.outgoing(node.id, spec.name) if is_output else graph.incoming(node.id, spec.name)
        )
        multiple = spec.multiple and not is_output
        sources = (
            tuple(graph.nodes[e.source].name for e in edges if e.source in graph.nodes)
            if multiple
            else ()
        )
        views.append(
            PortView(
                spec.name,
                spec.display,
                spec.role,
                multiple,
                is_output,
                spec.description,
                len(edges),
                sources,
            )
        )
    return tuple(views)


def _ports_from_edges(
    graph: Graph, node: Node
) -> tuple[tuple[PortView, ...], tuple[PortView, ...]]:
    """Ports of a node whose type or parameters are unusable: whatever its edges
    use, so the edges still have somewhere to end."""
    ins = dict.fromkeys(e.target_port for e in graph.incoming(node.id))
    outs = dict.fromkeys(e.source_port for e in graph.outgoing(node.id))
    return (
        tuple(PortView(p, p, "data", False, False) for p in ins),
        tuple(PortView(p, p, "data", False, True) for p in outs),
    )


def card_content(
    graph: Graph,
    registry: Registry,
    node: Node,
    flow: FlowAnalysis | None,
    previous: CardContent | None = None,
) -> CardContent:
    """What the card of ``node`` shows. With ``flow`` None (analysis pending)
    the schema rows of ``previous`` are kept until the analysis arrives."""
    node_type: NodeType | None = flow.types.get(node.id) if flow is not None else None
    params = flow.params.get(node.id) if flow is not None else None
    if node_type is None or params is None:  # not analysed yet, or unusable
        try:
            node_type = registry.get(node.type)
        except UnknownNodeType:
            node_type = None
        params = None
        if node_type is not None:
            try:
                params = node_type.parse_params(node)
            except ValueError:
                params = None
    if node_type is None or params is None:
        ins, outs = _ports_from_edges(graph, node)
        return CardContent(
            node.name,
            node_type.title if node_type else node.type,
            node_type.color if node_type else UNKNOWN_COLOR,
            ins,
            outs,
            empty="unknown node type" if node_type is None else "invalid parameters",
        )
    in_specs, out_specs = node_type.input_ports(params), node_type.output_ports(params)
    inputs = _port_views(graph, node, in_specs, False)
    outputs = _port_views(graph, node, out_specs, True)
    question = str(getattr(params, "question", "") or "") or subgraph_caption(graph, node)
    labels = getattr(params, "labels", None)
    routes = any(p.role == "branch" for p in out_specs)
    data_model = str(getattr(params, "data_model", "") or "")
    if not question and data_model and graph.auto_data_models.get(node.id) == data_model:
        question = f"{data_model} chosen automatically; change it in the inspector"
    base = dict(
        name=node.name,
        kind=node_type.title,
        color=node_type.color,
        inputs=inputs,
        outputs=outputs,
        note=question,
        subgraph=node.type == SUBGRAPH_TYPE,
        pinned=node.pinned is not None,
    )

    if labels is not None and not routes:
        rows = tuple((str(label), "") for label in labels)
        return CardContent(
            **base,
            section="labels",
            rows=rows[:MAX_ROWS],
            bullets=True,
            empty="" if rows else "add labels",
            hidden_rows=max(0, len(rows) - MAX_ROWS),
        )
    if routes or (not out_specs and not in_specs):
        return CardContent(**base, empty="" if out_specs or question else "add labels")
    if flow is None:
        if previous is not None:
            return CardContent(
                **base,
                section=previous.section,
                rows=previous.rows,
                empty=previous.empty,
                hidden_rows=previous.hidden_rows,
            )
        return CardContent(**base)

    if out_specs:
        schema = flow.schemas.get((node.id, out_specs[0].name))
        missing = _missing_output(graph, flow, node, params, data_model)
        title = flow.port_title(node.id, out_specs[0].name)
    else:
        edges = graph.incoming(node.id, in_specs[0].name) if in_specs else []
        schema = flow.edge_schema(edges[0].id) if edges else None
        title = flow.port_title(edges[0].source, edges[0].source_port) if edges else ""
        missing = (
            "not connected"
            if not edges
            else ("after a cycle" if flow.after_cycle(node.id) else "unknown data")
        )
    # Named as its producer names it (see FlowAnalysis.port_title), not by the
    # schema's title: a card downstream reads the same name as the card upstream.
    section = "combined" if node_type.is_merge else title
    described = describe_schema(schema)
    rows = tuple(
        (name, kind if required or kind.endswith("?") else f"{kind}?")
        for name, kind, required in described
    )
    return CardContent(
        **base,
        section=section if rows else "",
        rows=rows[:MAX_ROWS],
        empty="" if rows else (missing if schema is None else "no fields"),
        hidden_rows=max(0, len(rows) - MAX_ROWS),
    )


def _missing_output(
    graph: Graph, flow: FlowAnalysis, node: Node, params: object, data_model: str
) -> str:
    """Why a node's output schema is unknown, in the words of its real cause: a
    node on a cycle has its data model, it just never gets ordered."""
    if node.id in flow.on_cycle:
        return "in a cycle"
    if data_model and data_model not in graph.data_models:
        return f"no data model {data_model!r}"
    if flow.after_cycle(node.id):
        return "after a cycle"
    if hasattr(params, "data_model") and not data_model:
        return "choose a data model"
    return "waiting for inputs"


# ---------------------------------------------------------------------- layout
def _two_lines(fonts: Fonts, text: str, width: float) -> tuple[str, ...]:
    """``text`` wrapped into at most two lines, the second elided."""
    words = " ".join(text.split()).split(" ")
    first = ""
    rest = list(words)
    while rest and fonts.advance("note", (first + " " + rest[0]).strip()) <= width:
        first = (first + " " + rest.pop(0)).strip()
    if not first:  # one very long word
        return (fonts.elide("note", text, width),)
    if not rest:
        return (first,)
    return (first, fonts.elide("note", " ".join(rest), width))


def _labelled(ports: tuple[PortView, ...]) -> bool:
    """Whether a side of the card lists its ports in labelled rows. A lone
    plain data port says nothing a label would add ("inputs", "output"): it
    sits on the header instead, where the edges of every card line up."""
    return len(ports) > 1 or any(p.role != "data" or p.multiple for p in ports)


def _port_column(
    ports: tuple[PortView, ...],
    is_output: bool,
    geoms: dict[tuple[str, bool], PortGeom],
    labelled: bool = False,
) -> float:
    """Place one side's ports; return the bottom of the rows used (the header's
    bottom when the side needs no rows)."""
    x = CARD_WIDTH if is_output else 0.0
    if not (labelled or _labelled(ports)):
        for view in ports:
            center = HEADER_HEIGHT / 2.0
            hit = (
                QRectF(x - 14.0, 0.0, 26.0, HEADER_HEIGHT)
                if is_output
                else QRectF(x - 12.0, 0.0, 26.0, HEADER_HEIGHT)
            )
            geoms[(view.name, is_output)] = PortGeom(
                view, QPointF(x, center), hit, [], center, False
            )
        return HEADER_HEIGHT
    y = PORTS_TOP
    for view in ports:
        slots: list[QPointF] = []
        if view.multiple:
            count = max(1, view.edges)
            height = max(PORT_ROW, count * SLOT + 6.0)
            first = y + (height - count * SLOT) / 2.0 + SLOT / 2.0
            slots = [QPointF(x, first + k * SLOT) for k in range(count)]
            label_center = first
        else:
            height = PORT_ROW
            label_center = y + height / 2.0
        hit = QRectF(x - 14.0, y, 26.0, height) if is_output else QRectF(x - 12.0, y, 26.0, height)
        geoms[(view.name, is_output)] = PortGeom(
            view, QPointF(x, y + height / 2.0), hit, slots, label_center
        )
        y += height
    return y


def card_layout(content: CardContent, fonts: Fonts, badge: bool = False) -> CardLayout:
    """Where everything on the card of ``content`` goes.

    Only geometry is computed here (it is needed for every card at once: port
    anchors for edges, heights for the scene index); the text is measured and
    elided later by :func:`text_runs`, for the cards actually painted.
    """
    geoms: dict[tuple[str, bool], PortGeom] = {}
    bottom = max(
        # A subgraph's ports are its inner Inputs and Outputs: always named.
        _port_column(content.inputs, False, geoms, content.subgraph),
        _port_column(content.outputs, True, geoms, content.subgraph),
    )
    y = bottom + (2.0 if bottom > HEADER_HEIGHT else 6.0)
    inner = CARD_WIDTH - 2 * PAD
    note_lines: list[tuple[float, str]] = []
    if content.note:
        for line in _two_lines(fonts, content.note, inner):
            note_lines.append((y, line))
            y += fonts.line_height["note"] + 1.0
        y += 4.0
    divider_y = None
    section_y = None
    rows_y: list[float] = []
    bullets: list[QPointF] = []
    tail_y = None
    if content.rows or content.empty:
        divider_y = y + 1.0
        y += 7.0
        if content.section:
            section_y = y
            y += 16.0
        for _row in content.rows:
            center = y + ROW / 2.0
            rows_y.append(center)
            if content.bullets:
                bullets.append(QPointF(PAD + 3.0, center))
            y += ROW
        if content.hidden_rows or (not content.rows and content.empty):
            tail_y = y + ROW / 2.0
            y += ROW
    height = max(y + 7.0, HEADER_HEIGHT + 28.0)
    return CardLayout(
        round(height), geoms, divider_y, bullets, badge, note_lines, section_y, rows_y, tail_y
    )


def text_runs(content: CardContent, layout: CardLayout, fonts: Fonts) -> list[TextRun]:
    """Every piece of text on the card, measured and elided to fit."""
    runs: list[TextRun] = []
    top = fonts.top_for_center
    inner = CARD_WIDTH - 2 * PAD
    # Header: the kind on the right, the name elided into what is left.
    kind = fonts.elide("kind", content.kind, 96.0)
    right = CARD_WIDTH - PAD
    kind_x = right - fonts.advance("kind", kind)
    name = fonts.elide("title", content.name, kind_x - PAD - 10.0)
    runs.append(TextRun("title", "header", PAD, top("title", HEADER_HEIGHT / 2.0), name))
    runs.append(
        TextRun("kind", "header_kind", kind_x, top("kind", HEADER_HEIGHT / 2.0) + 0.5, kind)
    )
    half = CARD_WIDTH / 2.0 - 18.0
    for (_name, is_output), geom in layout.ports.items():
        view = geom.view
        if not geom.labelled:
            continue
        label = fonts.elide("port", view.label, half)
        y = top("port", geom.label_center)
        if is_output:
            runs.append(
                TextRun("port", "muted", CARD_WIDTH - 14.0 - fonts.advance("port", label), y, label)
            )
            continue
        if view.multiple and view.sources:
            # One slot per edge, numbered in merge order, named by its source.
            for k, (point, source) in enumerate(zip(geom.slots, view.sources, strict=False)):
                runs.append(
                    TextRun("index", "muted", 10.0, top("port", point.y()) + 1.0, str(k + 1))
                )
                runs.append(
                    TextRun(
                        "port",
                        "muted",
                        24.0,
                        top("port", point.y()),
                        fonts.elide("port", source, half),
                    )
                )
            continue
        runs.append(TextRun("port", "muted", 26.0 if view.multiple else 14.0, y, label))
    for y, line in layout.note_lines:
        runs.append(TextRun("note", "muted", PAD, y, line))
    if layout.section_y is not None:
        runs.append(
            TextRun(
                "section",
                "muted",
                PAD,
                layout.section_y,
                fonts.elide("section", content.section, inner),
            )
        )
    for (left, right_text), center in zip(content.rows, layout.rows_y, strict=False):
        x = PAD + 14.0 if content.bullets else PAD
        kind_text = fonts.elide("type", right_text, inner * 0.46) if right_text else ""
        kind_w = fonts.advance("type", kind_text) if kind_text else 0.0
        left_w = inner - (x - PAD) - (kind_w + 10.0 if kind_text else 0.0)
        runs.append(
            TextRun("field", "text", x, top("field", center), fonts.elide("field", left, left_w))
        )
        if kind_text:
            runs.append(
                TextRun("type", "muted", CARD_WIDTH - PAD - kind_w, top("type", center), kind_text)
            )
    if layout.tail_y is not None:
        tail = f"+{content.hidden_rows} more" if content.hidden_rows else content.empty
        runs.append(TextRun("note", "muted", PAD, top("note", layout.tail_y), tail))
    return runs
