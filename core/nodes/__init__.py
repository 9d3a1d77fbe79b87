"""The node catalogue: one module per kind, mirroring Synalinks modules."""
