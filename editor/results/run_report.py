"""Runs as HTML: one run's details (history) and two runs side by side (compare).

Plain functions from run entries to HTML strings, shown in a QTextBrowser:
easy to read, select and copy, and easy to test. Values are escaped; nothing
here holds state.
"""

from __future__ import annotations

import html
from typing import Any

from editor.canvas.run_state import LABELS as STATE_WORDS
from editor.results.formatting import cost_text, format_seconds, seconds_text, tokens_text
from editor.results.panel_content import display_state, json_text
from editor.run.history import RunEntry

_STYLE = (
    "<style>table{border-collapse:collapse} td,th{padding:2px 8px;vertical-align:top}"
    " th{text-align:left} pre{margin:0; white-space:pre-wrap} .muted{font-style:italic}</style>"
)


def _e(value: Any) -> str:
    return html.escape(str(value))


def _pre(value: Any) -> str:
    return f"<pre style='white-space:pre-wrap'>{_e(json_text(value))}</pre>"


def run_summary(entry: RunEntry) -> dict[str, str]:
    """The headline figures of a run, as text (also used by the history table)."""
    record = entry.record
    summary = {
        "status": entry.status,
        "started": entry.started_text(),
        "models": entry.model_label,
        "duration": seconds_text(record.duration if record else None),
        "tokens": "",
        "cost": "",
    }
    if record is not None:
        if record.tokens_in or record.tokens_out:
            summary["tokens"] = f"{record.tokens_in + record.tokens_out:,}"
        summary["cost"] = cost_text(record.cost)
    return summary


def node_rows(entry: RunEntry) -> list[dict[str, str]]:
    """Per-node timings and errors, in run order."""
    rows = []
    record = entry.record
    if record is None:
        return rows
    for rec in record.nodes.values():
        waited = ""
        if (
            rec.queued_at is not None
            and rec.started_at is not None
            and rec.started_at - rec.queued_at >= 0.005
        ):
            waited = format_seconds(rec.started_at - rec.queued_at)
        ran = ""
        if rec.started_at is not None and rec.ended_at is not None:
            ran = format_seconds(rec.ended_at - rec.started_at)
        rows.append(
            {
                "node": rec.node_name,
                "state": STATE_WORDS.get(display_state(rec), display_state(rec))
                + (" (cached)" if rec.cached else "")
                + (" (pinned)" if rec.pinned else "")
                + (" (from an earlier run)" if rec.reused_from else ""),
                "start": "" if rec.started_at is None else f"{rec.started_at:.2f} s",
                "ran": ran,
                "waited": waited,
                "tokens": tokens_text(rec.tokens_in, rec.tokens_out),
                "cost": cost_text(rec.cost),
                "error": rec.error or "",
            }
        )
    return rows


def run_details_html(entry: RunEntry) -> str:
    """Everything about one run: inputs, outputs, per-node timings and errors."""
    summary = run_summary(entry)
    head = (
        f"<h3>{_e(entry.title)} \u00b7 {_e(entry.document_name)}</h3>"
        f"<p>{_e(summary['status'])} \u00b7 started {_e(summary['started'])}"
        + (f" \u00b7 {_e(summary['duration'])}" if summary["duration"] else "")
        + (f" \u00b7 {_e(summary['tokens'])} tokens" if summary["tokens"] else "")
        + (f" \u00b7 {_e(summary['cost'])}" if summary["cost"] else "")
        + f" \u00b7 models: {_e(summary['models'])}</p>"
    )
    parts = [_STYLE, head, "<h4>Inputs</h4>", _pre(entry.inputs), "<h4>Outputs</h4>"]
    outputs = entry.outputs_by_name()
    if outputs:
        for name, value in outputs.items():
            parts.append(
                f"<p><b>{_e(name)}</b></p>{_pre(value) if value is not None else '<p><i>none</i></p>'}"
            )
    else:
        parts.append("<p><i>none</i></p>")
    parts.append(
        "<h4>Nodes</h4><table><tr><th>node</th><th>state</th><th>started</th><th>ran</th>"
        "<th>waited</th><th>tokens</th><th>cost</th></tr>"
    )
    errors = []
    for row in node_rows(entry):
        parts.append(
            "<tr>"
            + "".join(
                f"<td>{_e(row[k])}</td>"
                for k in ("node", "state", "start", "ran", "waited", "tokens", "cost")
            )
            + "</tr>"
        )
        if row["error"] and row["state"] == "failed":
            errors.append(f"<p><b>{_e(row['node'])}</b>: {_e(row['error'])}</p>")
    parts.append("</table>")
    if errors:
        parts.append("<h4>Errors</h4>" + "".join(errors))
    return "".join(parts)


def compare_html(a: RunEntry, b: RunEntry) -> str:
    """Two runs side by side: headline, inputs, each output, each node's timing."""
    sa, sb = run_summary(a), run_summary(b)
    parts = [
        _STYLE,
        f"<h3>{_e(a.title)} and {_e(b.title)}</h3>",
        "<table width='100%'>",
        f"<tr><th width='12%'></th><th width='44%'>{_e(a.title)} ({_e(a.document_name)})</th>"
        f"<th width='44%'>{_e(b.title)} ({_e(b.document_name)})</th></tr>",
    ]
    for key in ("status", "started", "models", "duration", "tokens", "cost"):
        parts.append(f"<tr><th>{key}</th><td>{_e(sa[key])}</td><td>{_e(sb[key])}</td></tr>")
    same_input = a.inputs == b.inputs
    parts.append(
        f"<tr><th>inputs{'' if same_input else ' (differ)'}</th><td>{_pre(a.inputs)}</td><td>{_pre(b.inputs)}</td></tr>"
    )
    outputs_a, outputs_b = a.outputs_by_name(), b.outputs_by_name()
    for name in list(dict.fromkeys([*outputs_a, *outputs_b])):
        va, vb = outputs_a.get(name), outputs_b.get(name)
        mark = "same" if va == vb else "differ"
        parts.append(
            f"<tr><th>{_e(name)}<br><span class='muted'>{mark}</span></th>"
            f"<td>{_pre(va) if va is not None else '<i>none</i>'}</td>"
            f"<td>{_pre(vb) if vb is not None else '<i>none</i>'}</td></tr>"
        )
    parts.append(
        "</table><h4>Nodes</h4><table><tr><th>node</th>"
        f"<th>{_e(a.title)}</th><th>{_e(b.title)}</th><th>\u0394 ran</th></tr>"
    )
    rows_a = {r["node"]: r for r in node_rows(a)}
    rows_b = {r["node"]: r for r in node_rows(b)}
    for name in list(dict.fromkeys([*rows_a, *rows_b])):
        ra, rb = rows_a.get(name), rows_b.get(name)
        parts.append(
            f"<tr><td>{_e(name)}</td><td>{_cell(ra)}</td><td>{_cell(rb)}</td><td>{_e(_delta(a, b, name))}</td></tr>"
        )
    parts.append("</table>")
    parts.extend(node_outputs_html(a, b))
    return "".join(parts)


def node_outputs_html(a: RunEntry, b: RunEntry) -> list[str]:
    """Each node's output in both runs, side by side, marked same or differ
    (nodes by name, in the order of the first run, then the second's own)."""
    results_a, results_b = _node_results(a), _node_results(b)
    names = list(dict.fromkeys([*results_a, *results_b]))
    if not names:
        return []
    parts = [
        "<h4>Node outputs</h4><table width='100%'>",
        f"<tr><th width='12%'>node</th><th width='44%'>{_e(a.title)}</th>"
        f"<th width='44%'>{_e(b.title)}</th></tr>",
    ]
    missing = object()
    for name in names:
        va, vb = results_a.get(name, missing), results_b.get(name, missing)
        mark = "same" if va == vb else "differ"
        parts.append(
            f"<tr><th>{_e(name)}<br><span class='muted'>{mark}</span></th>"
            f"<td>{_output_cell(va, missing)}</td><td>{_output_cell(vb, missing)}</td></tr>"
        )
    parts.append("</table>")
    return parts


def _node_results(entry: RunEntry) -> dict[str, Any]:
    """Each finished node's result by name (Inputs and Outputs left out: the
    inputs and outputs rows above show them)."""
    if entry.record is None:
        return {}
    found: dict[str, Any] = {}
    for rec in entry.record.nodes.values():
        node = entry.node(rec.node_id)
        if node is not None and node.type in ("Input", "Output"):
            continue
        found[rec.node_name] = rec.result if rec.state == "finished" else None
    return found


def _output_cell(value: Any, missing: object) -> str:
    if value is missing:
        return "<i>not in this run</i>"
    return _pre(value) if value is not None else "<i>none</i>"


def _cell(row: dict[str, str] | None) -> str:
    if row is None:
        return "<i>not in this run</i>"
    text = row["state"] + (f", ran {row['ran']}" if row["ran"] else "")
    if row["error"] and row["state"] == "failed":
        text += f": {row['error']}"
    return _e(text)


def _delta(a: RunEntry, b: RunEntry, name: str) -> str:
    def ran(entry: RunEntry) -> float | None:
        if entry.record is None:
            return None
        for rec in entry.record.nodes.values():
            if rec.node_name == name and rec.started_at is not None and rec.ended_at is not None:
                return rec.ended_at - rec.started_at
        return None

    ta, tb = ran(a), ran(b)
    if ta is None or tb is None:
        return ""
    diff = tb - ta
    if abs(diff) < 0.05:
        return "\u00b10"
    return f"{'+' if diff > 0 else '\u2212'}{format_seconds(abs(diff))}"
