"""Describing the installed synalinks' modules as data (the catalogue).

Read from the classes themselves, so a module a newer synalinks adds is
described like the others.
Part of the synalinks runtime worker (standard library and synalinks only).
"""

from __future__ import annotations


def describe_modules(synalinks) -> dict:
    """Every public module class of the installed synalinks, as data: its group,
    summary, constructor parameters (kind, default, annotation, the docstring's
    words for it) and how it is called. Read from the classes themselves, so a
    module that a newer synalinks adds is described like the others."""
    import inspect

    base = synalinks.Module
    modules = []
    seen: dict[int, str] = {}
    for name in sorted(dir(synalinks.modules)):
        cls = getattr(synalinks.modules, name)
        if not (inspect.isclass(cls) and issubclass(cls, base)) or name.startswith("_"):
            continue
        entry = {
            "class": name,
            "group": cls.__module__.split(".modules.", 1)[-1].split(".", 1)[0],
            "module_path": cls.__module__,
            "alias_of": seen.get(id(cls)),
        }
        seen.setdefault(id(cls), name)
        doc = inspect.getdoc(cls) or ""
        entry["summary"] = doc.split("\n\n", 1)[0].replace("\n", " ").strip()
        entry["doc"] = doc[:4000]
        args = docstring_args(doc)
        params = []
        try:
            signature = inspect.signature(cls.__init__)
        except (TypeError, ValueError):
            signature = None
        for param in list(signature.parameters.values())[1:] if signature else []:
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue
            default = param.default
            params.append(
                {
                    "name": param.name,
                    "required": default is param.empty,
                    "default": plain(default) if default is not param.empty else None,
                    "annotation": annotation_text(param.annotation),
                    "doc_type": args.get(param.name, ("", ""))[0],
                    "description": args.get(param.name, ("", ""))[1],
                }
            )
        entry["params"] = params
        entry["call"] = call_shape(inspect, cls)
        modules.append(entry)
    return {"synalinks": getattr(synalinks, "__version__", "unknown"), "modules": modules}


def docstring_args(doc: str) -> dict[str, tuple[str, str]]:
    """``name -> (type, description)`` from a Google-style ``Args:`` section."""
    import re

    found: dict[str, tuple[str, str]] = {}
    lines = doc.splitlines()
    inside, current, indent = False, None, None
    for line in lines:
        stripped = line.strip()
        if re.match(r"^(Args|Arguments|Parameters):\s*$", stripped):
            inside, current, indent = True, None, None
            continue
        if not inside:
            continue
        if stripped and not line.startswith(" ") and stripped.endswith(":"):
            break  # the next section
        match = re.match(r"^(\s*)(\*{0,2}\w+)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$", line)
        if match and (indent is None or len(match.group(1)) <= indent):
            indent = len(match.group(1))
            current = match.group(2).lstrip("*")
            found[current] = (match.group(3) or "", match.group(4).strip())
        elif current and stripped:
            kind, text = found[current]
            found[current] = (kind, (text + " " + stripped).strip())
        elif not stripped and current is None:
            continue
    return found


def annotation_text(annotation) -> str:
    import inspect

    if annotation is inspect.Parameter.empty:
        return ""
    text = getattr(annotation, "__name__", None) if isinstance(annotation, type) else None
    return text or str(annotation).replace("typing.", "")


def plain(value):
    """A default as JSON when it is plain data, else a marker with its repr."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)) and all(
        v is None or isinstance(v, (bool, int, float, str)) for v in value
    ):
        return list(value)
    return {"__repr__": repr(value)[:200]}


def call_shape(inspect, cls) -> dict:
    """How the module is called: ``inputs`` (one data model), ``list`` (merges:
    ``Module()([a, b])``), or ``kwargs`` (tools: keyword arguments)."""
    try:
        params = list(inspect.signature(cls.call).parameters.values())[1:]
    except (TypeError, ValueError):
        return {"inputs": "inputs"}
    names = [p.name for p in params if p.name != "training"]
    if not names or all(p.kind is p.VAR_KEYWORD for p in params if p.name != "training"):
        return {"inputs": "kwargs"}
    module_file = getattr(inspect.getmodule(cls), "__name__", "")
    if ".merging." in module_file:
        return {"inputs": "list"}
    return {"inputs": "inputs"}
