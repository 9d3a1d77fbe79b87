"""What a node card shows (:class:`CardContent`) and where (:class:`CardLayout`).

Content is read from the core only: the node, its type in the registry and
the :class:`~core.schemas.flow.FlowAnalysis` (the same schema flow validation
and the engine use), so a card can never disagree with what runs. Layout turns
content into positions once per change (text elided, port anchors computed),
so painting is a loop over prepared runs with no measuring and no allocation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt

from core.model.graph import Graph, Node
from core.registry import Registry
from core.registry.node_type import NodeType, PortSpec
from core.registry.registry import UnknownNodeType
from core.schemas.flow import FlowAnalysis, describe_schema
from editor.canvas.paint_kit import CARD_WIDTH, HEADER_HEIGHT, Fonts

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


@dataclass(slots=True)
class PortGeom:
    """Where a port sits on its card (item coordinates)."""

    view: PortView
    anchor: QPointF
    hit: QRectF
    slots: list[QPointF] = field(default_factory=list)

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
    texts: list[TextRun]
    divider_y: float | None
    bullets: list[QPointF]
    title_right: float  # where the header name ends (room left for the badge)

    def port(self, name: str, is_output: bool) -> PortGeom | None:
        return self.ports.get((name, is_output))


# --------------------------------------------------------------------- content
def _port_views(graph: Graph, node: Node, specs: tuple[PortSpec, ...], is_output: bool) -> tuple[PortView, ...]:
    views = []
    for spec in specs:
        edges = graph.outgoing(node.id, spec.name) if is_output else graph.incoming(node.id, spec.name)
        count = len(edges)
        views.append(
            PortView(spec.name, spec.display, spec.role, spec.multiple and not is_output, is_output,
                     spec.description, count)
        )
    return tuple(views)


def _ports_from_edges(graph: Graph, node: Node) -> tuple[tuple[PortView, ...], tuple[PortView, ...]]:
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
    try:
        node_type: NodeType | None = registry.get(node.type)
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
    question = str(getattr(params, "question", "") or "")
    labels = getattr(params, "labels", None)
    routes = any(p.role == "branch" for p in out_specs)
    data_model = str(getattr(params, "data_model", "") or "")
    base = dict(name=node.name, kind=node_type.title, color=node_type.color, inputs=inputs,
                outputs=outputs, note=question)

    if labels is not None and not routes:
        rows = tuple((str(label), "") for label in labels)
        return CardContent(**base, section="labels", rows=rows[:MAX_ROWS], bullets=True,
                           empty="" if rows else "add labels", hidden_rows=max(0, len(rows) - MAX_ROWS))
    if routes or (not out_specs and not in_specs):
        return CardContent(**base, empty="" if out_specs or question else "add labels")
    if flow is None:
        if previous is not None:
            return CardContent(**base, section=previous.section, rows=previous.rows,
                               empty=previous.empty, hidden_rows=previous.hidden_rows)
        return CardContent(**base)

    if out_specs:
        schema = flow.schemas.get((node.id, out_specs[0].name))
        missing = f"no data model {data_model!r}" if data_model else (
            "choose a data model" if hasattr(params, "data_model") else "waiting for inputs")
    else:
        edges = graph.incoming(node.id, in_specs[0].name) if in_specs else []
        schema = flow.edge_schema(edges[0].id) if edges else None
        missing = "not connected" if not edges else "unknown data"
    if node_type.is_merge:
        section = "combined"
    else:
        section = data_model or str((schema or {}).get("title") or "")
    described = describe_schema(schema)
    rows = tuple((name, kind if required or kind.endswith("?") else f"{kind}?")
                 for name, kind, required in described)
    return CardContent(
        **base,
        section=section if rows else "",
        rows=rows[:MAX_ROWS],
        empty="" if rows else (missing if schema is None else "no fields"),
        hidden_rows=max(0, len(rows) - MAX_ROWS),
    )


# ---------------------------------------------------------------------- layout
def _center_top(fonts: Fonts, font: str, center_y: float) -> float:
    m = fonts.metrics[font]
    return center_y - (m.ascent() + m.descent()) / 2.0


def _two_lines(fonts: Fonts, text: str, width: float) -> list[str]:
    """``text`` wrapped into at most two lines, the second elided."""
    m = fonts.metrics["note"]
    words = " ".join(text.split()).split(" ")
    first = ""
    rest = list(words)
    while rest and m.horizontalAdvance((first + " " + rest[0]).strip()) <= width:
        first = (first + " " + rest.pop(0)).strip()
    if not first:  # one very long word
        return [m.elidedText(text, _ELIDE_RIGHT, width)]
    if not rest:
        return [first]
    return [first, m.elidedText(" ".join(rest), _ELIDE_RIGHT, width)]


def _port_column(
    fonts: Fonts,
    ports: tuple[PortView, ...],
    is_output: bool,
    geoms: dict[tuple[str, bool], PortGeom],
    texts: list[TextRun],
) -> float:
    y = PORTS_TOP
    x = CARD_WIDTH if is_output else 0.0
    half = CARD_WIDTH / 2.0 - 18.0
    m = fonts.metrics["port"]
    for view in ports:
        slots: list[QPointF] = []
        if view.multiple:
            count = max(1, view.edges)
            height = max(PORT_ROW, count * SLOT + 6.0)
            first = y + (height - count * SLOT) / 2.0 + SLOT / 2.0
            slots = [QPointF(x, first + k * SLOT) for k in range(count)]
            label_center = first
            label_x = 26.0
        else:
            height = PORT_ROW
            label_center = y + height / 2.0
            label_x = 14.0
        anchor = QPointF(x, y + height / 2.0)
        hit = QRectF(x - 12.0, y, 26.0, height) if not is_output else QRectF(x - 14.0, y, 26.0, height)
        geoms[(view.name, is_output)] = PortGeom(view, anchor, hit, slots)
        label = m.elidedText(view.label, _ELIDE_RIGHT, half)
        top = _center_top(fonts, "port", label_center)
        if is_output:
            texts.append(TextRun("port", "muted", CARD_WIDTH - 14.0 - m.horizontalAdvance(label), top, label))
        else:
            texts.append(TextRun("port", "muted", label_x, top, label))
            for k, point in enumerate(slots if view.edges > 1 else []):
                texts.append(TextRun("index", "muted", 9.0, _center_top(fonts, "port", point.y()) + 1.0, str(k + 1)))
        y += height
    return y


def card_layout(content: CardContent, fonts: Fonts, badge: bool = False) -> CardLayout:
    """Positions of everything on the card of ``content``."""
    texts: list[TextRun] = []
    geoms: dict[tuple[str, bool], PortGeom] = {}
    # Header: kind on the right, name elided into what is left.
    kind_m, title_m = fonts.metrics["kind"], fonts.metrics["title"]
    kind = kind_m.elidedText(content.kind, _ELIDE_RIGHT, 96.0)
    kind_w = kind_m.horizontalAdvance(kind)
    right = CARD_WIDTH - PAD - (12.0 if badge else 0.0)
    kind_x = right - kind_w
    name = title_m.elidedText(content.name, _ELIDE_RIGHT, kind_x - PAD - 10.0)
    texts.append(TextRun("title", "header", PAD, _center_top(fonts, "title", HEADER_HEIGHT / 2.0), name))
    texts.append(TextRun("kind", "header_kind", kind_x, _center_top(fonts, "kind", HEADER_HEIGHT / 2.0) + 0.5, kind))

    bottom = max(_port_column(fonts, content.inputs, False, geoms, texts),
                 _port_column(fonts, content.outputs, True, geoms, texts))
    if not content.inputs and not content.outputs:
        bottom = PORTS_TOP
    y = bottom + 2.0
    inner = CARD_WIDTH - 2 * PAD
    note_m = fonts.metrics["note"]
    if content.note:
        for line in _two_lines(fonts, content.note, inner):
            texts.append(TextRun("note", "muted", PAD, y, line))
            y += note_m.height() + 1.0
        y += 4.0
    divider_y = None
    bullets: list[QPointF] = []
    if content.rows or content.empty:
        divider_y = y + 1.0
        y += 7.0
        if content.section:
            section = fonts.metrics["section"].elidedText(content.section, _ELIDE_RIGHT, inner)
            texts.append(TextRun("section", "muted", PAD, y, section))
            y += 16.0
        field_m, type_m = fonts.metrics["field"], fonts.metrics["type"]
        for left, right_text in content.rows:
            center = y + ROW / 2.0
            x = PAD
            if content.bullets:
                bullets.append(QPointF(PAD + 3.0, center))
                x = PAD + 14.0
            kind_text = type_m.elidedText(right_text, _ELIDE_RIGHT, inner * 0.46) if right_text else ""
            kind_w = type_m.horizontalAdvance(kind_text) if kind_text else 0.0
            left_w = inner - (x - PAD) - (kind_w + 10.0 if kind_text else 0.0)
            texts.append(TextRun("field", "text", x, _center_top(fonts, "field", center),
                                 field_m.elidedText(left, _ELIDE_RIGHT, left_w)))
            if kind_text:
                texts.append(TextRun("type", "muted", CARD_WIDTH - PAD - kind_w,
                                     _center_top(fonts, "type", center), kind_text))
            y += ROW
        if content.hidden_rows:
            texts.append(TextRun("note", "muted", PAD, _center_top(fonts, "note", y + ROW / 2.0),
                                 f"+{content.hidden_rows} more"))
            y += ROW
        if not content.rows and content.empty:
            texts.append(TextRun("note", "muted", PAD, _center_top(fonts, "note", y + ROW / 2.0), content.empty))
            y += ROW
    height = max(y + 7.0, HEADER_HEIGHT + 28.0)
    return CardLayout(round(height), geoms, texts, divider_y, bullets, kind_x - 8.0)
