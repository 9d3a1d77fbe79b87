"""The Train dialog: fit the graph with a Synalinks optimizer, watch its curves, adopt a checkpoint."""
