"""The analyst's workbench: a read-only JSON API and server-rendered pages over a Parley store.

    from parley.web import create_app
    app = create_app("parley.db")            # serve with uvicorn; `parley serve` does this
    app = create_app("parley.db", token="s3cret")   # also accept POST /api/articles with the token

The app is imported on first use (PEP 562), so code that needs only `parley.web.urls` (the
briefing's links) does not load FastAPI and every route.
"""

from __future__ import annotations

from typing import Any

__all__ = ["app_from_environment", "create_app", "serve_environment"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
