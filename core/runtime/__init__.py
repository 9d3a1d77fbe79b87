"""The Synalinks runtime: the real ``synalinks`` library as a second backend.

The editor and the CLI never import synalinks (it lives in the user's own
environment and pulls a PyPI package named ``editor`` that would shadow
ours). A worker process in that environment does
(``core/runtime/worker/``, standard library and synalinks only),
speaking JSON lines on stdio; :mod:`core.runtime.client` drives it,
:mod:`core.runtime.backend` turns what it reports into the built-in engine's
own events, and :mod:`core.runtime.offline_endpoint` serves the offline
model over loopback so the worker reaches it like any OpenAI-compatible
server. :mod:`core.runtime.environment` finds or creates the environment.
"""
