"""The editor side of subgraphs: opening a definition on the canvas with a
breadcrumb back, placing uses, collapsing and expanding, and showing inner
nodes' problems and run results where the person looks for them."""
