"""Keep the garbage collector off the editor's long-lived heap while runs stream.

A full collection walks every object the editor holds (Qt wrappers, graph,
panels, run history): tens of milliseconds on a big session, paid on the UI
thread at whatever moment the allocation counters say. During a run the
editor allocates steadily (events, text chunks), so such a pause lands in the
middle of streaming and shows as a stall. ``gc.freeze()`` moves every object
alive when a run starts into a permanent generation that collections skip;
what the run allocates is still collected as usual. When the last concurrent
run ends the heap is unfrozen, so nothing is kept longer than the run.
"""

from __future__ import annotations

import gc

_active = 0


def run_started() -> None:
    """A run begins: freeze the heap if it is the first one in flight."""
    global _active
    _active += 1
    if _active == 1:
        gc.freeze()


def run_ended() -> None:
    """A run ended: unfreeze once no run is in flight (calls must pair)."""
    global _active
    if _active == 0:
        return
    _active -= 1
    if _active == 0:
        gc.unfreeze()


def runs_in_flight() -> int:
    return _active
