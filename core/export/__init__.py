"""Export a graph as a runnable Synalinks script or as Mermaid text.

Both functions take a graph and the registry and return text; both raise
:class:`ExportError` with a message ready for the user (what is wrong and what
to change). Nothing here writes files: the CLI and the editor do.
"""

from core.export.errors import ExportError
from core.export.mermaid import export_mermaid
from core.export.python_script import export_python

__all__ = ["ExportError", "export_mermaid", "export_python"]
