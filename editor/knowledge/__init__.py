"""The Knowledge panel: a knowledge base's DuckDB file, read-only, and Synalinks' searches."""
