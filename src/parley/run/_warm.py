"""Imported once by the pool's fork server: the model loaded and every lazy table built, up front.

Workers forked from that server start warm, in a fraction of a second instead of each importing
spaCy, loading the model and building the gazetteer again, and share those pages with it
copy-on-write. Any failure here is left for the worker's own initializer to meet and report.
"""

from __future__ import annotations

try:
    from parley import analyze as _analyze

    _analyze(
        "Mayor Richard Parker of Birmingham visited Chongqing on Thursday. \"We will deepen trade "
        "and investment,\" he said, after talks with officials of the Chinese city.",
        headline="Warm-up", published="2025-03-21",
    )
except Exception:  # noqa: BLE001, S110 - see the docstring
    pass
