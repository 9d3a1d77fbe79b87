"""Knowledge bases seen from the editor's side: filling one from records (through
the Synalinks worker) and reading its DuckDB file (read-only)."""
