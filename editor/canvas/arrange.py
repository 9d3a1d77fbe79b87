"""Align, distribute and auto-layout: new card positions from card rectangles.

Pure geometry (no Qt) over ``{node id: (x, y, width, height)}``; the view
turns the result into one ``MoveNodes`` command. Only the view knows how tall
a card is, so the final packing of :func:`core.layout.layered_layout`'s
columns (which assumes one row height) happens here.
"""

from __future__ import annotations

Rect = tuple[float, float, float, float]
Position = tuple[float, float]

ALIGN_MODES = (
    "left",
    "right",
    "top",
    "bottom",
    "hcenter",  # centres on one vertical line
    "vcenter",  # centres on one horizontal line
    "distribute_h",
    "distribute_v",
)


def align_positions(rects: dict[str, Rect], mode: str) -> dict[str, Position]:
    """New top-left positions of the cards in ``rects`` aligned by ``mode``.

    Aligning needs two cards, distributing three; fewer leave them unchanged.
    Distributing spaces cards evenly (equal gaps) between the outermost two.
    """
    if mode not in ALIGN_MODES:
        raise ValueError(f"unknown align mode {mode!r}; use one of {', '.join(ALIGN_MODES)}")
    out = {k: (r[0], r[1]) for k, r in rects.items()}
    if len(rects) < 2 or (mode.startswith("distribute") and len(rects) < 3):
        return out
    xs = [r[0] for r in rects.values()]
    ys = [r[1] for r in rects.values()]
    rights = [r[0] + r[2] for r in rects.values()]
    bottoms = [r[1] + r[3] for r in rects.values()]
    for key, (x, y, w, h) in rects.items():
        if mode == "left":
            out[key] = (min(xs), y)
        elif mode == "right":
            out[key] = (max(rights) - w, y)
        elif mode == "top":
            out[key] = (x, min(ys))
        elif mode == "bottom":
            out[key] = (x, max(bottoms) - h)
        elif mode == "hcenter":
            center = sum(r[0] + r[2] / 2 for r in rects.values()) / len(rects)
            out[key] = (center - w / 2, y)
        elif mode == "vcenter":
            center = sum(r[1] + r[3] / 2 for r in rects.values()) / len(rects)
            out[key] = (x, center - h / 2)
    if mode == "distribute_h":
        order = sorted(rects, key=lambda k: (rects[k][0], k))
        span = rects[order[-1]][0] + rects[order[-1]][2] - rects[order[0]][0]
        gap = (span - sum(rects[k][2] for k in order)) / (len(order) - 1)
        x = rects[order[0]][0]
        for key in order:
            out[key] = (x, rects[key][1])
            x += rects[key][2] + gap
    elif mode == "distribute_v":
        order = sorted(rects, key=lambda k: (rects[k][1], k))
        span = rects[order[-1]][1] + rects[order[-1]][3] - rects[order[0]][1]
        gap = (span - sum(rects[k][3] for k in order)) / (len(order) - 1)
        y = rects[order[0]][1]
        for key in order:
            out[key] = (rects[key][0], y)
            y += rects[key][3] + gap
    return out


def pack_columns(
    positions: dict[str, Position], heights: dict[str, float], gap: float
) -> dict[str, Position]:
    """Re-space each column of a layered layout by the real card heights.

    Columns keep their x and their top-to-bottom order; every column is
    centred on the middle of the tallest one, so a fork fans out evenly
    around the node it comes from.
    """
    columns: dict[float, list[str]] = {}
    for key, (x, _y) in positions.items():
        columns.setdefault(x, []).append(key)
    extents = {}
    for x, keys in columns.items():
        keys.sort(key=lambda k: positions[k][1])
        extents[x] = sum(heights[k] for k in keys) + gap * (len(keys) - 1)
    if not columns:
        return {}
    top = min(p[1] for p in positions.values())
    middle = top + max(extents.values()) / 2
    out: dict[str, Position] = {}
    for x, keys in columns.items():
        y = middle - extents[x] / 2
        for key in keys:
            out[key] = (x, round(y))
            y += heights[key] + gap
    return out
