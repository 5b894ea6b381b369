"""Python's cyclic garbage collector held off while a bounded resolution pass runs.

A pass reads and keeps many container objects until it ends: decoded tallies (a head of state's
holds thousands of members), people read from stored articles, views of them. Each automatic
full collection walks every object alive, and a pass triggers many: on a generated store of
100,000 articles, 23 full collections took 9 of 33 CPU seconds in three passes of 140 new
articles, and more the larger the store (what a pass holds grows with it). Nearly all of a
pass's garbage is freed by reference counting as it goes (about 20,000 objects in cycles per
pass of 140), so the collector waits for the pass to end and then collects what the pass made
(the youngest generation: with collection off, every object made since stays there).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Automatic collection off for the block, and the block's cyclic garbage collected after it.
    Leaves collection as it found it: a caller that turned it off keeps it off (and nested
    blocks collect once, at the outermost)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(0)
