"""JSON-schema and JSON-value operations with Synalinks' semantics, and schema flow."""
