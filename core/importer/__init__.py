"""Import a Synalinks functional-API script as a graph, by reading it (never running it).

:func:`import_python` takes source text, :func:`import_python_file` a path;
both return an :class:`ImportResult` (the graph and the warnings: details the
graph leaves out) or raise :class:`ScriptImportError`, whose message lists
each problem with its file, line and what to do.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from core.importer import values as v
from core.importer.assemble import assemble
from core.importer.errors import ImportProblem, ScriptImportError
from core.importer.reader import ScriptReader
from core.model.graph import Graph
from core.registry.registry import Registry

MAX_SCRIPT_BYTES = 5 * 1024 * 1024
"""A program-building script is a few hundred lines; anything this large is not one."""


@dataclass
class ImportResult:
    graph: Graph
    warnings: list[ImportProblem] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    """The names of every program the script builds (the graph is one of them)."""


def import_python(
    source: str, registry: Registry, filename: str = "<script>", program: str | None = None
) -> ImportResult:
    """The graph of the script's program: its only one, or the one named ``program``
    (a script that builds several must say which)."""
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as exc:
        problem = ImportProblem(exc.lineno or 0, f"not valid Python: {exc.msg}", "error", filename)
        raise ScriptImportError(
            filename, [problem], f"{filename}: cannot read this script"
        ) from None
    except (ValueError, RecursionError) as exc:
        problem = ImportProblem(0, f"cannot parse it: {exc}", "error", filename)
        raise ScriptImportError(filename, [problem]) from None
    reader = ScriptReader(source, filename, registry)
    try:
        reader.read(tree)
    except RecursionError:
        problem = ImportProblem(0, "the script nests too deeply to read", "error", filename)
        raise ScriptImportError(filename, [problem]) from None
    reported = len(reader.problems)
    chosen = _choose(reader, program)
    errors = [p for p in reader.problems if p.severity == "error"]
    if errors:
        names = [p.name or "" for p in _distinct(reader.programs, reader)]
        only_the_choice = errors == reader.problems[reported:] and len(names) > 1
        raise ScriptImportError(
            filename,
            sorted(reader.problems, key=lambda p: (p.severity != "error", p.line)),
            f"{filename}: cannot import this script ({len(errors)} problem(s) to fix)",
            names if only_the_choice and program is None else None,
        )
    assert chosen is not None  # no program is an error above
    graph = assemble(reader, chosen, registry, only=len(_distinct(reader.programs, reader)) > 1)
    warnings = sorted(reader.problems, key=lambda p: p.line)
    return ImportResult(graph, warnings, [p.name or "" for p in _distinct(reader.programs, reader)])


def _distinct(programs: list[v.Program], reader: ScriptReader | None = None) -> list[v.Program]:
    """Each program once; with ``reader``, without those called inside another
    (they become its subgraphs, not programs of their own)."""
    called = {id(p) for p in reader.subgraph_programs.values()} if reader is not None else set()
    seen: dict[int, v.Program] = {}
    for found in programs:
        if id(found) not in called:
            seen.setdefault(id(found), found)
    return list(seen.values())


def _choose(reader: ScriptReader, wanted: str | None) -> v.Program | None:
    """The program to import; problems (none, several without a choice, an unknown
    choice) are reported on the reader."""
    programs = _distinct(reader.programs, reader)
    listed = ", ".join(f"{p.name} (line {p.line})" for p in programs)
    if not programs:
        reader.report(
            0,
            "no synalinks.Program(inputs=..., outputs=...) found; the importer reads programs "
            "built with the functional API, as in the Synalinks lessons",
        )
        return None
    if wanted is not None:
        found = [p for p in programs if p.name == wanted]
        if not found:
            reader.report(0, f"the script builds no program named {wanted!r}; it builds {listed}")
            return None
        return found[0]
    if len(programs) > 1:
        reader.report(
            programs[1].line,
            f"the script builds {len(programs)} programs: {listed}; choose one with "
            "--program NAME (import_python(..., program=NAME))",
        )
        return None
    return programs[0]


def import_python_file(
    path: str | Path, registry: Registry, program: str | None = None
) -> ImportResult:
    """Read ``path`` (UTF-8) and import it; unreadable files raise :class:`ScriptImportError`."""
    path = Path(path)
    name = str(path)
    try:
        if path.stat().st_size > MAX_SCRIPT_BYTES:
            raise ScriptImportError(
                name, [], f"{name}: is larger than 5 MB; it is not a program script"
            )
        source = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ScriptImportError(name, [], f"{name}: no such file") from None
    except IsADirectoryError:
        raise ScriptImportError(name, [], f"{name}: is a folder, not a Python script") from None
    except UnicodeDecodeError as exc:
        raise ScriptImportError(
            name, [], f"{name}: is not UTF-8 text (bad byte at offset {exc.start})"
        ) from None
    except OSError as exc:
        raise ScriptImportError(
            name, [], f"{name}: cannot read it: {exc.strerror or exc}"
        ) from None
    return import_python(source, registry, name, program)


__all__ = [
    "ImportProblem",
    "ImportResult",
    "ScriptImportError",
    "import_python",
    "import_python_file",
]
