"""Where the shared scorers and helper scripts are: beside the data, never copied into the project."""

from __future__ import annotations

from pathlib import Path

TOOLS = "tools"


def find_tool(name: str, data: Path, roots: list[Path]) -> Path | None:
    """`tools/<name>` in a folder above the data (../shared/data/ngec/x.csv -> ../shared), else in
    ../shared beside one of `roots`."""
    for folder in data.resolve().parents:
        if (folder / TOOLS / name).is_file():
            return folder / TOOLS / name
    for root in roots:
        if (root.parent / "shared" / TOOLS / name).is_file():
            return (root.parent / "shared" / TOOLS / name).resolve()
    return None
