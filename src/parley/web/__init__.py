"""The analyst's workbench: a read-only JSON API and server-rendered pages over a Parley store.

    from parley.web import create_app
    app = create_app("parley.db")            # serve with uvicorn; `parley serve` does this
    app = create_app("parley.db", token="s3cret")   # also accept POST /api/articles with the token
"""

from .app import create_app

__all__ = ["create_app"]
