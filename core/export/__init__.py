"""Export a graph as a runnable Synalinks script or as Mermaid text.

Both functions take a graph and the registry and return text; both raise
:class:`ExportError` with a message ready for the user (what is wrong and what
to change). Nothing here writes files: the CLI and the editor do.

How each node type becomes code lives here, in one table of small writers
(:data:`core.export.modules.STATEMENT_WRITERS`, keyed by node type name),
rather than on the node types: the registry stays free of Synalinks code
generation, and a new node type is exported by adding one writer (a type
without one is refused with a clear message).
"""

from core.export.errors import ExportError
from core.export.mermaid import export_mermaid
from core.export.python_script import export_python

__all__ = ["ExportError", "export_mermaid", "export_python"]
