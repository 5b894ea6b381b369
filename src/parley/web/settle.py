"""What a long-running server does once, after its warm-up: load the gazetteer the place filters
read, then move every object alive into the garbage collector's permanent generation
(`gc.freeze`). Later full collections then skip the modules, the gazetteer and the warmed caches'
long-lived objects: a full pass over them, falling inside a request, added 100-150 ms to it."""

from __future__ import annotations

import gc


def settle() -> None:
    """Load what every request may read, collect once, and freeze what is left."""
    from ..analysis import places

    places.gazetteer()
    gc.collect()
    gc.freeze()
