"""The editor side of export and import.

``pictures`` makes PNG and SVG pictures of the canvas with no dialog at all;
``export_commands`` and ``import_script`` are what the File menu's entries do;
the dialogs (``python_preview`` with ``python_highlighter``,
``mermaid_preview``, ``picture_dialog``, all on ``text_preview`` for text)
only show what the core produced and write it atomically. Nothing here
decides what a graph means: the code and Mermaid text come from
``core.export``, the graphs from ``core.importer``.
"""
