"""The briefing as PDF, by WeasyPrint: a CSS layout engine on Pango that installs from PyPI, prints
the same HTML with its @page rules (A4 or Letter, page numbers in the margin) and draws inline SVG
itself, with no browser to start and no network (a `url_fetcher` that refuses every URL makes sure).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ParleyError


class PdfUnavailable(ParleyError):
    """WeasyPrint (or the Pango library it draws with) is not installed here."""


def write_pdf(html: str, path: Path | str) -> None:
    """Print the standalone briefing `html` to `path`."""
    Path(path).write_bytes(pdf_bytes(html))


def pdf_bytes(html: str) -> bytes:
    """The standalone briefing `html`, printed."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(f"cannot write a PDF: WeasyPrint is not usable here ({exc}); "
                             "pip install weasyprint (and Debian's libpango-1.0-0), or write -o brief.html") from exc
    return weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf()


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict:
    """The briefing holds everything it shows: a URL to fetch is a mistake, not something to follow."""
    raise ValueError(f"the briefing fetches nothing ({url})")
