"""The analyst's workbench: a read-only JSON API and server-rendered pages over a Parley store.

    from parley.web import create_app
    app = create_app("parley.db")            # serve with uvicorn; `parley serve` does this
    app = create_app("parley.db", token="s3cret")   # also accept POST /api/articles with the token
"""

from .app import app_from_environment, create_app, serve_environment

__all__ = ["app_from_environment", "create_app", "serve_environment"]
