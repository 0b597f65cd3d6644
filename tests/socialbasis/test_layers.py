"""Data flows loaders -> core -> faces: checked on the imports themselves."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_the_core_uses_the_loaders_only_in_its_composition_root():
    offenders = [
        str(path.relative_to(ROOT))
        for path in _modules("socialbasis")
        if path.name != "app.py" and any(m.startswith("loaders") for m in _imports(path))
    ]
    assert offenders == []


def test_nothing_in_the_core_or_the_loaders_imports_streamlit_or_a_face():
    for package in ("socialbasis", "loaders"):
        for path in _modules(package):
            bad = {
                m for m in _imports(path) if m.split(".")[0] in {"streamlit", "dashboard", "cli"}
            }
            assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_the_faces_reach_the_loaders_only_through_the_core():
    for package in ("cli", "dashboard"):
        for path in _modules(package):
            bad = {m for m in _imports(path) if m.startswith("loaders")}
            assert not bad, f"{path.relative_to(ROOT)} imports {bad}"
